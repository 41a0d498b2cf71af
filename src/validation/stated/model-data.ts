// The data side of the derived checks (src/validation/model/families.ts), stated by the generator: each of the
// families' grouped queries over generated HCPs 1..H (H = the run's HCPs, at most DATA_HCPS), answered from the
// batches instead. Rows are grouped by the same keys, spelled as the queries' `::text` casts spell them (a
// number in decimal, NULL as '', a month as YYYY-MM), and summed the same way, so a family reads the same
// numbers either way (test/validation/stated-facts.test.ts compares the reports). A group outside 1..H adds
// nothing; one whose rows a per-group count cannot follow (see group-facts.ts) makes the data unusable.
import type { Plan } from '../../plan/types.js';
import type { BatchData } from '../../tables/batch.js';
import { columnIndex } from '../../tables/model.js';
import {
  ENGAGEMENT_SCORES,
  HCP_ATTRIBUTE_COLUMNS,
  HCP_PROFILES,
  OUTCOMES,
  RX_HISTORY,
  STIMULI,
} from '../../tables/tables.js';
import { STIMULUS_ID_BASE } from '../../steps/stimuli.js';
import { MS_PER_DAY } from '../../time/calendar.js';
import { DATA_HCPS } from '../model/data-hcps.js';
import type { StatedModel } from '../types.js';
import { coded, empty, numOf, rowIndex } from './columns.js';

const S = columnIndex(STIMULI);
const O = columnIndex(OUTCOMES);
const H = columnIndex(HCP_PROFILES);
const R = columnIndex(RX_HISTORY);
const E = columnIndex(ENGAGEMENT_SCORES);

/** Additive counts and sums, by query and key (`\u0000` joins a key's parts), plus each lag key's lags. */
export interface ModelPart {
  /** hcpCounts: `${f}\u0000${k}` -> HCPs. */
  hcps: Record<string, number>;
  /** stimuliCounts: `${channel}\u0000${month}\u0000${weekend 0/1}` -> stimuli. */
  stimuli: Record<string, number>;
  /** stimuliByTier: tier -> [sum of stimuli_count, score rows]. */
  tiers: Record<string, [number, number]>;
  /** outcomeCounts: `${channel}\u0000${type}` -> outcomes. */
  outcomes: Record<string, number>;
  /** rxSums: `${product}\u0000${month}` -> [trx, nrx, nbrx]. */
  rx: Record<string, [number, number, number]>;
  /** The decile TRx query: decile -> TRx of its HCPs with Rx rows. */
  deciles: Record<string, number>;
  /** The segment query: segment -> score rows. */
  segments: Record<string, number>;
  /** The lag query: `${channel}.${type}` -> seconds from each outcome's stimulus to it. */
  lags: Record<string, Float64Array>;
}

/** The HCPs the derived checks read: 1..H. */
export const modelHcps = (plan: Plan): number => Math.min(plan.params.hcps, DATA_HCPS);

const bump = (m: Record<string, number>, k: string, n = 1): void => void (m[k] = (m[k] ?? 0) + n);

/**
 * A column as codes into its values as `col::text` prints them, NULL last as '' (the families read a NULL key
 * as ''): text through its dictionary (char(n) without trailing blanks), numbers through the few they hold.
 */
function keyed(b: BatchData, col: number, char = false): { codes: Uint16Array; names: string[] } {
  const c = b.columns[col]!;
  if (c.kind !== 'num') {
    const { codes, values } = coded(b, col);
    return { codes, names: [...values.map((v) => (char ? v.replace(/ +$/, '') : v)), ''] };
  }
  const seen = new Map<number, number>();
  const values: number[] = [];
  const raw = new Array<number>(b.rows);
  for (let r = 0; r < b.rows; r++) {
    const v = c.values[r]!;
    if (Number.isNaN(v)) {
      raw[r] = -1;
      continue;
    }
    let code = seen.get(v);
    if (code === undefined) {
      seen.set(v, (code = values.length));
      values.push(v);
    }
    raw[r] = code;
  }
  const codes = Uint16Array.from(raw, (x) => (x < 0 ? values.length : x));
  return { codes, names: [...values.map(String), ''] };
}

/** YYYY-MM of a day number. */
const monthOfDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 7);

/** ISO weekday >= 6 (the stimuli query's `w`) of a day number: 1970-01-01 was a Thursday. */
const weekendDay = (day: number): boolean => (((day + 3) % 7) + 7) % 7 >= 5;

