// Rep capacity: a rep makes at most plan.territories.dailyCapacity in-person calls a day. HCPs are generated one
// by one, in chunks, on worker threads and in shards, so no chunk sees the calls other chunks draw. Instead every
// worker runs the same cheap pre-pass over generated HCPs 1..N: the stimulus draw alone (no rows), counting the
// in-person calls each rep-day receives. Where a rep-day is over capacity, its calls are ranked by a keyed
// priority (a hash of seed, HCP id and draw number; ties by HCP id and draw number) and the first
// `capacity` are kept; the rest become calls of the over-capacity channel (same rep, same time), or are dropped
// when the scenario has none. Every chunk reaches the same verdict for every call, whatever --workers,
// --chunk-size or --shard. Fixture HCPs are exempt: their calls (listed and drawn) are reserved in the plan
// (PlanFixtures.reservedCalls) and the generated HCPs book only what those leave of each rep-day.
import type { Plan } from '../plan/types.js';
import { mix2 } from '../random/keyed.js';
import { MS_PER_DAY, parseDate } from '../time/calendar.js';

/** Where the reps are: a global index per (region, role, bucket), and each rep's id and role. */
export interface RepIndex {
  /** First global index of the region's primary reps, and of its secondary reps. */
  primaryStart: number[];
  secondaryStart: number[];
  ids: string[];
  roles: string[];
  count: number;
}

export function repIndex(plan: Plan): RepIndex {
  const primaryStart: number[] = [];
  const secondaryStart: number[] = [];
  const ids: string[] = [];
  const roles: string[] = [];
  for (const region of plan.population.regions) {
    primaryStart.push(ids.length);
    for (let b = 0; b < region.reps; b++) {
      ids.push(`${region.code}-R${String(b + 1).padStart(3, '0')}`);
      roles.push(plan.territories.primaryRole);
    }
    secondaryStart.push(ids.length);
    for (let b = 0; b < region.secondaryReps; b++) {
      ids.push(`${region.code}-K${String(b + 1).padStart(3, '0')}`);
      roles.push(plan.territories.secondaryRole);
    }
  }
  return { primaryStart, secondaryStart, ids, roles, count: ids.length };
}

/** The HCP's reps as global indexes and ids (secondary: -1 / null without one). */
export interface HcpReps {
  primary: number;
  primaryId: string;
  secondary: number;
  secondaryId: string | null;
}

/** One in-person call as the capacity rule sees it. */
export interface CallRequest {
  rep: number;
  ms: number;
  /** The call's draw number within its HCP (0-based, in draw order). */
  draw: number;
}

const PRIORITY_SALT = 0x7e9d_ca11;

/** Priority of an HCP's draw: higher wins; ties (1 in 2^32) are broken by hcp id, then draw number. */
export function callPriority(seedK: number, hcpId: number, draw: number): number {
  return mix2(mix2(seedK ^ PRIORITY_SALT, hcpId), draw);
}

/** A finished verdict as plain data: the counts per rep-day and the cutoff of each over-capacity one. */
export interface CapacityState {
  requested: Uint16Array;
  cutoff: [number, [number, number]][];
}

export class RepCapacity {
  private readonly days: number;
  private readonly startDay: number;
  /** Calls the generated HCPs request per rep-day (saturating at 65535). */
  private requested: Uint16Array;
  /** Over-capacity rep-days: the priority and tie key of the last call kept. */
  private readonly cutoff = new Map<number, [number, number]>();
  /** In-person calls the fixtures list, per rep-day: the generated HCPs leave room for them. */
  private readonly reserved = new Map<number, number>();

  constructor(
    plan: Plan,
    index: RepIndex,
    private readonly capacity: number,
    private readonly seedK: number,
  ) {
    this.startDay = Math.floor(plan.window.startMs / MS_PER_DAY);
    this.days = Math.round((plan.window.endMs - plan.window.startMs) / MS_PER_DAY);
    this.requested = new Uint16Array(Math.max(1, index.count * this.days));
    const byId = new Map(index.ids.map((id, i) => [id, i]));
    for (const [key, n] of Object.entries(plan.fixtures?.reservedCalls ?? {})) {
      const [id, date] = key.split('|') as [string, string];
      const rep = byId.get(id);
      if (rep === undefined) continue;
      const s = this.slot(rep, parseDate(date));
      if (s >= rep * this.days && s < (rep + 1) * this.days) this.reserved.set(s, n);
    }
  }

  /** What the generated HCPs may book of a rep-day. */
  private free(s: number): number {
    return Math.max(0, this.capacity - (this.reserved.get(s) ?? 0));
  }

  private slot(rep: number, ms: number): number {
    return rep * this.days + (Math.floor(ms / MS_PER_DAY) - this.startDay);
  }

  /** Pre-pass, first sweep: count a generated HCP's requests. */
  count(calls: readonly CallRequest[]): void {
    for (const c of calls) {
      const s = this.slot(c.rep, c.ms);
      if (this.requested[s]! < 0xffff) this.requested[s]!++;
    }
  }

  /** The counts so far (a worker's share of the pre-pass hands them to the thread that merges them). */
  counts(): Uint16Array {
    return this.requested;
  }

