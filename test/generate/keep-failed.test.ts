// `generate --keep-failed`: a run whose checks fail is rolled back by default; with the flag it is committed,
// marked failed in hcpgen_runs (a file output: in its manifest), so a person can look at it, and the command
// still exits 1. `runs` shows it failed, `validate` / `--validate-only` exit 1 on it (run.status says it was
// kept) until a clean run replaces it, and errors other than failed checks still roll back. On the embedded
// database always, on PostgreSQL (a database of its own) when the suite runs against one (TEST_TARGET).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import type { Row, Target } from '../../src/db/target.js';
import { generate } from '../../src/generate/run.js';
import { generate as libraryGenerate } from '../../src/index.js';
import type { GenerateJson } from '../../src/cli/generate-json.js';
import type { FilesResult } from '../../src/files/generate-files.js';
import type { Manifest } from '../../src/files/manifest-read.js';
import { npiForIndex } from '../../src/random/npi.js';
import type { RunSummary } from '../../src/report/runs.js';
import type { ValidationReport } from '../../src/validation/types.js';
import { validationHook } from '../../src/validation/in-generate.js';
import {
  adminQuery,
  createPgliteDir,
  createTestDatabase,
  TEST_TARGET,
  type TargetKind,
} from '../helpers/testdb.js';
import {
  fingerprintPglite,
  fingerprintPostgres,
  hcpgen,
  Hcpgen,
  ROOT,
  STACK_FRAME,
  type Finished,
} from '../reliability/cli.js';

/** Small and fast: no fixtures (the shipped ones need 3+ months), generated on the main thread. */
const SMALL = ['--hcps=300', '--months=2', '--no-seed-data', '--workers=0'];
/** The failing runs use another seed than the first run, so their data differs from what they replace. */
const FAILING_SEED = 7;
const KEPT =
  /The checks failed and --keep-failed kept the run: run #(\d+) is committed \(not rolled back\) and marked failed in hcpgen_runs\./;

