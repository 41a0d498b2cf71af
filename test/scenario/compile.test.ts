// compile(): the plan is pure, serialisable, reproduces the reference volumes, scales what is per-month, and
// turns formula results that cannot be counts into scenario errors at the formula's position.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { compile } from '../../src/scenario/compile.js';
import { planFor } from '../../src/scenario/plan-for.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { checkScenario } from '../../src/scenario/check.js';
import { ScenarioError } from '../../src/scenario/problems.js';
import type { Scenario } from '../../src/scenario/scenario-types.js';
import { TABLES } from '../../src/plan/types.js';
import { schemaPath } from '../../src/scenario/check.js';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const params = { seed: 42, months: 12, asOf: '2025-12-31' };

/** The default scenario with one edit applied to its YAML (so positions stay real). */
function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): { text: string; scenario: Scenario } {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'scenarios', 'default.yaml'), 'utf8'));
  edit(doc);
  const text = doc.toString();
  return { text, scenario: checkScenario(loadScenarioText(text, 'edited.yaml')) };
}

function compileText(text: string, hcps: number): ReturnType<typeof compile> {
  const loaded = loadScenarioText(text, 'edited.yaml');
  const scenario = checkScenario(loaded);
  return compile(
    scenario,
    {
      name: scenario.name,
      file: 'edited.yaml',
      hash: loaded.hash,
      locate: (p, o) => loaded.locateInString(p, o),
    },
    { ...params, hcps },
    'test',
  );
}

describe('compile', function () {
  // The reference quick-guide's table for --months=12; the campaign column is the table's, not its prose.
  const reference = [
    { hcps: 2000, stimuli: 80_000, outcomes: 16_000, rx: 24_000, territories: 2_500, campaigns: 50 },
    { hcps: 2500, stimuli: 100_000, outcomes: 20_000, rx: 30_000, territories: 3_125, campaigns: 55 },
    { hcps: 3000, stimuli: 120_000, outcomes: 24_000, rx: 36_000, territories: 3_750, campaigns: 60 },
    { hcps: 5000, stimuli: 200_000, outcomes: 40_000, rx: 60_000, territories: 6_250, campaigns: 80 },
  ];
  for (const ref of reference) {
    it(`plans the reference volumes for ${ref.hcps} HCPs within 10%`, async function () {
      const { plan } = await planFor('default', { ...params, hcps: ref.hcps });
      const e = plan.expected;
      const close = (actual: number, wanted: number, what: string): void => {
        expect(Math.abs(actual - wanted) / wanted, `${what}: ${actual} vs ${wanted}`).to.be.at.most(0.1);
      };
      expect(e.hcp_profiles).to.equal(ref.hcps);
      close(e.stimuli, ref.stimuli, 'stimuli');
      close(e.outcomes, ref.outcomes, 'outcomes');
      expect(e.rx_history).to.equal(ref.rx);
      close(e.territory_assignments, ref.territories, 'territory_assignments');
      expect(e.campaigns).to.equal(ref.campaigns);
      expect(e.engagement_scores).to.equal(ref.hcps);
    });
  }

  it('scales what is per month with --months, and nothing else', async function () {
    const a = (await planFor('default', { ...params, hcps: 2000, months: 12 })).plan.expected;
    const b = (await planFor('default', { ...params, hcps: 2000, months: 24 })).plan.expected;
    expect(b.rx_history).to.equal(2 * a.rx_history);
    expect(b.stimuli / a.stimuli).to.be.within(1.95, 2.05);
    expect(b.outcomes / a.outcomes).to.be.within(1.95, 2.05);
    expect(b.hcp_profiles).to.equal(a.hcp_profiles);
    expect(b.territory_assignments).to.equal(a.territory_assignments);
  });

  it('is pure and serialisable: the same input gives the same plan, through JSON and back', async function () {
    const one = (await planFor('default', { ...params, hcps: 1234 })).plan;
    const two = (await planFor('default', { ...params, hcps: 1234 })).plan;
    expect(JSON.parse(JSON.stringify(one))).to.deep.equal(two);
    expect(one.steps.map((s) => s.table)).to.deep.equal([...TABLES]);
    expect(one.population.decileBounds).to.have.length(9);
    expect([...one.population.decileBounds].sort((x, y) => x - y)).to.deep.equal(one.population.decileBounds);
  });

  it('resolves a second scenario with its own products, window and channels (nothing hard-coded)', async function () {
    const { plan } = await planFor('oncology-launch', { ...params, hcps: undefined, months: undefined });
    expect(plan.params.hcps).to.equal(3000); // the scenario's defaults
    expect(plan.params.months).to.equal(24);
    expect(plan.products.map((p) => p.id)).to.deep.equal(['ONVATRA', 'KEYLIX']);
    expect(plan.expected.rx_history).to.equal(3000 * 24 * 2);
    expect(plan.channels.map((c) => c.id)).to.include('msl_visit');
  });

  it('reports a campaign count formula that is fractional at the requested --hcps, at the formula', function () {
    const { text } = edited((doc) => doc.setIn(['campaigns', 'count'], '30 + hcps / 7'));
    const line = text.split('\n').findIndex((l) => l.includes('30 + hcps / 7')) + 1;
    const err = (() => {
      try {
        compileText(text, 2000);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).to.be.instanceOf(ScenarioError);
    const p = (err as ScenarioError).problems[0]!;
    expect(p.line).to.equal(line);
    expect(p.message).to.match(/gives 315\.71.* at hcps=2000.*whole number/);
    expect(p.hint).to.match(/round\(\)/);
  });

  it('reports negative, infinite and NaN counts', function () {
    for (const [formula, pattern] of [
      ['50 - hcps', /negative/],
      ['hcps / 0', /Infinity/],
      ['sqrt(0 - hcps)', /NaN/],
    ] as const) {
      const { text } = edited((doc) => doc.setIn(['campaigns', 'count'], formula));
      expect(() => compileText(text, 2000), formula)
        .to.throw(ScenarioError)
        .with.property('message')
        .that.matches(pattern);
    }
  });

  it('keeps the TypeScript types generated from the schema in step with it', async function () {
    const { renderTypes, typesPath } = await import('../../scripts/gen-types.js');
    expect(await renderTypes(), 'run npm run gen:types').to.equal(readFileSync(typesPath, 'utf8'));
    const schema = JSON.parse(readFileSync(schemaPath(), 'utf8')) as { title: string };
    expect(schema.title).to.equal('Scenario');
  });

  it('prints the seven fixed table names with plan --json', function () {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bin', 'dev.js'), 'plan', '--json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as { expected: Record<string, number> };
    expect(Object.keys(json.expected)).to.deep.equal([...TABLES]);
  });
});
