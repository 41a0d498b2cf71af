// Facts stated by the generator: what the shared passes (src/validation/passes.ts) would count over the rows,
// counted instead over the batches the rows were encoded from, in the worker that generated them. A group is
// HCP-closed (every row of the six per-HCP tables for its HCPs: a chunk, or the seed-data fixtures), so the
// per-HCP joins of the passes happen inside it; what crosses groups (rep-days, the lag median, the top
// prescribers, the Rx lift per decile) is kept as mergeable parts (merge.ts).
//
// Each count is the pass's own expression (the comment beside it names it) over the same rows. Where the rows
// could make the SQL repeat or drop a row in a way a per-group count cannot follow (a repeated id, a NULL
// key, an outcome whose stimulus is not in its group: all impossible in generated data, and caught by the
// checks' own queries), the group marks the pass unusable and validation scans for it as before.
import type { Plan } from '../../plan/types.js';
import type { BatchData } from '../../tables/batch.js';
import { columnIndex } from '../../tables/model.js';
import { coded, empty, flags, numOf, rowIndex, textOf, type RowIndex } from './columns.js';
import {
  CAMPAIGNS,
  ENGAGEMENT_SCORES,
  HCP_PROFILES,
  OUTCOMES,
  RX_HISTORY,
  STIMULI,
  TERRITORY_ASSIGNMENTS,
} from '../../tables/tables.js';
import { STIMULUS_ID_BASE } from '../../steps/stimuli.js';
import { MS_PER_DAY } from '../../time/calendar.js';
import type { PassName } from '../types.js';
import { hcpValuesBrokenJs, npiBrokenJs } from '../row-rules.js';
import { promotionPlan } from '../passes.js';
import { allowedRepRoles } from '../checks-promotion.js';
import { groupModelData, type ModelPart } from './model-data.js';

const S = columnIndex(STIMULI);
const O = columnIndex(OUTCOMES);
const H = columnIndex(HCP_PROFILES);
const T = columnIndex(TERRITORY_ASSIGNMENTS);
const R = columnIndex(RX_HISTORY);
const E = columnIndex(ENGAGEMENT_SCORES);
const C = columnIndex(CAMPAIGNS);
const HOUR_MS = 3_600_000;

/** What one group states; plain data, so it crosses from a worker by structured clone. */
export interface GroupFacts {
  /** Passes this group cannot state exactly (validation runs their queries). */
  unusable: PassName[];
  /** Additive counts per pass, named as the pass names its columns (`_` names are parts, not facts). */
  sums: Record<PassName, Record<string, number>>;
  /** In-person rep calls per rep and window day: rep ids, and their counts (rep index * days + day). */
  repDays: { reps: string[]; days: number; counts: Uint32Array };
  /** Hours from each joined outcome's stimulus to it (the lag median's values). */
  lags: Float64Array;
  /** Each profile's TRx over its Rx rows, 0 without any (the top prescribers' share). */
  trx: Float64Array;
  /** Per decile (null: NULL): HCPs, engaged NRx sum and count, other NRx sum and count (the Rx lift). */
  lift: [number | null, number, number, number, number, number][];
  /** The derived checks' data side over this group's rows (model-data.ts); null: not stateable. */
  model: ModelPart | null;
}

type Rows = Partial<Record<string, BatchData>>;

/** A campaign as the stimuli pass joins it. */
interface CampaignRow {
  startMs: number;
  endMs: number;
  channels: readonly (string | null)[] | null;
  specialties: readonly (string | null)[] | null;
  tiers: readonly (string | null)[] | null;
  segments: readonly (string | null)[] | null;
}

/** campaigns by id; null when an id repeats (the pass's join would repeat its stimuli). */
export function campaignLookup(batches: readonly BatchData[]): Map<number, CampaignRow> | null {
  const out = new Map<number, CampaignRow>();
  for (const b of batches) {
    if (b.rows === 0) continue;
    const id = numOf(b, C.id);
    const start = numOf(b, C.start_date);
    const end = numOf(b, C.end_date);
    const list = (col: number) => (r: number) =>
      (b.columns[col] as { values: (readonly string[] | null)[] }).values[r] ?? null;
    const [channels, specialties, tiers, segments] = [
      list(C.channels),
      list(C.target_specialties),
      list(C.target_tiers),
      list(C.target_segments),
    ];
    for (let r = 0; r < b.rows; r++) {
      const key = id[r]!;
      if (Number.isNaN(key)) continue; // never joined
      if (out.has(key)) return null;
      out.set(key, {
        startMs: start[r]! * MS_PER_DAY,
        endMs: (end[r]! + 1) * MS_PER_DAY,
        channels: channels(r),
        specialties: specialties(r),
        tiers: tiers(r),
        segments: segments(r),
      });
    }
  }
  return out;
}

/** `x = ANY(list)` as coalesce(..., false) reads it: true only when x is not NULL and in the list. */
const anyOf = (x: string | null, list: readonly (string | null)[] | null): boolean =>
  x !== null && list !== null && list.includes(x);

