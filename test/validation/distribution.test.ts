// Every kind of declared distribution check: passes on freshly generated data with ranges a realistic default
// run falls in, and fails once the data is bent out of shape. The ranges here are deliberately wide (200 HCPs
// are a small sample); the scenario's own ranges are the lead's to measure and set.
import { expect } from 'chai';
import type { Plan } from '../../src/plan/types.js';
import type { Check as DeclaredCheck } from '../../src/scenario/scenario-types.js';
import type { Target } from '../../src/db/target.js';
import { runValidation } from '../../src/validation/run.js';
import type { ValidationReport } from '../../src/validation/types.js';
import { freshGeneratedDatabase, type FreshDatabase } from './fresh-data.js';
import { TEST_TARGET } from '../helpers/testdb.js';

const CHECKS: DeclaredCheck[] = [
  {
    kind: 'share',
    column: 'tier',
    expected: { 'Tier 1': { min: 0.01, max: 0.15 }, 'Tier 4': { min: 0.4, max: 0.75 } },
  },
  { kind: 'share', column: 'decile', expected: { '10': { max: 0.1 } } },
  // Non-targets get no rep calls in the default, so e-mail carries close to half of the stimuli.
  { kind: 'channel_mix', expected: { email: { min: 0.3, max: 0.55 } } },
  { kind: 'outcome_rate', channel: 'email', expected: { min: 0.15, max: 0.35 } },
  {
    kind: 'outcome_rate',
    name: 'email clicks',
    channel: 'email',
    outcome_types: ['clicked'],
    expected: { min: 0.02, max: 0.12 },
  },
  { kind: 'stimuli_per_hcp', expected: { min: 2.5, max: 4.5 } },
  { kind: 'weekend_share', expected: { min: 0.02, max: 0.1 } },
  { kind: 'top_prescriber_share', top: 0.2, expected: { min: 0.5, max: 0.8 } },
  { kind: 'decile_volume_share', expected: { min: 0.03, max: 0.2 } },
  { kind: 'engagement_rx_lift', expected: { min: 0.5 } },
  { kind: 'month_share', month: 5, expected: { min: 0.8, max: 1.25 } },
  { kind: 'month_share', month: 12, expected: { min: 0.6, max: 0.95 } },
  { kind: 'outcome_lag_hours', expected: { min: 1, max: 24 } },
];

/** Result name -> the damage that must push it out of its range. */
const DAMAGE: Record<string, string> = {
  'dist.share.tier.Tier 1': `UPDATE hcp_profiles SET tier = 'Tier 1'`,
  'dist.share.tier.Tier 4': `UPDATE hcp_profiles SET tier = 'Tier 1'`,
  'dist.share.decile.10': `UPDATE hcp_profiles SET decile = 10`,
  'dist.channel_mix.email': `UPDATE stimuli SET channel = 'webinar' WHERE channel = 'email'`,
  'dist.outcome_rate.email': `DELETE FROM outcomes WHERE channel = 'email'`,
  'email clicks': `UPDATE outcomes SET outcome_type = 'clicked' WHERE channel = 'email'`,
  'dist.stimuli_per_hcp': `DELETE FROM stimuli WHERE id % 2 = 0`,
  // Every stimulus to the Saturday of its week (PostgreSQL's % keeps the sign: Sunday goes back one day).
  'dist.weekend_share': `UPDATE stimuli SET occurred_at = occurred_at + ((6 - extract(isodow FROM occurred_at))::int % 7) * interval '1 day'`,
  'dist.top_prescriber_share.0.2': `UPDATE rx_history SET trx = 10, nrx = 3`,
  'dist.decile_volume_share': `UPDATE rx_history SET trx = 10, nrx = 3`,
  'dist.engagement_rx_lift': `UPDATE rx_history r SET nrx = 0 FROM engagement_scores e
                                WHERE e.hcp_id = r.hcp_id AND e.engagement_segment IN ('High', 'Medium')`,
  'dist.month_share.5': `UPDATE stimuli SET occurred_at = occurred_at - interval '1 month' WHERE extract(month FROM occurred_at) = 5`,
  'dist.outcome_lag_hours': `UPDATE outcomes SET occurred_at = occurred_at + interval '3 days'`,
};

