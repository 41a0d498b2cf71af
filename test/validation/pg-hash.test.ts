// pgHashText() is PostgreSQL's hashtext() and pgHashTimestamp() its timestamp_hash(): the fingerprints (src/validation/stated/fingerprint.ts) sum it in JS
// and in SQL, so one differing value would make every generated run scan. Compared on the server itself with
// every length around lookup3's 12-byte blocks, multi-byte UTF-8, and values like the generated ones.
import { expect } from 'chai';
import { pgHashText, pgHashTimestamp } from '../../src/validation/stated/pg-hash.js';
import { describeOnTestTarget } from '../helpers/testdb.js';
import { batchFingerprint, fingerprintSql, FingerprintSum } from '../../src/validation/stated/fingerprint.js';
import { TableBatch } from '../../src/tables/batch.js';
import { columnIndex } from '../../src/tables/model.js';
import { STIMULI } from '../../src/tables/tables.js';

const S = columnIndex(STIMULI);

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

describeOnTestTarget('table fingerprints past 2^53', (h) => {
  it('a sum of stimulus ids past 2^53 still agrees, exactly (the driver reads bigints as doubles)', async function () {
    const t = h.target();
    await t.query(`CREATE TEMP TABLE stimuli (id bigint, hcp_id integer, campaign_id integer, channel text,
                     occurred_at timestamp, rep_id text, rep_role text)`);
    try {
      // Three ids near 2^53 (as stimuli of HCPs near 900 billion would have): each batch's sum is exact, the
      // total is not a double.
      const ids = [9_007_199_254_740_000, 9_007_199_254_740_001, 9_007_199_254_739_999];
      const sum = new FingerprintSum(STIMULI);
      for (const id of ids) {
        const b = new TableBatch(STIMULI, 1);
        const r = b.row();
        b.setNum(S.id, r, id);
        b.setNum(S.hcp_id, r, 1);
        b.setNum(S.campaign_id, r, NaN);
        b.setNum(S.occurred_at, r, Date.UTC(2025, 0, 2, 9));
        b.setText(S.channel, r, 'email');
        b.setText(S.rep_id, r, null);
        b.setText(S.rep_role, r, null);
        sum.add(batchFingerprint(STIMULI, b.data()));
        await t.query(
          `INSERT INTO stimuli (id, hcp_id, channel, occurred_at) VALUES ($1, 1, 'email', '2025-01-02 09:00')`,
          [String(BigInt(id))],
        );
      }
      const { rows } = await t.query<Record<string, unknown>>(fingerprintSql(STIMULI));
      expect(sum.matches(rows[0]!)).to.equal(true);
      // One id off by one, which a double cannot tell apart at that size, is seen.
      await t.query('UPDATE stimuli SET id = id + 1 WHERE id = $1', [String(BigInt(ids[0]!))]);
      const { rows: changed } = await t.query<Record<string, unknown>>(fingerprintSql(STIMULI));
      expect(sum.matches(changed[0]!)).to.equal(false);
    } finally {
      await t.query('DROP TABLE IF EXISTS pg_temp.stimuli');
    }
  });
});
