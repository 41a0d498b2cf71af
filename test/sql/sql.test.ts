// hcpgen sql: columns kept apart by position, NULLs distinct, unicode, the row limit and its note, CSV that
// PostgreSQL's own COPY reads back exactly, statements without rows, COPY TO STDOUT, and DuckDB streaming.
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { CsvRenderer, JsonRenderer, TableRenderer, type ResultRenderer } from '../../src/db/render-table.js';
import { streamQuery, type QuerySource } from '../../src/db/query-stream.js';
import { DuckDb } from '../../src/files/duckdb.js';
import { UserError } from '../../src/lib/errors.js';
import { describeOnTestTarget } from '../helpers/testdb.js';

async function run(
  source: QuerySource,
  sql: string,
  format: 'table' | 'csv' | 'json' = 'table',
  limit = 1000,
): Promise<string> {
  let text = '';
  const write = async (t: string) => void (text += t);
  const renderer: ResultRenderer =
    format === 'csv'
      ? new CsvRenderer(write)
      : format === 'json'
        ? new JsonRenderer(write)
        : new TableRenderer(write, limit);
  const copyOut = new PassThrough();
  copyOut.on('data', (d: Buffer) => (text += d.toString('utf8')));
  await streamQuery(source, sql, renderer, { limit, copyOut });
  return text;
}

const TRICKY = `
  CREATE TABLE tricky (id int, t text, a text[], ts timestamp, j jsonb, b boolean, f float8, n numeric);
  INSERT INTO tricky VALUES
    (1, 'plain', ARRAY['x', 'y'], '2024-01-02 03:04:05', '{"k": [1, 2]}', true, 1.5, 12.25),
    (2, '', ARRAY[]::text[], NULL, NULL, false, NULL, NULL),
    (3, NULL, ARRAY['a,b', 'q"uote', NULL], '2024-12-31 23:59:59.5', '"s"', NULL, -0.25, 0),
    (4, 'comma, "quote", new
line, back\\slash', ARRAY['{brace}'], '2000-02-29 00:00:00', '[]', true, 1e300, 1),
    (5, ' edge spaces ', NULL, NULL, 'null', NULL, 0, -3),
    (6, 'Zoë Ærø 東京 🚀 — naïve', ARRAY['ünï'], NULL, '{"ключ": "значение"}', NULL, NULL, NULL),
    (7, 'NULL', ARRAY['NULL'], NULL, NULL, NULL, NULL, NULL)`;

