// `hcpgen generate --out DIR` end to end: the same files whatever --workers or --chunk-size, a manifest that
// describes exactly what is in the directory, shards whose union is the single run, a larger --hcps that keeps
// HCPs 1..N, the same rows as the PostgreSQL sink writes, and a directory that is changed only when it should be.
// Runs go through generateFiles() (fast, in-process) where the function is the point and through the CLI where
// the command's behaviour (messages, exit codes) is.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'chai';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { loadSchemaModel, renderCreateTables, renderDdl } from '../../src/db/ddl.js';
import { generateFiles, type GenerateFilesOptions } from '../../src/files/generate-files.js';
import { fileBreaks, partBreaks } from '../../src/files/layout.js';
import type { Manifest } from '../../src/files/manifest-read.js';
import type { FileFormat } from '../../src/files/views.js';
import { generate } from '../../src/generate/run.js';
import type { TableName } from '../../src/plan/types.js';
import { sqlType, type ColumnDef, type TableDef } from '../../src/tables/model.js';
import { DATA_TABLE_DEFS } from '../../src/tables/tables.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/testdb.js';
import { hcpgen, ROOT, STACK_FRAME } from '../reliability/cli.js';

const TABLES = DATA_TABLE_DEFS as readonly TableDef[];
const HCPS = 600;
const BIGGER = 900;
/** The run every test compares against: small, 3 months, with the shipped fixtures (so fixture rows are covered). */
const PARAMS = { scenario: 'default', seed: 42, hcps: HCPS, months: 3, asOf: '2025-12-31' };
const SEED_DATA = path.join(ROOT, 'seed-data');
/** The same run through the CLI (which runs in ROOT, so ./seed-data is its default fixture folder). */
const cliParams = (seed = 42): string[] => [
  `--seed=${seed}`,
  `--hcps=${HCPS}`,
  '--months=3',
  '--as-of=2025-12-31',
];
const DOCS = new Set(['schema.sql', 'dictionary.md']);
/** Tables whose row count the plan fixes exactly (the others are random around the plan's expectation). */
const EXACT: readonly TableName[] = ['hcp_profiles', 'campaigns', 'rx_history', 'engagement_scores'];

