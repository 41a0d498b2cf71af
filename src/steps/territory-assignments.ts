// Step 2: territory assignments, rep-to-HCP inside the HCP's region. The rep pool of a region grows with
// --hcps; jump consistent hashing (Lamping & Veach) maps HCP #k to a rep so that growing the pool from n to
// n+1 reps moves only ~1/(n+1) of the HCPs, and only to the new rep. Some HCPs also get a rep of the
// secondary role (key account managers, MSLs: a team with its own pool, hashed the same way).
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import { repName } from './names.js';
import type { HcpAttributes } from './hcp-attributes.js';
import type { KeyedRng } from '../random/keyed.js';
import { MS_PER_DAY } from '../time/calendar.js';
import type { TableBatch } from '../tables/batch.js';
import { columnIndex } from '../tables/model.js';
import { TERRITORY_ASSIGNMENTS } from '../tables/tables.js';

const C = columnIndex(TERRITORY_ASSIGNMENTS);

/** Territory assignment ids are hcp_id * 10 + j (1 = primary, 2 = secondary). */
export const TERRITORY_ID_BASE = 10;

/** Bucket in [0, n) for the key whose stream `rng` is; the same stream gives consistent buckets for any n. */
export function jumpBucket(rng: KeyedRng, n: number): number {
  let b = 0;
  let j = 0;
  while (j < n) {
    b = j;
    j = Math.floor((b + 1) / rng.nextOpen());
  }
  return b;
}

/** The reps drawn for an HCP: the primary rep's bucket, the secondary one's (or null), and the start day. */
export interface TerritoryDraw {
  primary: number;
  secondary: number | null;
  assignedOn: number;
}

/**
 * Adds HCP #hcpId's assignments (drawn from the streams of `key`, which is the id for generated HCPs and the
 * NPI key for fixtures); returns how many (1 or 2).
 */
export function addTerritories(
  b: TableBatch,
  ctx: GenerationContext,
  hcpId: number,
  a: HcpAttributes,
  key = hcpId,
): number {
  const d = drawTerritories(ctx, key, a);
  return addTerritoryRows(b, ctx, hcpId, a, d);
}

export function drawTerritories(ctx: GenerationContext, key: number, a: HcpAttributes): TerritoryDraw {
  const { plan, rng, seedK } = ctx;
  const state = plan.population.states[a.stateIndex]!;
  const region = plan.population.regions.find((r) => r.code === state.region)!;
  rng.reset(seedK, FIELD.territoryJump, key, 1);
  const primary = jumpBucket(rng, region.reps);
  rng.reset(seedK, FIELD.territory, key);
  // Assignments started some time before the window (reps keep their HCPs for a while).
  const assignedOn = plan.window.startMs - Math.floor(rng.next() * 730) * MS_PER_DAY;
  if (rng.next() >= plan.territories.secondaryShare) return { primary, secondary: null, assignedOn };
  // The secondary role is a team of its own, so its rep is an independent consistent hash into that pool.
  rng.reset(seedK, FIELD.territoryJump, key, 2);
  return { primary, secondary: jumpBucket(rng, region.secondaryReps), assignedOn };
}

/** The rows of given assignments (drawn ones, or a fixture's listed reps). */
export function addTerritoryRows(
  b: TableBatch,
  ctx: GenerationContext,
  hcpId: number,
  a: HcpAttributes,
  d: TerritoryDraw,
): number {
  const state = ctx.plan.population.states[a.stateIndex]!;
  const regionIndex = ctx.plan.population.regions.findIndex((r) => r.code === state.region);
  addRow(b, ctx, hcpId * TERRITORY_ID_BASE + 1, hcpId, regionIndex, PRIMARY, d.primary, d.assignedOn);
  if (d.secondary === null) return 1;
  addRow(b, ctx, hcpId * TERRITORY_ID_BASE + 2, hcpId, regionIndex, SECONDARY, d.secondary, d.assignedOn);
  return 2;
}

interface Team {
  /** Letter in rep ids (NE-R001, NE-K001) and territory ids (NE-T001, NE-A001). */
  rep: string;
  territory: string;
  /** Separates the teams' rep names. */
  index: number;
  role(ctx: GenerationContext): string;
}
const PRIMARY: Team = { rep: 'R', territory: 'T', index: 0, role: (ctx) => ctx.plan.territories.primaryRole };
const SECONDARY: Team = {
  rep: 'K',
  territory: 'A',
  index: 1,
  role: (ctx) => ctx.plan.territories.secondaryRole,
};

function addRow(
  b: TableBatch,
  ctx: GenerationContext,
  id: number,
  hcpId: number,
  regionIndex: number,
  team: Team,
  bucket: number,
  assignedOn: number,
): void {
  const region = ctx.plan.population.regions[regionIndex]!;
  const n = String(bucket + 1).padStart(3, '0');
  const r = b.row();
  b.setNum(C.id, r, id);
  b.setNum(C.hcp_id, r, hcpId);
  b.setText(C.territory_id, r, `${region.code}-${team.territory}${n}`);
  b.setText(
    C.territory_name,
    r,
    team === PRIMARY ? `${region.name} ${n}` : `${region.name} key accounts ${n}`,
  );
  b.setText(C.region, r, region.name);
  b.setText(C.rep_id, r, `${region.code}-${team.rep}${n}`);
  b.setText(C.rep_name, r, repName(ctx, regionIndex * 2 + team.index, bucket));
  b.setText(C.role, r, team.role(ctx));
  b.setNum(C.assigned_on, r, Math.floor(assignedOn / MS_PER_DAY));
}
