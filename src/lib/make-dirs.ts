// mkdir -p that always returns. Node 20's mkdirSync(dir, { recursive: true }) never returns for some paths: under
// /proc it loops forever (mkdir answers ENOENT although the parent exists, and Node retries), and --out,
// HCPGEN_DATA_DIR or HCPGEN_CACHE_DIR can name such a path. This walks up to the nearest existing ancestor and
// creates each missing level once; an error is thrown as mkdir gives it (ENOENT, ENOTDIR, EACCES, ...).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!existsSync(at)) {
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  if (missing.length === 0 && !statSync(at).isDirectory()) {
    // As mkdir -p: a file where the directory should be.
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${at}'`), { code: 'EEXIST' });
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      // Another process made it meanwhile: fine, as with mkdir -p.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
