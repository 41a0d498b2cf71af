import { expect } from 'chai';
import type { Target } from '../../src/db/target.js';
import { runValidation, validateDatabase } from '../../src/validation/run.js';
import type { CheckResult, ValidationReport } from '../../src/validation/types.js';
import { freshGeneratedDatabase, type FreshDatabase } from './fresh-data.js';
import { CORRUPTIONS } from './corruptions.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { TEST_TARGET } from '../helpers/testdb.js';

function failing(report: ValidationReport): CheckResult[] {
  return report.results.filter((r) => r.status === 'fail');
}

function describeFailures(report: ValidationReport): string {
  return failing(report)
    .map((r) => `${r.name}: expected ${r.expected}, actual ${r.actual} ${r.detail ?? ''}`)
    .join('\n');
}

function allowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

function withoutTimes(report: ValidationReport): Omit<CheckResult, 'ms'>[] {
  return report.results.map(({ ms: _ms, ...rest }) => rest);
}

/** A fingerprint of every hcpgen table: any insert, update or delete changes it. */
async function fingerprint(t: Target): Promise<string> {
  const tables = ['hcpgen_runs', 'hcp_profiles', 'territory_assignments', 'campaigns', 'stimuli', 'outcomes'];
  const parts: string[] = [];
  for (const table of [...tables, 'rx_history', 'engagement_scores']) {
    const { rows } = await t.query<{ h: string }>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${table} x`,
    );
    parts.push(`${table}:${rows[0]?.h}`);
  }
  return parts.join(' ');
}

/** Runs `body` in a transaction that is always rolled back, with foreign-key triggers off. */
async function inRolledBackTransaction<T>(t: Target, body: () => Promise<T>): Promise<T> {
  await t.begin();
  try {
    await t.query('SET LOCAL session_replication_role = replica');
    return await body();
  } finally {
    await t.rollback();
  }
}

describe(`validation on freshly generated data [${TEST_TARGET}]`, function () {
  let fresh: FreshDatabase;
  before(async function () {
    fresh = await freshGeneratedDatabase(TEST_TARGET);
  });
  after(async function () {
    await fresh?.cleanup();
  });

  it('passes every check', async function () {
    const report = await runValidation(fresh.target);
    expect(withoutTimes(report)).to.deep.equal(
      withoutTimes(await runValidation(fresh.target, { sharedPasses: false })),
    );
    expect(report.failed, describeFailures(report)).to.equal(0);
    // The scenario's realism ranges need 2,000+ HCPs (distributions_min_hcps) and the derived checks 500: on
    // this sample they are skipped, the derived ones in a single line.
    expect(report.passed + report.skipped).to.equal(report.results.length);
    expect(
      report.results
        .filter((r) => r.status === 'skip')
        .every((r) => r.category === 'distribution' || r.name === 'model'),
    ).to.equal(true);
    expect(report.results.filter((r) => r.category === 'model').map((r) => [r.name, r.status])).to.deep.equal(
      [['model', 'skip']],
    );
    expect(report.runId).to.equal(fresh.run.id);
    // Every category is represented: nothing was silently left out.
    expect(new Set(report.results.map((r) => r.category))).to.include.members([
      'run',
      'volume',
      'keys',
      'referential',
      'completeness',
      'structure',
      'aggregates',
      'time',
    ]);
    expect(report.summary).to.equal(
      `Validation: ${report.passed} passed, 0 failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`,
    );
  });

  // validateDatabase opens its own connection; the embedded database allows one process at a time, and the
  // suite holds it, so this one runs against PostgreSQL (the CLI tests cover the embedded path).
  if (TEST_TARGET === 'postgres')
    it('changes nothing in the database and sees one snapshot (validateDatabase)', async function () {
      const before = await fingerprint(fresh.target);
      const report = await validateDatabase({ db: fresh.where });
      expect(report.failed, describeFailures(report)).to.equal(0);
      expect(report.database).to.match(/^postgres:\/\/postgres@/);
      expect(await fingerprint(fresh.target)).to.equal(before);
    });

  for (const c of CORRUPTIONS) {
    it(`${c.check} fails when ${c.what}`, async function () {
      const report = await inRolledBackTransaction(fresh.target, async () => {
        const sample = await c.corrupt(fresh.target);
        return {
          sample,
          report: await runValidation(fresh.target),
          direct: await runValidation(fresh.target, { sharedPasses: false }),
        };
      });
      // The shared passes only ever spare queries: every check reports what its own query finds.
      expect(withoutTimes(report.report)).to.deep.equal(withoutTimes(report.direct));
      const result = report.report.results.find((r) => r.name === c.check);
      expect(result, `no check named ${c.check}`).to.not.equal(undefined);
      expect(result!.status, `${c.check} did not fail:\n${describeFailures(report.report)}`).to.equal('fail');
      expect(result!.detail, 'a failure explains itself').to.be.a('string').and.not.equal('');
      expect(result!.actual).to.not.equal(result!.expected);
      if (report.sample !== undefined) {
        expect(result!.samples, `${c.check} samples`).to.include(report.sample);
        expect(result!.offending).to.be.greaterThan(0);
      }
      // The damage is caught where it is, not only by some other check that happens to trip.
      const unexpected = failing(report.report)
        .map((r) => r.name)
        .filter((n) => n !== c.check && !allowed(n, c.alsoFails ?? []));
      expect(unexpected, describeFailures(report.report)).to.deep.equal([]);
    });
  }

  it('is back to all-pass after the corruptions were rolled back', async function () {
    const report = await runValidation(fresh.target);
    expect(report.failed, describeFailures(report)).to.equal(0);
  });

  it('fails the checks whose query breaks on a renamed column, and still runs the others', async function () {
    const report = await inRolledBackTransaction(fresh.target, async () => {
      await fresh.target.query('ALTER TABLE stimuli RENAME COLUMN channel TO channel_code');
      return runValidation(fresh.target);
    });
    const channel = report.results.find((r) => r.name === 'structure.stimuli.channel')!;
    expect(channel.status).to.equal('fail');
    expect(channel.actual).to.equal('query failed');
    expect(channel.detail).to.match(/channel.*does not exist/);
    expect(report.results.find((r) => r.name === 'key.hcp_profiles')!.status).to.equal('pass');
    expect(report.results.find((r) => r.name === 'volume.stimuli')!.status).to.equal('pass');
  });

  it('says clearly that there is no generated data in an empty database', async function () {
    await fresh.target.begin();
    try {
      await fresh.target.query('CREATE SCHEMA empty_for_test');
      await fresh.target.query('SET LOCAL search_path TO empty_for_test');
      let error: unknown;
      await runValidation(fresh.target).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(
        /^No generated data found in (postgres:\/\/|\/).*: run `hcpgen generate` first/,
      );
      expect((error as { exitCode?: number }).exitCode).to.equal(2);
    } finally {
      await fresh.target.rollback();
    }
  });
});

describePostgres('validation on PGlite gives the same results as on PostgreSQL', function () {
  let fresh: FreshDatabase;
  before(async function () {
    fresh = await freshGeneratedDatabase('pglite');
  });
  after(async function () {
    await fresh?.cleanup();
  });

  it('passes every check, with the same results as on PostgreSQL', async function () {
    const report = await runValidation(fresh.target);
    expect(report.failed, describeFailures(report)).to.equal(0);
    const pg = await freshGeneratedDatabase('postgres');
    try {
      const onPg = await runValidation(pg.target);
      // Same seed, same data: every check sees the same numbers on both targets.
      const strip = (r: ValidationReport) =>
        r.results.map(({ name, status, expected, actual }) => ({ name, status, expected, actual }));
      expect(strip(report).filter((r) => r.name !== 'run.status')).to.deep.equal(
        strip(onPg).filter((r) => r.name !== 'run.status'),
      );
    } finally {
      await pg.cleanup();
    }
  });

  it('catches damage on PGlite too', async function () {
    const report = await inRolledBackTransaction(fresh.target, async () => {
      await fresh.target.query('DELETE FROM hcp_profiles WHERE id = 5');
      return runValidation(fresh.target);
    });
    const ref = report.results.find((r) => r.name === 'ref.engagement_scores.hcp_id')!;
    expect(ref.status).to.equal('fail');
    expect(ref.samples).to.deep.equal([5]);
  });
});