/** A copy of the default scenario whose declared check cannot pass: about 40 stimuli an HCP a year, asked for 400. */
function impossibleScenario(dir: string): string {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8'));
  doc.setIn(
    ['validation', 'checks'],
    // min_hcps: 1, or a run this small would skip the check instead of failing it.
    [{ kind: 'stimuli_per_hcp', name: 'impossible', min_hcps: 1, expected: { min: 400 } }],
  );
  const file = path.join(dir, 'impossible.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

/** The names of the failed checks of a report (the scenario's 'impossible' check among them). */
function failedChecks(report: ValidationReport | null | undefined): string[] {
  return (report?.results ?? []).filter((c) => c.status === 'fail').map((c) => c.name);
}

function json<T>(r: Finished): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** Where a suite's CLI runs write, and how the test reads that database back. */
interface Where {
  args: string[];
  env: NodeJS.ProcessEnv;
  fingerprint(): Promise<Record<string, string>>;
  /** Opens the database (no hcpgen may be running on it), runs `sql`, closes it. */
  query(sql: string): Promise<Row[]>;
  url?: string;
  cleanup(): Promise<void>;
}

async function withTarget<T>(open: () => Promise<Target>, body: (t: Target) => Promise<T>): Promise<T> {
  const t = await open();
  try {
    return await body(t);
  } finally {
    await t.close();
  }
}

async function makeWhere(kind: TargetKind): Promise<Where> {
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    return {
      args: [`--db=${db.url}`],
      env: {},
      url: db.url,
      fingerprint: () => fingerprintPostgres(db.url),
      query: (sql) =>
        withTarget(
          () => PgTarget.connect(db.url),
          async (t) => (await t.query(sql)).rows,
        ),
      cleanup: () => db.drop(),
    };
  }
  const d = await createPgliteDir();
  return {
    args: [],
    env: { HCPGEN_DATA_DIR: d.dir },
    fingerprint: () => fingerprintPglite(d.dir),
    query: (sql) =>
      withTarget(
        () => PgliteTarget.open(d.dir),
        async (t) => (await t.query(sql)).rows,
      ),
    cleanup: async () => d.remove(),
  };
}

function keepFailedSuite(kind: TargetKind): void {
  describe(`generate --keep-failed [${kind}]`, function () {
    this.timeout(180_000);
    let where: Where;
    let dir: string;
    let impossible: string;
    let baseline: Record<string, string>;
    let kept: Record<string, string>;
    const run = (args: string[]): Promise<Finished> => hcpgen([...args, ...where.args], where.env);
    const failing = (): string[] => [
      'generate',
      ...SMALL,
      `--seed=${FAILING_SEED}`,
      `--scenario=${impossible}`,
    ];
    const runStatuses = async (): Promise<unknown[][]> =>
      (await where.query('SELECT id, status, seed FROM hcpgen_runs ORDER BY id')).map((r) => [
        Number(r.id),
        r.status,
        Number(r.seed),
      ]);

    before(async function () {
      where = await makeWhere(kind);
      dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-keep-failed-'));
      impossible = impossibleScenario(dir);
      const r = await run(['generate', ...SMALL, '--seed=42', '--quiet']);
      expect(r.status, r.stderr).to.equal(0);
      baseline = await where.fingerprint();
      expect(baseline.hcp_profiles).to.match(/^300 rows/);
      expect(baseline.hcpgen_runs).to.match(/^1 rows/);
    });

    after(async function () {
      rmSync(dir, { recursive: true, force: true });
      await where?.cleanup();
    });

    it('by default, a run whose checks fail is rolled back: the previous data is still there', async function () {
      const r = await run([...failing(), '--wipe']);
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/FAIL +impossible +expected >= 400/);
      expect(r.stderr).to.include('the run was rolled back');
      expect(r.stdout + r.stderr).not.to.include('--keep-failed kept');
      expect(await where.fingerprint()).to.deep.equal(baseline);
    });

    it('with --keep-failed it commits the data, records the run as failed, exits 1 and says how to look at it', async function () {
      const r = await run([...failing(), '--wipe', '--keep-failed']);
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout).to.match(/FAIL +impossible +expected >= 400/);
      expect(r.stdout).to.match(/^Validation: \d+ passed, [1-9]\d* failed/m);
      expect(r.stdout).to.match(KEPT);
      expect(KEPT.exec(r.stdout)?.[1]).to.equal('2');
      for (const how of ['hcpgen report', 'hcpgen sql', 'hcpgen runs', 'hcpgen generate --wipe']) {
        expect(r.stdout).to.include(how);
      }
      expect(r.stderr).to.include('hcpgen: validation failed; keeping the run (--keep-failed)');
      expect(r.stderr).not.to.include('rolled back');
      expect(r.stderr).not.to.match(STACK_FRAME);

      kept = await where.fingerprint();
      expect(kept.hcp_profiles)
        .to.match(/^300 rows/)
        .and.not.equal(baseline.hcp_profiles);
      expect(kept.stimuli).not.to.equal(baseline.stimuli);
      expect(kept.schemas).not.to.include('hcpgen_staging_');
      expect(await runStatuses()).to.deep.equal([
        [1, 'succeeded', 42],
        [2, 'failed', FAILING_SEED],
      ]);
      // The tables hold the kept run's rows (its seed's NPIs), not the first run's.
      const [hcp] = await where.query('SELECT npi FROM hcp_profiles WHERE id = 1');
      expect(hcp?.npi).to.equal(npiForIndex(1, FAILING_SEED));
    });

    it('hcpgen runs shows the kept run as failed', async function () {
      const list = await run(['runs', '--json']);
      expect(list.status, list.stderr).to.equal(0);
      const runs = json<RunSummary[]>(list);
      expect(runs.map((x) => [x.id, x.status, Number(x.seed)])).to.deep.equal([
        [1, 'succeeded', 42],
        [2, 'failed', FAILING_SEED],
      ]);
      const text = await run(['runs']);
      expect(text.stdout).to.match(/^ *2 \|.*\| failed +\|/m);
    });

    it('generate --validate-only and hcpgen validate exit 1 on it: run.status says the run was kept', async function () {
      const only = await run(['generate', '--validate-only']);
      expect(only.status, only.stderr).to.equal(1);
      expect(only.stdout).to.match(
        /FAIL +run\.status +expected succeeded \(run #2\), actual failed \(run #2, kept with failed checks by --keep-failed\)/,
      );
      expect(only.stdout).to.include('replace it with a run whose checks pass');
      expect(only.stdout).to.match(/FAIL +impossible/);

      const v = await run(['validate', '--json']);
      expect(v.status, v.stderr).to.equal(1);
      const report = json<ValidationReport>(v);
      // It validates the kept run (#2, its plan and seed), not the last run that passed.
      expect(report.runId).to.equal(2);
      const status = (name: string) => report.results.find((c) => c.name === name)?.status;
      expect(status('run.status')).to.equal('fail');
      expect(status('impossible')).to.equal('fail');
      for (const name of ['run.counts', 'run.scenario', 'run.seed', 'run.hcps', 'volume.stimuli']) {
        expect(status(name), name).to.equal('pass');
      }
      expect(report.failed).to.be.at.least(2);
      expect(await where.fingerprint()).to.deep.equal(kept);
    });

    it('the same run again without --wipe changes nothing, says the data there failed, exits 1', async function () {
      const r = await run([...failing(), '--json']);
      expect(r.status, r.stderr).to.equal(1);
      const out = json<GenerateJson>(r);
      expect(out).to.include({ status: 'exists', kept: true, runId: 2 });
      expect(out.message).to.include('but its checks failed: run #2 was kept by --keep-failed');
      expect(await where.fingerprint()).to.deep.equal(kept);
    });

    it('--json: the usual result with "kept": true, and exit 1', async function () {
      const r = await run([...failing(), '--wipe', '--keep-failed', '--json']);
      expect(r.status, r.stderr).to.equal(1);
      const out = json<GenerateJson>(r);
      expect(out).to.include({ status: 'generated', kept: true, runId: 3 });
      expect(failedChecks(out.validation)).to.include('impossible');
      expect(out.counts.hcp_profiles).to.equal(300);
      expect(out.message).to.match(KEPT);
      expect((await runStatuses()).map((x) => x[1])).to.deep.equal(['succeeded', 'failed', 'failed']);
      kept = await where.fingerprint();
    });

    it('an interruption still rolls back with --keep-failed', async function () {
      // Big enough that validation runs long enough to be interrupted; a signal that lands after the checks
      // still stops the run before COMMIT.
      const child = new Hcpgen(
        [
          'generate',
          '--hcps=3000',
          '--months=12',
          '--no-seed-data',
          `--scenario=${impossible}`,
          '--wipe',
          '--keep-failed',
          ...where.args,
        ],
        where.env,
      );
      await child.waitForStderr('hcpgen: validating');
      child.child.kill('SIGINT');
      const r = await child.exited;
      expect(r.status, r.stderr).to.equal(130);
      expect(r.stderr).to.include('interrupted by SIGINT: the run was rolled back');
      expect(r.stderr).not.to.include('keeping the run');
      expect(await where.fingerprint()).to.deep.equal(kept);
    });

    it('a run whose checks pass replaces it, and validation passes again', async function () {
      const r = await run(['generate', ...SMALL, '--seed=42', '--wipe', '--keep-failed', '--json']);
      expect(r.status, r.stderr).to.equal(0);
      const out = json<GenerateJson>(r);
      expect(out).to.include({ status: 'generated', kept: false, runId: 4 });
      expect(out.message).not.to.include('kept');
      const only = await run(['generate', '--validate-only', '--quiet']);
      expect(only.status, only.stdout).to.equal(0);
      expect((await runStatuses()).map((x) => x[1])).to.deep.equal([
        'succeeded',
        'failed',
        'failed',
        'succeeded',
      ]);
    });
  });
}

