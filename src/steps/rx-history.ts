// Step 6: prescribing history, one row per HCP, window month and product of the market basket. The baseline
// is the HCP's monthly TRx (specialty-scaled, heavy-tailed) x the product's share that calendar month (launch,
// uptake, exit and the share launches take: src/steps/market.ts) x Rx seasonality. NRx are the new share of
// it; of those, the product's NBRx share is new to brand. The engagement lift adds NRx that are all new to
// brand: each stimulus adds its channel's nrx_lift, spread over lift_months with geometric decay, to the
// product it promotes (its campaign's product; the lead product outside campaigns), only while that product is
// on the market. Counts are Poisson: NBRx, then NRx = NBRx + other new, then TRx = NRx + refills, so
// NBRx <= NRx <= TRx holds on every row by construction.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import type { Stimulus } from './stimuli.js';
import type { Campaign } from './campaigns.js';
import { poissonDraw } from '../random/distributions.js';

export interface RxRow {
  month: number;
  product: number;
  nrx: number;
  trx: number;
  nbrx: number;
}

const productByCampaign = new WeakMap<readonly Campaign[], Map<number, number>>();

/** Campaign id -> index of the product it promotes, built once per context's campaign list. */
function campaignProducts(ctx: GenerationContext): Map<number, number> {
  let map = productByCampaign.get(ctx.campaigns);
  if (map === undefined) {
    const index = new Map(ctx.plan.products.map((p, i) => [p.id, i]));
    map = new Map(ctx.campaigns.map((c) => [c.id, index.get(c.product) ?? ctx.plan.prescribing.leadProduct]));
    productByCampaign.set(ctx.campaigns, map);
  }
  return map;
}

/** Campaigns outside the context's generated list (seed-data fixtures), with the product each promotes. */
export type ExtraCampaigns = readonly { id: number; product: string }[];

/** The product a stimulus promotes: its campaign's product, else the scenario's lead product. */
export function promotedProduct(ctx: GenerationContext, s: Stimulus, extra: ExtraCampaigns = []): number {
  const lead = ctx.plan.prescribing.leadProduct;
  if (s.campaignId === null) return lead;
  const own = campaignProducts(ctx).get(s.campaignId);
  if (own !== undefined) return own;
  const fixture = extra.find((c) => c.id === s.campaignId);
  const p = fixture ? ctx.plan.products.findIndex((x) => x.id === fixture.product) : -1;
  return p >= 0 ? p : lead;
}

/** NRx lift per (window month, product), at index month * products + product, from this HCP's stimuli. */
export function engagementLift(
  ctx: GenerationContext,
  stimuli: readonly Stimulus[],
  extra: ExtraCampaigns = [],
): Float64Array {
  const { plan } = ctx;
  const months = plan.window.months.length;
  const products = plan.products.length;
  const weights = plan.prescribing.liftWeights;
  const byMonth = new Float64Array(months * products);
  for (const s of stimuli) {
    byMonth[s.month * products + promotedProduct(ctx, s, extra)]! += plan.channels[s.channel]!.nrxLift;
  }
  const lift = new Float64Array(months * products);
  for (let p = 0; p < products; p++) {
    const available = plan.products[p]!.available;
    for (let m = 0; m < months; m++) {
      let total = 0;
      for (let k = 0; k < weights.length && k <= m; k++)
        total += byMonth[(m - k) * products + p]! * weights[k]!;
      // No prescriptions for a product that is not on the market (before launch, after exit).
      lift[m * products + p] = total * available[m]!;
    }
  }
  return lift;
}

export function drawRx(
  ctx: GenerationContext,
  hcpId: number,
  attrs: HcpAttributes,
  stimuli: readonly Stimulus[],
  extra: ExtraCampaigns = [],
): RxRow[] {
  const { plan, rng, seedK } = ctx;
  const lift = engagementLift(ctx, stimuli, extra);
  const nrxShare = plan.prescribing.nrxShare;
  const products = plan.products.length;
  const rows: RxRow[] = [];
  for (let m = 0; m < plan.window.months.length; m++) {
    const factor = plan.prescribing.monthFactors[m]!;
    for (let p = 0; p < products; p++) {
      rng.reset(seedK, FIELD.rx, hcpId, m * 64 + p);
      const product = plan.products[p]!;
      const base = attrs.volume * product.monthShare[m]! * factor;
      const newRx = base * nrxShare;
      const q = product.nbrxShare[m]!;
      const nbrx = poissonDraw(newRx * q + lift[m * products + p]!, rng);
      const nrx = nbrx + poissonDraw(newRx * (1 - q), rng);
      const trx = nrx + poissonDraw(base * (1 - nrxShare), rng);
      rows.push({ month: m, product: p, nrx, trx, nbrx });
    }
  }
  return rows;
}
