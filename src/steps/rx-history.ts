// Step 6: prescribing history, one row per HCP, window month and product. The baseline is the HCP's monthly
// TRx (specialty-scaled, heavy-tailed) x the product's share x Rx seasonality; NRx are the new share of it
// plus the engagement lift: each stimulus adds its channel's nrx_lift, spread over lift_months with
// geometric decay, to the first (promoted) product. Counts are Poisson around those means; TRx = NRx + refills.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import type { Stimulus } from './stimuli.js';
import { poissonDraw } from '../random/distributions.js';

export interface RxRow {
  month: number;
  product: number;
  nrx: number;
  trx: number;
}

/** NRx lift per window month from this HCP's stimuli. */
export function engagementLift(ctx: GenerationContext, stimuli: readonly Stimulus[]): Float64Array {
  const { plan } = ctx;
  const months = plan.window.months.length;
  const weights = plan.prescribing.liftWeights;
  const byMonth = new Float64Array(months);
  for (const s of stimuli) byMonth[s.month]! += plan.channels[s.channel]!.nrxLift;
  const lift = new Float64Array(months);
  for (let m = 0; m < months; m++) {
    let total = 0;
    for (let k = 0; k < weights.length && k <= m; k++) total += byMonth[m - k]! * weights[k]!;
    lift[m] = total;
  }
  return lift;
}

export function drawRx(
  ctx: GenerationContext,
  hcpId: number,
  attrs: HcpAttributes,
  stimuli: readonly Stimulus[],
): RxRow[] {
  const { plan, rng, seedK } = ctx;
  const lift = engagementLift(ctx, stimuli);
  const nrxShare = plan.prescribing.nrxShare;
  const rows: RxRow[] = [];
  for (let m = 0; m < plan.window.months.length; m++) {
    const factor = plan.prescribing.monthFactors[m]!;
    for (let p = 0; p < plan.products.length; p++) {
      rng.reset(seedK, FIELD.rx, hcpId, m * 64 + p);
      const product = plan.products[p]!;
      const base = attrs.volume * product.volumeShare * product.uptake[m]! * factor;
      const nrx = poissonDraw(base * nrxShare + (p === 0 ? lift[m]! : 0), rng);
      const trx = nrx + poissonDraw(base * (1 - nrxShare), rng);
      rows.push({ month: m, product: p, nrx, trx });
    }
  }
  return rows;
}
