// The facts the generator states about the rows it loads (src/validation/stated/) are the facts validation
// would scan for: for every shared pass, on scenarios that between them declare a check of every kind that
// reads a pass (and the promotion and targeting rules), with seed-data fixtures, in-thread and in workers.
// The tables' fingerprints agree with what was loaded, and stop agreeing when one value changes; the report
// generate gives with stated facts is the report it gives scanning.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Stage } from '../../src/db/swap.js';
import { generate, type GenerateOptions } from '../../src/generate/run.js';
import type { Plan } from '../../src/plan/types.js';
import { packageRoot } from '../../src/scenario/resolve.js';
import { runValidation, scannedFacts } from '../../src/validation/run.js';
import type { StatedFacts } from '../../src/validation/stated/merge.js';
import { groupFacts, STATED_ONLY } from '../../src/validation/stated/group-facts.js';
import { statedSetup } from '../../src/generate/stated-chunk.js';
import { planWithChecks } from '../../src/validation/plan-with-checks.js';
import { createContext } from '../../src/steps/context.js';
import { generateChunk, HCP_TABLES, type HcpTable } from '../../src/steps/chunk.js';
import type { BatchData } from '../../src/tables/batch.js';
import { columnIndex } from '../../src/tables/model.js';
import { STIMULI } from '../../src/tables/tables.js';
import type {
  CheckContext,
  Facts,
  PassName,
  StatedModel,
  ValidationReport,
} from '../../src/validation/types.js';
import { expectationsOf, MIN_HCPS } from '../../src/validation/model/expectations.js';
import type { Sums } from '../../src/validation/model/families.js';
import {
  createPgliteDir,
  createTestDatabase,
  describeOnTestTarget,
  TEST_TARGET,
  withDataDir,
} from '../helpers/testdb.js';
import {
  hcpValuesBroken,
  hcpValuesBrokenJs,
  npiBroken,
  npiBrokenJs,
  Params,
} from '../../src/validation/row-rules.js';

const PASSES: PassName[] = ['stimuli', 'calls', 'outcomes', 'hcps', 'engagement'];

/** The checks the default scenario does not declare, so that every kind is stated somewhere. */
const EXTRA_CHECKS = [
  { kind: 'channel_mix', expected: { email: { min: 0, max: 1 }, in_person_detail: { min: 0, max: 1 } } },
  { kind: 'month_share', month: 2, expected: { min: 0, max: 5 } },
  { kind: 'month_share', month: 11, expected: { min: 0, max: 5 } },
  { kind: 'decile_volume_share', expected: { min: 0, max: 1 } },
  { kind: 'outcome_rate', channel: 'in_person_detail', expected: { min: 0, max: 1 } },
];

/** One value changed in each table: the fingerprints must notice each. */
const TAMPER: string[] = [
  `UPDATE hcp_profiles SET tier = 'Tier 1' WHERE ctid = (SELECT ctid FROM hcp_profiles WHERE tier <> 'Tier 1' LIMIT 1)`,
  `UPDATE territory_assignments SET rep_id = rep_id || 'x' WHERE ctid = (SELECT ctid FROM territory_assignments LIMIT 1)`,
  `UPDATE campaigns SET name = name || 'x' WHERE ctid = (SELECT ctid FROM campaigns LIMIT 1)`,
  `UPDATE stimuli SET occurred_at = occurred_at + interval '1 second' WHERE ctid = (SELECT ctid FROM stimuli LIMIT 1)`,
  `DELETE FROM outcomes WHERE ctid = (SELECT ctid FROM outcomes LIMIT 1)`,
  `UPDATE rx_history SET trx = trx + 1 WHERE ctid = (SELECT ctid FROM rx_history LIMIT 1)`,
  `UPDATE engagement_scores SET score = score / 2 + 1 WHERE ctid = (SELECT ctid FROM engagement_scores LIMIT 1)`,
];

