// Run by `npm run build` (and so by `npm install`): initialises an empty embedded database once and keeps it
// as a compressed template, so the first `hcpgen generate` on a new machine unpacks it (~1.5 s) instead of
// running PostgreSQL's initdb inside WASM (~7 s). Plain JavaScript: it runs before anything else is built.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const out = process.argv[2] ?? 'dist/pglite-template.tar.gz';
const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-template-'));
try {
  const db = await PGlite.create(path.join(dir, 'data'));
  await db.query('SELECT 1');
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