/**
 * One HCP-closed group's part, or null when it cannot be stated: a NULL where a key or sum needs a value (the
 * queries' NULL handling is not followed here), a stimulus outside the window, or a join (an outcome's
 * stimulus, a score's or Rx row's profile) that may reach into another group.
 */
export function groupModelData(plan: Plan, rows: Partial<Record<string, BatchData>>): ModelPart | null {
  const limit = modelHcps(plan);
  const idLimit = (limit + 1) * STIMULUS_ID_BASE;
  const part: ModelPart = {
    hcps: {},
    stimuli: {},
    tiers: {},
    outcomes: {},
    rx: {},
    deciles: {},
    segments: {},
    lags: {},
  };
  const get = (t: string): BatchData => rows[t] ?? empty(t);
  // A group of HCPs past H (most chunks of a large run) adds nothing: one look at its HCP ids says so.
  const hcpColumns: [string, number][] = [
    ['hcp_profiles', H.id],
    ['stimuli', S.hcp_id],
    ['outcomes', O.hcp_id],
    ['engagement_scores', E.hcp_id],
    ['rx_history', R.hcp_id],
  ];
  if (hcpColumns.every(([t, col]) => allAbove(get(t), col, limit))) return part;

  // hcp_profiles (ids <= H): per attribute value, per conditional cell, and all.
  const h = get('hcp_profiles');
  const profiles = rowIndex(numOf(h, H.id), h.rows);
  if (!profiles) return null;
  const hid = numOf(h, H.id);
  const attrs = new Map(
    Object.entries(HCP_ATTRIBUTE_COLUMNS).map(([f, col]) => [f, keyed(h, H[col], col === 'state')] as const),
  );
  const cells = (
    [
      ['credential', plan.population.credential],
      ['tier', plan.population.tier],
      ['segment', plan.population.segment],
    ] as const
  ).filter(([, c]) => c.by !== undefined && c.by in HCP_ATTRIBUTE_COLUMNS);
  if (h.rows > 0) {
    const perAttr = [...attrs].map(([f, k]) => ({ f, k, n: new Float64Array(k.names.length) }));
    const perCell = cells.map(([attr, c]) => ({
      attr,
      by: attrs.get(c.by!)!,
      v: attrs.get(attr)!,
      n: new Map<number, number>(),
    }));
    let all = 0;
    for (let r = 0; r < h.rows; r++) {
      if (!(hid[r]! <= limit)) continue;
      all++;
      for (const a of perAttr) a.n[a.k.codes[r]!]!++;
      for (const c of perCell) {
        const key = c.by.codes[r]! * 65536 + c.v.codes[r]!;
        c.n.set(key, (c.n.get(key) ?? 0) + 1);
      }
    }
    if (all > 0) {
      bump(part.hcps, '_all\u0000', all);
      for (const a of perAttr)
        a.n.forEach((n, code) => n > 0 && bump(part.hcps, `${a.f}\u0000${a.k.names[code]}`, n));
      for (const c of perCell) {
        const nullBy = c.by.names.length - 1;
        const nullV = c.v.names.length - 1;
        for (const [key, n] of c.n) {
          const b = Math.floor(key / 65536);
          const v = key % 65536;
          // `by::text || '|' || col::text` is NULL when either is.
          const k = b === nullBy || v === nullV ? '' : `${c.by.names[b]}|${c.v.names[v]}`;
          bump(part.hcps, `cell:${c.attr}\u0000${k}`, n);
        }
      }
    }
  }

  // stimuli (id < L, hcp <= H): per channel and window day, then per channel, month and weekend.
  const s = get('stimuli');
  const w = windowDays(plan);
  const stimuli = rowIndex(numOf(s, S.id), s.rows);
  if (!stimuli) return null;
  const sid = numOf(s, S.id);
  const shcp = numOf(s, S.hcp_id);
  const sat = numOf(s, S.occurred_at);
  const inModel = (r: number): boolean => sid[r]! < idLimit && shcp[r]! <= limit;
  if (s.rows > 0) {
    const channel = keyed(s, S.channel);
    const perDay = new Float64Array(channel.names.length * w.days);
    for (let r = 0; r < s.rows; r++) {
      if (!inModel(r)) continue;
      const day = Math.floor(sat[r]! / MS_PER_DAY) - w.first;
      if (!(day >= 0 && day < w.days)) return null;
      perDay[channel.codes[r]! * w.days + day]!++;
    }
    channel.names.forEach((name, code) => {
      for (let d = 0; d < w.days; d++) {
        const n = perDay[code * w.days + d]!;
        if (n > 0)
          bump(part.stimuli, `${name}\u0000${w.month[d]}\u0000${weekendDay(w.first + d) ? 1 : 0}`, n);
      }
    });
  }

  // outcomes (id < L, hcp <= H): per channel and type; each joined one's lag, by its channel.type.
  const o = get('outcomes');
  if (o.rows > 0) {
    const id = numOf(o, O.id);
    const stimulusId = numOf(o, O.stimulus_id);
    const hcp = numOf(o, O.hcp_id);
    const at = numOf(o, O.occurred_at);
    const channel = keyed(o, O.channel);
    const type = keyed(o, O.outcome_type);
    const nt = type.names.length;
    const counts = new Float64Array(channel.names.length * nt);
    const lags = new Map<number, number[]>();
    const nullC = channel.names.length - 1;
    const nullT = nt - 1;
    for (let r = 0; r < o.rows; r++) {
      if (!(id[r]! < idLimit && hcp[r]! <= limit)) continue;
      const pair = channel.codes[r]! * nt + type.codes[r]!;
      counts[pair]!++;
      if (!(stimulusId[r]! < idLimit)) continue;
      const x = stimuli.get(stimulusId[r]!);
      // A stimulus of an id below L that is not in this group: the join is not this group's to state.
      if (x < 0) return null;
      if (!inModel(x)) continue;
      // A time-less outcome's lag is NULL: counted in t, never in x; left to the query.
      if (Number.isNaN(at[r]!) || Number.isNaN(sat[x]!)) return null;
      if (channel.codes[r] === nullC || type.codes[r] === nullT) continue;
      let l = lags.get(pair);
      if (!l) lags.set(pair, (l = []));
      l.push((at[r]! - sat[x]!) / 1000);
    }
    counts.forEach((n, pair) => {
      if (n > 0)
        bump(part.outcomes, `${channel.names[Math.floor(pair / nt)]}\u0000${type.names[pair % nt]}`, n);
    });
    for (const [pair, l] of lags) {
      const key = `${channel.names[Math.floor(pair / nt)]}.${type.names[pair % nt]}`;
      part.lags[key] = Float64Array.from(l);
    }
  }

  // engagement_scores (hcp <= H): per segment, and per profile tier (the stimuli-per-HCP query's join).
  const tier = attrs.get('tier')!;
  const decile = attrs.get('decile')!;
  const e = get('engagement_scores');
  if (e.rows > 0) {
    const hcp = numOf(e, E.hcp_id);
    const count = numOf(e, E.stimuli_count);
    const segment = keyed(e, E.engagement_segment);
    const perSegment = new Float64Array(segment.names.length);
    const perTier = new Float64Array(2 * tier.names.length);
    for (let r = 0; r < e.rows; r++) {
      if (!(hcp[r]! <= limit)) continue;
      perSegment[segment.codes[r]!]!++;
      const p = profiles.get(hcp[r]!);
      if (p < 0 || Number.isNaN(count[r]!)) return null;
      const t = tier.codes[p]!;
      perTier[2 * t]! += count[r]!;
      perTier[2 * t + 1]!++;
    }
    perSegment.forEach((n, code) => n > 0 && bump(part.segments, segment.names[code]!, n));
    tier.names.forEach((name, t) => {
      if (perTier[2 * t + 1]! > 0) part.tiers[name] = [perTier[2 * t]!, perTier[2 * t + 1]!];
    });
  }

  // rx_history (hcp <= H): per product and month; per decile, the TRx of the HCPs with Rx rows.
  const rx = get('rx_history');
  if (rx.rows > 0) {
    const hcp = numOf(rx, R.hcp_id);
    const month = numOf(rx, R.month);
    const product = keyed(rx, R.product);
    const [trx, nrx, nbrx] = [numOf(rx, R.trx), numOf(rx, R.nrx), numOf(rx, R.nbrx)];
    const months = new Map<number, number>();
    const sums = new Map<number, [number, number, number]>();
    const perDecile = new Float64Array(decile.names.length);
    const decileSeen = new Uint8Array(perDecile.length);
    for (let r = 0; r < rx.rows; r++) {
      if (!(hcp[r]! <= limit)) continue;
      const m = month[r]!;
      if (Number.isNaN(trx[r]!) || Number.isNaN(nrx[r]!) || Number.isNaN(nbrx[r]!) || Number.isNaN(m))
        return null;
      let mi = months.get(m);
      if (mi === undefined) months.set(m, (mi = months.size));
      const key = product.codes[r]! * 4096 + mi;
      let acc = sums.get(key);
      if (!acc) sums.set(key, (acc = [0, 0, 0]));
      acc[0] += trx[r]!;
      acc[1] += nrx[r]!;
      acc[2] += nbrx[r]!;
      const p = profiles.get(hcp[r]!);
      if (p < 0 || months.size >= 4096) return null;
      perDecile[decile.codes[p]!]! += trx[r]!;
      decileSeen[decile.codes[p]!] = 1;
    }
    const monthNames = [...months.keys()].map((d) => monthOfDay(d));
    for (const [key, acc] of sums)
      part.rx[`${product.names[Math.floor(key / 4096)]}\u0000${monthNames[key % 4096]}`] = acc;
    // Only HCPs with Rx rows are in the query's groups (a decile of zero TRx still is one).
    decile.names.forEach(
      (name, code) => decileSeen[code] === 1 && bump(part.deciles, name, perDecile[code]!),
    );
  }
  return part;
}

