// Fixtures follow the run's window: a record whose date is relative to --as-of and falls outside the window
// is skipped with a one-line notice (and what hangs on it with it), deterministically and reflected in the
// plan's fixture rows; an absolute date outside the window stays an error at its file:line:col.
import { expect } from 'chai';
import path from 'node:path';
import { FixtureError } from '../../src/fixtures/files.js';
import { FIXTURE_CAMPAIGN_ID_BASE } from '../../src/fixtures/resolve.js';
import {
  expectedWithFixtures,
  loadSeedData,
  planFixtures,
  type SeedData,
} from '../../src/fixtures/seed-data.js';
import { TABLES } from '../../src/plan/types.js';
import type { Plan, RunParams } from '../../src/plan/types.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import { batchLines } from '../helpers/chunk-lines.js';
import { defaultPlan, fixtureDir } from './helpers.js';

const EXAMPLE = path.join(packageRoot(), 'seed-data');

function load(dir: string, plan: Plan): { seed: SeedData; notices: string[] } {
  const notices: string[] = [];
  const seed = loadSeedData(dir, plan, { notice: (line) => notices.push(line) });
  return { seed, notices };
}

async function example(over: Partial<RunParams>): Promise<{ seed: SeedData; notices: string[]; plan: Plan }> {
  const plan = await defaultPlan(over);
  return { ...load(EXAMPLE, plan), plan };
}

/** One column of a table's fixture rows, as numbers (CSV: no quoted commas in id columns). */
function column(seed: SeedData, table: (typeof TABLES)[number], index: number): number[] {
  return batchLines(seed.rows.batches[table].data()).map((l) => Number(l.split(',')[index]));
}

