// The market validation checks against a small rx_history in DuckDB: they pass on rows that keep the rules and
// fail, naming the row, on each kind of damage (NBRx above NRx, Rx before launch or after exit, uptake that
// starts before or after the launch month).
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import type { Plan } from '../../src/plan/types.js';
import { DuckDb } from '../../src/files/duckdb.js';
import { marketChecks } from '../../src/validation/checks-market.js';
import type { CheckContext } from '../../src/validation/types.js';

type Row = [hcp: number, month: string, product: string, nrx: number, trx: number, nbrx: number];

describe('market validation checks', function () {
  this.timeout(60_000);
  let plan: Plan;
  let db: DuckDb;

  before(async function () {
    plan = (await planFor('oncology-launch', { seed: 1, hcps: 10, months: 24, asOf: '2025-12-31' })).plan;
    // Give the incumbent an exit so the check covers both ends.
    plan.products[1]!.exitDate = '2025-06-15';
    db = await DuckDb.open({ description: 'test' });
  });
  after(async () => db.close());

  async function run(rows: Row[]): Promise<Record<string, { status: string; samples?: unknown[] }>> {
    await db.query('DROP TABLE IF EXISTS rx_history');
    await db.query(
      'CREATE TABLE rx_history (hcp_id INTEGER, month DATE, product VARCHAR, nrx INTEGER, trx INTEGER, nbrx INTEGER)',
    );
    for (const r of rows) {
      await db.query(
        `INSERT INTO rx_history VALUES (${r[0]}, DATE '${r[1]}', '${r[2]}', ${r[3]}, ${r[4]}, ${r[5]})`,
      );
    }
    const ctx = { plan, run: null, constraintsJustAdded: false } as unknown as CheckContext;
    const out: Record<string, { status: string; samples?: unknown[] }> = {};
    for (const c of marketChecks(plan)) {
      const r = await c.run(db, ctx);
      out[c.name] = { status: r.status, ...(r.samples ? { samples: r.samples } : {}) };
    }
    return out;
  }

  const good: Row[] = [
    [1, '2024-02-01', 'ONVATRA', 0, 0, 0],
    [1, '2024-03-01', 'ONVATRA', 2, 3, 2],
    [1, '2024-04-01', 'ONVATRA', 3, 5, 2],
    [1, '2024-02-01', 'KEYLIX', 5, 9, 1],
    [1, '2025-06-01', 'KEYLIX', 5, 9, 1],
    [1, '2025-07-01', 'KEYLIX', 0, 0, 0],
  ];

  it('passes rows that keep every rule', async function () {
    const r = await run(good);
    expect(Object.keys(r)).to.have.members([
      'market.rx_history.nbrx',
      'market.rx_history.on_market',
      'market.rx_history.uptake_start.ONVATRA',
    ]);
    for (const [name, res] of Object.entries(r)) expect(res.status, name).to.equal('pass');
  });

  it('fails NBRx above NRx', async function () {
    const r = await run([...good, [2, '2024-05-01', 'ONVATRA', 1, 4, 2]]);
    expect(r['market.rx_history.nbrx']).to.deep.equal({ status: 'fail', samples: ['2/2024-05-01/ONVATRA'] });
  });

  it('fails Rx before launch and after exit, and an uptake that starts before the launch month', async function () {
    const r = await run([
      ...good,
      [3, '2024-02-01', 'ONVATRA', 1, 1, 1],
      [4, '2025-08-01', 'KEYLIX', 0, 2, 0],
    ]);
    expect(r['market.rx_history.on_market']!.status).to.equal('fail');
    expect(r['market.rx_history.on_market']!.samples).to.have.members([
      '3/2024-02-01/ONVATRA',
      '4/2025-08-01/KEYLIX',
    ]);
    expect(r['market.rx_history.uptake_start.ONVATRA']!.status).to.equal('fail');
  });

  it('fails an uptake that starts months after the launch', async function () {
    const late = good.map((r): Row =>
      r[2] === 'ONVATRA' && r[1] < '2024-05-01' ? [r[0], r[1], r[2], 0, 0, 0] : r,
    );
    late.push([1, '2024-06-01', 'ONVATRA', 2, 2, 2]);
    expect((await run(late))['market.rx_history.uptake_start.ONVATRA']!.status).to.equal('fail');
  });
});
