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
import type { RowWriter } from './row-writer.js';

export const TERRITORY_COLUMNS = [
  'id',
  'hcp_id',
  'territory_id',
  'territory_name',
  'region',
  'rep_id',
  'rep_name',
  'role',
  'assigned_on',
] as const;

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

/** Writes HCP #hcpId's assignments; returns how many (1 or 2). */
export function writeTerritories(
  w: RowWriter,
  ctx: GenerationContext,
  hcpId: number,
  a: HcpAttributes,
): number {
  const { plan, rng, seedK } = ctx;
  const state = plan.population.states[a.stateIndex]!;
  const regionIndex = plan.population.regions.findIndex((r) => r.code === state.region);
  const region = plan.population.regions[regionIndex]!;
  rng.reset(seedK, FIELD.territoryJump, hcpId, 1);
  const primary = jumpBucket(rng, region.reps);
  rng.reset(seedK, FIELD.territory, hcpId);
  // Assignments started some time before the window (reps keep their HCPs for a while).
  const assignedOn = plan.window.startMs - Math.floor(rng.next() * 730) * MS_PER_DAY;
  const secondary = rng.next() < plan.territories.secondaryShare;
  writeRow(w, ctx, hcpId * TERRITORY_ID_BASE + 1, hcpId, regionIndex, PRIMARY, primary, assignedOn);
  if (secondary) {
    // The secondary role is a team of its own, so its rep is an independent consistent hash into that pool.
    rng.reset(seedK, FIELD.territoryJump, hcpId, 2);
    const other = jumpBucket(rng, region.secondaryReps);
    writeRow(w, ctx, hcpId * TERRITORY_ID_BASE + 2, hcpId, regionIndex, SECONDARY, other, assignedOn);
    return 2;
  }
  return 1;
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

function writeRow(
  w: RowWriter,
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
  const name = repName(ctx, regionIndex * 2 + team.index, bucket);
  const territoryName = team === PRIMARY ? `${region.name} ${n}` : `${region.name} key accounts ${n}`;
  w.int(id)
    .comma()
    .int(hcpId)
    .comma()
    .text(`${region.code}-${team.territory}${n}`)
    .comma()
    .text(territoryName);
  w.comma().text(region.name).comma().text(`${region.code}-${team.rep}${n}`).comma().text(name).comma();
  w.text(team.role(ctx)).comma().date(assignedOn).newline();
}
