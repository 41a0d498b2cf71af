// The bench library end to end at a tiny size, on the test database kind: the JSON has its shape, every count
// agrees with what generate wrote, the ratios are the quotients of the rates, and the scratch database is gone
// afterwards; the file-sink bench (--files) likewise. No timing assertions: the numbers depend on the machine.
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { bench } from '../../src/bench/run.js';
import { renderBench } from '../../src/bench/render.js';
import type { BenchResult, FileSinkFigures } from '../../src/bench/types.js';
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
      const first = r.targets.find((t) => t.id === 'default-run-embedded-first-3s')!;
      expect(first).to.include({ measured: r.embeddedFirstRun!.wallSeconds, applies: false });
      const warm = r.targets.find((t) => t.id === 'default-run-embedded-warm-2.5s')!;
      expect(warm).to.include({ measured: r.generate.wallSeconds, applies: false });
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
    const keysAfter = r.ceiling!.keysAfterLoad.rowsPerSecond;
    expect(r.ratios.generateToCeilingKeysAfter).to.be.closeTo(r.generate.rowsPerSecond / keysAfter, 0.001);
    // The main ceiling target is judged on the keys-after-load ceiling; the keys-in-place one is information.
    const main = r.targets.find((t) => t.id === 'ceiling-80')!;
    expect(main.measured).to.equal(r.ratios.generateToCeilingKeysAfter);
    expect(main.met).to.equal(main.measured >= 0.8);
    expect(r.targets.find((t) => t.id === 'ceiling-70')).to.include({ applies: false });
    if (r.baseline) {
      expect(r.ratios.generateToBaseline).to.be.closeTo(
        r.generate.rowsPerSecond / r.baseline.rowsPerSecond,
        0.06,
      );
    }
    const applying = r.targets.filter((t) => t.applies).map((t) => t.id);
    expect(applying).to.include('peak-rss-1gib');
    expect(applying).to.not.include('ceiling-80');
    expect(applying).to.not.include('million-3min');
    expect(applying).to.not.include('million-150s');
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

