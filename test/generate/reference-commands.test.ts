// The reference commands, verbatim, through npm (as existing users run them), against the test target: the
// embedded database (a temporary HCPGEN_DATA_DIR) or a fresh PostgreSQL database (DATABASE_URL). Then the
// wipe/skip behaviour around them. Needs the built CLI (npm install builds it).
import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { TABLES } from '../../src/plan/types.js';
import { openTarget } from '../../src/db/open-target.js';
import type { Target } from '../../src/db/target.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe(`the reference commands [${TEST_TARGET}]`, function () {
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;
  let open: () => Promise<Target>;

  before(async function () {
    const base = { ...process.env };
    delete base.DATABASE_URL;
    delete base.HCPGEN_DATA_DIR;
    if (TEST_TARGET === 'postgres') {
      const db = await createTestDatabase();
      env = { ...base, DATABASE_URL: db.url };
      open = () => openTarget({ db: db.url });
      cleanup = db.drop;
    } else {
      const dir = await createPgliteDir();
      env = { ...base, HCPGEN_DATA_DIR: dir.dir };
      open = () => openTarget({ dataDir: dir.dir, env: {} });
      cleanup = async () => dir.remove();
    }
  });
  after(async function () {
    await cleanup?.();
  });

  const npm = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync('npm', ['run', '--silent', 'generate:data', '--', ...args], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });

  /** Every table's content, as one hash per table (the run metadata included). */
  async function fingerprint(): Promise<Record<string, string>> {
    const target = await open();
    try {
      const out: Record<string, string> = {};
      for (const table of [...TABLES, 'hcpgen_runs']) {
        const { rows } = await target.query<{ h: string }>(
          `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${table} t`,
        );
        out[table] = rows[0]!.h;
      }
      return out;
    } finally {
      await target.close();
    }
  }

  it('generates 2,500 HCPs x 12 months with seed 42, validated, with the planned volumes', async function () {
    const r = npm('--seed=42', '--hcps=2500', '--months=12', '--wipe');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^Validation: \d+ passed, 0 failed$/m);
    const target = await open();
    try {
      const counts = (
        await target.query<{ n: number; fixtures: number }>(
          `SELECT count(*) AS n, count(*) FILTER (WHERE source = 'fixture') AS fixtures FROM hcp_profiles`,
        )
      ).rows[0]!;
      // ./seed-data holds the example fixtures, loaded on top of the generated HCPs
      expect(Number(counts.n) - Number(counts.fixtures)).to.equal(2500);
      const stimuli = Number(
        (await target.query<{ n: number }>('SELECT count(*) AS n FROM stimuli')).rows[0]!.n,
      );
      expect(stimuli).to.be.within(95_000, 105_000);
      const campaigns = Number(
        (await target.query<{ n: number }>('SELECT count(*) AS n FROM campaigns WHERE id < 1000000000'))
          .rows[0]!.n,
      );
      expect(campaigns).to.equal(55);
    } finally {
      await target.close();
    }
  });

  it('--validate-only checks the data and changes nothing', async function () {
    const before = await fingerprint();
    const r = npm('--validate-only');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^Validation: \d+ passed, 0 failed$/m);
    expect(await fingerprint()).to.deep.equal(before);
  });

  it('without --wipe, the same run again says the data exists and exits 0 changing nothing', async function () {
    const before = await fingerprint();
    const r = npm('--seed=42', '--hcps=2500', '--months=12');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include(
      'Data already exists (2,500 HCPs, seed 42, scenario default); use --wipe to regenerate',
    );
    expect(await fingerprint()).to.deep.equal(before);
  });

  it('without --wipe, a different run says what is there and exits non-zero changing nothing', async function () {
    const before = await fingerprint();
    const r = npm('--seed=7', '--hcps=300', '--months=12');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(
      /already holds different generated data \(2,500 HCPs, seed 42, scenario default/,
    );
    expect(r.stderr).to.match(/--wipe/);
    expect(r.stderr).to.not.match(/\n\s+at /);
    expect(await fingerprint()).to.deep.equal(before);
  });

  it('with --wipe, replaces the data with the new run', async function () {
    const r = npm('--seed=7', '--hcps=300', '--months=12', '--wipe');
    expect(r.status, r.stderr).to.equal(0);
    const target = await open();
    try {
      const run = (
        await target.query<{ seed: string | number; hcps: number }>(
          'SELECT seed, hcps FROM hcpgen_runs ORDER BY id DESC LIMIT 1',
        )
      ).rows[0]!;
      expect(Number(run.seed)).to.equal(7);
      expect(run.hcps).to.equal(300);
      const max = (
        await target.query<{ m: number }>(`SELECT max(id) AS m FROM hcp_profiles WHERE source = 'generated'`)
      ).rows[0]!;
      expect(max.m).to.equal(300);
    } finally {
      await target.close();
    }
  });
});