/** Whether every row's value in a number column is above `limit` (NULL is not). */
function allAbove(b: BatchData, col: number, limit: number): boolean {
  if (b.rows === 0) return true;
  const v = numOf(b, col);
  for (let r = 0; r < b.rows; r++) if (!(v[r]! > limit)) return false;
  return true;
}

/** The window's days: the first day number, how many, and each one's YYYY-MM. */
function windowDays(plan: Plan): { first: number; days: number; month: string[] } {
  const first = Math.floor(Date.parse(`${plan.window.start}T00:00:00Z`) / MS_PER_DAY);
  const days = Math.max(1, Math.ceil(plan.window.endMs / MS_PER_DAY) - first);
  return { first, days, month: Array.from({ length: days }, (_, d) => monthOfDay(first + d)) };
}

/** The parts of a run added up (lags concatenated); what families.ts reads in place of its queries. */
export class ModelData implements StatedModel {
  readonly hcps = new Map<string, Map<string, number>>();
  readonly stimuli = new Map<string, number>();
  readonly tiers = new Map<string, [number, number]>();
  readonly outcomes = new Map<string, number>();
  readonly rx = new Map<string, [number, number, number]>();
  readonly deciles = new Map<string, number>();
  readonly segments = new Map<string, number>();
  private readonly lagParts = new Map<string, Float64Array[]>();

