// The `prepare` script (npm runs it on `npm install`, and again each time `npx hcpgen` installs this folder into
// npx's cache, which npm 11 does for a package's own bin): builds only when the sources differ from what dist/
// was built from. Without the check, the first `npx hcpgen generate` after `npm install` rebuilt everything
// (tsc and the database template, ~7 s) before generating anything. `npm run build` always rebuilds, and it
// deletes dist/ first, so the stamp can only ever describe the build it sits in.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const STAMP = path.join('dist', '.sources-sha256');
const INPUTS = [
  'src',
  'schemas',
  'scripts/pglite-template.js',
  'scripts/oclif-manifest.js',
  'scripts/schema-validators.js',
  'scripts/build-id.js',
  'scripts/schema-model.js',
  'scripts/reference-cache.js',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

function files(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
}

function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const wanted = sourcesHash();
if (existsSync(STAMP) && existsSync('oclif.manifest.json') && readFileSync(STAMP, 'utf8').trim() === wanted) {
  console.error('hcpgen: dist/ was built from these sources; not rebuilding (npm run build forces it)');
} else {
  // npm sets npm_execpath to its own CLI script; run the build through the same npm.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${wanted}\n`);
}
