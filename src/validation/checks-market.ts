// Market rules for rx_history: NBRx <= NRx on every row (NRx <= TRx is checks-structure's), no prescriptions of a product before its
// launch_date's month or after its exit_date's month, and the uptake of a launch starting at launch_date (in
// calendar time, whatever --months or --as-of). Dates come from the compiled plan (validated YYYY-MM-DD).
import type { Plan, PlanProduct } from '../plan/types.js';
import type { Check } from './types.js';
import { rule } from './sql.js';

/** 'YYYY-MM-01' of the month `months` after the month of `date` ('YYYY-MM-DD'). */
function monthStart(date: string, months = 0): string {
  const n = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + months;
  return `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}-01`;
}

/** Rows of `p` outside [launch month, exit month], as a SQL condition with params from $`first`. */
function offMarket(p: PlanProduct, first: number): { where: string; params: string[] } | null {
  const parts: string[] = [];
  const params: string[] = [p.id];
  if (p.launchDate) {
    params.push(monthStart(p.launchDate));
    parts.push(`month < $${first + params.length - 1}::date`);
  }
  if (p.exitDate) {
    params.push(monthStart(p.exitDate, 1));
    parts.push(`month >= $${first + params.length - 1}::date`);
  }
  if (parts.length === 0) return null;
  return { where: `(product = $${first} AND (${parts.join(' OR ')}))`, params };
}

function offMarketCheck(plan: Plan): Check[] {
  const conds: string[] = [];
  const params: string[] = [];
  for (const p of plan.products) {
    const c = offMarket(p, params.length + 1);
    if (c === null) continue;
    conds.push(c.where);
    params.push(...c.params);
  }
  if (conds.length === 0) return [];
  return [
    rule(
      'market.rx_history.on_market',
      'structure',
      'Rx rows off the market',
      'a product has no prescriptions before the month of its launch_date or after the month of its exit_date (samples are hcp_id/month/product).',
      () => [
        `SELECT concat_ws('/', hcp_id, month, product) AS sample FROM rx_history
          WHERE (nrx > 0 OR trx > 0 OR nbrx > 0) AND (${conds.join(' OR ')})`,
        params,
      ],
    ),
  ];
}

/** The first window month with any Rx of each launch is its launch month (or the window's first month). */
function uptakeStartChecks(plan: Plan): Check[] {
  const first = plan.window.months[0]!.start;
  const last = plan.window.months[plan.window.months.length - 1]!.start;
  return plan.products
    .filter((p) => p.launchDate !== undefined)
    .map((p) => {
      const launch = monthStart(p.launchDate!);
      const expected = launch < first ? first : launch;
      return {
        name: `market.rx_history.uptake_start.${p.id}`,
        category: 'structure',
        async run(q) {
          if (launch > last) {
            return {
              status: 'skip',
              expected: `first Rx in ${expected.slice(0, 7)}`,
              actual: 'launch after the window',
              detail: `${p.id} launches on ${p.launchDate}, after the window's last month.`,
            };
          }
          const { rows } = await q.query<{ m: unknown }>(
            `SELECT CAST(min(month) AS VARCHAR) AS m FROM rx_history WHERE product = $1 AND trx > 0`,
            [p.id],
          );
          const actual = rows[0]?.m == null ? null : String(rows[0].m).slice(0, 10);
          // Tiny launches may write nothing in a partial launch month: the month after still counts.
          const ok = actual === null || actual === expected || actual === monthStart(expected, 1);
          return {
            status: ok ? 'pass' : 'fail',
            expected: `first Rx in ${expected.slice(0, 7)}`,
            actual: actual === null ? 'no Rx' : `first Rx in ${actual.slice(0, 7)}`,
            detail: `${p.id}'s uptake starts at its launch_date ${p.launchDate} (or the window's first month when it launched earlier).`,
          };
        },
      } satisfies Check;
    });
}

export function marketChecks(plan: Plan): Check[] {
  return [
    rule(
      'market.rx_history.nbrx',
      'structure',
      'rows breaking nrx >= nbrx >= 0',
      // trx >= nrx is structure.rx_history.trx_nrx's rule; one broken row fails one rule.
      'NBRx (new to brand) are part of NRx (samples are hcp_id/month/product).',
      `SELECT concat_ws('/', hcp_id, month, product) AS sample FROM rx_history
        WHERE NOT coalesce(nbrx >= 0 AND nbrx <= nrx, false)`,
    ),
    ...offMarketCheck(plan),
    ...uptakeStartChecks(plan),
  ];
}
