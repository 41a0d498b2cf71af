// The derived checks (model.*): a scenario with no validation block validates cleanly at several seeds and
// sizes, and data altered behind the generator's back (a channel's share, an outcome rate, a specialty's share,
// the Rx months, the lags, the weekends) fails the family that measures it, naming the key and the scenario
// field that sets it. Overrides by name turn a family off or replace a key's tolerance with a range.
import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../src/plan/types.js';
import type { Target } from '../../src/db/target.js';
import { PgTarget } from '../../src/db/pg-target.js';
import { generate } from '../../src/generate/run.js';
import { runValidation } from '../../src/validation/run.js';
import type { CheckResult, ValidationReport } from '../../src/validation/types.js';
import { Moments, modelValue, normalQuantile, spreadAt } from '../../src/validation/model/moments.js';
import { freshGeneratedDatabase, type FreshDatabase } from './fresh-data.js';
import { createTestDatabase } from '../helpers/testdb.js';
import { describePostgres } from '../helpers/describe-postgres.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const IMMUNOLOGY = path.join(ROOT, 'test', 'fixtures', 'scenarios', 'immunology-biologic.yaml');

const model = (r: ValidationReport): CheckResult[] => r.results.filter((x) => x.category === 'model');
const failed = (r: ValidationReport): string[] =>
  r.results.filter((x) => x.status === 'fail').map((x) => x.name);

describe('derived-check statistics', function () {
  it('gives a binomial share its binomial spread, and an exact value no reference noise', function () {
    const v = modelValue(Moments.ofCounts(300, 1000, 1000));
    expect(v.mean).to.be.closeTo(0.3, 1e-12);
    expect(v.sdPerHcp).to.be.closeTo(Math.sqrt(0.21), 1e-12);
    expect(v.meanSd).to.be.closeTo(Math.sqrt(0.21 / 1000), 1e-12);
    const exact = modelValue(Moments.ofCounts(300, 1000, 1000), 0.25);
    expect(exact.mean).to.equal(0.25);
    expect(exact.meanSd).to.equal(0);
    // Around 0.25 the observed 0/1 values spread as E[(x - 0.25)^2] = 0.3 * 0.75^2 + 0.7 * 0.25^2.
    expect(exact.sdPerHcp).to.be.closeTo(Math.sqrt(0.3 * 0.5625 + 0.7 * 0.0625), 1e-12);
    expect(spreadAt(v, 4000)).to.be.closeTo(Math.sqrt(0.21 / 4000 + 0.21 / 1000), 1e-12);
  });

  it('gives a ratio of clustered counts the ratio estimator spread', function () {
    // Two kinds of HCP: 10 events of which 9 on the channel, or 10 of which 1. Share 0.5; x - 0.5 t = +-4.
    const m = new Moments();
    m.hcps = 4;
    for (const x of [9, 1, 9, 1]) m.add(x, 10);
    const v = modelValue(m);
    expect(v.mean).to.equal(0.5);
    expect(v.sdPerHcp).to.be.closeTo(4 / 10, 1e-12);
  });

  it('knows the normal tail quantiles the tolerances use', function () {
    expect(normalQuantile(0.5 * 6.334e-5)).to.be.closeTo(4, 1e-3);
    expect(normalQuantile(1.35e-3)).to.be.closeTo(3, 1e-3);
    expect(normalQuantile(2.87e-7)).to.be.closeTo(5, 1e-3);
  });
});

/** The full validation of the latest run in a database, as `hcpgen validate` runs it. */
async function validateLatest(url: string): Promise<ValidationReport> {
  const t = await PgTarget.connect(url);
  try {
    return await runValidation(t, {});
  } finally {
    await t.close();
  }
}

