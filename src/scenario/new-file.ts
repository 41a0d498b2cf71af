// The file side of `hcpgen scenario new`: check the name, read and lint the source scenario, write the new file
// without ever replacing one by accident (exclusive create unless --force), and say what to run next.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import { checkScenario } from './check.js';
import { loadScenarioFile } from './load.js';
import { displayPath } from './problems.js';
import { packageRoot, resolveScenario } from './resolve.js';
import { SCENARIO_NAME, scaffoldScenario } from './scaffold.js';
import { makeDirs } from '../lib/make-dirs.js';

export interface NewScenarioOptions {
  name: string;
  /** A shipped scenario name or a path. */
  from: string;
  /** Directory of the new file (created if missing). */
  dir: string;
  force?: boolean;
  cwd?: string;
}

export interface NewScenarioResult {
  file: string;
  from: string;
  /** The commands to run next, in order. */
  next: string[];
}

export async function createScenarioFile(options: NewScenarioOptions): Promise<NewScenarioResult> {
  if (!SCENARIO_NAME.test(options.name)) {
    throw new UserError(
      `"${options.name}" cannot be a scenario name: use lower-case letters, digits and dashes (up to 64), ` +
        'starting with a letter or digit.',
      { hint: 'For example: hcpgen scenario new respiratory-2027' },
    );
  }
  const cwd = options.cwd ?? process.cwd();
  const source = resolveScenario(options.from, cwd);
  // The source must be a valid scenario: a copy of a broken one would start the study broken.
  checkScenario(await loadScenarioFile(source));
  const dir = path.resolve(cwd, options.dir);
  const file = path.join(dir, `${options.name}.yaml`);
  const text = scaffoldScenario({
    name: options.name,
    fromText: await readFile(source, 'utf8'),
    fromName: path.basename(source).replace(/\.ya?ml$/, ''),
    schemaFile: path.join(packageRoot(), 'schemas', 'scenario.schema.json'),
    dir,
  });
  const shown = displayPath(file);
  try {
    makeDirs(dir);
  } catch (err) {
    // EEXIST here means a file stands where the directory should be, not that the scenario exists.
    throw new UserError(`cannot create the directory ${displayPath(dir)}: ${(err as Error).message}.`, {
      hint: 'Check that --dir names a directory (or a path where one can be made) that you can write to.',
      cause: err,
    });
  }
  try {
    await writeFile(file, text, { flag: options.force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UserError(`${shown} already exists; nothing was written.`, {
        hint: 'Pick another name, or pass --force to replace the file.',
      });
    }
    throw new UserError(`cannot write ${shown}: ${(err as Error).message}.`, {
      hint: 'Check that --dir names a directory you can write to.',
      cause: err,
    });
  }
  return {
    file: shown,
    from: options.from,
    next: [
      `hcpgen scenario lint ${shown}`,
      `hcpgen plan --scenario ${shown}`,
      `hcpgen generate --scenario ${shown} --hcps 2000 --wipe`,
    ],
  };
}