keepFailedSuite('pglite');
if (TEST_TARGET === 'postgres') keepFailedSuite('postgres');

if (TEST_TARGET === 'postgres') {
  describe('generate keepFailed: only failed checks are kept [postgres]', function () {
    this.timeout(120_000);
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let dir: string;
    let impossible: string;
    let baseline: Record<string, string>;
    const base = {
      hcps: 300,
      months: 2,
      asOf: '2025-12-31',
      workers: 0,
      quiet: true,
      wipe: true,
      keepFailed: true,
    };

    before(async function () {
      db = await createTestDatabase();
      dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-keep-failed-'));
      impossible = impossibleScenario(dir);
      const r = await hcpgen(['generate', ...SMALL, `--db=${db.url}`, '--quiet']);
      expect(r.status, r.stderr).to.equal(0);
      baseline = await fingerprintPostgres(db.url);
    });

    after(async function () {
      rmSync(dir, { recursive: true, force: true });
      await db?.drop();
    });

    it('an error in the validation step that is not a failed check rolls back', async function () {
      let error: unknown;
      try {
        await generate({
          ...base,
          scenario: impossible,
          seed: 9,
          db: db.url,
          validate: () => Promise.reject(new Error('a validation query broke')),
        });
      } catch (err) {
        error = err;
      }
      expect((error as Error | undefined)?.message).to.equal('a validation query broke');
      expect(await fingerprintPostgres(db.url)).to.deep.equal(baseline);
    });

    it('a statement the server stops (statement_timeout) rolls back, exits 2', async function () {
      await adminQuery(`ALTER DATABASE "${db.name}" SET statement_timeout = '20ms'`);
      let r: Finished;
      try {
        r = await hcpgen([
          'generate',
          '--hcps=3000',
          '--no-seed-data',
          `--scenario=${impossible}`,
          '--wipe',
          '--keep-failed',
          `--db=${db.url}`,
        ]);
      } finally {
        await adminQuery(`ALTER DATABASE "${db.name}" RESET statement_timeout`);
      }
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('The run was rolled back');
      expect(r.stdout + r.stderr).not.to.include('--keep-failed kept');
      expect(await fingerprintPostgres(db.url)).to.deep.equal(baseline);
    });

    it('the library: keepFailed commits the run, kept: true, the failures in validation', async function () {
      const validation = validationHook();
      const direct = await generate({
        ...base,
        scenario: impossible,
        seed: 9,
        db: db.url,
        validate: validation.hook,
      });
      expect(direct).to.include({ kept: true, status: 'generated' });
      expect(failedChecks(validation.report())).to.include('impossible');
      const lib = await libraryGenerate({
        ...base,
        scenario: impossible,
        seed: 10,
        db: db.url,
        seedData: false,
      });
      expect(lib).to.include({ kept: true, status: 'generated' });
      expect(failedChecks(lib.validation)).to.include('impossible');
      const rows = await withTarget(
        () => PgTarget.connect(db.url),
        async (t) => (await t.query('SELECT status, seed FROM hcpgen_runs ORDER BY id')).rows,
      );
      expect(rows.map((r) => [r.status, Number(r.seed)])).to.deep.equal([
        ['succeeded', 42],
        ['failed', 9],
        ['failed', 10],
      ]);
    });
  });
}

