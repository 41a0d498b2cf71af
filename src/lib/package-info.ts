// The package's version, recorded in every run's metadata: a different version may generate different values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../scenario/resolve.js';

export const generatorVersion: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