describeOnTestTarget('hcpgen sql output', function (h) {
  before(async function () {
    for (const sql of TRICKY.split(';')) await h.target().query(sql);
  });

  it('keeps repeated and unnamed columns apart (table and JSON)', async function () {
    const table = await run(h.target(), 'select 1 as a, 2 as a, 3, 4');
    expect(table).to.equal(
      'a | a | ?column? | ?column?\n--+---+----------+---------\n1 | 2 |        3 |        4\n(1 row)\n',
    );
    const json = JSON.parse(await run(h.target(), 'select 1, 2', 'json')) as {
      fields: string[];
      rows: object[];
    };
    expect(json.fields).to.deep.equal(['?column?', '?column?_2']);
    expect(json.rows).to.deep.equal([{ '?column?': 1, '?column?_2': 2 }]);
  });

  it('shows NULL as (null), an empty string as an empty cell, and unicode as is', async function () {
    const out = await run(h.target(), 'select id, t from tricky where id in (2, 3, 6, 7) order by id');
    const lines = out.split('\n');
    expect(lines[2]).to.match(/^ *2 \| *$/);
    expect(lines[3]).to.match(/^ *3 \| \(null\)$/);
    expect(lines[4]).to.match(/^ *6 \| Zoë Ærø 東京 🚀 — naïve$/);
    expect(lines[5]).to.match(/^ *7 \| NULL$/);
  });

  it('cuts the table view at --limit with a note, and not when the result fits', async function () {
    const cut = await run(h.target(), 'select g from generate_series(1, 2500) g', 'table', 1000);
    expect(cut.trimEnd().split('\n')).to.have.length(1003);
    expect(cut).to.match(/\(only the first 1,000 rows shown: --limit N shows more/);
    const exact = await run(h.target(), 'select g from generate_series(1, 1000) g', 'table', 1000);
    expect(exact.trimEnd().split('\n').at(-1)).to.equal('(1,000 rows)');
    const all = await run(h.target(), 'select g from generate_series(1, 2500) g', 'table', 0);
    expect(all.trimEnd().split('\n').at(-1)).to.equal('(2,500 rows)');
  });

  it('writes CSV that COPY ... WITH (FORMAT csv, HEADER) reads back exactly', async function () {
    const csv = await run(h.target(), 'select * from tricky order by id', 'csv', 0);
    expect(csv.split('\r\n')[0]).to.equal('id,t,a,ts,j,b,f,n');
    expect(csv.endsWith('\r\n')).to.equal(true);
    const target = h.target();
    await target.query('CREATE TABLE tricky_back (LIKE tricky)');
    const body = csv.slice(csv.indexOf('\r\n') + 2);
    await target.copyFrom('tricky_back', ['id', 't', 'a', 'ts', 'j', 'b', 'f', 'n'], [body]);
    const { rows } = await target.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM tricky EXCEPT ALL SELECT * FROM tricky_back) x) +
              (SELECT count(*) FROM (SELECT * FROM tricky_back EXCEPT ALL SELECT * FROM tricky) y) AS n`,
    );
    expect(rows[0]?.n).to.equal(0);
    const { rows: nulls } = await target.query<{ n: number }>(
      `SELECT count(*) AS n FROM tricky_back WHERE (id = 3 AND t IS NULL) OR (id = 2 AND t = '')`,
    );
    expect(nulls[0]?.n).to.equal(2);
  });

  it('runs statements that return no rows, and reports SQL errors', async function () {
    expect(await run(h.target(), 'create table plain_t (a int)')).to.equal('OK\n');
    expect(await run(h.target(), 'insert into plain_t values (1), (2);')).to.equal('OK, 2 rows\n');
    expect(await run(h.target(), 'select a from plain_t order by a')).to.equal('a\n-\n1\n2\n(2 rows)\n');
    let err: unknown;
    try {
      await run(h.target(), 'select nope from plain_t');
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).to.equal('42703');
  });

  it('streams COPY ... TO STDOUT on PostgreSQL, and points at --csv elsewhere', async function () {
    const sql = `copy (select 1 as a, 'x,y' as b) to stdout with (format csv, header)`;
    if (h.kind === 'postgres') {
      expect(await run(h.target(), sql)).to.equal('a,b\n1,"x,y"\n');
    } else {
      let err: unknown;
      try {
        await run(h.target(), sql);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(UserError);
      expect((err as Error).message).to.match(/--csv/);
    }
    let stdin: unknown;
    try {
      await run(h.target(), 'copy plain_t from stdin');
    } catch (e) {
      stdin = e;
    }
    expect(stdin).to.be.instanceOf(UserError);
  });
});

describe('hcpgen sql on DuckDB (file output)', function () {
  let db: DuckDb;
  before(async function () {
    db = await DuckDb.open({ description: 'memory' });
  });
  after(async function () {
    await db.close();
  });

  it('keeps repeated columns apart and streams past the limit', async function () {
    expect(await run(db, 'select 1 as a, 2 as a, null as n')).to.equal(
      'a | a | n\n--+---+-------\n1 | 2 | (null)\n(1 row)\n',
    );
    const cut = await run(db, 'select range as g from range(100000)', 'table', 5000);
    expect(cut.trimEnd().split('\n')).to.have.length(5003);
    expect(cut).to.match(/only the first 5,000 rows shown/);
    const csv = await run(db, `select 'a"b' as x, '' as y, null as z, '東京' as u`, 'csv', 0);
    expect(csv).to.equal('x,y,z,u\r\n"a""b","",,東京\r\n');
  });
});