  /** Adds another share's counts (saturating like count(): the merged counts are those of one sweep). */
  addCounts(other: Uint16Array): void {
    const r = this.requested;
    for (let s = 0; s < r.length; s++) if (other[s]! > 0) r[s] = Math.min(0xffff, r[s]! + other[s]!);
  }

  /** Replaces the counts by the merged ones of every share, before this share's gather(). */
  setCounts(total: Uint16Array): void {
    if (total.length !== this.requested.length) throw new Error('rep capacity: counts of another plan');
    this.requested = total;
  }

  /** True when some rep-day is over capacity (only then is the second sweep needed). */
  anyOver(): boolean {
    if (this.reserved.size > 0) return true;
    return this.requested.some((n) => n > this.capacity);
  }

  /** Pre-pass, second sweep: gather the calls of over-capacity rep-days; finish() picks the cutoffs. */
  private readonly contenders = new Map<number, number[]>();
  gather(hcpId: number, calls: readonly CallRequest[]): void {
    for (const c of calls) {
      const s = this.slot(c.rep, c.ms);
      if (this.requested[s]! <= this.free(s)) continue;
      let list = this.contenders.get(s);
      if (!list) this.contenders.set(s, (list = []));
      list.push(callPriority(this.seedK, hcpId, c.draw), tieKey(hcpId, c.draw));
    }
  }

  /** The gathered contenders, handed over (a share's, to the thread that merges them). */
  takeContenders(): Map<number, number[]> {
    const out = new Map(this.contenders);
    this.contenders.clear();
    return out;
  }

  /** Adds another share's contenders. The order they come in does not matter: finish() sorts them. */
  addContenders(other: Map<number, number[]>): void {
    for (const [s, flat] of other) {
      const list = this.contenders.get(s);
      if (list) for (const x of flat) list.push(x);
      else this.contenders.set(s, [...flat]);
    }
  }

  /** The verdict as plain data (for the worker threads), after finish(). */
  state(): CapacityState {
    return { requested: this.requested, cutoff: [...this.cutoff.entries()] };
  }

  /** Takes a verdict reached elsewhere (by the thread that merged every share's pre-pass). */
  adopt(state: CapacityState): void {
    this.setCounts(state.requested);
    this.cutoff.clear();
    for (const [s, cut] of state.cutoff) this.cutoff.set(s, cut);
  }

  finish(): void {
    for (const [s, flat] of this.contenders) {
      const pairs: [number, number][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
      pairs.sort(compareCalls);
      // No call kept at all (fixtures booked the whole day): a cutoff above every priority.
      this.cutoff.set(s, pairs[this.free(s) - 1] ?? [Infinity, -1]);
    }
    this.contenders.clear();
  }

  /** Whether a generated HCP's call is kept. */
  keeps(hcpId: number, c: CallRequest): boolean {
    const s = this.slot(c.rep, c.ms);
    if (this.requested[s]! <= this.free(s)) return true;
    const cut = this.cutoff.get(s)!;
    return compareCalls([callPriority(this.seedK, hcpId, c.draw), tieKey(hcpId, c.draw)], cut) <= 0;
  }
}

function tieKey(hcpId: number, draw: number): number {
  return hcpId * 100_000 + draw;
}

/** Descending priority, then ascending tie key. */
function compareCalls(a: readonly [number, number], b: readonly [number, number]): number {
  return b[0] - a[0] || a[1] - b[1];
}

/** The pre-pass's calls, kept in flat arrays up to a budget (beyond it `complete` turns false and they are dropped). */
export class KeptCalls {
  private hcp = new Int32Array(1024);
  private rep = new Int32Array(1024);
  private ms = new Float64Array(1024);
  private draw = new Int32Array(1024);
  private n = 0;
  complete = true;

  constructor(private readonly budget: number) {}

  add(hcpId: number, calls: readonly CallRequest[]): void {
    if (!this.complete) return;
    if (this.n + calls.length > this.budget) {
      this.complete = false;
      this.hcp = this.rep = this.draw = new Int32Array(0);
      this.ms = new Float64Array(0);
      return;
    }
    if (this.n + calls.length > this.hcp.length)
      this.grow(Math.max(this.hcp.length * 2, this.n + calls.length));
    for (const c of calls) {
      this.hcp[this.n] = hcpId;
      this.rep[this.n] = c.rep;
      this.ms[this.n] = c.ms;
      this.draw[this.n] = c.draw;
      this.n++;
    }
  }

  /** The kept calls again, per HCP in the order they were added. */
  forEach(visit: (hcpId: number, calls: CallRequest[]) => void): void {
    let i = 0;
    while (i < this.n) {
      const id = this.hcp[i]!;
      const calls: CallRequest[] = [];
      for (; i < this.n && this.hcp[i] === id; i++)
        calls.push({ rep: this.rep[i]!, ms: this.ms[i]!, draw: this.draw[i]! });
      visit(id, calls);
    }
  }

  private grow(size: number): void {
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.n) as never);
      return b;
    };
    this.hcp = g(this.hcp, (n) => new Int32Array(n));
    this.rep = g(this.rep, (n) => new Int32Array(n));
    this.ms = g(this.ms, (n) => new Float64Array(n));
    this.draw = g(this.draw, (n) => new Int32Array(n));
  }
}