/** Window bounds in epoch ms of wall time: the first day's midnight and the midnight after the last day. */
function windowMs(plan: Plan): { start: number; end: number } {
  return {
    start: Date.parse(`${plan.window.start}T00:00:00Z`),
    end: Math.floor(plan.window.endMs / MS_PER_DAY) * MS_PER_DAY,
  };
}

/** The facts of one HCP-closed group of rows (a chunk's batches, or the fixtures'), campaigns looked up in `campaigns`. */
export function groupFacts(plan: Plan, rows: Rows, campaigns: Map<number, CampaignRow> | null): GroupFacts {
  const facts: GroupFacts = {
    unusable: [],
    sums: { stimuli: {}, calls: {}, outcomes: {}, hcps: {}, engagement: {} },
    repDays: { reps: [], days: 0, counts: new Uint32Array(0) },
    lags: new Float64Array(0),
    trx: new Float64Array(0),
    lift: [],
    model: null,
  };
  const get = (t: string) => rows[t] ?? empty(t);
  const h = get('hcp_profiles');
  const profiles = rowIndex(numOf(h, H.id), h.rows);
  if (!profiles || !campaigns) {
    facts.unusable.push('stimuli', 'calls', 'outcomes', 'hcps', 'engagement');
    return facts;
  }
  const s = get('stimuli');
  const stimuliAt = rowIndex(numOf(s, S.id), s.rows);
  stimuliPass(plan, s, h, profiles, campaigns, facts);
  repAttribution(plan, s, get('territory_assignments'), profiles, h.rows, facts);
  callsPass(plan, s, facts);
  outcomesPass(plan, get('outcomes'), s, stimuliAt, facts);
  hcpsPass(
    plan,
    h,
    profiles,
    get('territory_assignments'),
    get('rx_history'),
    get('engagement_scores'),
    facts,
  );
  engagementPass(plan, s, get('outcomes'), get('engagement_scores'), profiles, h.rows, facts);
  // The model's joins are per HCP too: a group the passes found open is not stated there either.
  if (facts.unusable.length === 0) facts.model = groupModelData(plan, rows);
  return facts;
}