/** A pass's stated and scanned facts: the same names, equal counts, floats equal to 1e-9 (NaN: NULL). */
function expectSameFacts(pass: PassName, stated: Facts | undefined, scanned: Facts | null): void {
  expect(scanned, `${pass}: the scan found damaged data`).to.not.equal(null);
  expect(stated, `${pass}: nothing stated`).to.not.equal(undefined);
  const only = STATED_ONLY[pass] ?? [];
  expect(
    Object.keys(stated!)
      .filter((k) => !only.includes(k))
      .sort(),
    `${pass}: fact names`,
  ).to.deep.equal(Object.keys(scanned!).sort());
  for (const [name, want] of Object.entries(scanned!)) {
    const got = stated![name]!;
    const same = Number.isNaN(want)
      ? Number.isNaN(got)
      : Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
    expect(same, `${pass}.${name}: stated ${got}, scanned ${want}`).to.equal(true);
  }
}

const strip = (r: ValidationReport) => r.results.map(({ ms: _ms, ...rest }) => rest);

/** Everything the validate hook saw, checked after generate returns. */
interface Seen {
  agreed: boolean;
  stated: Partial<Record<PassName, Facts>>;
  scanned: Partial<Record<PassName, Facts | null>>;
  withStated: ValidationReport;
  scanning: ValidationReport;
  tampered: boolean[];
  /** Per derived family: its data side as queried, and as read from the stated data. */
  measures: [string, Record<string, Sums>, Record<string, Sums>][];
  statedModel: boolean;
}

/** A context for a family's measure(): the plan, and the stated data or none. */
function familyContext(plan: Plan, model: StatedModel | null): CheckContext {
  return {
    plan,
    run: null,
    constraintsJustAdded: true,
    counts: () => Promise.reject(new Error('not used')),
    facts: () => Promise.resolve(null),
    enforced: () => Promise.resolve(false),
    ...(model ? { model } : {}),
  };
}

async function hook(stage: Stage, plan: Plan, stated: StatedFacts): Promise<Seen> {
  const agreed = await stated.agrees(stage);
  const scanned: Seen['scanned'] = {};
  for (const pass of PASSES) scanned[pass] = await scannedFacts(stage, plan, pass, true);
  const options = { plan, database: stage.target.description, constraintsJustAdded: true };
  const withStated = await runValidation(stage, { ...options, stated });
  const scanning = await runValidation(stage, options);
  const tampered: boolean[] = [];
  for (const sql of TAMPER) {
    await stage.query('SAVEPOINT tamper');
    await stage.query(sql);
    tampered.push(await stated.agrees(stage));
    await stage.query('ROLLBACK TO SAVEPOINT tamper');
  }
  const measures: Seen['measures'] = [];
  const model = stated.model();
  if (plan.params.hcps >= MIN_HCPS) {
    const e = await expectationsOf(plan);
    for (const fam of e.families) {
      const keys = fam.keys.map((k) => k.key);
      const measure = async (m: StatedModel | null) =>
        Object.fromEntries(await fam.family.measure(stage, familyContext(plan, m), e.hcps, fam.params, keys));
      measures.push([fam.family.name, await measure(null), await measure(model)]);
    }
  }
  return {
    agreed,
    stated: stated.facts(),
    scanned,
    withStated,
    scanning,
    tampered,
    measures,
    statedModel: model !== null,
  };
}

/** generate() into a fresh database of the suite's kind, with `hook` as its validation. */
async function generateSeen(options: Omit<GenerateOptions, 'validate'>): Promise<Seen> {
  let seen: Seen | undefined;
  const request: GenerateOptions = {
    ...options,
    wipe: true,
    quiet: true,
    validate: async (stage, plan, stated) => void (seen = await hook(stage, plan, stated)),
  };
  if (TEST_TARGET === 'postgres') {
    const db = await createTestDatabase();
    try {
      await generate({ ...request, db: db.url });
    } finally {
      await db.drop();
    }
  } else {
    const dir = await createPgliteDir();
    try {
      await withDataDir(dir.dir, () => generate(request));
    } finally {
      dir.remove();
    }
  }
  if (!seen) throw new Error('generate did not validate');
  return seen;
}

