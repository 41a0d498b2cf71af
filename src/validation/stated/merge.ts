// The stated facts of a whole run: the groups' facts (group-facts.ts) added up and finished into what each
// shared pass would return (passes.ts), plus the tables' fingerprints (fingerprint.ts) that say whether the
// database holds the rows the facts are about. generate collects them while it loads; validation takes a pass
// from here instead of scanning for it when every fingerprint agrees (src/validation/run.ts).
import type { Plan, TableName } from '../../plan/types.js';
import { TABLES } from '../../plan/types.js';
import { tableDef } from '../../tables/tables.js';
import type { Facts, PassName, Queryable } from '../types.js';
import { promotionPlan } from '../passes.js';
import { FingerprintSum, fingerprintSql, type TableFingerprint } from './fingerprint.js';
import type { GroupFacts } from './group-facts.js';
import { ModelData, modelHcps } from './model-data.js';

const PASS_NAMES: readonly PassName[] = ['stimuli', 'calls', 'outcomes', 'hcps', 'engagement'];

/** percentile_cont(0.5) over the values (NaN for none), as PostgreSQL interpolates it. */
function median(values: Float64Array): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = 0.5 * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return lo === hi ? a : a + (pos - lo) * (sorted[hi]! - a);
}

export class StatedFacts {
  private readonly unusable = new Set<PassName>();
  private readonly sums: Record<PassName, Record<string, number>> = {
    stimuli: {},
    calls: {},
    outcomes: {},
    hcps: {},
    engagement: {},
  };
  private readonly repIndex = new Map<string, number>();
  /** Per rep (by repIndex), its in-person calls per window day. */
  private readonly repDays: Uint32Array[] = [];
  private readonly lags: Float64Array[] = [];
  private readonly trx: Float64Array[] = [];
  private readonly lift = new Map<number | null, number[]>();
  private readonly fingerprints = new Map<TableName, FingerprintSum>(
    TABLES.map((t) => [t, new FingerprintSum(tableDef(t))]),
  );
  private groups = 0;
  /** The derived checks' data, while every group stated its part. */
  private modelData: ModelData | null;
  /** A group came without facts: nothing can be stated for the run. */
  private missing = false;

  constructor(private readonly plan: Plan) {
    this.modelData = new ModelData(modelHcps(plan));
  }

  addGroup(g: GroupFacts): void {
    this.groups++;
    if (g.model) this.modelData?.add(g.model);
    else this.modelData = null;
    for (const p of g.unusable) this.unusable.add(p);
    for (const pass of PASS_NAMES) {
      const into = this.sums[pass];
      for (const [k, v] of Object.entries(g.sums[pass])) into[k] = (into[k] ?? 0) + v;
    }
    const { reps, days, counts } = g.repDays;
    reps.forEach((rep, i) => {
      let at = this.repIndex.get(rep);
      if (at === undefined) {
        this.repIndex.set(rep, (at = this.repDays.length));
        this.repDays.push(new Uint32Array(days));
      }
      const into = this.repDays[at]!;
      // Every group counts the same window's days.
      if (into.length !== days) {
        this.unusable.add('calls');
        return;
      }
      for (let d = 0; d < days; d++) into[d]! += counts[i * days + d]!;
    });
    if (g.lags.length > 0) this.lags.push(g.lags);
    if (g.trx.length > 0) this.trx.push(g.trx);
    for (const [d, ...parts] of g.lift) {
      const acc = this.lift.get(d) ?? [0, 0, 0, 0, 0];
      parts.forEach((v, i) => (acc[i]! += v));
      this.lift.set(d, acc);
    }
  }

  /** A group of rows was loaded without stated facts. */
  addUnstated(): void {
    this.missing = true;
  }

  addFingerprint(table: TableName, f: TableFingerprint): void {
    this.fingerprints.get(table)!.add(f);
  }

