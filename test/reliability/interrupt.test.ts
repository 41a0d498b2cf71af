// "Nothing lost": a regeneration that is interrupted or fails at any moment leaves every table exactly as it
// was, leaves no staging schema behind, and the next run works. Each case starts a --wipe run of INTERRUPTED
// HCPs (several seconds from source on a shared CI machine: load, then keys and indexes, then validation) over
// a first, finished run, and stops it at a named point.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parseDocument } from 'yaml';
import {
  adminQuery,
  createPgliteDir,
  createTestDatabase,
  TEST_TARGET,
  type TestDatabase,
} from '../helpers/testdb.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import {
  delay,
  fingerprintPglite,
  fingerprintPostgres,
  hcpgen,
  Hcpgen,
  ROOT,
  STACK_FRAME,
  type Finished,
} from './cli.js';

const FIRST = ['--hcps=2000', '--seed=42', '--no-seed-data'];
const INTERRUPTED = ['--wipe', '--hcps=6000', '--seed=43', '--no-seed-data'];
const LOAD = 'hcpgen: generating scenario';
const KEYS = 'hcpgen: adding keys and indexes';
const VALIDATING = 'hcpgen: validating';
/** SIGINT and SIGTERM must end the run this fast: the statement in progress is cancelled, not waited for. */
const PROMPT_MS = 5000;

