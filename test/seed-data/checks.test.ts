// Fixture files are checked like scenarios: schema problems and every cross-reference, each at its
// file:line:col, all at once; duplicates name both places.
import { expect } from 'chai';
import path from 'node:path';
import { loadSeedData } from '../../src/fixtures/seed-data.js';
import { FixtureError } from '../../src/fixtures/files.js';
import type { Problem } from '../../src/scenario/problems.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import { defaultPlan, fixtureDir, SMALL } from './helpers.js';

async function problems(files: Record<string, string>): Promise<Problem[]> {
  const plan = await defaultPlan();
  const { dir, remove } = fixtureDir(files);
  try {
    loadSeedData(dir, plan);
  } catch (err) {
    if (err instanceof FixtureError) return err.problems.map((p) => ({ ...p, file: path.basename(p.file) }));
    throw err;
  } finally {
    remove();
  }
  return [];
}

const at = (p: Problem): string => `${p.file}:${p.line}:${p.col}`;

describe('seed-data checks', function () {
  it('accepts the shipped example against the default scenario, for several windows', async function () {
    const dir = path.join(packageRoot(), 'seed-data');
    for (const params of [{}, { months: 12 }, { asOf: '2024-03-15', months: 6 }, { hcps: 5000, seed: 1 }]) {
      const seed = loadSeedData(dir, await defaultPlan(params));
      expect(seed.files).to.deep.equal(['example-fixtures.yaml']);
      expect(seed.hcps).to.equal(3);
      expect(seed.campaigns).to.equal(2);
      expect(seed.rows.rows.rx_history).to.equal(3 * (params.months ?? 3));
    }
  });

  it('reports schema problems at their line and column, every one of them', async function () {
    const found = await problems({
      'a.yaml': `hcps:\n  - npi: '1904567819'\n    tierr: Tier 1\n    rx:\n      - { month: -1m, nrx: many, trx: 3 }\n`,
    });
    expect(found.map(at)).to.deep.equal(['a.yaml:3:5', 'a.yaml:5:28']);
    expect(found[0]!.message).to.match(/tierr/);
    expect(found[1]!.message).to.match(/nrx/);
  });

  it('rejects an NPI outside the fixture block, and a wrong check digit, saying why', async function () {
    const found = await problems({
      'a.yaml': `hcps:\n  - npi: 1234567893\n  - npi: '1904567810'\n`,
    });
    expect(found.map(at)).to.deep.equal(['a.yaml:2:10', 'a.yaml:3:10']);
    expect(found[0]!.message).to.contain('outside the block reserved for fixtures');
    expect(found[0]!.hint).to.contain('19xxxxxxxC').and.to.contain('never');
    expect(found[1]!.message).to.contain('wrong check digit');
    expect(found[1]!.hint).to.equal('use 1904567819');
  });

  it('names both places of an NPI declared in two files', async function () {
    const found = await problems({
      'a.yaml': SMALL,
      'b.yaml': `hcps:\n  - npi: '1909182739'\n  - npi: 1904567819\n`,
    });
    expect(found).to.have.length(1);
    expect(at(found[0]!)).to.equal('b.yaml:3:10');
    expect(found[0]!.message).to.contain('NPI 1904567819 is declared twice').and.contain('a.yaml:7:10');
  });

  it('names both places of a campaign declared twice', async function () {
    const found = await problems({
      'a.yaml': SMALL,
      'b.yaml': `campaigns:\n  - { name: Q4 e-mail, type: Brand awareness, start: -1m, end: -0m }\n`,
    });
    expect(found.map(at)).to.deep.equal(['b.yaml:2:13']);
    expect(found[0]!.message).to.contain('"Q4 e-mail" is declared twice').and.contain('a.yaml:2:11');
  });

  it('reports a dangling campaign reference where it is, with the closest name', async function () {
    const found = await problems({ 'a.yaml': SMALL.replace('campaign: Q4 e-mail', 'campaign: Q4 email') });
    expect(found.map(at)).to.deep.equal(['a.yaml:13:19']);
    expect(found[0]!.message).to.equal('no fixture campaign is named "Q4 email"');
    expect(found[0]!.hint).to.contain('did you mean "Q4 e-mail"?');
  });

  it('checks records against the scenario and the window', async function () {
    const found = await problems({
      'a.yaml': `hcps:
  - npi: '1904567819'
    specialty: Cardiology
    tier: Tier 9
  - npi: '1909182739'
    stimuli:
      - { channel: fax, at: -3d 10:00 }
      - { channel: email, at: 2023-01-05 10:00 }
      - channel: email
        at: -3d 10:00
        outcome: { type: attended, at: -3d 11:00 }
      - channel: email
        at: -3d 10:00
        outcome: { type: opened, at: -4d 11:00 }
    rx:
      - { month: 2023-01, nrx: 1, trx: 2 }
      - { month: -1m, nrx: 5, trx: 2 }
`,
    });
    const byLine = Object.fromEntries(found.map((p) => [p.line, p.message]));
    expect(Object.keys(byLine).map(Number)).to.deep.equal([3, 4, 7, 8, 11, 14, 16, 17]);
    expect(byLine[3]).to.contain('not a taxonomy code');
    expect(byLine[4]).to.contain('tier "Tier 9"');
    expect(byLine[7]).to.contain('channel "fax"');
    expect(byLine[8]).to.contain("outside this run's window (2025-10-01 to 2025-12-31, 3 months)");
    expect(byLine[11]).to.contain('channel email has no outcome "attended"');
    expect(byLine[14]).to.contain('comes before its stimulus');
    expect(byLine[16]).to.contain('outside this run');
    expect(byLine[17]).to.contain('trx (2) is below nrx (5)');
  });

  it('refuses a campaign stimulus for an HCP the campaign does not target', async function () {
    const found = await problems({
      'a.yaml': `campaigns:
  - { name: Cardio, type: Cardiometabolic focus, start: -2m, end: -0m }
hcps:
  - npi: '1904567819'
    specialty: 208000000X
    stimuli:
      - { channel: email, at: -3d 10:00, campaign: Cardio }
`,
    });
    expect(found.map(at)).to.deep.equal(['a.yaml:7:52']);
    expect(found[0]!.message).to.contain('does not target this HCP (specialty 208000000X)');
  });

  it('skips a file meant for other scenarios, and applies it to its own', async function () {
    const text = `scenarios: [oncology-launch]\nhcps:\n  - npi: '1904567819'\n    specialty: nonsense\n`;
    const { dir, remove } = fixtureDir({ 'onc.yaml': text, 'a.yaml': SMALL });
    try {
      const seed = loadSeedData(dir, await defaultPlan());
      expect(seed.files).to.deep.equal(['a.yaml']);
      expect(seed.skipped).to.deep.equal(['onc.yaml']);
    } finally {
      remove();
    }
  });

  it('reads JSON fixture files with positions too', async function () {
    const found = await problems({ 'a.json': '{\n  "hcps": [\n    { "npi": "1904567819", "decile": 11 }\n  ]\n}\n' });
    expect(found.map(at)).to.deep.equal(['a.json:3:38']);
  });
});