/** The UTC weekday of a day number (0 Sunday .. 6 Saturday): 1970-01-01 was a Thursday. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** passes.ts stimuliPass: stimuli LEFT JOIN campaigns, LEFT JOIN hcp_profiles. */
function stimuliPass(
  plan: Plan,
  s: BatchData,
  h: BatchData,
  profiles: RowIndex,
  campaigns: Map<number, CampaignRow>,
  facts: GroupFacts,
): void {
  const f = facts.sums.stimuli;
  const declared = plan.validation.checks;
  const w = windowMs(plan);
  const declaredChannel = new Set(plan.channels.map((c) => c.id));
  const hours = new Map(plan.channels.map((c) => [c.id, c.hours]));
  const rep = new Set(plan.channels.filter((c) => c.repDelivered).map((c) => c.id));
  const promotion = promotionPlan(plan);
  const holidays = new Set(
    (promotion ? plan.holidays : []).map((d) => Date.parse(`${d}T00:00:00Z`) / MS_PER_DAY),
  );
  const tg = promotion ? plan.targeting : null;
  const nonTarget = tg !== null && tg.declared && !tg.repCallsToNonTargets;
  const specialties = tg !== null && tg.declared && tg.specialties !== null ? tg.specialties : null;
  // The facts each declared check adds (stimuliDistribution), all present even when no row counts.
  const mix = new Set<string>();
  const onChannel = new Set<string>();
  const months = new Set<number>();
  let weekend = false;
  for (const c of declared) {
    if (c.kind === 'channel_mix') for (const v of Object.keys(c.expected)) mix.add(v);
    else if (c.kind === 'outcome_rate') onChannel.add(c.channel);
    else if (c.kind === 'weekend_share') weekend = true;
    else if (c.kind === 'month_share') months.add(c.month);
  }
  const names = [
    'outside_window',
    'undeclared_channel',
    'id_rule_broken',
    'orphan_hcp',
    'orphan_campaign',
    'outside_campaign',
    'untargeted',
    ...(declared.length > 0 ? ['rows'] : []),
    ...[...mix].map((v) => `channel:${v}`),
    ...[...onChannel].map((v) => `on_channel:${v}`),
    ...[...months].map((m) => `month:${m}`),
    ...(weekend ? ['_weekend'] : []),
    ...(promotion ? ['off_hours'] : []),
    ...(promotion && plan.holidays.length > 0 ? ['rep_on_holiday'] : []),
    ...(nonTarget ? ['rep_to_non_target'] : []),
    ...(specialties ? ['rep_details', 'rep_details_outside'] : []),
  ];
  for (const n of names) f[n] = 0;
  if (s.rows === 0) return;
  const id = numOf(s, S.id);
  const hcp = numOf(s, S.hcp_id);
  const campaign = numOf(s, S.campaign_id);
  const at = numOf(s, S.occurred_at);
  // Per channel code: what the row's channel means to each fact, worked out once per value, not per row.
  const ch = coded(s, S.channel);
  const chDeclared = flags(ch.values, (v) => v !== null && declaredChannel.has(v));
  const chRep = flags(ch.values, (v) => v !== null && rep.has(v));
  const chMix = ch.values.map((v) => (mix.has(v) ? `channel:${v}` : null));
  const chOn = ch.values.map((v) => (onChannel.has(v) ? `on_channel:${v}` : null));
  const chStart = ch.values.map((v) => hours.get(v)?.start ?? NaN);
  const chEnd = ch.values.map((v) => hours.get(v)?.end ?? NaN);
  const perCode = new Float64Array(ch.values.length + 1);
  const taxonomy = coded(h, H.taxonomy_code);
  const tier = coded(h, H.tier);
  const segment = coded(h, H.segment);
  const isTarget = numOf(h, H.is_target);
  const outsideSpecialty = specialties
    ? flags(taxonomy.values, (v) => v === null || !specialties.includes(v))
    : null;
  // Per campaign: its dates and which channel and profile codes its targeting admits (`x = ANY(list)`, a NULL
  // list admits all); null: no such campaign. Kept by id in an array (generated ids are small) or a Map.
  type Admits = {
    row: CampaignRow;
    channel: Uint8Array;
    taxonomy: Uint8Array | null;
    tier: Uint8Array | null;
    segment: Uint8Array | null;
  } | null;
  const admitted = (list: readonly (string | null)[] | null, col: { values: string[] }): Uint8Array | null =>
    list === null ? null : flags(col.values, (v) => anyOf(v, list));
  const dense: Admits[] = [];
  const sparse = new Map<number, Admits>();
  const admitsOf = (cid: number): Admits => {
    const small = cid >= 0 && cid < 1 << 20 && Number.isInteger(cid);
    let a = small ? dense[cid] : sparse.get(cid);
    if (a === undefined) {
      const c = campaigns.get(cid);
      a = c
        ? {
            row: c,
            channel: flags(ch.values, (v) => anyOf(v, c.channels)),
            taxonomy: admitted(c.specialties, taxonomy),
            tier: admitted(c.tiers, tier),
            segment: admitted(c.segments, segment),
          }
        : null;
      if (small) dense[cid] = a;
      else sparse.set(cid, a);
    }
    return a;
  };
  // Calendar month per window day (the rows' days, nearly always); Date for anything else.
  const firstDay = Math.floor(w.start / MS_PER_DAY);
  const monthOfDay = new Uint8Array(Math.max(0, Math.ceil(w.end / MS_PER_DAY) - firstDay));
  if (months.size > 0)
    for (let d = 0; d < monthOfDay.length; d++)
      monthOfDay[d] = new Date((firstDay + d) * MS_PER_DAY).getUTCMonth() + 1;
  const monthN = new Float64Array(13);
  let weekendN = 0;
  let outsideWindow = 0;
  let undeclared = 0;
  let idRule = 0;
  let orphanCampaign = 0;
  let outsideCampaign = 0;
  let untargeted = 0;
  let offHours = 0;
  let repOnHoliday = 0;
  let repToNonTarget = 0;
  let repDetails = 0;
  let repDetailsOutside = 0;
  for (let r = 0; r < s.rows; r++) {
    const ms = at[r]!;
    const code = ch.codes[r]!;
    const known = ms === ms;
    if (!(known && ms >= w.start && ms < w.end)) outsideWindow++;
    if (chDeclared[code] === 0) undeclared++;
    const sid = id[r]!;
    const hid = hcp[r]!;
    // id / BASE IS DISTINCT FROM hcp_id OR id % BASE = 0, in integer arithmetic (a double's % is slow).
    const q = Math.trunc(sid / STIMULUS_ID_BASE);
    if (Number.isNaN(sid) || q !== hid || sid === q * STIMULUS_ID_BASE) idRule++;
    const p = profiles.get(hid);
    if (p < 0) {
      // Its HCP may be a profile of another group (or none): the join is not this group's to state.
      facts.unusable.push('stimuli');
      return;
    }
    const cid = campaign[r]!;
    if (cid === cid) {
      const a = admitsOf(cid);
      if (a === null) orphanCampaign++;
      else {
        if (!(known && ms >= a.row.startMs && ms < a.row.endMs)) outsideCampaign++;
        if (!(
          a.channel[code] === 1 &&
          (a.taxonomy === null || a.taxonomy[taxonomy.codes[p]!] === 1) &&
          (a.tier === null || a.tier[tier.codes[p]!] === 1) &&
          (a.segment === null || a.segment[segment.codes[p]!] === 1)
        ))
          untargeted++;
      }
    }
    perCode[code]!++;
    const day = Math.floor(ms / MS_PER_DAY);
    if (known) {
      if (weekend) {
        const dow = weekday(day);
        if (dow === 0 || dow === 6) weekendN++;
      }
      if (months.size > 0) {
        const i = day - firstDay;
        const m = i >= 0 && i < monthOfDay.length ? monthOfDay[i]! : new Date(ms).getUTCMonth() + 1;
        monthN[m]!++;
      }
    }
    if (!promotion) continue;
    if (chDeclared[code] === 1) {
      const hour = known ? Math.floor((ms - day * MS_PER_DAY) / HOUR_MS) : NaN;
      if (!(hour >= chStart[code]! && hour < chEnd[code]!)) offHours++;
    }
    if (chRep[code] === 0) continue;
    if (holidays.size > 0 && known && holidays.has(day)) repOnHoliday++;
    if (nonTarget && isTarget[p] === 0) repToNonTarget++;
    if (outsideSpecialty) {
      repDetails++;
      if (outsideSpecialty[taxonomy.codes[p]!] === 1) repDetailsOutside++;
    }
  }
  f.outside_window = outsideWindow;
  f.undeclared_channel = undeclared;
  f.id_rule_broken = idRule;
  f.orphan_campaign = orphanCampaign;
  f.outside_campaign = outsideCampaign;
  f.untargeted = untargeted;
  ch.values.forEach((_, code) => {
    if (chMix[code] !== null) f[chMix[code]!]! += perCode[code]!;
    if (chOn[code] !== null) f[chOn[code]!]! += perCode[code]!;
  });
  for (const m of months) f[`month:${m}`] = monthN[m]!;
  if (declared.length > 0) f.rows = s.rows;
  if (weekend) f._weekend = weekendN;
  if (promotion) f.off_hours = offHours;
  if ('rep_on_holiday' in f) f.rep_on_holiday = repOnHoliday;
  if (nonTarget) f.rep_to_non_target = repToNonTarget;
  if (specialties) {
    f.rep_details = repDetails;
    f.rep_details_outside = repDetailsOutside;
  }
}