// `bench --files`: no database involved, so it runs the same on either test target. Real file outputs at the
// default size, both formats: the figures must agree with the manifests and with each other.
describe('bench library, file sinks (--files both)', function () {
  this.timeout(300_000);
  const MIB = 1024 * 1024;
  let r: BenchResult;
  let files: NonNullable<BenchResult['files']>;

  before(async function () {
    r = await bench({ scenario: 'default', hcps: 2000, months: 12, workers: 1, files: 'both' });
    files = r.files!;
  });

  it('measures each format once, parquet first, and no database', function () {
    expect(r.version).to.equal(1);
    expect(r.target.kind).to.equal('files');
    expect(r.params).to.include({ scenario: 'default', hcps: 2000, months: 12, workers: 1, validate: true });
    expect(files.formats.map((s) => s.format)).to.deep.equal(['parquet', 'csv']);
    expect(r.ceiling).to.equal(null);
    expect(r.baseline).to.equal(null);
    expect(r.embeddedFirstRun).to.equal(null);
    expect(r.skipped.ceiling).to.match(/database/);
    expect(r.skipped.baseline).to.match(/database/);
    expect(r.ratios).to.deep.equal({
      generateToCeiling: null,
      generateToCeilingKeysAfter: null,
      generateToBaseline: null,
    });
    expect(r.machine.serverVersion).to.match(/DuckDB/);
  });

  it("counts the rows the manifests list, the plan's rows, the same in both formats", async function () {
    const { plan } = await planFor('default', { seed: 42, hcps: 2000, months: 12, asOf: '2025-12-31' });
    const [parquet, csv] = files.formats as [FileSinkFigures, FileSinkFigures];
    for (const s of files.formats) {
      expect(s.tables.hcp_profiles.rows, s.format).to.equal(2000);
      expect(s.tables.engagement_scores.rows, s.format).to.equal(2000);
      expect(s.tables.campaigns.rows, s.format).to.equal(plan.expected.campaigns);
      expect(s.rows, s.format).to.equal(TABLES.reduce((a, t) => a + s.tables[t].rows, 0));
      for (const t of TABLES) expect(s.tables[t].rows, `${s.format} ${t}`).to.equal(csv.tables[t].rows);
    }
    expect(parquet.rows).to.be.greaterThan(100_000);
  });

  it('derives rows/s and bytes/s from the wall time, bytes and files from the manifest', function () {
    for (const s of files.formats) {
      expect(s.wallSeconds, s.format).to.be.greaterThan(0);
      expect(s.inProcessSeconds, s.format).to.be.within(0, s.wallSeconds);
      expect(s.rowsPerSecond, s.format).to.equal(Math.round(s.rows / s.wallSeconds));
      expect(s.bytesPerSecond, s.format).to.equal(Math.round(s.bytes / s.wallSeconds));
      expect(s.bytes, s.format).to.equal(TABLES.reduce((a, t) => a + s.tables[t].bytes, 0));
      expect(s.files, s.format).to.equal(TABLES.reduce((a, t) => a + s.tables[t].files, 0));
      for (const t of TABLES) {
        expect(s.tables[t].bytes, `${s.format} ${t}`).to.be.greaterThan(0);
        expect(s.tables[t].files, `${s.format} ${t}`).to.be.greaterThan(0);
      }
      expect(s.peakRssBytes, s.format).to.be.greaterThan(10 * MIB);
      expect(s.cpuSeconds, s.format).to.be.greaterThan(0);
    }
    // The database-shaped `generate` is the first format's run.
    expect(r.generate.rows).to.equal(files.formats[0]!.rows);
    expect(r.generate.wallSeconds).to.equal(files.formats[0]!.wallSeconds);
    expect(r.generate.validation).to.equal(null);
  });

  it('times validate --files on the parquet output, and every check passes', function () {
    const v = files.validate!;
    expect(v.format).to.equal('parquet');
    expect(v.rows).to.equal(files.formats[0]!.rows);
    expect(v.failed).to.equal(0);
    expect(v.passed).to.be.greaterThan(10);
    expect(v.wallSeconds).to.be.greaterThan(0);
    expect(v.peakRssBytes).to.be.greaterThan(10 * MIB);
    expect(v.cpuSeconds).to.be.greaterThan(0);
  });

  it('judges the file targets, throughput and wall not below their sizes, and no database target', function () {
    const byId = new Map(r.targets.map((t) => [t.id, t]));
    for (const f of ['parquet', 'csv'] as const) {
      const rate = byId.get(`files-${f}-rows-per-second`)!;
      expect(rate.measured).to.equal(files.formats.find((s) => s.format === f)!.rowsPerSecond);
      expect(rate).to.include({ applies: false, note: 'not judged: below 50,000 HCPs' });
      const rss = byId.get(`files-${f}-peak-rss-1gib`)!;
      expect(rss.applies).to.equal(true);
      expect(rss.met).to.equal(files.formats.find((s) => s.format === f)!.peakRssBytes < 1024 ** 3);
    }
    expect(byId.get('files-parquet-million-60s')!.applies).to.equal(false);
    expect(byId.get('validate-files-million-60s')!.measured).to.equal(files.validate!.wallSeconds);
    expect(byId.get('validate-files-million-60s')!.applies).to.equal(false);
    for (const id of [
      'ceiling-80',
      'ceiling-70',
      'baseline-15x',
      'million-3min',
      'million-150s',
      'peak-rss-1gib',
    ])
      expect(byId.has(id)).to.equal(false);
  });

  it('leaves no scratch directory behind', function () {
    const dir = /files in (\S+) \(removed afterwards\)$/.exec(r.target.description)![1]!;
    expect(dir).to.contain('hcpgen-bench-files-');
    expect(existsSync(dir)).to.equal(false);
  });

  it('renders both formats, validation, the reference figure and every target as text; JSON round-trips', function () {
    const text = renderBench(r);
    for (const t of TABLES) expect(text).to.contain(t);
    expect(text).to.contain('generate --out --format=parquet');
    expect(text).to.contain('generate --out --format=csv');
    expect(text).to.contain('validate --files (parquet');
    expect(text).to.contain('not measured by this bench');
    expect(text).to.contain(files.reference);
    expect(text).to.contain('not judged: below 50,000 HCPs');
    for (const t of r.targets) expect(text).to.contain(t.description);
    expect(JSON.parse(JSON.stringify(r))).to.deep.equal(r);
  });

  it('refuses --files together with --db', async function () {
    let error: unknown;
    try {
      await bench({ scenario: 'default', files: 'csv', db: 'postgres://nobody@127.0.0.1:1/x' });
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.match(/--files and --db/);
  });
});
