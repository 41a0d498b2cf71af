// hcpgen runs: the history in hcpgen_runs, as a table and as JSON, and --compare of two runs.
import { expect } from 'chai';
import { hcpgen } from '../reliability/cli.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';
import type { RunComparison, RunSummary } from '../../src/report/runs.js';

describe(`hcpgen runs [${TEST_TARGET}]`, function () {
  this.timeout(120_000);
  let where: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  let cleanup: () => Promise<void> = async () => undefined;
  before(async function () {
    if (TEST_TARGET === 'postgres') {
      const db = await createTestDatabase();
      where = ['--db', db.url];
      cleanup = db.drop;
    } else {
      const d = await createPgliteDir();
      env = { HCPGEN_DATA_DIR: d.dir };
      cleanup = async () => d.remove();
    }
  });
  after(async function () {
    await cleanup();
  });

  it('says so when nothing was generated', async function () {
    const r = await hcpgen(['runs', ...where], env);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^No runs recorded in /);
  });

  it('lists every run and compares two', async function () {
    const gen = [
      'generate',
      ...where,
      '--hcps',
      '100',
      '--seed',
      '1',
      '--workers',
      '0',
      '--no-seed-data',
      '--quiet',
      '--no-validate',
    ];
    expect((await hcpgen([...gen, '--months', '2'], env)).status).to.equal(0);
    expect((await hcpgen([...gen, '--months', '3', '--wipe'], env)).status).to.equal(0);
    const list = await hcpgen(['runs', ...where, '--json'], env);
    expect(list.stderr).to.equal('');
    const runs = JSON.parse(list.stdout) as RunSummary[];
    expect(runs.map((r) => [r.id, r.months, r.hcps, r.status])).to.deep.equal([
      [1, 2, 100, 'succeeded'],
      [2, 3, 100, 'succeeded'],
    ]);
    expect(runs[1]!.rows).to.be.above(runs[0]!.rows!);
    expect(runs[0]!.durationSeconds).to.be.a('number');
    const text = await hcpgen(['runs', ...where], env);
    expect(text.stdout.split('\n')[0]).to.match(
      /^id \| finished \(UTC\) +\| scenario \| hash +\| seed \| hcps \| months \| as-of +\| status +\| rows +\| seconds$/,
    );
    expect(text.stdout).to.match(/\(2 rows\)\n$/);

    const cmp = await hcpgen(['runs', ...where, '--compare', '1', '2', '--json'], env);
    const c = JSON.parse(cmp.stdout) as RunComparison;
    expect(c.params).to.deep.equal([{ field: 'months', a: 2, b: 3 }]);
    const stimuli = c.counts.find((x) => x.table === 'stimuli')!;
    expect(stimuli.diff).to.equal(stimuli.b! - stimuli.a!);
    expect(c.counts.find((x) => x.table === 'hcp_profiles')!.diff).to.equal(0);
    const shown = await hcpgen(['runs', ...where, '--compare', '1', '2'], env);
    expect(shown.stdout).to.match(/^run #1 \(A\) vs run #2 \(B\)/);
    expect(shown.stdout).to.match(/^months +\| 2 \| 3$/m);
    const missing = await hcpgen(['runs', ...where, '--compare', '1', '9'], env);
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.match(/no run #9 \(it has runs #1, #2\)/);
  });
});