  /**
   * Whether the database (through `q`'s search_path) holds exactly the rows fingerprinted: one aggregate query
   * per table, every part equal. Any table that disagrees (or cannot be fingerprinted) makes all facts unusable.
   */
  async agrees(q: Queryable): Promise<boolean> {
    if (this.groups === 0 || this.missing) return false;
    for (const t of TABLES) {
      const { rows } = await q.query(fingerprintSql(tableDef(t)));
      if (!this.fingerprints.get(t)!.matches((rows[0] ?? {}) as Record<string, unknown>)) return false;
    }
    return true;
  }

  /** The derived checks' data side, when every group stated it (see facts() for when it may be used). */
  model(): ModelData | null {
    return this.groups === 0 || this.missing ? null : this.modelData;
  }

  /** What each pass would return, for the passes every group could state; absent passes are queried. */
  facts(): Partial<Record<PassName, Facts>> {
    const out: Partial<Record<PassName, Facts>> = {};
    if (this.groups === 0 || this.missing) return out;
    const plan = this.plan;
    const declared = plan.validation.checks;
    const strip = (f: Record<string, number>): Facts =>
      Object.fromEntries(Object.entries(f).filter(([k]) => !k.startsWith('_')));
    const use = (pass: PassName, f: Facts): void => {
      if (!this.unusable.has(pass)) out[pass] = f;
    };

    const st = { ...this.sums.stimuli };
    if ('_weekend' in st) st.weekend_share = st.rows! > 0 ? st._weekend! / st.rows! : NaN;
    const tg = promotionPlan(plan) ? plan.targeting : null;
    // The primary keys generate added before validation prove campaign and HCP ids unique.
    if (declared.length > 0 || (tg?.declared && tg.specialties !== null)) {
      st.campaign_repeats = 0;
      st.hcp_repeats = 0;
    }
    use('stimuli', strip(st));

    const capacity = plan.territories.dailyCapacity;
    let over = 0;
    for (const row of this.repDays) for (const n of row) if (n > capacity) over++;
    use('calls', { ...strip(this.sums.calls), over_capacity: over });

    const oc = { ...this.sums.outcomes };
    if (declared.some((c) => c.kind === 'outcome_lag_hours')) {
      const all = new Float64Array(this.lags.reduce((a, l) => a + l.length, 0));
      let at = 0;
      for (const l of this.lags) {
        all.set(l, at);
        at += l.length;
      }
      oc.lag_median = median(all);
    }
    use('outcomes', strip(oc));

    const hc = { ...this.sums.hcps };
    if ('_trx_total' in hc) hc.decile_trx_total = hc._trx_profiles! > 0 ? hc._trx_total! : NaN;
    declared.forEach((c, i) => {
      if (c.kind === 'top_prescriber_share') hc[`top_share:${i}`] = topShare(this.trx, c.top);
      else if (c.kind === 'engagement_rx_lift') {
        let weighted = 0;
        let n = 0;
        let deciles = 0;
        for (const [count, engSum, engN, otherSum, otherN] of this.lift.values()) {
          if (engN! === 0 || otherN! === 0) continue;
          const other = otherSum! / otherN!;
          if (!(other > 0)) continue;
          weighted += (count! * (engSum! / engN!)) / other;
          n += count!;
          deciles++;
        }
        hc[`rx_lift:${i}`] = deciles > 0 ? weighted / n : NaN;
        hc[`rx_lift_deciles:${i}`] = deciles;
      }
    });
    use('hcps', strip(hc));
    use('engagement', strip(this.sums.engagement));
    return out;
  }
}

/** The TRx share of the top `top` of prescribers (by TRx; ties do not change the sum), NaN when no TRx. */
function topShare(parts: readonly Float64Array[], top: number): number {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  const k = Math.ceil(top * n);
  let total = 0;
  let best = 0;
  for (let i = 0; i < n; i++) {
    total += all[i]!;
    if (i >= n - k) best += all[i]!;
  }
  return total === 0 ? NaN : best / total;
}