describePostgres('derived checks on PostgreSQL', function () {
  this.timeout(600_000);

  describe('a scenario without a validation block', function () {
    for (const [hcps, seed] of [
      [1000, 1],
      [1000, 2],
      [1000, 3],
      [5000, 4],
    ] as const) {
      it(`validates cleanly at ${hcps} HCPs, seed ${seed}`, async function () {
        const db = await createTestDatabase();
        try {
          await generate({
            scenario: IMMUNOLOGY,
            hcps,
            months: 24,
            seed,
            asOf: '2025-12-31',
            wipe: true,
            workers: 0,
            quiet: true,
            db: db.url,
          });
          const report = await validateLatest(db.url);
          expect(
            failed(report),
            JSON.stringify(model(report).filter((r) => r.status === 'fail')),
          ).to.deep.equal([]);
          const names = model(report).map((r) => r.name);
          expect(names).to.include.members([
            'model.hcp_profiles.specialty',
            'model.stimuli.channel',
            'model.outcomes.rate',
            'model.rx_history.product',
            'model.engagement_scores.segment',
          ]);
          expect(model(report).every((r) => r.status === 'pass')).to.equal(true);
        } finally {
          await db.drop();
        }
      });
    }
  });

  describe('data altered behind the generator', function () {
    let f: FreshDatabase;
    before(async function () {
      f = await freshGeneratedDatabase('postgres', { hcps: 3000, months: 12, seed: 5, asOf: '2025-12-31' });
    });
    after(async function () {
      await f?.cleanup();
    });

    async function validateDamaged(sql: string, plan: Plan = f.plan): Promise<ValidationReport> {
      const t: Target = f.target;
      await t.begin();
      try {
        await t.query('SET LOCAL session_replication_role = replica');
        if (sql) await t.query(sql);
        return await runValidation(t, { plan, run: f.run });
      } finally {
        await t.rollback();
      }
    }

    it('passes every derived check on the data as generated', async function () {
      const report = await validateDamaged('');
      expect(model(report).filter((r) => r.status !== 'pass')).to.deep.equal([]);
    });

    const DAMAGE: { what: string; sql: string; check: string; key: string; parameter: string }[] = [
      {
        what: "a channel's share (a tenth of the e-mails relabelled as webinars)",
        sql: `UPDATE stimuli SET channel = 'webinar' WHERE channel = 'email' AND id % 10 = 3`,
        check: 'model.stimuli.channel',
        key: 'webinar',
        parameter: 'channels[4].weight',
      },
      {
        what: 'an outcome rate (a fifth of the e-mail opens removed)',
        sql: `DELETE FROM outcomes WHERE channel = 'email' AND outcome_type = 'opened' AND id % 5 = 1`,
        check: 'model.outcomes.rate',
        key: 'email.opened',
        parameter: 'channels[3].outcomes[0].rate',
      },
      {
        what: "a specialty's share (a quarter of internal medicine recoded as family medicine)",
        sql: `UPDATE hcp_profiles SET taxonomy_code = '207Q00000X' WHERE taxonomy_code = '207R00000X' AND id % 4 = 0`,
        check: 'model.hcp_profiles.specialty',
        key: '207R00000X',
        parameter: 'population.specialties[0].weight',
      },
      {
        what: "the Rx months (March's TRx inflated by its NRx)",
        sql: `UPDATE rx_history SET trx = trx + nrx + 1 WHERE extract(month FROM month) = 3`,
        check: 'model.rx_history.month',
        key: '2025-03',
        parameter: 'prescribing.seasonality',
      },
      {
        what: 'the lags (e-mail clicks two hours later)',
        sql: `UPDATE outcomes SET occurred_at = occurred_at + interval '2 hours'
               WHERE channel = 'email' AND outcome_type = 'clicked'`,
        check: 'model.outcomes.lag_median',
        key: 'email.clicked',
        parameter: 'channels[3].outcomes[1].lag_hours',
      },
      {
        what: 'the weekends (a tenth of in-person details moved to the Saturday)',
        sql: `UPDATE stimuli SET occurred_at = occurred_at + ((6 - extract(isodow FROM occurred_at))::int % 7) * interval '1 day'
               WHERE channel = 'in_person_detail' AND id % 10 = 7 AND extract(month FROM occurred_at) < 12`,
        check: 'model.stimuli.weekend',
        key: 'in_person_detail',
        parameter: 'channels[0].weekend_share',
      },
      {
        what: 'the tier mix within a decile (decile 10 HCPs moved to Tier 2)',
        sql: `UPDATE hcp_profiles SET tier = 'Tier 2' WHERE decile = 10 AND id % 3 = 0`,
        check: 'model.hcp_profiles.tier_by',
        key: '10|Tier 1',
        parameter: 'population.tier.cases.10',
      },
    ];

    for (const d of DAMAGE) {
      it(`fails ${d.check} on ${d.what}, naming ${d.key} and ${d.parameter}`, async function () {
        const report = await validateDamaged(d.sql);
        const r = report.results.find((x) => x.name === d.check)!;
        expect(r.status, JSON.stringify(r)).to.equal('fail');
        expect(r.samples).to.include(d.key);
        expect(r.detail).to.include(d.parameter);
        expect(r.detail).to.include(`validation.derived.checks`);
      });
    }

    it('turns a family off, or judges one key by a business range, when the scenario says so', async function () {
      const sql = DAMAGE[0]!.sql;
      const off: Plan = {
        ...f.plan,
        validation: { ...f.plan.validation, derived: { checks: { 'model.stimuli.*': 'off' } } },
      };
      const r1 = (await validateDamaged(sql, off)).results.find((x) => x.name === 'model.stimuli.channel')!;
      expect(r1.status).to.equal('skip');
      const ranged: Plan = {
        ...f.plan,
        validation: {
          ...f.plan.validation,
          derived: {
            checks: {
              'model.stimuli.channel.webinar': { min: 0, max: 0.5 },
              'model.stimuli.channel.email': { sigmas: 50 },
            },
          },
        },
      };
      const r2 = (await validateDamaged(sql, ranged)).results.find(
        (x) => x.name === 'model.stimuli.channel',
      )!;
      expect(r2.status, JSON.stringify(r2)).to.equal('pass');
    });
  });

  it('skips the derived checks, in one line, below 500 HCPs', async function () {
    const db = await createTestDatabase();
    try {
      await generate({
        scenario: 'default',
        hcps: 200,
        months: 3,
        seed: 1,
        asOf: '2024-06-30',
        wipe: true,
        workers: 0,
        quiet: true,
        db: db.url,
      });
      const m = model(await validateLatest(db.url));
      expect(m.map((r) => [r.name, r.status])).to.deep.equal([['model', 'skip']]);
    } finally {
      await db.drop();
    }
  });
});
