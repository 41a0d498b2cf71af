import { expect } from 'chai';
import { csvRow } from '../../src/db/csv.js';
import { createPgliteTarget, describeOnTestTarget } from '../helpers/testdb.js';

const HOSTILE = [
  'plain',
  '',
  'say "hi", then leave',
  'line one\nline two\r\nline three',
  "'); DROP TABLE x; --",
  '\\.',
  '\\N',
  'NULL',
  ' leading and trailing ',
  'Zoë Ångström — 東京 — 🚀 — العربية',
  '"',
  ',',
  '{braces}',
];

// A type alias (not an interface) so it fits Record<string, unknown>.
type Hostile = {
  id: number;
  txt: string | null;
  tags: (string | null)[] | null;
  big: number | string | null;
  d: string | null;
  ts: string | null;
  r: number | null;
  doc: unknown;
};

function hostileRows(): Hostile[] {
  const rows: Hostile[] = HOSTILE.map((txt, i) => ({
    id: i + 1,
    txt,
    tags: [txt, 'x', null, 'NULL', ''],
    big: i % 2 === 0 ? 9007199254740991 : '9223372036854775807',
    d: '2024-02-29',
    ts: '2024-02-29 23:59:58.5',
    r: 1.5,
    doc: { txt, n: i },
  }));
  rows.push({ id: 100, txt: null, tags: null, big: null, d: null, ts: null, r: null, doc: null });
  rows.push({
    id: 101,
    txt: 'empty array',
    tags: [],
    big: -1,
    d: '1999-12-31',
    ts: '1999-12-31 00:00:00',
    r: -0.25,
    doc: { list: [] },
  });
  return rows;
}

const COLUMNS = ['id', 'txt', 'tags', 'big', 'd', 'ts', 'r', 'doc'] as const;

describeOnTestTarget('copyFrom', (h) => {
  beforeEach(async () => {
    await h.target().query('DROP TABLE IF EXISTS hostile');
    await h
      .target()
      .query(
        'CREATE TABLE hostile (id integer, txt text, tags text[], big bigint, d date, ts timestamp, r real, doc jsonb)',
      );
  });

  it('round-trips hostile text, unicode, NULLs, empty strings and arrays exactly', async () => {
    const rows = hostileRows();
    // One row per chunk, so rows cross chunk (and, on PGlite, batch) boundaries in every way.
    async function* chunks(): AsyncGenerator<string> {
      for (const r of rows) yield csvRow(COLUMNS.map((c) => r[c]));
    }
    const loaded = await h.target().copyFrom('hostile', COLUMNS, chunks());
    expect(loaded).to.equal(rows.length);
    const back = await h.target().query<Hostile>(`SELECT ${COLUMNS.join(', ')} FROM hostile ORDER BY id`);
    expect(back.rows).to.deep.equal(rows);
    expect(back.fields).to.deep.equal([...COLUMNS]);
    // The injection attempt is data, and the table it names was never touched.
    const stillThere = await h
      .target()
      .query("SELECT count(*) AS n FROM hostile WHERE txt LIKE '%DROP TABLE%'");
    expect(stillThere.rows).to.deep.equal([{ n: 1 }]);
  });

  it('loads many rows from a sync iterable and counts them', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++)
      lines.push(csvRow([i, `row ${i}`, [String(i)], i * 3, null, null, i / 4, null]));
    const loaded = await h.target().copyFrom('hostile', COLUMNS, [lines.join('')]);
    expect(loaded).to.equal(5000);
    const sum = await h.target().query('SELECT sum(big) AS s, count(*) AS n, max(txt) AS m FROM hostile');
    expect(sum.rows).to.deep.equal([{ s: 3 * ((4999 * 5000) / 2), n: 5000, m: 'row 999' }]);
  });

  it('rejects a chunk that ends in the middle of a row', async () => {
    let err: unknown;
    try {
      await h.target().copyFrom('hostile', ['id', 'txt'], ['1,a\n2,b']);
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/must end with a newline/);
  });

  it('normalises result types the same way on both targets', async () => {
    const r = await h.target().query(
      `SELECT 5::int8 AS small, 9223372036854775807::int8 AS huge, 2.5::numeric AS num, DATE '2024-03-01' AS d,
              TIMESTAMP '2024-03-01 04:05:06' AS ts, ARRAY[1, 2]::int8[] AS arr, ARRAY[DATE '2024-01-01'] AS darr,
              'ab'::char(3) AS ch, true AS b, 1.25::real AS f`,
    );
    expect(r.rows).to.deep.equal([
      {
        small: 5,
        huge: '9223372036854775807',
        num: 2.5,
        d: '2024-03-01',
        ts: '2024-03-01 04:05:06',
        arr: [1, 2],
        darr: ['2024-01-01'],
        ch: 'ab ',
        b: true,
        f: 1.25,
      },
    ]);
  });

  it('passes parameters as data, never as SQL', async () => {
    await h
      .target()
      .query('INSERT INTO hostile (id, txt) VALUES ($1, $2)', [7, "x'); DROP TABLE hostile; --"]);
    const r = await h.target().query('SELECT txt FROM hostile WHERE id = $1', [7]);
    expect(r.rows).to.deep.equal([{ txt: "x'); DROP TABLE hostile; --" }]);
  });
});

describe('copyFrom [pglite, small batches]', () => {
  it('splits the load into several COPY statements at row boundaries and loses nothing', async () => {
    const p = await createPgliteTarget({ copyBatchChars: 100 });
    try {
      await p.target.query('CREATE TABLE t (id integer, txt text)');
      async function* chunks(): AsyncGenerator<string> {
        for (let i = 0; i < 300; i++) yield csvRow([i, `multi\nline, "quoted" ${i}`]);
      }
      expect(await p.target.copyFrom('t', ['id', 'txt'], chunks())).to.equal(300);
      const r = await p.target.query('SELECT count(*) AS n, count(DISTINCT txt) AS d, max(id) AS m FROM t');
      expect(r.rows).to.deep.equal([{ n: 300, d: 300, m: 299 }]);
      const one = await p.target.query('SELECT txt FROM t WHERE id = 123');
      expect(one.rows).to.deep.equal([{ txt: 'multi\nline, "quoted" 123' }]);
    } finally {
      await p.cleanup();
    }
  });
});
