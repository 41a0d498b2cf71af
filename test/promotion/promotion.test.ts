// Issue 14 parts 1-3 on real output of the default scenario (2,500 HCPs, 12 months, the shipped fixtures), by
// independent SQL in DuckDB over the files: rep attribution, capacity, one in-person call a day, targeting,
// local business hours, federal holidays, time zones, the reference volumes; then the same run's checks, and
// shards whose union is the single run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { generateFiles } from '../../src/files/generate-files.js';
import { openFiles, validateFiles, type OpenedFiles } from '../../src/files/validate-files.js';
import type { Plan } from '../../src/plan/types.js';
import { ROOT } from '../reliability/cli.js';

const SEED_DATA = path.join(ROOT, 'seed-data');
const HCPS = 2500;
const PARAMS = { scenario: 'default', seed: 42, hcps: HCPS, months: 12, asOf: '2025-12-31' };
const HOLIDAYS_2025 = [
  '2025-01-01',
  '2025-01-20',
  '2025-02-17',
  '2025-05-26',
  '2025-06-19',
  '2025-07-04',
  '2025-09-01',
  '2025-10-13',
  '2025-11-11',
  '2025-11-27',
  '2025-12-25',
];
const REP_CHANNELS = ['in_person_detail', 'phone_detail', 'video_detail', 'samples'];
const IN_PERSON = ['in_person_detail', 'samples'];
const list = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

