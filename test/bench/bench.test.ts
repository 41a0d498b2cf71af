// The bench library end to end at a tiny size, on the test database kind: the JSON has its shape, every count
// agrees with what generate wrote, the ratios are the quotients of the rates, and the scratch database is gone
// afterwards. No timing assertions: the numbers depend on the machine.
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { bench } from '../../src/bench/run.js';
import { renderBench } from '../../src/bench/render.js';
import type { BenchResult } from '../../src/bench/types.js';
import { TABLES } from '../../src/plan/types.js';
import { planFor } from '../../src/scenario/plan-for.js';
import { ADMIN_URL, TEST_TARGET, adminQuery } from '../helpers/testdb.js';

describe(`bench library [${TEST_TARGET}]`, function () {
  this.timeout(240_000);
  let r: BenchResult;

  before(async function () {
    r = await bench({
      scenario: 'default',
      hcps: 200,
      months: 12,
      baselineHcps: 50,
      workers: 1,
      // Validation is the generator's business (and its statistical checks are loose only from ~2,000 HCPs up);
      // here it would only make a tiny run fail.
      validate: false,
      ...(TEST_TARGET === 'postgres' ? { db: ADMIN_URL } : {}),
    });
  });

  it('reports the run, the target kind and the machine', function () {
    expect(r.version).to.equal(1);
    expect(r.params).to.include({ scenario: 'default', hcps: 200, months: 12, workers: 1, validate: false });
    expect(r.target.kind).to.equal(TEST_TARGET);
    expect(r.cli).to.equal('source');
    expect(r.machine.cpus).to.be.greaterThan(0);
    expect(r.machine.node).to.equal(process.version);
    expect(r.machine.serverVersion).to.match(/^\d+/);
    expect(r.machine.pgliteVersion).to.match(/^\d+\.\d+\.\d+/);
  });

  it('counts the rows generate wrote, as the plan says for the per-HCP and campaign tables', async function () {
    const { plan } = await planFor('default', { seed: 42, hcps: 200, months: 12, asOf: '2025-12-31' });
    const g = r.generate;
    expect(g.tables.hcp_profiles.rows).to.equal(200);
    expect(g.tables.engagement_scores.rows).to.equal(200);
    expect(g.tables.campaigns.rows).to.equal(plan.expected.campaigns);
    expect(g.rows).to.equal(TABLES.reduce((a, t) => a + g.tables[t].rows, 0));
    expect(g.tables.stimuli.rows).to.be.greaterThan(1000);
    expect(g.peakRssBytes).to.be.greaterThan(10 * 1024 * 1024);
    expect(g.validation).to.equal(null);
    expect(g.rowsPerSecond).to.equal(Math.round(g.rows / g.wallSeconds));
  });

  it('loads exactly the generated rows into the ceiling, both with indexes in place and keys after', function () {
    const c = r.ceiling!;
    expect(c.csvBytes).to.be.greaterThan(0);
    for (const run of [c.indexesInPlace, c.keysAfterLoad]) {
      for (const t of TABLES) expect(run.tables[t].rows, t).to.equal(r.generate.tables[t].rows);
      expect(run.rows).to.equal(r.generate.rows);
    }
    expect(c.indexesInPlace.keysSeconds).to.equal(0);
    expect(c.keysAfterLoad.keysSeconds).to.be.greaterThan(0);
  });

  it('inserts the first 50 HCPs’ rows in the baseline (PostgreSQL) or says why it could not', function () {
    if (TEST_TARGET === 'pglite') {
      expect(r.baseline).to.equal(null);
      expect(r.skipped.baseline).to.match(/TypeORM/);
      expect(r.embeddedFirstRun!.rows).to.equal(r.generate.rows);
      expect(r.embeddedFirstRunInit).to.equal('initdb');
      return;
    }
    const b = r.baseline!;
    expect(b).to.include({ hcps: 50, batchSize: 500 });
    expect(b.tables.hcp_profiles.rows).to.equal(50);
    expect(b.tables.engagement_scores.rows).to.equal(50);
    expect(b.tables.campaigns.rows).to.equal(r.generate.tables.campaigns.rows);
    for (const t of ['stimuli', 'outcomes', 'rx_history', 'territory_assignments'] as const) {
      expect(b.tables[t].rows, t).to.be.within(1, r.generate.tables[t].rows - 1);
    }
    expect(b.rows).to.equal(TABLES.reduce((a, t) => a + b.tables[t].rows, 0));
  });

  it('computes the ratios from the rates and judges only the targets stated for this size', function () {
    const ceiling = r.ceiling!.indexesInPlace.rowsPerSecond;
    expect(r.ratios.generateToCeiling).to.be.closeTo(r.generate.rowsPerSecond / ceiling, 0.001);
    if (r.baseline) {
      expect(r.ratios.generateToBaseline).to.be.closeTo(
        r.generate.rowsPerSecond / r.baseline.rowsPerSecond,
        0.06,
      );
    }
    const applying = r.targets.filter((t) => t.applies).map((t) => t.id);
    expect(applying).to.include('peak-rss-1gib');
    expect(applying).to.not.include('ceiling-70');
    expect(applying).to.not.include('million-3min');
    expect(r.targets.map((t) => t.id)).to.include('ceiling-70');
  });

  it('leaves no scratch database or directory behind', async function () {
    if (TEST_TARGET === 'postgres') {
      const name = r.target.description.split('/').pop()!;
      expect(name).to.match(/^hcpgen_bench_[0-9a-f]+$/);
      const { rows } = await adminQuery(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
      expect(rows).to.have.length(0);
    } else {
      const dir = r.target.description.replace(/^embedded \(PGlite\) in /, '');
      expect(existsSync(dir)).to.equal(false);
    }
  });

  it('renders every table and target as text', function () {
    const text = renderBench(r);
    for (const t of TABLES) expect(text).to.contain(t);
    for (const t of r.targets) expect(text).to.contain(t.description);
  });
});