describe(`stated facts [${TEST_TARGET}]`, function () {
  this.timeout(240_000);
  let tmp: string;
  let scenario: string;
  before(function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-stated-'));
    const doc = parseDocument(readFileSync(path.join(packageRoot(), 'scenarios', 'default.yaml'), 'utf8'));
    for (const c of EXTRA_CHECKS) doc.addIn(['validation', 'checks'], doc.createNode(c));
    scenario = path.join(tmp, 'every-check.yaml');
    writeFileSync(scenario, doc.toString());
  });
  after(function () {
    rmSync(tmp, { recursive: true, force: true });
  });

  const cases: { title: string; options: () => Omit<GenerateOptions, 'validate'> }[] = [
    {
      title: 'default with every check kind and the seed-data fixtures, in-thread',
      options: () => ({
        scenario,
        hcps: 600,
        months: 12,
        seed: 7,
        asOf: '2025-12-31',
        workers: 0,
        seedData: path.join(packageRoot(), 'seed-data'),
      }),
    },
    {
      title: 'oncology-launch (campaign targeting by specialty, tier and segment), two workers, small chunks',
      options: () => ({
        scenario: 'oncology-launch',
        hcps: 520,
        months: 6,
        seed: 3,
        asOf: '2025-06-30',
        workers: 2,
        chunkSize: 64,
      }),
    },
  ];
  for (const c of cases) {
    it(`${c.title}: every pass stated, equal to its scan, same report`, async function () {
      const seen = await generateSeen(c.options());
      expect(seen.agreed, 'the fingerprints agree with the loaded rows').to.equal(true);
      expect(Object.keys(seen.stated)).to.have.members(PASSES);
      for (const pass of PASSES) expectSameFacts(pass, seen.stated[pass], seen.scanned[pass] ?? null);
      expect(seen.withStated.statedPasses).to.have.members(PASSES);
      expect(seen.scanning.statedPasses).to.equal(undefined);
      expect(strip(seen.withStated)).to.deep.equal(strip(seen.scanning));
      // A fact only the generator states is its check's offending count, as the check's own query finds it.
      // The derived checks' data, read from the stated data, is what their queries find, family by family.
      expect(seen.statedModel, 'the model data is stated').to.equal(true);
      expect(seen.withStated.statedModel).to.equal(true);
      expect(seen.measures.length, 'derived families measured').to.be.greaterThan(10);
      for (const [name, queried, given] of seen.measures) expect(given, name).to.deep.equal(queried);
      expect(seen.measures.some(([, q]) => Object.values(q).some((v) => v.x > 0))).to.equal(true);
      const attribution = seen.scanning.results.find((r) => r.name === 'promotion.stimuli.rep_attribution');
      expect(Number(attribution?.actual)).to.equal(seen.stated.stimuli?.rep_attribution);
      expect(seen.tampered, 'one changed value in any table disowns the facts').to.deep.equal(
        TAMPER.map(() => false),
      );
    });
  }
});

describe('stated facts of damaged batches', function () {
  /** One chunk's batches of the default scenario, as a worker states facts about them. */
  async function chunk(): Promise<{ plan: Plan; rows: Record<HcpTable, BatchData> }> {
    const { plan } = await planWithChecks('default', { hcps: 60, seed: 5, asOf: '2025-12-31' });
    const batches = generateChunk(createContext(plan), 1, 60);
    const rows = {} as Record<HcpTable, BatchData>;
    for (const t of HCP_TABLES) rows[t] = batches[t].data();
    return { plan, rows };
  }
  const S = columnIndex(STIMULI);
  const repIds = (rows: Record<HcpTable, BatchData>) =>
    (rows.stimuli.columns[S.rep_id] as { values: (string | null)[] }).values;

  it('counts stimuli with a wrong rep, and says nothing of a pass whose HCP is in another group', async function () {
    const { plan, rows } = await chunk();
    const campaigns = statedSetup(plan);
    expect(groupFacts(plan, rows, campaigns).sums.stimuli.rep_attribution).to.equal(0);
    const reps = repIds(rows);
    const withRep = reps.findIndex((v) => v !== null);
    const without = reps.findIndex((v) => v === null);
    expect(withRep).to.be.at.least(0);
    expect(without).to.be.at.least(0);
    reps[withRep] = 'REP-NOBODY';
    reps[without] = 'REP-NOBODY';
    const damaged = groupFacts(plan, rows, campaigns);
    expect(damaged.sums.stimuli.rep_attribution).to.equal(2);
    expect(damaged.unusable).to.deep.equal([]);
    // A stimulus of HCP 61 (another chunk's): the stimuli pass joins it to a profile this group has not got.
    (rows.stimuli.columns[S.hcp_id] as { values: Float64Array }).values[0] = 61;
    expect(groupFacts(plan, rows, campaigns).unusable).to.include('stimuli');
  });
});

