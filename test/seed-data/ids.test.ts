// Fixture ids and NPIs can never meet generated ones, at any --hcps, and they come from natural keys: the
// same fixtures give the same rows whatever the files are called or how records are spread over them.
import { expect } from 'chai';
import path from 'node:path';
import { loadSeedData, type SeedData } from '../../src/fixtures/seed-data.js';
import { MAX_HCPS } from '../../src/plan/limits.js';
import { npiForIndex } from '../../src/random/npi.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import { STIMULUS_ID_BASE } from '../../src/steps/stimuli.js';
import { TERRITORY_ID_BASE } from '../../src/steps/territory-assignments.js';
import { defaultPlan, fixtureDir } from './helpers.js';
import { TABLES, type TableName } from '../../src/plan/types.js';
import { batchLines } from '../helpers/chunk-lines.js';

const INT4_MAX = 2_147_483_647;

/** The fixtures' rows of each table as CSV text (the file sink's encoding). */
function csvOf(seed: SeedData): Record<TableName, string> {
  return Object.fromEntries(
    TABLES.map((t) => [t, batchLines(seed.rows.batches[t].data()).map((l) => l + '\n').join('')]),
  ) as Record<TableName, string>;
}

function column(seed: SeedData, table: TableName, index: number): number[] {
  const text = csvOf(seed)[table];
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(l.split(',')[index]));
}

describe('seed-data ids and NPIs', function () {
  it('never collide with generated ones, at several --hcps', async function () {
    const dir = path.join(packageRoot(), 'seed-data');
    for (const hcps of [1, 2000, 250_000, MAX_HCPS]) {
      const plan = await defaultPlan({ hcps });
      const seed = loadSeedData(dir, plan);
      const hcpIds = column(seed, 'hcp_profiles', 0);
      expect(Math.min(...hcpIds), `hcps=${hcps}`).to.be.greaterThan(MAX_HCPS);
      expect(Math.max(...hcpIds)).to.be.at.most(INT4_MAX);
      // Every derived id sits above the largest id any generated HCP can have.
      expect(Math.min(...column(seed, 'stimuli', 0))).to.be.greaterThan(hcps * STIMULUS_ID_BASE + STIMULUS_ID_BASE);
      expect(Math.max(...column(seed, 'stimuli', 0))).to.be.below(Number.MAX_SAFE_INTEGER);
      expect(Math.min(...column(seed, 'territory_assignments', 0))).to.be.greaterThan(
        hcps * TERRITORY_ID_BASE + TERRITORY_ID_BASE,
      );
      expect(Math.min(...column(seed, 'campaigns', 0))).to.be.greaterThan(plan.campaigns.count);
      expect(Math.max(...column(seed, 'campaigns', 0))).to.be.at.most(INT4_MAX);
      // Fixture NPIs are in the reserved block; generated ones (first, last and a spread of ids) never are.
      const fixtureNpis = csvOf(seed).hcp_profiles
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(',')[1]!);
      expect(fixtureNpis.every((n) => n.startsWith('19'))).to.equal(true);
      const step = Math.max(1, Math.floor(hcps / 20_000));
      for (let id = 1; id <= hcps; id += step) {
        expect(npiForIndex(id, plan.params.seed).startsWith('19')).to.equal(false);
      }
    }
  });

  it('assigns ids by NPI and campaign name, not by file name or order', async function () {
    const hcp = (npi: string, name: string): string =>
      `  - npi: '${npi}'\n    last_name: ${name}\n    stimuli:\n      - { channel: email, at: -5d 10:00, campaign: C${name} }\n`;
    const camp = (name: string): string => `  - { name: C${name}, type: Brand awareness, start: -1m, end: -0m }\n`;
    const one = fixtureDir({
      'a.yaml': `campaigns:\n${camp('Zed')}${camp('Abe')}hcps:\n${hcp('1909182739', 'Zed')}${hcp('1904567819', 'Abe')}`,
    });
    const two = fixtureDir({
      '1-abe.yaml': `campaigns:\n${camp('Abe')}hcps:\n${hcp('1904567819', 'Abe')}`,
      '0-zed.json': JSON.stringify({
        campaigns: [{ name: 'CZed', type: 'Brand awareness', start: '-1m', end: '-0m' }],
        hcps: [{ npi: 1909182739, last_name: 'Zed', stimuli: [{ channel: 'email', at: '-5d 10:00', campaign: 'CZed' }] }],
      }),
    });
    try {
      const plan = await defaultPlan();
      const a = loadSeedData(one.dir, plan);
      const b = loadSeedData(two.dir, plan);
      expect(csvOf(b)).to.deep.equal(csvOf(a));
      expect(csvOf(a).hcp_profiles).to.match(/^2000000001,1904567819,[^,]+,Abe,/);
      expect(csvOf(a).campaigns).to.match(/^1000000001,CAbe,/);
      expect(a.hash).to.not.equal(b.hash); // different files: a different run, even with equal rows
    } finally {
      one.remove();
      two.remove();
    }
  });

  it('draws what a fixture leaves open from its NPI, not from its position', async function () {
    const plan = await defaultPlan();
    const lone = fixtureDir({ 'a.yaml': `hcps:\n  - npi: '1909182739'\n    fill: true\n` });
    const crowd = fixtureDir({
      'a.yaml': `hcps:\n  - npi: '1904567819'\n  - npi: '1909182739'\n    fill: true\n  - npi: '1900000013'\n`,
    });
    try {
      const strip = (csv: string, id: number): string[] =>
        csv
          .split('\n')
          .filter((l) => l.includes(`,${id},`) || l.startsWith(`${id},`))
          .map((l) => l.replaceAll(String(id), 'ID'));
      const a = loadSeedData(lone.dir, plan);
      const b = loadSeedData(crowd.dir, plan);
      // 1909182739 is id ...001 alone and id ...003 among three (NPI order); its values do not change.
      expect(strip(csvOf(b).hcp_profiles, 2_000_000_003)).to.deep.equal(strip(csvOf(a).hcp_profiles, 2_000_000_001));
      expect(b.rows.rows.stimuli).to.be.greaterThan(0);
      const times = (s: SeedData, id: number): string[] =>
        csvOf(s).stimuli
          .split('\n')
          .filter((l) => l.split(',')[1] === String(id))
          .map((l) => l.split(',').slice(2).join(','));
      expect(times(b, 2_000_000_003)).to.deep.equal(times(a, 2_000_000_001));
    } finally {
      lone.remove();
      crowd.remove();
    }
  });
});
