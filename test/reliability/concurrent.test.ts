// Two runs against one database: the second writer is refused (the PostgreSQL advisory lock) with a message
// naming the first; `generate --validate-only` and `validate` only read, so they run alongside and succeed.
import { expect } from 'chai';
import {
  adminQuery,
  createPgliteDir,
  createTestDatabase,
  TEST_TARGET,
  type TestDatabase,
} from '../helpers/testdb.js';
import { describePostgres } from '../helpers/describe-postgres.js';
import { delay, fingerprintPostgres, hcpgen, Hcpgen, STACK_FRAME } from './cli.js';

describePostgres('concurrent runs', function () {
  let db: TestDatabase;

  before(async function () {
    db = await createTestDatabase();
    const r = await hcpgen(['generate', '--hcps=300', '--no-seed-data', `--db=${db.url}`]);
    expect(r.status, r.stderr).to.equal(0);
  });

  after(async () => db?.drop());

  async function writerLockHeld(): Promise<boolean> {
    const { rows } = await adminQuery(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND l.granted AND d.datname = '${db.name}'`,
    );
    return (rows[0] as { n: number }).n > 0;
  }

  it('refuses a second writer while the first holds the lock; readers run alongside and succeed', async function () {
    const args = ['generate', '--wipe', '--hcps=2000', '--no-validate', '--no-seed-data', `--db=${db.url}`];
    const first = new Hcpgen(args);
    while (!(await writerLockHeld())) {
      if (first.child.exitCode !== null) throw new Error(`the first run ended early:\n${first.stderr}`);
      await delay(20);
    }
    // Paused mid-transaction (its session keeps the lock), so the others surely overlap it however fast or
    // slow the machine is; it resumes and finishes below.
    first.child.kill('SIGSTOP');
    const before = await fingerprintPostgres(db.url);
    const [second, validateOnly, validate] = await Promise.all([
      hcpgen(['generate', '--wipe', '--hcps=100', '--no-seed-data', `--db=${db.url}`]),
      hcpgen(['generate', '--validate-only', `--db=${db.url}`]),
      hcpgen(['validate', `--db=${db.url}`]),
    ]);
    first.child.kill('SIGCONT');

    expect(second.status, second.stderr).to.equal(2);
    expect(second.stderr).to.include(
      `hcpgen: Another hcpgen run is writing to this database (pid ${first.pid}). Only one run may write at a ` +
        'time: wait for it to finish, then run again (your run changed nothing).',
    );
    expect(second.stderr).not.to.match(STACK_FRAME);
    for (const r of [validateOnly, validate]) {
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/PASS +volume\.hcp_profiles +expected 300 rows, actual 300/);
      expect(r.stdout).to.match(/Validation: \d+ passed, 0 failed/);
    }

    const r = await first.exited;
    expect(r.status, r.stderr).to.equal(0);
    const after = await fingerprintPostgres(db.url);
    expect(after.hcp_profiles).to.match(/^2000 rows/);
    expect(after.hcpgen_runs).to.match(/^2 rows/);
    expect(before.hcp_profiles).to.match(/^300 rows/);
  });
});

if (TEST_TARGET === 'pglite') {
  describe('concurrent runs [pglite]', function () {
    it('refuses a second process on the same embedded database while the first runs', async function () {
      const data = await createPgliteDir();
      try {
        const env = { HCPGEN_DATA_DIR: data.dir };
        const first = new Hcpgen(['generate', '--hcps=300', '--no-seed-data', '--no-validate'], env);
        await first.waitForStderr('hcpgen: generating scenario');
        first.child.kill('SIGSTOP');
        const second = await hcpgen(['generate', '--validate-only'], env);
        first.child.kill('SIGCONT');
        expect(second.status, second.stderr).to.equal(2);
        expect(second.stderr).to.include(`in use by another hcpgen process (pid ${first.pid})`);
        expect(second.stderr).not.to.match(STACK_FRAME);
        expect((await first.exited).status).to.equal(0);
      } finally {
        data.remove();
      }
    });
  });
}