// These ranges are set for this small sample, so no minimum run size applies.
function withChecks(plan: Plan): Plan {
  return { ...plan, validation: { ...plan.validation, distributionsMinHcps: 0, checks: CHECKS } };
}

function dist(report: ValidationReport): ValidationReport['results'] {
  return report.results.filter((r) => r.category === 'distribution');
}

async function validateDamaged(f: FreshDatabase, sql: string): Promise<ValidationReport> {
  const t: Target = f.target;
  await t.begin();
  try {
    await t.query('SET LOCAL session_replication_role = replica');
    await t.query(sql);
    const report = await runValidation(t, { plan: withChecks(f.plan), run: f.run });
    // Numbers read from the shared passes are the ones each check's own query computes.
    const direct = await runValidation(t, { plan: withChecks(f.plan), run: f.run, sharedPasses: false });
    const strip = (r: ValidationReport) => r.results.map(({ ms: _ms, ...rest }) => rest);
    expect(strip(report)).to.deep.equal(strip(direct));
    return report;
  } finally {
    await t.rollback();
  }
}

for (const kind of [TEST_TARGET]) {
  describe(`declared distribution checks [${kind}]`, function () {
    let fresh: FreshDatabase;
    before(async function () {
      fresh = await freshGeneratedDatabase(kind);
    });
    after(async function () {
      await fresh?.cleanup();
    });

    it('all hold on fresh data; a month outside the window is skipped, not failed', async function () {
      const report = await runValidation(fresh.target, { plan: withChecks(fresh.plan), run: fresh.run });
      const direct = await runValidation(fresh.target, {
        plan: withChecks(fresh.plan),
        run: fresh.run,
        sharedPasses: false,
      });
      const strip = (r: ValidationReport) => r.results.map(({ ms: _ms, ...rest }) => rest);
      expect(strip(report)).to.deep.equal(strip(direct));
      const results = dist(report);
      const text = results.map((r) => `${r.status} ${r.name} ${r.expected} ${r.actual}`).join('\n');
      expect(
        results.map((r) => r.name),
        text,
      ).to.have.members([...Object.keys(DAMAGE), 'dist.month_share.12']);
      expect(report.failed, text).to.equal(0);
      const december = results.find((r) => r.name === 'dist.month_share.12')!;
      expect(december.status).to.equal('skip');
      expect(december.actual).to.match(/not in the window 2024-04-01\.\.2024-06-30/);
      // December, and the derived checks (one line: 200 HCPs are below their 500).
      expect(report.summary).to.match(/, 2 skipped$/);
      expect(report.results.filter((r) => r.status === 'skip').map((r) => r.name)).to.deep.equal([
        'dist.month_share.12',
        'model',
      ]);
    });

    if (kind === 'postgres') {
      for (const [name, sql] of Object.entries(DAMAGE)) {
        it(`${name} fails when the data is bent out of its range`, async function () {
          const report = await validateDamaged(fresh, sql);
          const r = report.results.find((x) => x.name === name)!;
          expect(r.status, `${name}: expected ${r.expected}, actual ${r.actual}`).to.equal('fail');
          expect(r.detail).to.match(/outside the scenario's range|cannot be computed/);
        });
      }
    }
  });
}

describe('declared distribution checks on a run smaller than their min_hcps', function () {
  it('report SKIP with the reason instead of failing on sampling noise', async function () {
    const fresh = await freshGeneratedDatabase(TEST_TARGET);
    try {
      const plan = {
        ...fresh.plan,
        validation: { ...fresh.plan.validation, distributionsMinHcps: 0, checks: CHECKS },
      };
      const small: Plan = {
        ...plan,
        validation: {
          ...plan.validation,
          checks: plan.validation.checks.map((c, i) => (i === 0 ? { ...c, min_hcps: 1_000_000 } : c)),
        },
      };
      const report = await runValidation(fresh.target, { plan: small });
      const skipped = report.results.filter((r) => r.status === 'skip' && /too few/.test(r.actual));
      expect(skipped.length).to.be.greaterThan(0);
      expect(report.failed).to.equal(0);
    } finally {
      await fresh.cleanup();
    }
  });
});
