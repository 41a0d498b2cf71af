// pgHashText() is PostgreSQL's hashtext() and pgHashTimestamp() its timestamp_hash(): the fingerprints (src/validation/stated/fingerprint.ts) sum it in JS
// and in SQL, so one differing value would make every generated run scan. Compared on the server itself with
// every length around lookup3's 12-byte blocks, multi-byte UTF-8, and values like the generated ones.
import { expect } from 'chai';
import { pgHashText, pgHashTimestamp } from '../../src/validation/stated/pg-hash.js';
import { describeOnTestTarget } from '../helpers/testdb.js';

const ALPHABET = 'abcXYZ019 -_.@é€😀';

function values(): string[] {
  const out = ['', 'Tier 1', 'Tier 2', '207R00000X', 'jane.doe@example.com', 'REP-0042', 'Zoë Ångström'];
  // Every length 0..40 from a rolling window over the alphabet (some code points take 2-4 bytes).
  for (let n = 0; n <= 40; n++) {
    let s = '';
    for (let i = 0; i < n; i++) s += [...ALPHABET][(i * 7 + n) % [...ALPHABET].length];
    out.push(s, 'x'.repeat(n));
  }
  return out;
}

describeOnTestTarget('pgHashText', (h) => {
  it("equals the server's hashtext() for every value", async function () {
    const xs = values();
    const { rows } = await h
      .target()
      .query<{ h: number }>(
        'SELECT hashtext(v) AS h FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
        [xs],
      );
    expect(rows.map((r) => r.h)).to.deep.equal(xs.map(pgHashText));
    // Not a constant: the values hash apart.
    expect(new Set(xs.map(pgHashText)).size).to.equal(new Set(xs).size);
  });

  it("pgHashTimestamp equals the server's timestamp_hash() before, at and after 2000-01-01", async function () {
    const times = [Date.UTC(2000, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59), Date.UTC(1960, 5, 1, 8, 30)];
    // A day of seconds apart through a generated window, and milliseconds.
    for (let i = 0; i < 40; i++) times.push(Date.UTC(2024, 0, 1) + i * 86_399_001 + i * 37);
    const text = times.map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));
    const { rows } = await h
      .target()
      .query<{ h: number }>(
        'SELECT timestamp_hash(v::timestamp) AS h FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
        [text],
      );
    expect(rows.map((r) => r.h)).to.deep.equal(times.map(pgHashTimestamp));
    expect(new Set(times.map(pgHashTimestamp)).size).to.equal(times.length);
  });
});