/**
 * Facts only the generator states (the shared scans have no such column): validation reads them where stated
 * and runs the check's query otherwise. Each is its check's offending rows, counted the way its query does.
 */
export const STATED_ONLY: Partial<Record<PassName, readonly string[]>> = { stimuli: ['rep_attribution'] };

/**
 * checks-promotion.ts promotion.stimuli.rep_attribution: a rep-delivered stimulus carries one of its HCP's
 * assignments (rep_id, role) with a role its channel allows; any other stimulus carries neither.
 */
function repAttribution(
  plan: Plan,
  s: BatchData,
  t: BatchData,
  profiles: RowIndex,
  nProfiles: number,
  facts: GroupFacts,
): void {
  if (!promotionPlan(plan) || facts.unusable.includes('stimuli')) return;
  const f = facts.sums.stimuli;
  f.rep_attribution = 0;
  if (s.rows === 0) return;
  const unusable = (): void => void facts.unusable.push('stimuli');
  // Each profile's assignments as a linked list over the assignment rows (an HCP has one or two).
  const head = new Int32Array(nProfiles).fill(-1);
  const next = new Int32Array(t.rows).fill(-1);
  const tRep = textOf(t, T.rep_id);
  const tRole = textOf(t, T.role);
  if (t.rows > 0) {
    const th = numOf(t, T.hcp_id);
    for (let r = t.rows - 1; r >= 0; r--) {
      const p = profiles.get(th[r]!);
      if (p < 0) return unusable();
      for (let a = head[p]!; a >= 0; a = next[a]!) {
        // A repeated (HCP, rep, role) would repeat the query's joined rows.
        if (tRep(a) === tRep(r) && tRole(a) === tRole(r)) return unusable();
      }
      next[r] = head[p]!;
      head[p] = r;
    }
  }
  const repChannels = new Set(plan.channels.filter((c) => c.repDelivered).map((c) => c.id));
  const allowed = allowedRepRoles(plan);
  const hcp = numOf(s, S.hcp_id);
  const ch = coded(s, S.channel);
  const role = coded(s, S.rep_role);
  const isRep = flags(ch.values, (v) => v !== null && repChannels.has(v));
  const repOf = textOf(s, S.rep_id);
  // channel code * (role codes + 1) + role code: whether the pair is allowed.
  const roles = role.values.length + 1;
  const pairOk = new Uint8Array((ch.values.length + 1) * roles);
  ch.values.forEach((c, i) =>
    role.values.forEach((x, j) => (pairOk[i * roles + j] = allowed.has(`${c}|${x}`) ? 1 : 0)),
  );
  let bad = 0;
  for (let r = 0; r < s.rows; r++) {
    const code = ch.codes[r]!;
    const roleCode = role.codes[r]!;
    const rep = repOf(r);
    if (isRep[code] === 0) {
      if (rep !== null || roleCode !== role.values.length) bad++;
      continue;
    }
    const p = profiles.get(hcp[r]!);
    const roleName = roleCode < role.values.length ? role.values[roleCode]! : null;
    let matched = false;
    if (rep !== null && roleName !== null && p >= 0) {
      for (let a = head[p]!; a >= 0 && !matched; a = next[a]!)
        matched = tRep(a) === rep && tRole(a) === roleName;
    }
    if (!matched || pairOk[code * roles + roleCode] === 0) bad++;
  }
  f.rep_attribution = bad;
}

