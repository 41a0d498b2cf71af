// Products as a market (issue 14 part 4), on real rows of the shipped scenarios: launch and uptake in calendar
// time whatever --months/--as-of, share taken from the incumbent, NBRx <= NRx <= TRx, and the engagement lift
// going to the product each stimulus promotes.
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import type { Plan } from '../../src/plan/types.js';
import { createContext } from '../../src/steps/context.js';
import { generateChunk } from '../../src/steps/chunk.js';
import { engagementLift, promotedProduct } from '../../src/steps/rx-history.js';
import type { Stimulus } from '../../src/steps/stimuli.js';
import { cell } from '../../src/tables/batch.js';
import { columnIndex } from '../../src/tables/model.js';
import { RX_HISTORY } from '../../src/tables/tables.js';
import { MS_PER_DAY } from '../../src/time/calendar.js';

const R = columnIndex(RX_HISTORY);

interface Rx {
  hcp: number;
  month: string;
  product: string;
  nrx: number;
  trx: number;
  nbrx: number;
}

function rxRows(plan: Plan, hcps: number): Rx[] {
  const b = generateChunk(createContext(plan), 1, hcps).rx_history;
  const out: Rx[] = [];
  for (let r = 0; r < b.rows; r++) {
    out.push({
      hcp: cell(b, R.hcp_id, r) as number,
      month: new Date((cell(b, R.month, r) as number) * MS_PER_DAY).toISOString().slice(0, 10),
      product: cell(b, R.product, r) as string,
      nrx: cell(b, R.nrx, r) as number,
      trx: cell(b, R.trx, r) as number,
      nbrx: cell(b, R.nbrx, r) as number,
    });
  }
  return out;
}

const oncology = (months: number, asOf: string): Promise<Plan> =>
  planFor('oncology-launch', { seed: 7, hcps: 400, months, asOf }).then((r) => r.plan);