/** A copy of the default scenario whose validation cannot pass: about 40 stimuli a year, asked for 400. */
function impossibleScenario(dir: string): string {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8'));
  doc.setIn(
    ['validation', 'checks'],
    [
      // min_hcps: 1, or a run this small would skip the check instead of failing it.
      { kind: 'stimuli_per_hcp', name: 'impossible', min_hcps: 1, expected: { min: 400 } },
    ],
  );
  const file = path.join(dir, 'impossible.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

/** The single line a user sees after Ctrl-C (or SIGTERM): everything printed after the signal was sent. */
function expectOneLineInterruption(r: Finished, before: string, signal: string): void {
  expect(r.status, r.stderr).to.equal(130);
  const after = r.stderr.slice(before.length);
  expect(after).to.equal(
    `hcpgen: interrupted by ${signal}: the run was rolled back and the database is as it was before.\n`,
  );
  expect(r.stderr).not.to.match(STACK_FRAME);
}

describePostgres('an interrupted or failed regeneration changes nothing', function () {
  let db: TestDatabase;
  let baseline: Record<string, string>;
  let dir: string;
  const db_ = (): string[] => [`--db=${db.url}`];

  before(async function () {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-reliability-'));
    const r = await hcpgen(['generate', ...FIRST, ...db_()]);
    expect(r.status, r.stderr).to.equal(0);
    baseline = await fingerprintPostgres(db.url);
    expect(baseline.hcp_profiles).to.match(/^2000 rows/);
    expect(baseline.hcpgen_runs).to.match(/^1 rows/);
  });

  after(async function () {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** The generator's backend (and its parallel workers) is gone: the server rolled back and let go of the lock. */
  async function backendGone(pid: number): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const { rows } = await adminQuery(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hcpgen pid ${pid}'`,
      );
      if ((rows[0] as { n: number }).n === 0) return;
      await delay(100);
    }
    throw new Error(`the database backend of killed hcpgen pid ${pid} is still there after 30 s`);
  }

  async function expectUnchanged(): Promise<void> {
    expect(await fingerprintPostgres(db.url)).to.deep.equal(baseline);
    expect(baseline.schemas).not.to.include('hcpgen_staging_');
  }

  for (const [signal, at, wait] of [
    ['SIGINT', LOAD, 1000],
    ['SIGTERM', KEYS, 0],
    ['SIGINT', VALIDATING, 0],
  ] as const) {
    it(`${signal} at "${at}"${wait ? ` + ${wait} ms` : ''}: exits 130 at once with one line`, async function () {
      const run = new Hcpgen(['generate', ...INTERRUPTED, ...db_()]);
      await run.waitForStderr(at);
      await delay(wait);
      const printed = run.stderr;
      const sent = performance.now();
      run.child.kill(signal);
      const r = await run.exited;
      expect(performance.now() - sent, 'time from signal to exit (ms)').to.be.below(PROMPT_MS);
      expectOneLineInterruption(r, printed, signal);
      await expectUnchanged();
    });
  }

  for (const [at, wait] of [
    [LOAD, 1000],
    [VALIDATING, 0],
  ] as const) {
    it(`SIGKILL at "${at}"${wait ? ` + ${wait} ms` : ''}: the server rolls back and frees the lock`, async function () {
      const run = new Hcpgen(['generate', ...INTERRUPTED, ...db_()]);
      await run.waitForStderr(at);
      await delay(wait);
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).to.equal('SIGKILL');
      await backendGone(run.pid);
      await expectUnchanged();
    });
  }

  for (const [at, wait] of [
    [LOAD, 1000],
    [KEYS, 0],
  ] as const) {
    it(`a dropped connection at "${at}"${wait ? ` + ${wait} ms` : ''}: says so, exits 2`, async function () {
      const run = new Hcpgen(['generate', ...INTERRUPTED, ...db_()]);
      await run.waitForStderr(at);
      await delay(wait);
      const { rows } = await adminQuery(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'hcpgen pid ${run.pid}') t`,
      );
      expect((rows[0] as { n: number }).n).to.be.at.least(1);
      const r = await run.exited;
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.match(
        /hcpgen: The connection to postgres:\/\/postgres@[^ ]+ was lost \([^)]+\)\. The server rolls back the unfinished transaction, so the database is as it was before\. Check that the server is up and reachable, then run again\.\n$/,
      );
      expect(r.stderr).not.to.match(STACK_FRAME);
      await expectUnchanged();
    });
  }

  it('a check that fails (validation ranges that cannot be met): exits 1, reports it, changes nothing', async function () {
    const r = await hcpgen([
      'generate',
      '--wipe',
      '--hcps=500',
      '--no-seed-data',
      `--scenario=${impossibleScenario(dir)}`,
      ...db_(),
    ]);
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stdout).to.match(/FAIL +impossible +expected >= 400/);
    expect(r.stderr).to.include('failed 1 of').and.include('the run was rolled back');
    expect(r.stderr).not.to.match(STACK_FRAME);
    await expectUnchanged();
  });

  // A full disk cannot be simulated safely on a shared server; a statement the server stops mid-run (here a
  // statement_timeout an administrator set on the database) takes the same path: error, rollback, message.
  it('a statement the server stops (statement_timeout): says what to do, exits 2, changes nothing', async function () {
    await adminQuery(`ALTER DATABASE "${db.name}" SET statement_timeout = '20ms'`);
    let r: Finished;
    try {
      r = await hcpgen(['generate', ...INTERRUPTED, ...db_()]);
    } finally {
      await adminQuery(`ALTER DATABASE "${db.name}" RESET statement_timeout`);
    }
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.include('canceling statement due to statement timeout');
    expect(r.stderr).to.include('The run was rolled back').and.include('raise it for hcpgen');
    expect(r.stderr).not.to.match(STACK_FRAME);
    await expectUnchanged();
  });

  it('the next run works and replaces the data', async function () {
    const r = await hcpgen([
      'generate',
      '--wipe',
      '--hcps=1500',
      '--seed=7',
      '--no-seed-data',
      '--no-validate',
      ...db_(),
    ]);
    expect(r.status, r.stderr).to.equal(0);
    const now = await fingerprintPostgres(db.url);
    expect(now.hcp_profiles).to.match(/^1500 rows/);
    expect(now.hcpgen_runs).to.match(/^2 rows/);
    expect(now.schemas).to.equal(baseline.schemas);
  });
});

// The embedded database: the same protocol inside PGlite (its statements run on hcpgen's own thread, so a
// signal is acted on between statements; a killed process leaves a stale lock file, which the next run takes over).
if (TEST_TARGET === 'pglite') {
  describe('an interrupted regeneration changes nothing [pglite]', function () {
    let data: { dir: string; remove(): void };
    let baseline: Record<string, string>;
    const env = (): NodeJS.ProcessEnv => ({ HCPGEN_DATA_DIR: data.dir });

    before(async function () {
      data = await createPgliteDir();
      const r = await hcpgen(['generate', '--hcps=300', '--no-seed-data', '--no-validate'], env());
      expect(r.status, r.stderr).to.equal(0);
      baseline = await fingerprintPglite(data.dir);
      expect(baseline.hcp_profiles).to.match(/^300 rows/);
    });

    after(() => data?.remove());

    it('SIGINT during the load: exits 130 with one line, every table unchanged', async function () {
      // Large enough that the load (generation starts before it, with the database opening) still runs a
      // second after it began.
      const run = new Hcpgen(['generate', '--wipe', '--hcps=15000', '--seed=9', '--no-seed-data'], env());
      await run.waitForStderr(LOAD);
      await delay(1000);
      const printed = run.stderr;
      run.child.kill('SIGINT');
      expectOneLineInterruption(await run.exited, printed, 'SIGINT');
      expect(await fingerprintPglite(data.dir)).to.deep.equal(baseline);
    });

    it('SIGKILL during the load: every table unchanged, and the next run works', async function () {
      const run = new Hcpgen(['generate', '--wipe', '--hcps=3000', '--seed=9', '--no-seed-data'], env());
      await run.waitForStderr(LOAD);
      await delay(1500);
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).to.equal('SIGKILL');
      expect(await fingerprintPglite(data.dir)).to.deep.equal(baseline);

      const next = await hcpgen(
        ['generate', '--wipe', '--hcps=200', '--seed=7', '--no-seed-data', '--no-validate'],
        env(),
      );
      expect(next.status, next.stderr).to.equal(0);
      const now = await fingerprintPglite(data.dir);
      expect(now.hcp_profiles).to.match(/^200 rows/);
      expect(now.hcpgen_runs).to.match(/^2 rows/);
    });
  });
}
