// The embedded database's template is unpacked by src/db/tar-unpack.ts rather than by PGlite: the result must be
// the database PGlite's own loading gives (same files, same bytes), and anything else than such a tarball must be
// left to PGlite with nothing written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { unpackTarGz } from '../../src/db/tar-unpack.js';

/** Every file under `dir` with its bytes, by relative path. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

/** A ustar header block for `name` (type '0' file, '5' directory, '2' symlink). */
function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\0', 257);
  return h;
}

function tarGz(entries: [string, string | null, string?][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content, type] of entries) {
    const data = Buffer.from(content ?? '');
    blocks.push(header(name, data.length, type ?? (content === null ? '5' : '0')));
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('unpacking the embedded database template', function () {
  this.timeout(120_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-untar-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives the files PGlite writes when it loads the tarball itself, and a database that opens', async () => {
    // The build's template, or one made here the same way (scripts/pglite-template.js) when running from source.
    const built = new URL('../../dist/pglite-template.tar.gz', import.meta.url);
    let template: Buffer;
    if (existsSync(built)) template = readFileSync(built);
    else {
      const db = await PGlite.create(path.join(scratch, 'init'));
      template = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
      await db.close();
    }
    const ours = path.join(scratch, 'ours');
    const theirs = path.join(scratch, 'theirs');
    expect(unpackTarGz(template, ours)).to.equal(true);
    const loaded = await PGlite.create(theirs, { loadDataDir: new Blob([template]) });
    await loaded.close();
    const opened = await PGlite.create(ours);
    await opened.query('SELECT 1');
    await opened.close();
    // Both directories have now been through a start and a clean shutdown. PostgreSQL stamps its control file,
    // WAL and relation-cache files then (and removes postmaster.pid, which the dump caught); every other file,
    // the catalogs among them, must be the tarball's bytes on both sides.
    const stamped = (f: string): boolean =>
      f === path.join('global', 'pg_control') || f.endsWith('pg_internal.init') || f.startsWith('pg_wal');
    const a = tree(ours);
    const b = tree(theirs);
    expect([...a.keys()].sort()).to.deep.equal([...b.keys()].sort());
    expect(b.size).to.be.above(100);
    for (const [file, bytes] of b) {
      if (!stamped(file)) expect(bytes.equals(a.get(file)!), file).to.equal(true);
    }
    const db = await PGlite.create(ours);
    await db.query('CREATE TABLE t (x int)');
    await db.query('INSERT INTO t VALUES (41), (1)');
    const { rows } = await db.query<{ s: number }>('SELECT sum(x)::int AS s FROM t');
    await db.close();
    expect(rows[0]!.s).to.equal(42);
  });

  it('keeps directories and nested files', () => {
    const dir = path.join(scratch, 'd');
    const gz = tarGz([
      ['/PG_VERSION', '17\n'],
      ['/base', null],
      ['/base/1/112', 'abc'],
    ]);
    expect(unpackTarGz(gz, dir)).to.equal(true);
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).to.equal('17\n');
    expect(readFileSync(path.join(dir, 'base/1/112'), 'utf8')).to.equal('abc');
  });

  for (const [what, gz] of [
    [
      'a path outside the directory',
      tarGz([
        ['/ok', 'x'],
        ['../escape', 'x'],
      ]),
    ],
    [
      'a symbolic link',
      tarGz([
        ['/ok', 'x'],
        ['/link', '', '2'],
      ]),
    ],
    ['bytes that are not gzip', Buffer.from('not a tarball')],
    ['an empty archive', tarGz([])],
  ] as const) {
    it(`returns false and writes nothing for ${what}`, () => {
      const dir = path.join(scratch, 'd');
      expect(unpackTarGz(gz, dir)).to.equal(false);
      expect(existsSync(dir)).to.equal(false);
    });
  }
});
