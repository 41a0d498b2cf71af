// The determinism contract, on the generator's own output (no database needed): same inputs give the same
// rows, ids included, whatever the worker count or chunk size; a larger --hcps keeps HCP #1..N.
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import { generateChunks } from '../../src/generate/chunk-source.js';
import type { Plan, RunParams } from '../../src/plan/types.js';
import type { HcpTable } from '../../src/steps/chunk.js';
import { addCampaignRows, buildCampaigns } from '../../src/steps/campaigns.js';
import { TableBatch } from '../../src/tables/batch.js';
import { CAMPAIGNS } from '../../src/tables/tables.js';
import { seedKey } from '../../src/random/keyed.js';
import { batchLines, chunkLines } from '../helpers/chunk-lines.js';

type Tables = Record<HcpTable | 'campaigns', string[]>;

function campaignLines(plan: Plan): string[] {
  const b = new TableBatch(CAMPAIGNS);
  addCampaignRows(b, buildCampaigns(plan, seedKey(plan.params.seed)));
  return batchLines(b.data());
}

async function rows(plan: Plan, workers: number, chunkSize: number, to = plan.params.hcps): Promise<Tables> {
  const out: Tables = {
    hcp_profiles: [],
    territory_assignments: [],
    campaigns: campaignLines(plan),
    stimuli: [],
    outcomes: [],
    rx_history: [],
    engagement_scores: [],
  };
  for await (const chunk of generateChunks(plan, { workers, chunkSize, from: 1, to, encoding: 'csv' })) {
    for (const table of Object.keys(chunk.data) as HcpTable[]) out[table].push(...chunkLines(chunk, table));
  }
  return out;
}

const params = (over: Partial<RunParams> = {}): RunParams => ({
  seed: 42,
  hcps: 300,
  months: 12,
  asOf: '2025-12-31',
  ...over,
});