describe('products as a market', function () {
  this.timeout(60_000);

  it('ramps a launch from its calendar launch_date, whatever --months and --as-of', async function () {
    const a = await oncology(24, '2025-12-31');
    const b = await oncology(30, '2026-06-30');
    const launch = a.products.find((p) => p.launchDate !== undefined)!;
    expect(launch.launchDate, 'oncology-launch declares a launch_date').to.be.a('string');
    const launchYm = launch.launchDate!.slice(0, 7);
    const share = (plan: Plan, id: string): Map<string, number> => {
      const p = plan.products.find((x) => x.id === id)!;
      return new Map(plan.window.months.map((m, i) => [m.ym, p.monthShare[i]!]));
    };
    for (const id of a.products.map((p) => p.id)) {
      const sa = share(a, id);
      const sb = share(b, id);
      const common = [...sa.keys()].filter((ym) => sb.has(ym));
      expect(common.length).to.be.greaterThan(12);
      for (const ym of common) expect(sb.get(ym), `${id} ${ym}`).to.equal(sa.get(ym));
    }
    const s = share(a, launch.id);
    for (const [ym, v] of s) {
      if (ym < launchYm) expect(v, ym).to.equal(0);
      else expect(v, ym).to.be.greaterThan(0);
    }
    expect(s.has(launchYm), 'the launch month is inside the 24-month window').to.equal(true);
  });

  it('takes the launch share from the incumbent: the basket keeps its total share every month', async function () {
    const plan = await oncology(24, '2025-12-31');
    const declared = plan.products.reduce((acc, p) => acc + p.volumeShare, 0);
    plan.window.months.forEach((m, i) => {
      const total = plan.products.reduce((acc, p) => acc + p.monthShare[i]!, 0);
      expect(total, m.ym).to.be.closeTo(declared, 1e-9);
    });
    const incumbent = plan.products.find((p) => p.launchDate === undefined)!;
    expect(incumbent.monthShare[0]).to.be.greaterThan(incumbent.volumeShare);
  });

  it('writes no Rx before launch, uptake from the launch month, and NBRx <= NRx <= TRx on every row', async function () {
    for (const [months, asOf] of [
      [24, '2025-12-31'],
      [14, '2026-03-31'],
    ] as const) {
      const plan = await oncology(months, asOf);
      const launch = plan.products.find((p) => p.launchDate !== undefined)!;
      const launchMonth = `${launch.launchDate!.slice(0, 7)}-01`;
      const rows = rxRows(plan, 400);
      expect(rows.length).to.equal(400 * months * plan.products.length);
      for (const r of rows) {
        expect(r.nbrx >= 0 && r.nbrx <= r.nrx && r.nrx <= r.trx, JSON.stringify(r)).to.equal(true);
      }
      const own = rows.filter((r) => r.product === launch.id);
      const before = own.filter((r) => r.month < launchMonth);
      expect(before.every((r) => r.trx === 0 && r.nrx === 0 && r.nbrx === 0)).to.equal(true);
      const firstRx = own.filter((r) => r.trx > 0).reduce((m, r) => (r.month < m ? r.month : m), '9999');
      const windowStart = plan.window.start;
      expect(firstRx).to.equal(launchMonth < windowStart ? windowStart : launchMonth);
      // A new brand is new to almost all its patients: its NBRx share is far above the incumbent's.
      const ratio = (xs: Rx[]): number =>
        xs.reduce((a, r) => a + r.nbrx, 0) / xs.reduce((a, r) => a + r.nrx, 0);
      const incumbent = rows.filter((r) => r.product !== launch.id);
      expect(ratio(own.filter((r) => r.month >= launchMonth))).to.be.greaterThan(ratio(incumbent) + 0.1);
    }
  });

  it('keeps the default scenario at 12 Rx rows per HCP with NBRx a minority of NRx', async function () {
    const plan = (await planFor('default', { seed: 42, hcps: 300, months: 12, asOf: '2025-12-31' })).plan;
    const rows = rxRows(plan, 300);
    expect(rows.length).to.equal(300 * 12);
    const nrx = rows.reduce((a, r) => a + r.nrx, 0);
    const nbrx = rows.reduce((a, r) => a + r.nbrx, 0);
    expect(nbrx / nrx).to.be.within(0.3, 0.7);
    expect(rows.every((r) => r.nbrx <= r.nrx && r.nrx <= r.trx)).to.equal(true);
  });

  it("lifts the product a stimulus's campaign promotes, and the lead product outside campaigns", async function () {
    const plan = await oncology(24, '2025-12-31');
    const incumbent = plan.products.findIndex((p) => p.launchDate === undefined);
    // One campaign type promotes the incumbent (the compiled plan, as a scenario's `product:` would give it).
    plan.campaigns.types[0]!.product = plan.products[incumbent]!.id;
    const ctx = createContext(plan);
    const lead = plan.prescribing.leadProduct;
    expect(incumbent).to.not.equal(lead);
    const month = plan.window.months.length - 1;
    const channel = plan.channels.findIndex((c) => c.nrxLift > 0);
    const stimulus = (campaignId: number | null): Stimulus =>
      ({ id: 1, month, channel, ms: plan.window.months[month]!.startMs, campaignId }) as Stimulus;
    const products = plan.products.length;
    const liftOf = (s: Stimulus): number[] => {
      const lift = engagementLift(ctx, [s]);
      return plan.products.map((_, p) => lift[month * products + p]!);
    };
    // Outside campaigns: the lead product only.
    const outside = liftOf(stimulus(null));
    expect(outside[lead]).to.be.greaterThan(0);
    expect(outside[incumbent]).to.equal(0);
    // A campaign promoting the incumbent lifts the incumbent only.
    const forIncumbent = ctx.campaigns.find((c) => c.product === plan.products[incumbent]!.id);
    expect(forIncumbent, 'a campaign of the first type').to.not.equal(undefined);
    const s = stimulus(forIncumbent!.id);
    expect(promotedProduct(ctx, s)).to.equal(incumbent);
    const lifted = liftOf(s);
    expect(lifted[incumbent]).to.be.greaterThan(0);
    expect(lifted[lead]).to.equal(0);
  });
});