function problemsOf(dir: string, plan: Plan): string[] {
  try {
    load(dir, plan);
  } catch (err) {
    if (err instanceof FixtureError) {
      return err.problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.col}: ${p.message}`);
    }
    throw err;
  }
  return [];
}

describe('seed-data and the run window', function () {
  it('runs the shipped example with --months=1: the records before the window are skipped, each noted', async function () {
    const { seed, notices } = await example({ months: 1 });
    expect(seed.skippedItems.map((s) => `${s.file}:${s.line} ${s.kind} ${s.pointer}`)).to.deep.equal([
      'example-fixtures.yaml:44 stimulus /hcps/0/stimuli/0',
      'example-fixtures.yaml:47 stimulus /hcps/0/stimuli/1',
      'example-fixtures.yaml:56 rx /hcps/0/rx/0',
      'example-fixtures.yaml:91 stimulus /hcps/2/stimuli/0',
      'example-fixtures.yaml:102 rx /hcps/2/rx/0',
      'example-fixtures.yaml:103 rx /hcps/2/rx/1',
    ]);
    expect(notices).to.have.length(6);
    expect(notices[0]).to.match(
      /^(.*\/)?seed-data\/example-fixtures\.yaml:44: skipped in_person_detail stimulus dated -55d 10:15 \(2025-11-06\) with its sample_request outcome: outside the 1-month window 2025-12-01\.\.2025-12-31$/,
    );
    expect(notices[4]).to.match(
      /example-fixtures\.yaml:102: skipped Rx of month -2m \(2025-10\) for CARDIVEX: outside the 1-month window 2025-12-01\.\.2025-12-31$/,
    );
    // Every HCP and campaign stays (campaigns that began before the window are cut to it, as generated ones are).
    expect(seed.hcps).to.equal(3);
    expect(seed.campaigns).to.equal(2);
    expect(seed.rows.rows.hcp_profiles).to.equal(3);
    expect(seed.rows.rows.rx_history).to.equal(3);
  });

  it('runs it with --months=2: only the Rx month of line 102 is skipped', async function () {
    const { seed, notices } = await example({ months: 2 });
    expect(seed.skippedItems.map((s) => `${s.file}:${s.line}:${s.col}`)).to.deep.equal([
      'example-fixtures.yaml:102:18',
    ]);
    expect(notices).to.have.length(1);
    expect(notices[0]).to.contain('outside the 2-month window 2025-11-01..2025-12-31');
    expect(seed.rows.rows.rx_history).to.equal(3 * 2);
  });

  it('skips nothing with --months=3 or more, and every listed record is there', async function () {
    for (const months of [3, 6, 12, 24]) {
      const { seed, notices } = await example({ months });
      expect(seed.skippedItems, `months=${months}`).to.deep.equal([]);
      expect(notices).to.deep.equal([]);
      expect(planFixtures(seed)).to.not.have.property('skippedItems');
    }
  });

  it('records the skipped records in the plan, and its rows are the rows written', async function () {
    const { seed, plan } = await example({ months: 1 });
    const fixtures = planFixtures(seed)!;
    expect(fixtures.skippedItems).to.deep.equal(seed.skippedItems);
    expect(fixtures.rows).to.deep.equal(seed.rows.rows);
    for (const t of TABLES) expect(fixtures.rows[t], t).to.equal(seed.rows.batches[t].rows);
    plan.fixtures = fixtures;
    const total = expectedWithFixtures(plan);
    for (const t of TABLES) expect(total[t], t).to.equal(plan.expected[t] + seed.rows.rows[t]);
    // Deterministic: the same files and flags skip the same records and give the same rows.
    const again = await example({ months: 1 });
    expect(again.seed.skippedItems).to.deep.equal(seed.skippedItems);
    expect(again.seed.rows.rows).to.deep.equal(seed.rows.rows);
    expect(again.seed.hash).to.equal(seed.hash);
  });

  it('leaves the skipped records out of the rows, keeping the others', async function () {
    const one = (await example({ months: 1 })).seed;
    const three = (await example({ months: 3 })).seed;
    // Maria Alvarez (the first fixture HCP) lists four stimuli; two of them are before December.
    const maria = 2_000_000_001;
    const stimuliOf = (seed: SeedData): number[] => column(seed, 'stimuli', 1).filter((hcp) => hcp === maria);
    expect(stimuliOf(three)).to.have.length(4);
    expect(stimuliOf(one)).to.have.length(2);
  });

  it('keeps an absolute date outside the window an error at its file:line:col', async function () {
    const plan = await defaultPlan({ months: 1 });
    const { dir, remove } = fixtureDir({
      'a.yaml': `campaigns:
  - { name: Old, type: Brand awareness, start: 2025-01-01, end: 2025-02-28 }
hcps:
  - npi: '1904567819'
    stimuli:
      - { channel: email, at: 2025-11-20 08:00 }
      - { channel: email, at: -50d 08:00 }
    rx:
      - { month: 2025-10, nrx: 1, trx: 2 }
`,
    });
    try {
      expect(problemsOf(dir, plan)).to.deep.equal([
        "a.yaml:2:48: campaign \"Old\" runs 2025-01-01 to 2025-02-28, entirely outside this run's window (2025-12-01 to 2025-12-31, 1 month)",
        "a.yaml:6:31: 2025-11-20 08:00 (2025-11-20) is outside this run's window (2025-12-01 to 2025-12-31, 1 month)",
        'a.yaml:9:18: month "2025-10" is outside this run\'s window (2025-12-01 to 2025-12-31, 1 month)',
      ]);
    } finally {
      remove();
    }
  });

  it('skips a campaign that ended before the window with its stimuli, keeping the ids of the others', async function () {
    const text = `campaigns:
  - { name: A spring wave, type: Brand awareness, start: -9m, end: -7m }
  - { name: B winter wave, type: Brand awareness, start: -1m, end: -0m }
hcps:
  - npi: '1904567819'
    specialty: 207RC0000X
    state: NY
    stimuli:
      - channel: email
        at: -250d 08:00
        campaign: A spring wave
        outcome: { type: opened, at: -250d 09:00 }
      - { channel: email, at: -3d 08:00, campaign: B winter wave }
`;
    const { dir, remove } = fixtureDir({ 'a.yaml': text });
    try {
      const { seed, notices } = load(dir, await defaultPlan({ months: 3 }));
      expect(seed.skippedItems.map((s) => `${s.file}:${s.line} ${s.kind}`)).to.deep.equal([
        'a.yaml:2 campaign',
        'a.yaml:10 stimulus',
      ]);
      expect(notices[0]).to.match(
        /a\.yaml:2: skipped campaign "A spring wave" \(-9m to -7m: 2025-03-01\.\.2025-05-31\) and its stimuli: outside the 3-month window 2025-10-01\.\.2025-12-31$/,
      );
      expect(notices[1]).to.contain('a.yaml:10: skipped email stimulus dated -250d 08:00 (2025-04-25) with its opened outcome');
      expect(seed.campaigns).to.equal(1);
      expect(seed.rows.rows.campaigns).to.equal(1);
      expect(seed.rows.rows.stimuli).to.equal(1);
      // B keeps the id it has when A is in the window: ids come from names, not from what this run skips.
      expect(column(seed, 'campaigns', 0)).to.deep.equal([FIXTURE_CAMPAIGN_ID_BASE + 2]);
      const wide = load(dir, await defaultPlan({ months: 12 })).seed;
      expect(wide.skippedItems).to.deep.equal([]);
      expect(column(wide, 'campaigns', 0)).to.deep.equal([
        FIXTURE_CAMPAIGN_ID_BASE + 1,
        FIXTURE_CAMPAIGN_ID_BASE + 2,
      ]);
    } finally {
      remove();
    }
  });

  it('skips a relative rep visit that lands on a federal holiday, and refuses an absolute one', async function () {
    // With --as-of 2024-06-26, Maria Alvarez's "-7d 14:40" visit is on Juneteenth (2024-06-19).
    const { seed, notices } = await example({ asOf: '2024-06-26' });
    expect(seed.skippedItems.map((s) => `${s.file}:${s.line} ${s.pointer}`)).to.deep.equal([
      'example-fixtures.yaml:54 /hcps/0/stimuli/3',
    ]);
    expect(notices[0]).to.match(
      /example-fixtures\.yaml:54: skipped in_person_detail stimulus dated -7d 14:40 \(2024-06-19\): a US federal holiday/,
    );
    const { dir, remove } = fixtureDir({
      'a.yaml': `hcps:
  - npi: '1904567819'
    stimuli:
      - { channel: in_person_detail, at: 2025-12-25 10:00 }
      - { channel: email, at: 2025-12-25 10:00 }
`,
    });
    try {
      expect(problemsOf(dir, await defaultPlan())).to.deep.equal([
        'a.yaml:4:42: 2025-12-25 10:00 is a US federal holiday (or its observed day), and reps make no in_person_detail calls on one',
      ]);
    } finally {
      remove();
    }
  });

  it('still checks a skipped record: a fixture file that is wrong is wrong for every window', async function () {
    const { dir, remove } = fixtureDir({
      'a.yaml': `hcps:
  - npi: '1904567819'
    stimuli:
      - channel: email
        at: -50d 08:00
        outcome: { type: attended, at: -50d 09:00 }
    rx:
      - { month: -5m, nrx: 5, trx: 2 }
      - { month: -5m, nrx: 1, trx: 2 }
      - { month: -5m, nrx: 1, trx: 2 }
`,
    });
    try {
      const found = problemsOf(dir, await defaultPlan({ months: 1 }));
      expect(found).to.have.length(3);
      expect(found[0]).to.match(/^a\.yaml:6:.*channel email has no outcome "attended"/);
      expect(found[1]).to.match(/^a\.yaml:8:.*trx \(2\) is below nrx \(5\)/);
      expect(found[2]).to.match(/^a\.yaml:10:.*Rx for 2025-07 .* is given twice: already at a\.yaml:9:/);
    } finally {
      remove();
    }
  });
});