/** passes.ts callsPass: in-person rep calls grouped per HCP-day (here) and per rep-day (merged across groups). */
function callsPass(plan: Plan, s: BatchData, facts: GroupFacts): void {
  const f = facts.sums.calls;
  f.same_day_in_person = 0;
  if (s.rows === 0) return;
  const inPerson = new Set(plan.channels.filter((c) => c.inPerson && c.repDelivered).map((c) => c.id));
  if (inPerson.size === 0) return;
  const hcp = numOf(s, S.hcp_id);
  const at = numOf(s, S.occurred_at);
  const ch = coded(s, S.channel);
  const isInPerson = flags(ch.values, (v) => v !== null && inPerson.has(v));
  const repOf = textOf(s, S.rep_id);
  const w = windowMs(plan);
  const firstDay = Math.floor(w.start / MS_PER_DAY);
  const days = Math.max(1, Math.ceil(w.end / MS_PER_DAY) - firstDay);
  // A call outside the window's days (or without a time or HCP) is left to the query: the keys below (and the
  // merge's rep * 65536 + day) are built for window days.
  const unusable = (): void => void facts.unusable.push('calls');
  if (firstDay < 0 || firstDay + days > 65536) return unusable();
  // Calls per rep and window day, a row of counts per rep (few per group); the last rep is kept, as an HCP's
  // calls are usually all its one rep's.
  const repIndex = new Map<string, number>();
  const perRep: Uint32Array[] = [];
  let lastRep: string | null = null;
  let lastCounts: Uint32Array | null = null;
  // HCP-days with more than one call: generated rows come by HCP in time order, so a day's calls are one run;
  // rows in any other order are counted by key instead.
  let inOrder = true;
  let prevHcp = -Infinity;
  let prevDay = -Infinity;
  let run = 0;
  let repeatedDays = 0;
  for (let r = 0; r < s.rows; r++) {
    if (isInPerson[ch.codes[r]!] === 0) continue;
    const day = Math.floor(at[r]! / MS_PER_DAY) - firstDay;
    const k = hcp[r]!;
    if (!(day >= 0 && day < days) || !Number.isInteger(k)) return unusable();
    if (k === prevHcp && day === prevDay) {
      if (++run === 2) repeatedDays++;
    } else {
      if (k < prevHcp || (k === prevHcp && day < prevDay)) inOrder = false;
      run = 1;
    }
    prevHcp = k;
    prevDay = day;
    const rep = repOf(r);
    if (rep === null) continue;
    if (rep !== lastRep) {
      let i = repIndex.get(rep);
      if (i === undefined) {
        i = perRep.length;
        repIndex.set(rep, i);
        perRep.push(new Uint32Array(days));
      }
      lastRep = rep;
      lastCounts = perRep[i]!;
    }
    lastCounts![day]!++;
  }
  if (inOrder) f.same_day_in_person = repeatedDays;
  else {
    const byHcp = new Map<number, number>();
    for (let r = 0; r < s.rows; r++) {
      if (isInPerson[ch.codes[r]!] === 0) continue;
      const key = hcp[r]! * 65536 + Math.floor(at[r]! / MS_PER_DAY);
      byHcp.set(key, (byHcp.get(key) ?? 0) + 1);
    }
    for (const n of byHcp.values()) if (n > 1) f.same_day_in_person!++;
  }
  // One flat array: a rep's row of days after another's (cheap to send from a worker and to add up).
  const counts = new Uint32Array(perRep.length * days);
  perRep.forEach((row, i) => counts.set(row, i * days));
  facts.repDays = { reps: [...repIndex.keys()], days, counts };
}

/** passes.ts outcomesPass: outcomes JOIN stimuli ON s.id = o.stimulus_id. */
function outcomesPass(
  plan: Plan,
  o: BatchData,
  s: BatchData,
  stimuliAt: RowIndex | null,
  facts: GroupFacts,
): void {
  const f = facts.sums.outcomes;
  f.joined = 0;
  f.mismatched = 0;
  f.before_stimulus = 0;
  const rates: { i: number; channel: string; types: Set<string> | null }[] = [];
  let lag = false;
  plan.validation.checks.forEach((c, i) => {
    if (c.kind === 'outcome_rate') {
      rates.push({ i, channel: c.channel, types: c.outcome_types ? new Set(c.outcome_types) : null });
      f[`responses:${i}`] = 0;
    } else if (c.kind === 'outcome_lag_hours') lag = true;
  });
  if (o.rows === 0) return;
  if (!stimuliAt) {
    facts.unusable.push('outcomes');
    return;
  }
  const oid = numOf(o, O.id);
  const sid = numOf(o, O.stimulus_id);
  const ohcp = numOf(o, O.hcp_id);
  const oat = numOf(o, O.occurred_at);
  const ochannel = textOf(o, O.channel);
  const otype = textOf(o, O.outcome_type);
  const shcp = numOf(s, S.hcp_id);
  const sat = numOf(s, S.occurred_at);
  const schannel = textOf(s, S.channel);
  const lags = lag ? new Float64Array(o.rows) : new Float64Array(0);
  let nLags = 0;
  for (let r = 0; r < o.rows; r++) {
    const key = sid[r]!;
    if (Number.isNaN(key)) continue; // joins nothing
    const x = stimuliAt.get(key);
    if (x < 0) {
      // Its stimulus may be in another group: this group cannot say whether it joins.
      facts.unusable.push('outcomes');
      return;
    }
    f.joined!++;
    const sc = schannel(x);
    const oc = ochannel(r);
    const oh = ohcp[r]!;
    const sh = shcp[x]!;
    if (!(oh === sh || (Number.isNaN(oh) && Number.isNaN(sh))) || oc !== sc) f.mismatched!++;
    const a = oat[r]!;
    const b = sat[x]!;
    if (!(a >= b)) f.before_stimulus!++;
    if (!Number.isNaN(oid[r]!)) {
      for (const rate of rates) {
        if (sc === rate.channel) {
          const t = otype(r);
          if (rate.types === null || (t !== null && rate.types.has(t))) f[`responses:${rate.i}`]!++;
        }
      }
    }
    if (lag && a === a && b === b) lags[nLags++] = (a - b) / 1000 / 3600;
  }
  facts.lags = lags.slice(0, nLags);
}