describe('promotion: rep-attributed calls, targeting and local time (default scenario)', function () {
  this.timeout(600_000);
  let tmp: string;
  let files: OpenedFiles;
  let plan: Plan;
  const one = async (sql: string): Promise<Record<string, unknown>> => {
    const { rows } = await files.db.query(sql);
    return rows[0]!;
  };
  const n = async (sql: string): Promise<number> => Number(Object.values(await one(sql))[0]);

  before(async function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-promotion-'));
    await generateFiles({
      ...PARAMS,
      out: path.join(tmp, 'all'),
      format: 'parquet',
      workers: 0,
      quiet: true,
      seedData: SEED_DATA,
    });
    files = await openFiles(path.join(tmp, 'all'));
    plan = files.output.manifests[0]!.manifest.plan as Plan;
  });
  after(async function () {
    await files?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("gives every rep-delivered stimulus the HCP's assigned rep of the channel's role, and others none", async function () {
    expect(
      await n(`SELECT count(*) FROM stimuli WHERE channel IN (${list(REP_CHANNELS)})`),
    ).to.be.greaterThan(20_000);
    const wrong = await n(`
      SELECT count(*) FROM stimuli s
        LEFT JOIN territory_assignments t ON t.hcp_id = s.hcp_id AND t.rep_id = s.rep_id AND t.role = s.rep_role
       WHERE s.channel IN (${list(REP_CHANNELS)}) AND (t.hcp_id IS NULL OR s.rep_role <> 'Sales Representative')`);
    expect(wrong).to.equal(0);
    expect(
      await n(
        `SELECT count(*) FROM stimuli WHERE channel NOT IN (${list(REP_CHANNELS)}) AND (rep_id IS NOT NULL OR rep_role IS NOT NULL)`,
      ),
    ).to.equal(0);
  });

  it('keeps every rep at or under the daily in-person capacity, which some days reach', async function () {
    const r = await one(`
      SELECT max(c) AS most, count(*) FILTER (WHERE c = ${plan.territories.dailyCapacity}) AS full_days FROM (
        SELECT rep_id, CAST(occurred_at AS date) AS d, count(*) AS c FROM stimuli
         WHERE channel IN (${list(IN_PERSON)}) GROUP BY 1, 2)`);
    expect(plan.territories.dailyCapacity).to.equal(10);
    expect(Number(r.most)).to.be.at.most(10);
    expect(Number(r.full_days)).to.be.greaterThan(0);
  });

  it('never gives an HCP two in-person calls on one day', async function () {
    expect(
      await n(`SELECT count(*) FROM (SELECT hcp_id, CAST(occurred_at AS date) FROM stimuli
                WHERE channel IN (${list(IN_PERSON)}) GROUP BY 1, 2 HAVING count(*) > 1)`),
    ).to.equal(0);
  });

  it('calls only on targets, and gives non-target specialties under 2% of the details', async function () {
    expect(
      await n(`SELECT count(*) FROM hcp_profiles WHERE specialty = 'Pediatrics' AND is_target = 1`),
    ).to.equal(0);
    const targets = await n(`SELECT avg(is_target) FROM hcp_profiles`);
    expect(targets).to.be.within(0.25, 0.55);
    expect(
      await n(`SELECT count(*) FROM stimuli s JOIN hcp_profiles h ON h.id = s.hcp_id
                WHERE s.channel IN (${list(REP_CHANNELS)}) AND h.is_target = 0`),
    ).to.equal(0);
    const share = await n(`
      SELECT avg(CASE WHEN h.specialty IN ('Pediatrics', 'Dermatology', 'Psychiatry') THEN 1.0 ELSE 0 END)
        FROM stimuli s JOIN hcp_profiles h ON h.id = s.hcp_id WHERE s.channel IN (${list(REP_CHANNELS)})`);
    expect(share).to.be.below(0.02);
    // Targets are worked much harder than non-targets.
    const r = await one(`
      SELECT avg(CASE WHEN h.is_target = 1 THEN c END) AS t, avg(CASE WHEN h.is_target = 0 THEN c END) AS o
        FROM hcp_profiles h JOIN (SELECT hcp_id, count(*) AS c FROM stimuli GROUP BY 1) s ON s.hcp_id = h.id`);
    expect(Number(r.t)).to.be.greaterThan(2 * Number(r.o));
  });

  it("draws every stimulus in its channel's local business hours and skips federal holidays on rep channels", async function () {
    const hours = plan.channels.map((c) => `('${c.id}', ${c.hours.start}, ${c.hours.end})`).join(', ');
    expect(
      await n(`SELECT count(*) FROM stimuli s JOIN (VALUES ${hours}) AS h(channel, h0, h1) ON h.channel = s.channel
                WHERE hour(s.occurred_at) < h.h0 OR hour(s.occurred_at) >= h.h1`),
    ).to.equal(0);
    const onHolidays = `CAST(occurred_at AS date) IN (${HOLIDAYS_2025.map((d) => `DATE '${d}'`).join(', ')})`;
    expect(
      await n(`SELECT count(*) FROM stimuli WHERE channel IN (${list(REP_CHANNELS)}) AND ${onHolidays}`),
    ).to.equal(0);
    // E-mails still go out on holidays (only reps are off).
    expect(
      await n(`SELECT count(*) FROM stimuli WHERE channel = 'email' AND ${onHolidays}`),
    ).to.be.greaterThan(0);
  });

  it('gives each HCP the IANA zone of its state, or of its city where the scenario gives one', async function () {
    // Knoxville is Eastern, the rest of Tennessee Central.
    const knoxville = await files.db.query<{ zone: string; n: unknown }>(
      `SELECT time_zone AS zone, count(*) AS n FROM hcp_profiles WHERE state = 'TN' GROUP BY 1 ORDER BY 1`,
    );
    expect(knoxville.rows.map((r) => r.zone)).to.deep.equal(['America/Chicago', 'America/New_York']);
    expect(
      await n(
        `SELECT count(*) FROM hcp_profiles WHERE state = 'TN' AND (city = 'Knoxville') <> (time_zone = 'America/New_York')`,
      ),
    ).to.equal(0);
    const zones = await files.db.query<{ state: string; zones: unknown }>(
      `SELECT state, count(DISTINCT time_zone) AS zones, min(time_zone) AS zone FROM hcp_profiles
        WHERE state <> 'TN' GROUP BY 1 ORDER BY 1`,
    );
    const byState = new Map(
      zones.rows.map((r) => [r.state, r as unknown as { zones: unknown; zone: string }]),
    );
    for (const r of byState.values()) expect(Number(r.zones)).to.equal(1);
    expect(byState.get('TX')!.zone).to.equal('America/Chicago');
    expect(byState.get('AZ')!.zone).to.equal('America/Phoenix');
    expect(byState.get('CA')!.zone).to.equal('America/Los_Angeles');
    expect(byState.get('NY')!.zone).to.equal('America/New_York');
  });

  it('moves speaker programs to congress months', async function () {
    const r =
      await one(`SELECT count(*) FILTER (WHERE month(occurred_at) = 6) AS june, count(*) FILTER (WHERE month(occurred_at) = 8) AS august
                           FROM stimuli WHERE channel = 'speaker_program'`);
    expect(Number(r.june)).to.be.greaterThan(2 * Number(r.august));
  });

  it('keeps the reference volumes: ~40 stimuli, ~8 outcomes and ~1.25 territory assignments per HCP', async function () {
    expect((await n('SELECT count(*) FROM stimuli')) / HCPS).to.be.within(37, 43);
    expect((await n('SELECT count(*) FROM outcomes')) / HCPS).to.be.within(7, 10);
    expect((await n('SELECT count(*) FROM territory_assignments')) / HCPS).to.be.within(1.2, 1.3);
    expect(await n('SELECT count(*) FROM rx_history')).to.equal((HCPS + 3) * 12);
  });

  it('passes its own promotion checks', async function () {
    const report = await validateFiles(path.join(tmp, 'all'));
    const promotion = report.results.filter((r) => r.name.startsWith('promotion.'));
    expect(promotion.map((r) => r.name)).to.include.members([
      'promotion.stimuli.rep_attribution',
      'promotion.stimuli.rep_capacity',
      'promotion.stimuli.same_day_in_person',
      'promotion.stimuli.business_hours',
      'promotion.stimuli.holidays',
      'promotion.stimuli.non_target_rep_calls',
      'promotion.stimuli.non_target_specialty_share',
    ]);
    for (const r of promotion) expect(r.status, `${r.name}: ${r.actual}`).to.equal('pass');
    expect(report.failed).to.equal(0);
  });

  it('gives the same rows, reps included, as two shards', async function () {
    for (const index of [1, 2]) {
      await generateFiles({
        ...PARAMS,
        out: path.join(tmp, 'shards'),
        format: 'parquet',
        workers: 2,
        quiet: true,
        seedData: SEED_DATA,
        shard: { index, count: 2 },
      });
    }
    const rows = async (dirs: string[]): Promise<string> => {
      const parts: string[] = [];
      for (const d of dirs) {
        const f = await openFiles(path.join(tmp, d));
        try {
          const { rows } = await f.db.query(
            `SELECT string_agg(concat_ws(',', id, campaign_id, channel, occurred_at, rep_id, rep_role), ';' ORDER BY id) AS x FROM stimuli`,
          );
          parts.push(String(rows[0]!.x));
        } finally {
          await f.close();
        }
      }
      return parts.join(';');
    };
    expect(await rows(['shards'])).to.equal(await rows(['all']));
  });
});
