// Binary COPY (src/db/copy-format.ts), the format of stimuli, outcomes and rx_history: what the writer puts in
// is what the database holds, on both targets, and the decoder reads it back as the CSV the same values have.
import { expect } from 'chai';
import {
  BinaryRowWriter,
  binaryToCsvLines,
  encodeDateField,
  encodeTextField,
} from '../../src/db/copy-format.js';
import { createPgliteTarget, describeOnTestTarget } from '../helpers/testdb.js';

const TYPES = ['int8', 'int4', 'int4', 'text', 'timestamp', 'date'] as const;
const COLUMNS = ['id', 'n', 'maybe', 'txt', 'ts', 'd'];

/** Values that stress each type: int8 past 2^32 and negative, NULL, hostile and non-ASCII text, dates before 2000. */
const ROWS: ((w: BinaryRowWriter) => void)[] = [
  (w) =>
    w
      .row(6)
      .int8(20000000010001)
      .int4(2147483647)
      .int4(-5)
      .text('plain')
      .timestamp(Date.UTC(2025, 11, 31, 23, 59, 59, 999))
      .bytes(encodeDateField(Date.UTC(2025, 0, 1))),
  (w) =>
    w
      .row(6)
      .int8(-1)
      .int4(0)
      .nul()
      .text('say "hi",\nthen \\N leave')
      .timestamp(Date.UTC(1999, 11, 31, 0, 0, 1))
      .bytes(encodeDateField(Date.UTC(1999, 11, 31, 12))),
  (w) =>
    w
      .row(6)
      .int8(9007199254740991)
      .int4(-2147483648)
      .int4(7)
      .bytes(encodeTextField('Zoë — 東京 — 🚀'))
      .timestamp(Date.UTC(2000, 0, 1))
      .nul(),
];

const EXPECTED_CSV = [
  '20000000010001,2147483647,-5,plain,2025-12-31 23:59:59,2025-01-01',
  '-1,0,,"say ""hi"",\nthen \\N leave",1999-12-31 00:00:01,1999-12-31',
  '9007199254740991,-2147483648,7,Zoë — 東京 — 🚀,2000-01-01 00:00:00,',
];

describe('binary COPY tuples', () => {
  it('decode to the CSV lines of the same values (milliseconds truncated, as in CSV)', () => {
    const w = new BinaryRowWriter(16); // tiny, so the buffer grows mid-tuple
    for (const row of ROWS) row(w);
    expect(binaryToCsvLines(w.finish(), TYPES)).to.deep.equal(EXPECTED_CSV);
  });

  it('refuse text with a NUL, as CSV fields do', () => {
    expect(() => new BinaryRowWriter().text('a\0b')).to.throw(/NUL/);
    expect(() => encodeTextField('\0')).to.throw(/NUL/);
  });

  it('refuse a tuple with the wrong field count', () => {
    const w = new BinaryRowWriter();
    w.row(1).int4(1);
    expect(() => binaryToCsvLines(w.finish(), TYPES)).to.throw(/1 fields, expected 6/);
  });
});

describeOnTestTarget('copyFrom binary', (h) => {
  beforeEach(async () => {
    await h.target().query('DROP TABLE IF EXISTS bin');
    await h
      .target()
      .query('CREATE TABLE bin (id bigint, n integer, maybe integer, txt text, ts timestamp, d date)');
  });

  it('loads bare tuples in several chunks, and the database holds exactly the values written', async () => {
    // One tuple per chunk: the target frames the COPY statement, not the chunks.
    const chunks = ROWS.map((row) => {
      const w = new BinaryRowWriter();
      row(w);
      return w.finish();
    });
    const loaded = await h.target().copyFrom('bin', COLUMNS, chunks, 'binary');
    expect(loaded).to.equal(3);
    const r = await h.target().query('SELECT id, n, maybe, txt, ts, d FROM bin ORDER BY n DESC');
    expect(r.rows).to.deep.equal([
      {
        id: 20000000010001,
        n: 2147483647,
        maybe: -5,
        txt: 'plain',
        ts: '2025-12-31 23:59:59',
        d: '2025-01-01',
      },
      {
        id: -1,
        n: 0,
        maybe: null,
        txt: 'say "hi",\nthen \\N leave',
        ts: '1999-12-31 00:00:01',
        d: '1999-12-31',
      },
      {
        id: 9007199254740991,
        n: -2147483648,
        maybe: 7,
        txt: 'Zoë — 東京 — 🚀',
        ts: '2000-01-01 00:00:00',
        d: null,
      },
    ]);
  });

  it('refuses text chunks for binary data', async () => {
    let err: unknown;
    try {
      await h.target().copyFrom('bin', COLUMNS, ['1,2\n'], 'binary');
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/binary COPY data must be bytes/);
  });
});

describe('copyFrom binary [pglite, small batches]', () => {
  it('frames every COPY statement of a split load and loses nothing', async () => {
    const p = await createPgliteTarget({ copyBatchChars: 100 });
    try {
      await p.target.query('CREATE TABLE t (id bigint, txt text)');
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 300; i++)
          yield new BinaryRowWriter(64)
            .row(2)
            .int8(i * 1e9)
            .text(`row ${i}`)
            .finish();
      }
      expect(await p.target.copyFrom('t', ['id', 'txt'], chunks(), 'binary')).to.equal(300);
      const r = await p.target.query('SELECT count(*) AS n, max(id) AS m, min(txt) AS t FROM t');
      expect(r.rows).to.deep.equal([{ n: 300, m: 299e9, t: 'row 0' }]);
    } finally {
      await p.cleanup();
    }
  });
});
