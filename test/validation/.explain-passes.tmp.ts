import { PgTarget } from '../../src/db/pg-target.js';
import { readLatestRun } from '../../src/db/swap.js';
import { loadPass, type PassName } from '../../src/validation/passes.js';
import type { Plan } from '../../src/plan/types.js';
const t = await PgTarget.connect(process.argv[2]!);
const run = (await readLatestRun(t))!;
const mode = process.argv[4] === 'gen';
await t.query('BEGIN');
await t.query(`SET LOCAL work_mem = '256MB'`); if (process.env.NOJIT) await t.query('SET LOCAL jit = off');
const explain = process.argv[5] === 'explain';
const ctx = { plan: run.plan as Plan, run, constraintsJustAdded: mode, counts: async () => ({}) as never, facts: async () => null, enforced: async () => false };
for (const name of process.argv[3]!.split(',') as PassName[]) {
  const q = { query: async (sql: string, params?: readonly unknown[]) => {
    if (!explain) return t.query(sql, params);
    const r = await t.query(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`, params);
    console.log(r.rows.map((x) => Object.values(x)[0]).join('\n'));
    return { rows: [{}] };
  } };
  const s = performance.now();
  const f = await loadPass(q as never, name, ctx);
  console.log(name, Math.round(performance.now() - s), 'ms', JSON.stringify(f));
}
await t.query('ROLLBACK');
await t.close();
