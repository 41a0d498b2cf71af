// Products as a market basket, resolved per window month at compile time. A product's availability and uptake
// follow the CALENDAR (launch_date, exit_date), not the window: the same calendar month gets the same share
// whatever --months or --as-of. A launch that declares takes_share_from leaves the share it has not reached yet
// with those products, so the basket's total volume stays what the scenario declares; without it the launch
// grows the market. An exited product's share leaves the basket (to generics or other markets).
import type { Product } from '../scenario/scenario-types.js';
import { MS_PER_DAY, parseDate } from '../time/calendar.js';

/** The part of a window month this module needs (src/plan/types.ts WindowMonth has it). */
export interface MarketMonth {
  ym: string;
  startMs: number;
  endMs: number;
}

export interface ProductMonths {
  /** Ramp 0..1 per window month: how far along its uptake the product is (1 = established). */
  uptake: number[];
  /** Share 0..1 of each window month's days on which the product is on the market. */
  available: number[];
  /** Effective share of the HCP's baseline TRx per window month, after launches took or left share. */
  monthShare: number[];
  /** Share of the month's baseline NRx that are new to brand. */
  nbrxShare: number[];
}

/** Default share of an established product's baseline NRx that are new to brand. */
export const DEFAULT_NBRX_SHARE = 0.4;

/** Months from `ym` 'YYYY-MM' to `ym2` (negative when ym2 is earlier). */
function monthsBetween(ym: string, ym2: string): number {
  const a = Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7));
  const b = Number(ym2.slice(0, 4)) * 12 + Number(ym2.slice(5, 7));
  return b - a;
}

/** Share of [startMs, endMs) inside [from, to). */
function overlap(startMs: number, endMs: number, from: number, to: number): number {
  const span = endMs - startMs;
  if (span <= 0) return 0;
  return Math.max(0, Math.min(endMs, to) - Math.max(startMs, from)) / span;
}

export function marketMonths(
  products: readonly Product[],
  months: readonly MarketMonth[],
  defaultNbrxShare = DEFAULT_NBRX_SHARE,
): ProductMonths[] {
  const own = products.map((p) => {
    const from = p.launch_date ? parseDate(p.launch_date) : Number.NEGATIVE_INFINITY;
    const to = p.exit_date ? parseDate(p.exit_date) + MS_PER_DAY : Number.POSITIVE_INFINITY;
    const launchYm = p.launch_date?.slice(0, 7);
    const uptake = months.map((m, i) => {
      if (!p.uptake_months) return 1;
      // Month k of the launch (1 = the launch month) in calendar time; legacy: from the window's start.
      const k = launchYm === undefined ? i + 1 : monthsBetween(launchYm, m.ym) + 1;
      return k <= 0 ? 0 : Math.min(1, k / p.uptake_months);
    });
    const available = months.map((m) => overlap(m.startMs, m.endMs, from, to));
    const launched = months.map((m) => overlap(m.startMs, m.endMs, from, Number.POSITIVE_INFINITY));
    const q = p.nbrx_share ?? defaultNbrxShare;
    // A product still ramping up is new to most of its patients: the NBRx share rises to 1 at launch.
    const nbrxShare = uptake.map((u) => q + (1 - q) * (1 - u));
    return { uptake, available, launched, nbrxShare };
  });
  const index = new Map(products.map((p, i) => [p.id, i]));
  const monthShare = products.map((p, i) =>
    months.map((_, m) => p.volume_share * own[i]!.uptake[m]! * own[i]!.available[m]!),
  );
  products.forEach((launch, l) => {
    const targets = (launch.takes_share_from ?? [])
      .map((id) => index.get(id))
      .filter((t): t is number => t !== undefined && t !== l);
    if (targets.length === 0) return;
    for (let m = 0; m < months.length; m++) {
      // Before the launch (and while it ramps) the share it has not reached yet is the incumbents'.
      // After exit_date the share is not handed back: it leaves the basket.
      const reached = own[l]!.uptake[m]! * own[l]!.launched[m]!;
      const left = launch.volume_share * (1 - reached);
      const weights = targets.map((t) => products[t]!.volume_share * own[t]!.available[m]!);
      const total = weights.reduce((a, b) => a + b, 0);
      if (total <= 0 || left <= 0) continue;
      targets.forEach((t, j) => (monthShare[t]![m]! += (left * weights[j]!) / total));
    }
  });
  return own.map((o, i) => ({
    uptake: o.uptake,
    available: o.available,
    monthShare: monthShare[i]!,
    nbrxShare: o.nbrxShare,
  }));
}
