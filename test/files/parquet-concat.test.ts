// Joining Parquet parts into one file (src/files/parquet-concat.ts), checked by reading the result back with
// DuckDB: the same rows in the same order as the parts, every part's row groups kept (with their statistics, so
// a filtered scan still finds the right rows), the footer re-encoded byte for byte where nothing changed, and
// the returned size and SHA-256 those of the file on disk.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DuckDb } from '../../src/files/duckdb.js';
import { concatParquet, roundTripFooter } from '../../src/files/parquet-concat.js';

/** The footer bytes of a Parquet file (between the data and the length + magic). */
function footerOf(file: string): Buffer {
  const buf = readFileSync(file);
  const len = buf.readUInt32LE(buf.length - 8);
  return buf.subarray(buf.length - 8 - len, buf.length - 8);
}

describe('Parquet parts joined into one file', function () {
  let dir: string;
  let db: DuckDb;
  const parts: string[] = [];
  // Row ranges and row group sizes per part: a big one, one of several small row groups, one of a single row.
  const layout: [number, number, number][] = [
    [0, 25_000, 1_000_000],
    [25_000, 30_000, 2048],
    [30_000, 30_001, 1_000_000],
    [30_001, 40_000, 1_000_000],
  ];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-concat-'));
    db = await DuckDb.open({ description: dir });
    // Every kind of column the file output writes: ids, NULLs, text (dictionary-encoded and not), lists,
    // timestamps, dates, floats, small integers.
    await db.query(
      `CREATE TABLE t AS SELECT range AS id, CAST(range % 7 AS SMALLINT) AS small, ` +
        `CASE WHEN range % 3 = 0 THEN NULL ELSE 'v' || (range % 50) END AS s, ` +
        `'free text ' || md5(range::VARCHAR) AS free, [range::VARCHAR, 'x'] AS l, ` +
        `TIMESTAMP '2025-01-01' + INTERVAL (range) SECOND AS ts, DATE '2024-01-01' + CAST(range % 900 AS INTEGER) AS d, ` +
        `CAST(range / 3 AS FLOAT) AS f FROM range(40000)`,
    );
    for (const [from, to, rowGroup] of layout) {
      const file = path.join(dir, `part-${from}.parquet`);
      parts.push(file);
      await db.query(
        `COPY (SELECT * FROM t WHERE id >= ${from} AND id < ${to} ORDER BY id) TO '${file}' ` +
          `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`,
      );
    }
  });

  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-encodes an unchanged footer to the same bytes', () => {
    for (const p of parts) {
      const footer = footerOf(p);
      expect(Buffer.from(roundTripFooter(footer)).equals(footer), p).to.equal(true);
    }
  });

  it('holds the parts rows in order, with every row group and its statistics', async () => {
    const out = path.join(dir, 'all.parquet');
    const result = await concatParquet(parts, out);
    expect(result.bytes).to.equal(statSync(out).size);
    expect(result.sha256).to.equal(createHash('sha256').update(readFileSync(out)).digest('hex'));

    const { rows: count } = await db.query(`SELECT count(*) AS n FROM read_parquet('${out}')`);
    expect(Number(count[0]!.n)).to.equal(40_000);
    const { rows: diff } = await db.query(
      `SELECT count(*) AS n FROM (SELECT * FROM read_parquet('${out}') EXCEPT ALL SELECT * FROM t)`,
    );
    expect(Number(diff[0]!.n)).to.equal(0);
    const { rows: order } = await db.query(
      `SELECT count(*) AS n FROM (SELECT row_number() OVER () - 1 AS r, id FROM read_parquet('${out}')) WHERE r <> id`,
    );
    expect(Number(order[0]!.n)).to.equal(0);

    const groups = async (file: string): Promise<number[]> =>
      (
        await db.query(
          `SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata('${file}') GROUP BY ALL ORDER BY 1`,
        )
      ).rows.map((r) => Number(r.n));
    const expected: number[] = [];
    for (const p of parts) expected.push(...(await groups(p)));
    expect(await groups(out)).to.deep.equal(expected);

    // A filter that statistics prune: the rows of the second part's row groups, found again.
    const { rows: some } = await db.query(
      `SELECT count(*) AS n, min(id) AS lo FROM read_parquet('${out}') WHERE id BETWEEN 26000 AND 26099`,
    );
    expect([Number(some[0]!.n), Number(some[0]!.lo)]).to.deep.equal([100, 26000]);
  });

  it('refuses a file that is not Parquet', async () => {
    const out = path.join(dir, 'bad.parquet');
    const text = path.join(dir, 'not-parquet.txt');
    writeFileSync(text, 'longer than a Parquet trailer, without its magic\n');
    let error: unknown;
    try {
      await concatParquet([path.join(dir, 'part-0.parquet'), text], out);
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/is not a Parquet file/);
  });
});