describe('determinism', function () {
  it('gives identical rows for the same inputs, whatever the workers and chunk size', async function () {
    const { plan } = await planFor('default', params());
    const a = await rows(plan, 0, 300);
    const b = await rows(plan, 2, 7);
    const c = await rows((await planFor('default', params())).plan, 1, 64);
    expect(a.stimuli.length).to.be.greaterThan(5000);
    for (const table of Object.keys(a) as (keyof Tables)[]) {
      expect(b[table], table).to.deep.equal(a[table]);
      expect(c[table], table).to.deep.equal(a[table]);
    }
  });

  it('reaches the same rep-capacity verdict when the workers share the pre-pass as when one thread runs it', async function () {
    this.timeout(60_000);
    // One in-person call per rep-day: many rep-days are over capacity, so the split pre-pass has contenders to
    // merge and cutoffs to agree on.
    const loose = await rows((await planFor('default', params({ hcps: 900 }))).plan, 0, 900);
    // A plan object of its own: a thread keeps one verdict per plan object.
    const { plan } = await planFor('default', params({ hcps: 900 }));
    plan.territories.dailyCapacity = 1;
    const one = await rows(plan, 0, 900);
    const shared = await rows(plan, 3, 50);
    // The rule bit: calls moved off full rep-days changed stimuli.
    expect(one.stimuli.filter((l, i) => l !== loose.stimuli[i]).length).to.be.greaterThan(100);
    for (const table of Object.keys(one) as (keyof Tables)[])
      expect(shared[table], table).to.deep.equal(one[table]);
  });

  it('changes the data when the seed or as-of changes', async function () {
    const base = await rows((await planFor('default', params({ hcps: 50 }))).plan, 0, 50);
    const seeded = await rows((await planFor('default', params({ hcps: 50, seed: 43 }))).plan, 0, 50);
    const moved = await rows(
      (await planFor('default', params({ hcps: 50, asOf: '2025-11-30' }))).plan,
      0,
      50,
    );
    expect(seeded.hcp_profiles).to.not.deep.equal(base.hcp_profiles);
    expect(moved.stimuli).to.not.deep.equal(base.stimuli);
  });

  describe('scaling from 2000 to 2500 HCPs (50 to 55 campaigns)', function () {
    let small: Tables;
    let large: Tables;
    before(async function () {
      const p2000 = (await planFor('default', params({ hcps: 2000 }))).plan;
      const p2500 = (await planFor('default', params({ hcps: 2500 }))).plan;
      expect(p2000.campaigns.count).to.equal(50);
      expect(p2500.campaigns.count).to.equal(55);
      small = await rows(p2000, 2, 250);
      // Only HCPs 1..2000 of the larger run are compared; the larger pools (campaigns, reps) still apply.
      large = await rows(p2500, 2, 250, 2000);
    });

    // Rep capacity (src/steps/rep-schedule.ts) ranks the in-person calls of a full rep-day among all of that
    // day's calls, so more HCPs per rep-day (or HCPs moving to new reps) can turn a few in-person calls of HCPs
    // 1..2000 into over-capacity phone calls or back. Those HCPs' outcomes, Rx lift and score follow.
    const capacityMoved = (): Set<string> => {
      const moved = new Set<string>();
      for (let i = 0; i < small.stimuli.length; i++) {
        const a = small.stimuli[i]!.split(',');
        const b = large.stimuli[i]!.split(',');
        if (a[3] !== b[3]) moved.add(a[1]!);
      }
      return moved;
    };

    it('keeps every hcp_profiles row of HCPs 1..2000, and their other rows unless rep capacity moved a call', function () {
      expect(large.hcp_profiles).to.deep.equal(small.hcp_profiles);
      const moved = capacityMoved();
      expect(moved.size / 2000, 'HCPs with a call moved by rep capacity').to.be.below(0.08);
      const same = (table: 'rx_history' | 'engagement_scores' | 'outcomes', hcpColumn: number): void => {
        const keep = (rows: string[]): string[] => rows.filter((r) => !moved.has(r.split(',')[hcpColumn]!));
        expect(keep(large[table]), table).to.deep.equal(keep(small[table]));
      };
      same('rx_history', 0);
      same('engagement_scores', 0);
      same('outcomes', 2);
    });

    it('keeps campaigns 1..50 and changes at most ~10% of the stimuli, only their campaign, only to new campaigns', function () {
      expect(large.campaigns.slice(0, 50)).to.deep.equal(small.campaigns);
      expect(large.stimuli.length).to.equal(small.stimuli.length);
      let changed = 0;
      let channelMoves = 0;
      for (let i = 0; i < small.stimuli.length; i++) {
        const a = small.stimuli[i]!.split(',');
        const b = large.stimuli[i]!.split(',');
        // id, hcp_id, occurred_at never move
        expect([b[0], b[1], b[4]]).to.deep.equal([a[0], a[1], a[4]]);
        if (a[3] !== b[3]) {
          // Only rep capacity moves a channel: between an in-person one and the over-capacity phone call.
          channelMoves++;
          expect([a[3], b[3]].sort().join(' ')).to.match(
            /^(in_person_detail phone_detail|phone_detail samples)$/,
          );
          continue;
        }
        if (a[2] !== b[2]) {
          changed++;
          expect(Number(b[2]), `stimulus ${a[0]} moved to an old campaign`).to.be.greaterThan(50);
        }
      }
      const share = changed / small.stimuli.length;
      expect(share).to.be.greaterThan(0);
      expect(share).to.be.at.most(0.1);
      expect(channelMoves / small.stimuli.length).to.be.below(0.01);
    });

    it('moves territory assignments only to new reps', function () {
      // Reps are numbered per region in order of creation: a rep number above the HCP's region's old count is new.
      const reps = (rows: string[]): Map<string, string[]> => {
        const byHcp = new Map<string, string[]>();
        for (const r of rows) {
          const f = r.split(',');
          byHcp.set(f[1]!, [...(byHcp.get(f[1]!) ?? []), f[5]!]);
        }
        return byHcp;
      };
      // Rep ids are <region>-<team letter><number>: a pool per region and team.
      const pool = (rep: string): [string, number] => [rep.slice(0, -3), Number(rep.slice(-3))];
      const oldCount = new Map<string, number>();
      for (const r of small.territory_assignments) {
        const [key, n] = pool(r.split(',')[5]!);
        oldCount.set(key, Math.max(oldCount.get(key) ?? 0, n));
      }
      const isNew = (rep: string): boolean => {
        const [key, n] = pool(rep);
        return n > (oldCount.get(key) ?? 0);
      };
      const before = reps(small.territory_assignments);
      let moved = 0;
      for (const [hcp, now] of reps(large.territory_assignments)) {
        const was = before.get(hcp)!;
        if (now[0] !== was[0]) {
          moved++;
          expect(
            isNew(now[0]!),
            `HCP ${hcp}'s primary rep moved from ${was[0]} to old rep ${now[0]}`,
          ).to.equal(true);
        }
        for (const rep of now) {
          if (!was.includes(rep))
            expect(
              isNew(rep),
              `HCP ${hcp} gained old rep ${rep}: ${was.join(' ')} -> ${now.join(' ')}`,
            ).to.equal(true);
        }
      }
      expect(moved).to.be.greaterThan(0);
      expect(moved / before.size).to.be.lessThan(0.35);
    });
  });
});