  constructor(
    /** The H the parts were counted for: the families use them only for the same H. */
    readonly limit: number,
  ) {}

  /** Each lag key's lags, the groups' pieces joined once when first read. */
  get lags(): ReadonlyMap<string, Float64Array> {
    return (this.joined ??= new Map(
      [...this.lagParts].map(([k, parts]) => {
        const all = new Float64Array(parts.reduce((n, x) => n + x.length, 0));
        let at = 0;
        for (const x of parts) {
          all.set(x, at);
          at += x.length;
        }
        return [k, all];
      }),
    ));
  }

  private joined: Map<string, Float64Array> | undefined;

  add(p: ModelPart): void {
    this.joined = undefined;
    for (const [key, n] of Object.entries(p.hcps)) {
      const [f, k] = key.split('\u0000') as [string, string];
      let m = this.hcps.get(f);
      if (!m) this.hcps.set(f, (m = new Map()));
      m.set(k, (m.get(k) ?? 0) + n);
    }
    const addTo = (into: Map<string, number>, from: Record<string, number>): void => {
      for (const [k, n] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + n);
    };
    const addVectors = <T extends number[]>(into: Map<string, T>, from: Record<string, T>): void => {
      for (const [k, v] of Object.entries(from)) {
        const acc = into.get(k);
        if (acc) v.forEach((x, i) => (acc[i]! += x));
        else into.set(k, [...v] as T);
      }
    };
    addTo(this.stimuli, p.stimuli);
    addVectors(this.tiers, p.tiers);
    addTo(this.outcomes, p.outcomes);
    addVectors(this.rx, p.rx);
    addTo(this.deciles, p.deciles);
    addTo(this.segments, p.segments);
    for (const [k, l] of Object.entries(p.lags)) {
      const acc = this.lagParts.get(k);
      if (acc) acc.push(l);
      else this.lagParts.set(k, [l]);
    }
  }
}