function gen(out: string, format: FileFormat, extra: Partial<GenerateFilesOptions> = {}) {
  return generateFiles({ ...PARAMS, out, format, workers: 0, quiet: true, seedData: SEED_DATA, ...extra });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir` (relative path -> SHA-256), recursively, dot-directories included. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, sha256(readFileSync(path.join(dir, r))));
    }
  };
  walk('');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every file under `dir` with its modification time (ns) and inode: proof that nothing was rewritten. */
function stamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of tree(dir).keys()) {
    const s = statSync(path.join(dir, rel), { bigint: true });
    out.set(rel, `${s.mtimeNs} ${s.ino}`);
  }
  return out;
}

const manifestFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /^manifest(-\d{4}-of-\d{4})?\.json$/.test(f))
    .sort();
const readManifest = (dir: string, name = 'manifest.json'): Manifest =>
  JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Manifest;

// --- CSV as records (quoted fields may hold commas, quotes and newlines) ---------------------------------------

/** The records of a CSV text, each as its raw text (without the newline). */
function csvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start !== text.length) throw new Error('CSV text does not end with a newline');
  return out;
}

/** The fields of one CSV record: value and whether it was quoted (unquoted empty = NULL). */
function csvFields(record: string): { value: string; quoted: boolean }[] {
  const out: { value: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    let quoted = false;
    if (record[i] === '"') {
      quoted = true;
      i++;
      while (i < record.length) {
        if (record[i] === '"' && record[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (record[i] === '"') {
          i++;
          break;
        } else value += record[i++];
      }
    } else {
      while (i < record.length && record[i] !== ',') value += record[i++];
    }
    out.push({ value, quoted });
    if (i >= record.length) return out;
    i++; // the comma
  }
}

function arrayLiteral(s: string): string[] {
  const out: string[] = [];
  if (s === '{}') return out;
  let i = 1;
  while (i < s.length - 1) {
    let v = '';
    if (s[i] === '"') {
      i++;
      while (s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i++];
      }
      i++;
    } else while (s[i] !== ',' && s[i] !== '}') v += s[i++];
    out.push(v);
    if (s[i] === ',') i++;
  }
  return out;
}

type Norm = number | string | string[] | null;

/** A CSV field in the normal form the Parquet and PostgreSQL readers below also produce. */
function normCsv(c: ColumnDef, f: { value: string; quoted: boolean }): Norm {
  if (!f.quoted && f.value === '') return null;
  switch (c.type) {
    case 'int16':
    case 'int32':
    case 'int64':
      return Number(f.value);
    case 'float32':
      return Math.fround(Number(f.value));
    case 'timestamp':
      return f.value.replace(' ', 'T');
    case 'text_list':
      return arrayLiteral(f.value);
    default:
      return f.value;
  }
}

/** The data records (header checked and dropped) of every CSV file of `table` in `dir`. */
function csvTableRecords(dir: string, table: TableDef): string[] {
  const folder = path.join(dir, table.name);
  const header = table.columns.map((c) => c.name).join(',');
  const out: string[] = [];
  for (const f of readdirSync(folder).sort()) {
    const records = csvRecords(readFileSync(path.join(folder, f), 'utf8'));
    expect(records[0], `${table.name}/${f} header`).to.equal(header);
    out.push(...records.slice(1));
  }
  return out;
}

/** Rows of a table's CSV files in the normal form, sorted by the table's key. */
function csvTableRows(dir: string, table: TableDef): Norm[][] {
  const rows = csvTableRecords(dir, table).map((r) => {
    const fields = csvFields(r);
    expect(fields, `${table.name}: ${r}`).to.have.length(table.columns.length);
    return fields.map((f, i) => normCsv(table.columns[i]!, f));
  });
  return sortByKey(table, rows);
}

function sortByKey(table: TableDef, rows: Norm[][]): Norm[][] {
  const key = table.primaryKey.map((k) => table.columns.findIndex((c) => c.name === k));
  return [...rows].sort((a, b) => {
    for (const i of key) {
      const x = a[i]!;
      const y = b[i]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}

/** The column that ties a row to its HCP (id in hcp_profiles). */
const hcpColumn = (t: TableDef): number =>
  t.columns.findIndex((c) => c.name === (t.name === 'hcp_profiles' ? 'id' : 'hcp_id'));

// --- Parquet through DuckDB --------------------------------------------------------------------------------------

/** `SELECT` list that renders dates and timestamps the way normCsv does. */
function duckSelect(table: TableDef): string {
  return table.columns
    .map((c) => {
      const x = `"${c.name}"`;
      if (c.type === 'date') return `CAST(${x} AS VARCHAR)`;
      if (c.type === 'timestamp') return `strftime(${x}, '%Y-%m-%dT%H:%M:%S')`;
      return x;
    })
    .join(', ');
}

async function parquetRows(con: DuckDBConnection, files: string, table: TableDef): Promise<Norm[][]> {
  const order = table.primaryKey.map((k) => `"${k}"`).join(', ');
  const r = await con.runAndReadAll(
    `SELECT ${duckSelect(table)} FROM read_parquet('${files}') ORDER BY ${order}`,
  );
  return r.getRowsJS().map((row) =>
    row.map((v, i): Norm => {
      if (v === null) return null;
      if (typeof v === 'bigint') return Number(v);
      if (table.columns[i]!.type === 'float32') return Math.fround(v as number);
      return v as Norm;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------

describe('generate --out: file output end to end', function () {
  this.timeout(120_000);
  let tmp: string;
  let csv: string;
  let parquet: string;
  let duck: DuckDBInstance;
  let con: DuckDBConnection;

  before(async function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-output-'));
    csv = path.join(tmp, 'csv');
    parquet = path.join(tmp, 'parquet');
    await gen(csv, 'csv');
    await gen(parquet, 'parquet');
    duck = await DuckDBInstance.create(':memory:');
    con = await duck.connect();
  });
  after(function () {
    con?.closeSync();
    duck?.closeSync();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('the same bytes whatever --workers and --chunk-size', function () {
    for (const format of ['csv', 'parquet'] as const) {
      it(`${format}: every file and the manifest identical across workers 0/2 and chunk sizes 500/37`, async function () {
        const base = format === 'csv' ? csv : parquet;
        const expected = tree(base);
        expect([...expected.keys()].filter((f) => f.endsWith(`.${format}`))).to.have.length(TABLES.length);
        const variants: [number, number][] =
          format === 'csv'
            ? [
                [2, 37],
                [0, 37],
              ]
            : [[2, 37]];
        for (const [workers, chunkSize] of variants) {
          const dir = path.join(tmp, `${format}-w${workers}-c${chunkSize}`);
          await gen(dir, format, { workers, chunkSize });
          expect(tree(dir), `workers ${workers}, chunk size ${chunkSize}`).to.deep.equal(expected);
        }
      });
    }
  });

  describe('Parquet files joined from parts', function () {
    // Parts of 16 KiB staged: every HCP table's file is joined from several parts (src/files/parquet-concat.ts),
    // as a warehouse-sized file is at full scale.
    const PART = 16 * 1024;

    it('hold the same rows as single-part files, a row group per part, the same bytes across workers', async function () {
      const dir = path.join(tmp, 'parquet-parts');
      await gen(dir, 'parquet', { parquetPartBytes: PART });
      const m = readManifest(dir);
      for (const table of TABLES) {
        const files = m.files.filter((f) => f.table === table.name);
        const rows = files.reduce((a, f) => a + f.rows, 0);
        expect(rows, table.name).to.equal(m.counts[table.name as TableName]);
        expect(
          await parquetRows(con, path.join(dir, table.name, '*.parquet'), table),
          table.name,
        ).to.deep.equal(await parquetRows(con, path.join(parquet, table.name, '*.parquet'), table));
      }
      // Each part is one row group here (parts this small are under a row group's maximum). A part starts at each
      // of the layout's breaks where the table has rows in the chunk starting there, so at most that many.
      for (const table of ['hcp_profiles', 'stimuli', 'outcomes', 'rx_history'] as const) {
        const parts = partBreaks(m.plan, table, 1, HCPS, 'parquet', PART).length + 1;
        const files = fileBreaks(m.plan, table, 1, HCPS, 'parquet', PART).length + 1;
        const groups = await con.runAndReadAll(
          `SELECT count(DISTINCT (file_name, row_group_id)) AS n, count(DISTINCT file_name) AS f ` +
            `FROM parquet_metadata('${path.join(dir, table, '*.parquet')}')`,
        );
        const [n, f] = groups.getRowsJS()[0]!.map(Number) as [number, number];
        expect(n, `${table} row groups`).to.be.within(1, parts);
        expect(f, `${table} files`).to.be.within(1, files);
        if (table === 'stimuli') expect(n, 'stimuli row groups').to.be.greaterThan(3);
      }
      const again = path.join(tmp, 'parquet-parts-w2');
      await gen(again, 'parquet', { parquetPartBytes: PART, workers: 2, chunkSize: 37 });
      expect(tree(again)).to.deep.equal(tree(dir));
    });
  });

  describe('the manifest', function () {
    for (const format of ['csv', 'parquet'] as const) {
      it(`${format}: lists every data file with its true rows, bytes and SHA-256; counts = plan + fixtures`, async function () {
        const dir = format === 'csv' ? csv : parquet;
        expect(manifestFiles(dir)).to.deep.equal(['manifest.json']);
        const m = readManifest(dir);
        expect(m.kind).to.equal('hcpgen-file-output');
        expect(m.format).to.equal(format);
        expect(m.params).to.deep.equal({ seed: 42, hcps: HCPS, months: 3, asOf: '2025-12-31' });
        expect(m.shard).to.deep.equal({ index: 1, count: 1, hcpFrom: 1, hcpTo: HCPS });
        const onDisk = [...tree(dir).keys()].filter((f) => f !== 'manifest.json' && !DOCS.has(f));
        expect(m.files.map((f) => f.path).sort()).to.deep.equal(onDisk);
        const rows: Record<string, number> = {};
        for (const f of m.files) {
          const bytes = readFileSync(path.join(dir, f.path));
          expect(f.path.startsWith(`${f.table}/`), f.path).to.equal(true);
          expect(f.bytes, `${f.path} bytes`).to.equal(bytes.length);
          expect(f.sha256, `${f.path} sha256`).to.equal(sha256(bytes));
          const actual =
            format === 'csv'
              ? csvRecords(bytes.toString('utf8')).length - 1
              : Number(
                  (
                    await con.runAndReadAll(`SELECT count(*) FROM read_parquet('${path.join(dir, f.path)}')`)
                  ).getRowsJS()[0]![0],
                );
          expect(f.rows, `${f.path} rows`).to.equal(actual);
          rows[f.table] = (rows[f.table] ?? 0) + actual;
        }
        const fixtures = m.plan.fixtures?.rows;
        expect(fixtures, 'the run has fixtures').to.not.equal(undefined);
        for (const t of TABLES) {
          const name = t.name as TableName;
          expect(m.counts[name], `${name} count`).to.equal(rows[name]);
          const want = m.plan.expected[name] + fixtures![name];
          if (EXACT.includes(name)) expect(m.counts[name], `${name} = plan + fixtures`).to.equal(want);
          else {
            expect(m.counts[name]).to.be.within(Math.floor(want * 0.8), Math.ceil(want * 1.2));
            expect(m.counts[name]).to.be.greaterThan(fixtures![name]);
          }
        }
      });
    }

    it('CSV and Parquet outputs of one run hold the same rows', async function () {
      for (const t of TABLES) {
        const fromCsv = csvTableRows(csv, t);
        const fromParquet = await parquetRows(con, path.join(parquet, t.name, '*.parquet'), t);
        expect(fromCsv.length, t.name).to.be.greaterThan(0);
        expect(fromParquet, t.name).to.deep.equal(fromCsv);
      }
    });

    it('schema.sql is the DDL of the model; dictionary.md lists every column of every table', async function () {
      for (const dir of [csv, parquet]) {
        const ddl = await renderDdl({ tables: TABLES.map((t) => t.name) });
        const sql = readFileSync(path.join(dir, 'schema.sql'), 'utf8');
        expect(sql).to.equal(
          [...ddl.createTables, ...ddl.keysAndIndexes].map((s) => `${s};`).join('\n') + '\n',
        );
        const md = readFileSync(path.join(dir, 'dictionary.md'), 'utf8');
        for (const t of TABLES) {
          const section = md.split(/^## /m).find((s) => s.startsWith(`${t.name}\n`));
          expect(section, `dictionary section ${t.name}`).to.be.a('string');
          const listed = section!
            .split('\n')
            .filter((l) => /^\| (?!column |---)/.test(l))
            .map((l) => l.split(' | ')[0]!.slice(2));
          expect(listed, t.name).to.deep.equal(t.columns.map((c) => c.name));
          for (const c of t.columns) expect(section).to.include(`| ${c.name} | ${sqlType(c)} |`);
        }
      }
    });
  });

  describe('shards', function () {
    const shardDir = (format: FileFormat, n: number): string => path.join(tmp, `${format}-shards-${n}`);
    before(async function () {
      for (const format of ['csv', 'parquet'] as const) {
        for (const n of [1, 3, 4]) {
          for (let k = 1; k <= n; k++)
            await gen(shardDir(format, n), format, { shard: { index: k, count: n } });
        }
      }
    });

    it('--shard 1/1 is the unsharded run, byte for byte', function () {
      expect(tree(shardDir('csv', 1))).to.deep.equal(tree(csv));
      expect(tree(shardDir('parquet', 1))).to.deep.equal(tree(parquet));
    });

    for (const n of [3, 4]) {
      it(`${n} shards: contiguous HCP ranges, campaigns and fixtures in shard 1, counts adding up`, function () {
        for (const format of ['csv', 'parquet'] as const) {
          const dir = shardDir(format, n);
          const names = manifestFiles(dir);
          expect(names).to.deep.equal(
            Array.from(
              { length: n },
              (_, i) => `manifest-${String(i + 1).padStart(4, '0')}-of-${String(n).padStart(4, '0')}.json`,
            ),
          );
          const ms = names.map((f) => readManifest(dir, f));
          expect(new Set(ms.map((m) => m.runKey)).size).to.equal(1);
          let next = 1;
          for (const m of ms) {
            expect(m.shard.hcpFrom).to.equal(next);
            expect(m.shard.hcpTo).to.be.at.least(m.shard.hcpFrom);
            next = m.shard.hcpTo + 1;
          }
          expect(next - 1).to.equal(HCPS);
          const single = readManifest(format === 'csv' ? csv : parquet);
          for (const t of TABLES) {
            const sum = ms.reduce((a, m) => a + (m.counts[t.name] ?? 0), 0);
            expect(sum, `${format} ${t.name}`).to.equal(single.counts[t.name]);
          }
          expect(ms.slice(1).every((m) => (m.counts.campaigns ?? 0) === 0)).to.equal(true);
          expect(ms[0]!.files.filter((f) => f.table === 'campaigns')).to.have.length(1);
          // Nothing but the shards' files, the documents and the manifests; no temporary directory left.
          const listed = new Set(ms.flatMap((m) => m.files.map((f) => f.path)));
          for (const f of tree(dir).keys()) {
            if (names.includes(f) || DOCS.has(f)) continue;
            expect(listed.has(f), `${dir}: unlisted ${f}`).to.equal(true);
          }
        }
      });

      it(`${n} shards, CSV: the union of the shards' rows is the single run's rows, table by table`, function () {
        for (const t of TABLES) {
          const union = csvTableRecords(shardDir('csv', n), t).sort();
          const single = csvTableRecords(csv, t).sort();
          expect(union.length, t.name).to.be.greaterThan(0);
          expect(union, t.name).to.deep.equal(single);
        }
      });

      it(`${n} shards, Parquet: the union of the shards' rows is the single run's rows, table by table`, async function () {
        for (const t of TABLES) {
          const union = await parquetRows(con, path.join(shardDir('parquet', n), t.name, '*.parquet'), t);
          const single = await parquetRows(con, path.join(parquet, t.name, '*.parquet'), t);
          expect(union.length, t.name).to.be.greaterThan(0);
          expect(union, t.name).to.deep.equal(single);
        }
      });
    }

    it('hcpgen validate --files passes on complete sharded outputs and refuses one with a shard missing', async function () {
      for (const dir of [shardDir('csv', 3), shardDir('parquet', 4)]) {
        const ok = await hcpgen(['validate', '--files', dir]);
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout).to.match(/Validation: \d+ passed, 0 failed/);
      }
      const broken = path.join(tmp, 'csv-shards-3-missing');
      cpSync(shardDir('csv', 3), broken, { recursive: true });
      const m2 = readManifest(broken, 'manifest-0002-of-0003.json');
      rmSync(path.join(broken, 'manifest-0002-of-0003.json'));
      for (const f of m2.files) rmSync(path.join(broken, f.path));
      const r = await hcpgen(['validate', '--files', broken]);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('Shard 2 of 3 is missing');
      expect(r.stderr).to.include(broken);
      expect(r.stderr).not.to.match(STACK_FRAME);
    });
  });

  it('the command validate suggests for a missing shard adds exactly that shard (a run without fixtures)', async function () {
    const dir = path.join(tmp, 'csv-no-fixtures-2');
    for (const index of [1, 2]) await gen(dir, 'csv', { seedData: undefined, shard: { index, count: 2 } });
    const complete = tree(dir);
    const m2 = readManifest(dir, 'manifest-0002-of-0002.json');
    rmSync(path.join(dir, 'manifest-0002-of-0002.json'));
    for (const f of m2.files) rmSync(path.join(dir, f.path));
    const r = await hcpgen(['validate', '--files', dir]);
    expect(r.status, r.stderr).to.equal(2);
    const suggested = /`hcpgen ([^`]+)`/.exec(r.stderr)?.[1];
    expect(suggested, r.stderr).to.be.a('string');
    // The CLI runs in the project root, where ./seed-data exists: the command must say this run had no fixtures.
    const added = await hcpgen([...suggested!.split(' '), '--no-validate']);
    expect(added.status, added.stderr).to.equal(0);
    expect(tree(dir)).to.deep.equal(complete);
  });

  it(`a larger --hcps keeps HCP 1..${HCPS}'s rows of hcp_profiles, outcomes, rx_history and engagement_scores`, async function () {
    const dir = path.join(tmp, `csv-${BIGGER}`);
    await gen(dir, 'csv', { hcps: BIGGER });
    // Rep capacity can turn a few in-person calls of HCPs 1..N into phone calls or back when --hcps grows
    // (README, Determinism); those HCPs' outcomes, Rx and scores follow, so they are compared without them.
    const stimuli = TABLES.find((d) => d.name === 'stimuli')!;
    const channelOf = (records: string[]): Map<string, [string, string]> =>
      new Map(
        records.map((r) => {
          const f = csvFields(r);
          return [f[0]!.value, [f[1]!.value, f[3]!.value]];
        }),
      );
    const before = channelOf(csvTableRecords(csv, stimuli));
    const moved = new Set<number>();
    for (const [id, [hcp, channel]] of channelOf(csvTableRecords(dir, stimuli))) {
      const was = before.get(id);
      if (was && was[1] !== channel) moved.add(Number(hcp));
    }
    expect(moved.size / HCPS, 'HCPs with a call moved by rep capacity').to.be.below(0.1);
    for (const name of ['hcp_profiles', 'outcomes', 'rx_history', 'engagement_scores']) {
      const t = TABLES.find((d) => d.name === name)!;
      const col = hcpColumn(t);
      const keep = (hcp: number): boolean => name === 'hcp_profiles' || !moved.has(hcp);
      const upTo = (records: string[], max: number): string[] =>
        records
          .filter((r) => Number(csvFields(r)[col]!.value) <= max && keep(Number(csvFields(r)[col]!.value)))
          .sort();
      const small = upTo(csvTableRecords(csv, t), HCPS);
      const large = csvTableRecords(dir, t);
      expect(small.length, name).to.be.greaterThan(0);
      expect(upTo(large, BIGGER).length, `${name}: the larger run has more`).to.be.greaterThan(small.length);
      expect(upTo(large, HCPS), name).to.deep.equal(small);
    }
  });

  describe('an existing output directory', function () {
    it('generate --out again without --wipe: "Data already exists", exit 0, nothing rewritten', async function () {
      const dir = path.join(tmp, 'again');
      cpSync(csv, dir, { recursive: true });
      const before = { files: tree(dir), stamps: stamps(dir) };
      const r = await hcpgen(['generate', '--out', dir, '--format', 'csv', ...cliParams()]);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include(`Data already exists (600 HCPs, seed 42, scenario default) in ${dir}`);
      expect(tree(dir)).to.deep.equal(before.files);
      expect(stamps(dir)).to.deep.equal(before.stamps);
    });

    it('a different run without --wipe exits 2 changing nothing; with --wipe it replaces the output', async function () {
      const dir = path.join(tmp, 'replace');
      cpSync(csv, dir, { recursive: true });
      const before = { files: tree(dir), stamps: stamps(dir) };
      const refused = await hcpgen([
        'generate',
        '--out',
        dir,
        '--format',
        'csv',
        ...cliParams(43),
        '--no-validate',
      ]);
      expect(refused.status, refused.stderr).to.equal(2);
      expect(refused.stderr).to.include(`${dir} already holds a different hcpgen output`);
      expect(refused.stderr).to.include('--wipe');
      expect(refused.stderr).not.to.match(STACK_FRAME);
      expect(tree(dir)).to.deep.equal(before.files);
      expect(stamps(dir)).to.deep.equal(before.stamps);

      const wiped = await hcpgen(['generate', '--out', dir, '--format', 'csv', ...cliParams(43), '--wipe']);
      expect(wiped.status, wiped.stderr).to.equal(0);
      const m = readManifest(dir);
      expect(m.params.seed).to.equal(43);
      const now = tree(dir);
      // Only the new run's files: every data file is listed in its manifest, and hcp_profiles changed.
      const listed = new Set(m.files.map((f) => f.path));
      for (const f of now.keys())
        if (f !== 'manifest.json' && !DOCS.has(f)) expect(listed.has(f), f).to.equal(true);
      const profiles = 'hcp_profiles/part-0001-of-0001-00000.csv';
      expect(now.get(profiles)).to.not.equal(before.files.get(profiles));
      expect(readdirSync(dir).filter((f) => f.startsWith('.hcpgen-tmp-'))).to.deep.equal([]);
      for (const f of m.files) expect(now.get(f.path), f.path).to.equal(f.sha256);
    });
  });

  describePostgres('the same rows on every sink', function () {
    let db: TestDatabase;
    let client: pg.Client;
    before(async function () {
      db = await createTestDatabase();
      await generate({ ...PARAMS, db: db.url, workers: 0, quiet: true, seedData: SEED_DATA });
      client = new pg.Client({ connectionString: db.url });
      await client.connect();
    });
    after(async function () {
      await client?.end();
      await db?.drop();
    });

    const copyIn = async (table: string, file: string): Promise<void> => {
      const stream = client.query(copyStreams.from(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER)`));
      await pipeline(createReadStream(file), stream);
    };
    const copyOut = async (table: string, def: TableDef): Promise<string> => {
      const stream = client.query(
        copyStreams.to(
          `COPY (SELECT * FROM ${table} ORDER BY ${def.primaryKey.join(', ')}) TO STDOUT WITH (FORMAT csv)`,
        ),
      );
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };

    it('the CSV files, loaded into tables built from the DDL, hold exactly the database rows', async function () {
      await client.query('CREATE SCHEMA files');
      for (const sql of renderCreateTables(
        await loadSchemaModel(),
        'files',
        TABLES.map((t) => t.name),
      ))
        await client.query(sql);
      for (const t of TABLES) {
        for (const f of readdirSync(path.join(csv, t.name)))
          await copyIn(`files.${t.name}`, path.join(csv, t.name, f));
        const fromDb = await copyOut(`public.${t.name}`, t);
        const fromFiles = await copyOut(`files.${t.name}`, t);
        expect(fromDb.length, t.name).to.be.greaterThan(0);
        expect(fromFiles, t.name).to.equal(fromDb);
      }
    });

    it('the Parquet files hold exactly the database rows', async function () {
      for (const t of TABLES) {
        const cols = t.columns.map((c) => `"${c.name}"`).join(', ');
        const { rows } = await client.query<{ j: string }>(
          `SELECT json_build_array(${cols})::text AS j FROM public.${t.name} ORDER BY ${t.primaryKey.join(', ')}`,
        );
        const fromDb = rows.map((r) =>
          (JSON.parse(r.j) as Norm[]).map((v, i) =>
            v !== null && t.columns[i]!.type === 'float32' ? Math.fround(v as number) : v,
          ),
        );
        const fromParquet = await parquetRows(con, path.join(parquet, t.name, '*.parquet'), t);
        expect(fromParquet.length, t.name).to.equal(fromDb.length);
        expect(fromParquet, t.name).to.deep.equal(fromDb);
      }
    });

    it('schema.sql runs on PostgreSQL: the model tables with their keys, which the CSV files satisfy', async function () {
      await client.query('CREATE SCHEMA from_schema_sql');
      await client.query('SET search_path TO from_schema_sql');
      try {
        await client.query(readFileSync(path.join(csv, 'schema.sql'), 'utf8'));
        for (const t of TABLES) {
          const { rows } = await client.query<{ name: string; type: string; notnull: boolean }>(
            `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull
               FROM pg_attribute WHERE attrelid = 'from_schema_sql.${t.name}'::regclass AND attnum > 0
              ORDER BY attnum`,
          );
          expect(rows, t.name).to.deep.equal(
            t.columns.map((c) => ({
              name: c.name,
              type: sqlType(c),
              notnull: !c.nullable,
            })),
          );
          const keys = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'from_schema_sql.${t.name}'::regclass
               AND contype IN ('p', 'u', 'f')`,
          );
          expect(keys.rows[0]!.n, `${t.name} keys`).to.equal(
            1 + (t.uniques?.length ?? 0) + (t.foreignKeys?.length ?? 0),
          );
        }
        // Parents first: the files load into the keyed tables (every key unique, every reference resolves).
        for (const t of TABLES) {
          for (const f of readdirSync(path.join(csv, t.name)))
            await copyIn(t.name, path.join(csv, t.name, f));
        }
        const n = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM stimuli');
        expect(n.rows[0]!.n).to.equal(readManifest(csv).counts.stimuli);
      } finally {
        await client.query('SET search_path TO public');
      }
    });
  });

  it('leaves no temporary directory in any output it wrote', function () {
    for (const d of readdirSync(tmp)) {
      const dir = path.join(tmp, d);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      expect(
        readdirSync(dir).filter((f) => f.startsWith('.hcpgen-tmp-')),
        dir,
      ).to.deep.equal([]);
    }
  });
});
