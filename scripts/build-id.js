// Run by `npm run build`, after tsc and the generated modules: dist/build-id, a sha256 of every file under dist/,
// names and contents, in name order. Caches of derived data key on it (src/lib/build-id.ts), so a rebuilt
// generator never reads what an older one derived.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

const hash = createHash('sha256');
for (const file of files('dist')) {
  if (file === path.join('dist', 'build-id')) continue;
  hash.update(`${file}\0`);
  hash.update(readFileSync(file));
  hash.update('\0');
}
writeFileSync(path.join('dist', 'build-id'), `${hash.digest('hex')}\n`);