describe('generate --out --keep-failed', function () {
  this.timeout(120_000);
  let dir: string;
  let out: string;
  let impossible: string;
  const manifest = (): Manifest =>
    JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  const failing = (): string[] => [
    'generate',
    ...SMALL,
    `--seed=${FAILING_SEED}`,
    `--scenario=${impossible}`,
    '--format=csv',
    `--out=${out}`,
  ];

  before(async function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-keep-failed-files-'));
    out = path.join(dir, 'out');
    impossible = impossibleScenario(dir);
    const r = await hcpgen(['generate', ...SMALL, '--format=csv', `--out=${out}`, '--quiet']);
    expect(r.status, r.stderr).to.equal(0);
    expect(manifest().status).to.equal(undefined);
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('by default the failing files are deleted and the directory keeps the previous output', async function () {
    const before = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    const r = await hcpgen([...failing(), '--wipe']);
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stderr).to.include('so they were deleted');
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).to.equal(before);
  });

  it('with --keep-failed the files land with manifest status failed; exit 1; validate --files exits 1', async function () {
    const r = await hcpgen([...failing(), '--wipe', '--keep-failed', '--json']);
    expect(r.status, r.stderr).to.equal(1);
    const result = json<FilesResult>(r);
    expect(result).to.include({ status: 'generated', kept: true, runId: null });
    expect(failedChecks(result.validation)).to.include('impossible');
    expect(result.message).to.include('--keep-failed kept the files (not deleted)');
    const m = manifest();
    expect(m.status).to.equal('failed');
    expect(m.params.seed).to.equal(FAILING_SEED);

    const v = await hcpgen(['validate', `--files=${out}`]);
    expect(v.status, v.stderr).to.equal(1);
    expect(v.stdout).to.match(/FAIL +impossible/);

    const again = await hcpgen([...failing()]);
    expect(again.status, again.stderr).to.equal(1);
    expect(again.stdout).to.include(
      'but its checks failed: an earlier run kept the files with --keep-failed',
    );
  });
});
