// Run by `npm run build`, after tsc: writes the precompiled validator of each shipped schema next to the built
// checker (dist/scenario/<name>.schema-validate.cjs), so that a run does not compile the scenario schema
// (~0.25 s) before it can start. See src/scenario/precompiled-schema.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { standaloneValidatorCode } from '../dist/scenario/schema-standalone.js';
import { precompiledFile } from '../dist/scenario/precompiled-schema.js';

for (const name of ['scenario', 'fixtures']) {
  const schema = path.join('schemas', `${name}.schema.json`);
  writeFileSync(precompiledFile(name), standaloneValidatorCode(schema));
}
