// The CSV side of the views, on DuckDB alone: PostgreSQL array literals (both hcpgen's always-quoted form and
// PostgreSQL's own quote-when-needed form) parse into the same string lists as src/db/values.ts's parser, and a
// campaigns CSV with hostile text reads back exactly as written: NULL vs '', quotes, commas, braces, backslashes,
// newlines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { csvRow, pgArrayLiteral } from '../../src/db/csv.js';
import { parsePgArray } from '../../src/db/values.js';
import { DuckDb, float4Number } from '../../src/files/duckdb.js';
import { createViews, TEXT_ARRAY_MACRO } from '../../src/files/views.js';
import { CAMPAIGNS } from '../../src/tables/tables.js';

const HOSTILE = [
  '',
  ' ',
  'plain',
  'b c',
  'x,y',
  'q"uote',
  '""',
  'back\\slash',
  '\\',
  '\\"',
  '{brace}',
  '}',
  '{',
  'NULL',
  'null',
  ' lead',
  'trail ',
  'new\nline',
  'cr\r\nlf',
  'tab\there',
  'ü€😀',
  "it's",
];

/** A few random strings over the characters that matter to the two encodings. */
function randomStrings(n: number): string[] {
  const alphabet = ['a', 'Z', '0', ' ', ',', '"', '\\', '{', '}', '\n', "'", 'é', 'N', 'U', 'L'];
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: n }, () =>
    Array.from({ length: next() % 8 }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

describe('file output: CSV views', function () {
  let db: DuckDb;
  let tmp: string;
  before(async function () {
    db = await DuckDb.open({ description: 'test' });
    await db.query(TEXT_ARRAY_MACRO);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-csv-view-'));
  });
  after(async function () {
    await db?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const parse = async (literal: string | null): Promise<unknown> =>
    (await db.query('SELECT hcpgen_text_array($1) AS v', [literal])).rows[0]?.v;

  it("parses hcpgen's always-quoted array literals of hostile strings", async function () {
    for (const list of [HOSTILE, ...HOSTILE.map((s) => [s]), randomStrings(200), []]) {
      const literal = pgArrayLiteral(list);
      expect(await parse(literal), literal).to.deep.equal(list);
    }
  });

  it("parses PostgreSQL's own array output (quoted only where needed, bare NULL)", async function () {
    // As `COPY ... TO STDOUT (FORMAT csv)` prints text[] values (after CSV unquoting).
    const cases: [string, (string | null)[]][] = [
      ['{a,"b c"}', ['a', 'b c']],
      [
        '{"","x,y","q\\"uote","back\\\\slash","{brace}","NULL"," lead"}',
        ['', 'x,y', 'q"uote', 'back\\slash', '{brace}', 'NULL', ' lead'],
      ],
      ['{NULL,x}', [null, 'x']],
      ['{"new\nline","\\\\\\"",ü€😀}', ['new\nline', '\\"', 'ü€😀']],
      ['{}', []],
    ];
    for (const [literal, list] of cases) {
      expect(await parse(literal), literal).to.deep.equal(list);
      expect(parsePgArray(literal, (s) => s)).to.deep.equal(list);
    }
    expect(await parse(null)).to.equal(null);
  });

  it('reads a CSV in PostgreSQL encoding back as written, typed from the model', async function () {
    const rows = HOSTILE.map((s, i) => [
      i + 1,
      s,
      'Awareness',
      'p1',
      [s, 'email'],
      i % 2 === 0 ? null : [s],
      i % 3 === 0 ? null : [],
      null,
      '2024-01-01',
      '2024-03-31',
    ]);
    const file = path.join(tmp, 'campaigns.csv');
    const header = CAMPAIGNS.columns.map((c) => c.name).join(',');
    writeFileSync(file, `${header}\n${rows.map((r) => csvRow(r)).join('')}`);
    await createViews(db, [CAMPAIGNS], new Map([['campaigns', [file]]]), 'csv');
    const { rows: back } = await db.query('SELECT * FROM campaigns ORDER BY id');
    expect(back.map((r) => Object.values(r))).to.deep.equal(rows);
  });

  it('prints a float4 as PostgreSQL does', function () {
    for (const x of [1.1, 0.1, 12.34, 3.4028235e38, 1e-7, 100, 0.3333, 72.45]) {
      expect(float4Number(Math.fround(x))).to.equal(x);
    }
  });
});