/** passes.ts hcpsPass (with rxDistribution): profiles LEFT JOIN their territory, Rx and score groups. */
function hcpsPass(
  plan: Plan,
  h: BatchData,
  index: RowIndex,
  t: BatchData,
  rx: BatchData,
  e: BatchData,
  facts: GroupFacts,
): void {
  const f = facts.sums.hcps;
  const names = [
    'hcp_rows',
    'hcp_ids',
    'invalid_npi',
    'values_outside_scenario',
    'without_primary',
    'incomplete_rx',
    'without_score',
    'assignment_rows',
    'orphan_assignments',
    'rx_rows',
    'orphan_rx',
    'trx_below_nrx',
    'rx_outside_window',
    'orphan_scores',
  ];
  for (const n of names) f[n] = 0;
  const declared = plan.validation.checks;
  const deciles = declared.some((c) => c.kind === 'decile_volume_share');
  if (deciles) {
    for (let d = 1; d <= 10; d++) f[`decile_trx:${d}`] = 0;
    f._trx_total = 0;
    f._trx_profiles = 0;
  }
  const lift = declared.some((c) => c.kind === 'engagement_rx_lift');
  const top = declared.some((c) => c.kind === 'top_prescriber_share');

  // A row whose HCP is not a profile of this group may be joined by another group's: the pass is left to the query.
  const notHere = (): void => void facts.unusable.push('hcps');
  // Territory groups: assignments and primaries per profile.
  const primaries = new Float64Array(h.rows);
  if (t.rows > 0) {
    const th = numOf(t, T.hcp_id);
    const role = textOf(t, T.role);
    const primary = plan.territories.primaryRole;
    for (let r = 0; r < t.rows; r++) {
      f.assignment_rows!++;
      const p = index.get(th[r]!);
      if (p < 0) return notHere();
      if (role(r) === primary) primaries[p]!++;
    }
  }
  // Rx groups.
  const total = new Float64Array(h.rows);
  const grid = new Float64Array(h.rows);
  const trxSum = new Float64Array(h.rows).fill(NaN);
  const liftRows = new Float64Array(h.rows);
  const liftNrx = new Float64Array(h.rows);
  const liftValues = new Float64Array(h.rows);
  if (rx.rows > 0) {
    const rh = numOf(rx, R.hcp_id);
    const month = numOf(rx, R.month);
    const product = textOf(rx, R.product);
    const nrx = numOf(rx, R.nrx);
    const trx = numOf(rx, R.trx);
    const months = new Set(plan.window.months.map((m) => Date.parse(`${m.start}T00:00:00Z`) / MS_PER_DAY));
    const products = new Set(plan.products.map((p) => p.id));
    const lead = plan.products[plan.prescribing.leadProduct]?.id ?? null;
    for (let r = 0; r < rx.rows; r++) {
      f.rx_rows!++;
      const n = nrx[r]!;
      const x = trx[r]!;
      if (!(x >= n && n >= 0)) f.trx_below_nrx!++;
      const inWindow = months.has(month[r]!);
      if (!inWindow) f.rx_outside_window!++;
      const p = index.get(rh[r]!);
      if (p < 0) return notHere();
      total[p]!++;
      const prod = product(r);
      if (inWindow && prod !== null && products.has(prod)) grid[p]!++;
      if (!Number.isNaN(x)) trxSum[p] = Number.isNaN(trxSum[p]!) ? x : trxSum[p]! + x;
      if (lead !== null && prod === lead) {
        liftRows[p]!++;
        // avg(nrx) ignores NULLs.
        if (!Number.isNaN(n)) {
          liftNrx[p] = liftNrx[p]! + n;
          liftValues[p]!++;
        }
      }
    }
  }
  // Score rows per profile.
  const scores = new Float64Array(h.rows);
  const segmentOf = new Array<string | null>(h.rows).fill(null);
  if (e.rows > 0) {
    const eh = numOf(e, E.hcp_id);
    const seg = textOf(e, E.engagement_segment);
    for (let r = 0; r < e.rows; r++) {
      const p = index.get(eh[r]!);
      if (p < 0) return notHere();
      scores[p]!++;
      segmentOf[p] = seg(r);
    }
  }
  if (lift && scores.some((n) => n > 1)) {
    // The lift's join to engagement_scores would repeat the profile.
    facts.unusable.push('hcps');
    return;
  }
  if (h.rows === 0) return;
  const gridN = plan.window.months.length * plan.products.length;
  const npi = textOf(h, H.npi);
  const decile = numOf(h, H.decile);
  const broken = hcpValuesBrokenJs(plan);
  const [taxonomy, specialty, state, region, tier, segment] = [
    textOf(h, H.taxonomy_code),
    textOf(h, H.specialty),
    textOf(h, H.state, true),
    textOf(h, H.region),
    textOf(h, H.tier),
    textOf(h, H.segment),
  ];
  const engaged = new Set(plan.engagement.segments.slice(0, 2).map((x) => x.name));
  const liftByDecile = new Map<number | null, [number, number, number, number, number]>();
  const trxOut = top ? new Float64Array(h.rows) : new Float64Array(0);
  for (let p = 0; p < h.rows; p++) {
    f.hcp_rows!++;
    f.hcp_ids!++;
    if (npiBrokenJs(npi(p))) f.invalid_npi!++;
    if (
      broken({
        taxonomyCode: taxonomy(p),
        specialty: specialty(p),
        state: state(p),
        region: region(p),
        decile: decile[p]!,
        tier: tier(p),
        segment: segment(p),
      })
    )
      f.values_outside_scenario!++;
    if (primaries[p] !== 1) f.without_primary!++;
    if (grid[p] !== gridN || total[p] !== gridN) f.incomplete_rx!++;
    if (scores[p] === 0) f.without_score!++;
    const sum = trxSum[p]!;
    if (deciles && !Number.isNaN(sum)) {
      const d = decile[p]!;
      if (d >= 1 && d <= 10 && Number.isInteger(d)) f[`decile_trx:${d}`]! += sum;
      f._trx_total! += sum;
      f._trx_profiles!++;
    }
    if (top) trxOut[p] = Number.isNaN(sum) ? 0 : sum;
    if (lift && scores[p] === 1 && liftRows[p]! > 0) {
      const d = Number.isNaN(decile[p]!) ? null : decile[p]!;
      let acc = liftByDecile.get(d);
      if (!acc) liftByDecile.set(d, (acc = [0, 0, 0, 0, 0]));
      // The HCP's avg(nrx): NULL (skipped by the decile's averages) without a value.
      const nrx = liftValues[p]! > 0 ? liftNrx[p]! / liftValues[p]! : NaN;
      acc[0]++;
      const s = segmentOf[p] ?? null;
      if (Number.isNaN(nrx)) {
        // counted in n only
      } else if (s !== null && engaged.has(s)) {
        acc[1] += nrx;
        acc[2]++;
      } else if (s !== null) {
        acc[3] += nrx;
        acc[4]++;
      }
    }
  }
  facts.trx = trxOut;
  facts.lift = [...liftByDecile].map(([d, a]) => [d, ...a]);
}