describeOnTestTarget('the row rules the generator states, against their SQL', (h) => {
  it('npiBrokenJs and hcpValuesBrokenJs judge every damaged value as the SQL does', async function () {
    const { plan } = await planWithChecks('default', { hcps: 10, seed: 5, asOf: '2025-12-31' });
    // Valid NPIs (Luhn over 80840 + 9 digits), then a wrong check digit, a wrong first digit, a short one, letters.
    const npis = [
      '1234567893',
      '1497758544',
      '1234567890',
      '3234567893',
      '123456789',
      '12345678X3',
      '',
      null,
    ];
    const p = new Params();
    const sql = `SELECT (${npiBroken('n')}) AS broken FROM unnest(${p.add(npis)}::text[]) WITH ORDINALITY AS t(n, i) ORDER BY i`;
    const { rows } = await h.target().query<{ broken: boolean | null }>(sql, p.values);
    // NULL in SQL's WHERE is "not broken": the query counts only true.
    expect(npis.map(npiBrokenJs)).to.deep.equal(rows.map((r) => r.broken === true));
    expect(npis.map(npiBrokenJs).filter(Boolean).length).to.be.within(4, 6);

    const s = plan.population.specialties[0]!;
    const st = plan.population.states[0]!;
    const region = plan.population.regions.find((r) => r.code === st.region)!.name;
    const tier = plan.population.tier.default.values[0]!;
    const segment = plan.population.segment.default.values[0]!;
    const good = [s.code, s.name, st.code, region, 5, tier, segment] as const;
    const profiles: (string | number | null)[][] = [
      [...good],
      [s.code, 'Not the name', st.code, region, 5, tier, segment],
      [s.code, s.name, st.code, 'Nowhere', 5, tier, segment],
      [s.code, s.name, st.code, region, 11, tier, segment],
      [s.code, s.name, st.code, region, null, tier, segment],
      [s.code, s.name, st.code, region, 5, 'Tier 9', segment],
      [s.code, s.name, st.code, region, 5, tier, null],
      [null, s.name, st.code, region, 5, tier, segment],
    ];
    const q = new Params();
    const columns = ['taxonomy_code', 'specialty', 'state', 'region', 'decile', 'tier', 'segment'];
    const arrays = columns.map((_, i) =>
      q.add(profiles.map((row) => (row[i] === null ? null : String(row[i])))),
    );
    const { rows: judged } = await h.target().query<{ broken: boolean | null }>(
      `SELECT (${hcpValuesBroken(plan, q.add)}) AS broken
         FROM (SELECT unnest(${arrays[0]}::text[]) AS taxonomy_code, unnest(${arrays[1]}::text[]) AS specialty,
                      unnest(${arrays[2]}::text[]) AS state, unnest(${arrays[3]}::text[]) AS region,
                      unnest(${arrays[4]}::int[]) AS decile, unnest(${arrays[5]}::text[]) AS tier,
                      unnest(${arrays[6]}::text[]) AS segment) h`,
      q.values,
    );
    const broken = hcpValuesBrokenJs(plan);
    const js = profiles.map(([taxonomyCode, specialty, state, region, decile, tier, segment]) =>
      broken({
        taxonomyCode: taxonomyCode as string | null,
        specialty: specialty as string | null,
        state: state as string | null,
        region: region as string | null,
        decile: decile === null ? NaN : (decile as number),
        tier: tier as string | null,
        segment: segment as string | null,
      }),
    );
    expect(js).to.deep.equal(judged.map((r) => r.broken === true));
    expect(js).to.deep.equal([false, true, true, true, true, true, true, true]);
  });
});
