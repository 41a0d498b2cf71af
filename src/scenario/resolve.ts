// Turns what a user passes to --scenario into a file path. A bare name ("default") means a scenario shipped in
// the package's scenarios/ folder; anything that looks like a path is a path. The package root is found from
// this module's own location, so it works from src/ (tsx), from dist/, and when hcpgen is installed as a
// dependency somewhere else.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../lib/errors.js';

const PACKAGE_NAME = 'hcpgen';
const SCENARIO_EXT = /\.ya?ml$/i;

let cachedRoot: string | undefined;

/** The folder holding hcpgen's package.json (and schemas/, scenarios/, seed-data/). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return (cachedRoot = dir);
      } catch {
        // A broken package.json on the way up is not ours; keep climbing.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

export function scenariosDir(): string {
  return path.join(packageRoot(), 'scenarios');
}

/** Shipped scenario files (absolute paths), sorted by name. */
export function shippedScenarioFiles(): string[] {
  const dir = scenariosDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => SCENARIO_EXT.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Names accepted by --scenario: shipped files without their extension. */
export function shippedScenarioNames(): string[] {
  return shippedScenarioFiles().map((f) => path.basename(f).replace(SCENARIO_EXT, ''));
}

function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || SCENARIO_EXT.test(arg) || arg.startsWith('.');
}

/**
 * `default` → `<packageRoot>/scenarios/default.yaml`; `./my.yaml`, `my.yaml`, `/abs/x.yml` → that file (resolved
 * against `cwd`). Does not read the file: a missing path is reported by the loader with the same wording
 * everywhere. An unknown bare name is an error that lists the names that exist.
 */
export function resolveScenario(arg: string, cwd: string = process.cwd()): string {
  const trimmed = arg.trim();
  if (trimmed === '') {
    throw new UserError('--scenario is empty.', {
      hint: `Pass a name (${namesList()}) or a path to a .yaml file.`,
    });
  }
  if (looksLikePath(trimmed)) return path.resolve(cwd, trimmed);
  for (const file of shippedScenarioFiles()) {
    if (path.basename(file).replace(SCENARIO_EXT, '') === trimmed) return file;
  }
  // A file of that exact name in the working directory (no extension) is still what the user meant.
  const local = path.resolve(cwd, trimmed);
  if (existsSync(local) && statSync(local).isFile()) return local;
  throw new UserError(`there is no scenario named "${trimmed}".`, {
    hint: `Shipped scenarios: ${namesList()}. To use your own file, pass its path (e.g. ./${trimmed}.yaml).`,
  });
}

function namesList(): string {
  const names = shippedScenarioNames();
  return names.length > 0 ? names.join(', ') : '(none found in ' + scenariosDir() + ')';
}