/** passes.ts engagementPass: engagement_scores LEFT JOIN the per-HCP stimuli and outcomes groups. */
function engagementPass(
  plan: Plan,
  s: BatchData,
  o: BatchData,
  e: BatchData,
  profiles: RowIndex,
  nProfiles: number,
  facts: GroupFacts,
): void {
  const f = facts.sums.engagement;
  const names = [
    'unordered_hcps',
    'stimulus_rows',
    'null_stimulus_ids',
    'outcome_rows',
    'null_outcome_ids',
    'outcomes_outside_window',
    'outcome_id_rule_broken',
    'undeclared_outcome_type',
    'score_rows',
    'null_score_ids',
    'wrong_as_of',
    'score_out_of_range',
    'wrong_stimuli_count',
    'wrong_response_count',
    'wrong_last_stimulus_at',
    'wrong_derived',
    'wrong_segment',
  ];
  for (const n of names) f[n] = 0;
  const w = windowMs(plan);
  // A row whose HCP is not a profile of this group may share its hcp_id group with another group's rows.
  const notHere = (): void => void facts.unusable.push('engagement');
  // Stimuli groups per profile: rows, last time, recent rows, and whether times follow ids.
  const n = new Float64Array(nProfiles);
  const last = new Float64Array(nProfiles).fill(-Infinity);
  const recent = new Float64Array(nProfiles);
  const unordered = new Uint8Array(nProfiles);
  if (s.rows > 0) {
    const id = numOf(s, S.id);
    const hcp = numOf(s, S.hcp_id);
    const at = numOf(s, S.occurred_at);
    const recentFrom = w.end - 90 * MS_PER_DAY;
    const owner = new Int32Array(s.rows);
    // Each profile's rows in id order: row order when it already is (generated rows), sorted otherwise.
    const lastId = new Float64Array(nProfiles).fill(-Infinity);
    let inIdOrder = true;
    for (let r = 0; r < s.rows; r++) {
      const p = profiles.get(hcp[r]!);
      if (p < 0 || Number.isNaN(at[r]!) || Number.isNaN(id[r]!)) return notHere();
      owner[r] = p;
      if (!(id[r]! > lastId[p]!)) inIdOrder = false;
      lastId[p] = id[r]!;
    }
    let order: ArrayLike<number> | null = null;
    if (!inIdOrder) {
      const sorted = Array.from({ length: s.rows }, (_, r) => r);
      sorted.sort((x, y) => owner[x]! - owner[y]! || id[x]! - id[y]!);
      order = sorted;
    }
    const prevAt = new Float64Array(nProfiles).fill(-Infinity);
    for (let i = 0; i < s.rows; i++) {
      const r = order === null ? i : order[i]!;
      const p = owner[r]!;
      const ms = at[r]!;
      if (ms < prevAt[p]!) unordered[p] = 1;
      prevAt[p] = ms;
      n[p]!++;
      if (ms > last[p]!) last[p] = ms;
      if (ms >= recentFrom) recent[p]!++;
    }
    f.stimulus_rows = s.rows;
    for (let p = 0; p < nProfiles; p++) f.unordered_hcps! += unordered[p]!;
  }
  // Outcome groups per profile.
  const responses = new Float64Array(nProfiles);
  if (o.rows > 0) {
    const oid = numOf(o, O.id);
    const sid = numOf(o, O.stimulus_id);
    const hcp = numOf(o, O.hcp_id);
    const at = numOf(o, O.occurred_at);
    const channel = coded(o, O.channel);
    const type = coded(o, O.outcome_type);
    const pairs = new Set(plan.channels.flatMap((c) => c.outcomes.map((x) => `${c.id}\u0000${x.type}`)));
    // Per (channel code, type code): whether the scenario declares the pair; built once per group.
    const declaredPair = new Map<number, boolean>();
    for (let r = 0; r < o.rows; r++) {
      const p = profiles.get(hcp[r]!);
      if (p < 0) return notHere();
      responses[p]!++;
      const v = oid[r]!;
      if (Number.isNaN(v)) f.null_outcome_ids!++;
      const ms = at[r]!;
      if (!(ms >= w.start && ms < w.end)) f.outcomes_outside_window!++;
      if (!(v === sid[r] || (Number.isNaN(v) && Number.isNaN(sid[r]!)))) f.outcome_id_rule_broken!++;
      const cc = channel.codes[r]!;
      const tc = type.codes[r]!;
      const key = cc * 65536 + tc;
      let ok = declaredPair.get(key);
      if (ok === undefined) {
        ok =
          cc < channel.values.length &&
          tc < type.values.length &&
          pairs.has(`${channel.values[cc]}\u0000${type.values[tc]}`);
        declaredPair.set(key, ok);
      }
      if (!ok) f.undeclared_outcome_type!++;
    }
    f.outcome_rows = o.rows;
  }
  if (e.rows === 0) return;
  const hcp = numOf(e, E.hcp_id);
  const asOf = numOf(e, E.as_of);
  const stimuliCount = numOf(e, E.stimuli_count);
  const responseCount = numOf(e, E.response_count);
  const rate = numOf(e, E.response_rate);
  const lastStimulus = numOf(e, E.last_stimulus_at);
  const recency = numOf(e, E.recency_days);
  const frequency = numOf(e, E.frequency_90d);
  const score = numOf(e, E.score);
  const segment = textOf(e, E.engagement_segment);
  const asOfDay = Date.parse(`${plan.params.asOf}T00:00:00Z`) / MS_PER_DAY;
  const segments = plan.engagement.segments;
  const bounds = segments.slice(0, -1).map((x) => [Math.fround(x.minScore), x.name] as const);
  const lastSegment = segments[segments.length - 1]?.name ?? null;
  // IS DISTINCT FROM on numbers, NaN being NULL.
  const distinct = (a: number, b: number): boolean =>
    Number.isNaN(a) || Number.isNaN(b) ? Number.isNaN(a) !== Number.isNaN(b) : a !== b;
  for (let r = 0; r < e.rows; r++) {
    f.score_rows!++;
    const k = hcp[r]!;
    if (Number.isNaN(k)) f.null_score_ids!++;
    const p = Number.isNaN(k) ? -1 : profiles.get(k);
    if (p < 0 && !Number.isNaN(k)) return notHere();
    const count = p < 0 ? 0 : n[p]!;
    const lastAt = count > 0 ? last[p]! : NaN;
    if (distinct(asOf[r]!, asOfDay)) f.wrong_as_of!++;
    const sc = Math.fround(score[r]!);
    const rr = Math.fround(rate[r]!);
    if (!(sc >= 0 && sc <= 100 && rr >= 0 && rr <= 1)) f.score_out_of_range!++;
    if (distinct(stimuliCount[r]!, count)) f.wrong_stimuli_count!++;
    const nResp = p < 0 ? 0 : responses[p]!;
    if (distinct(responseCount[r]!, nResp)) f.wrong_response_count!++;
    const lastMs = lastStimulus[r]!;
    if (distinct(lastMs, lastAt)) f.wrong_last_stimulus_at!++;
    const sn = stimuliCount[r]!;
    // CASE WHEN stimuli_count > 0 ... ELSE 0: a NULL count takes the ELSE.
    const expectedRate = sn > 0 ? responseCount[r]! / sn : 0;
    const rateOk = Math.abs(rr - expectedRate) < 0.0001;
    const days = Number.isNaN(lastMs) ? NaN : Math.floor((w.end - lastMs) / MS_PER_DAY);
    if (!rateOk || distinct(recency[r]!, days) || distinct(frequency[r]!, p < 0 ? 0 : recent[p]!))
      f.wrong_derived!++;
    let want = lastSegment;
    for (const [min, name] of bounds) {
      if (sc >= min) {
        want = name;
        break;
      }
    }
    const got = segment(r);
    if (got !== want) f.wrong_segment!++;
  }
}
