// Freshly generated data for the validation tests: the single place that knows how a test database gets its
// rows. It runs the real generator (src/generate/run.ts, the default scenario, small: 200 HCPs x 3 months)
// into a fresh PostgreSQL database or PGlite directory, then opens a target on it for the test.
import { PgTarget } from '../../src/db/pg-target.js';
import { PgliteTarget } from '../../src/db/pglite-target.js';
import { readLatestRun, type RunRecord } from '../../src/db/swap.js';
import type { Target } from '../../src/db/target.js';
import { generate } from '../../src/generate/run.js';
import type { Plan } from '../../src/plan/types.js';
import { createPgliteDir, createTestDatabase, withDataDir, type TargetKind } from '../helpers/testdb.js';

export interface FreshOptions {
  hcps?: number;
  months?: number;
  seed?: number;
  asOf?: string;
}

/** Small, and a seed whose volumes sit inside the default scenario's tolerances (see the report on noise). */
export const DEFAULT_FRESH = { hcps: 200, months: 3, seed: 1, asOf: '2024-06-30' } as const;

export interface FreshDatabase {
  kind: TargetKind;
  target: Target;
  /** PostgreSQL: the database URL; PGlite: the data directory. */
  where: string;
  plan: Plan;
  run: RunRecord;
  cleanup(): Promise<void>;
}

export async function freshGeneratedDatabase(
  kind: TargetKind,
  options: FreshOptions = {},
): Promise<FreshDatabase> {
  const p = { ...DEFAULT_FRESH, ...options };
  const request = { scenario: 'default', ...p, wipe: true, workers: 0, quiet: true };
  let target: Target;
  let where: string;
  let drop: () => Promise<void>;
  if (kind === 'postgres') {
    const db = await createTestDatabase();
    try {
      await generate({ ...request, db: db.url });
      target = await PgTarget.connect(db.url);
    } catch (err) {
      await db.drop();
      throw err;
    }
    where = db.url;
    drop = db.drop;
  } else {
    const dir = await createPgliteDir();
    try {
      await withDataDir(dir.dir, () => generate(request));
      target = await PgliteTarget.open(dir.dir);
    } catch (err) {
      dir.remove();
      throw err;
    }
    where = dir.dir;
    drop = async () => dir.remove();
  }
  // The scenario's own realism checks hold from 2,000 HCPs (validation.distributions_min_hcps), so on this small
  // sample they report SKIP; every kind of declared check is tested in distribution.test.ts.
  const run = await readLatestRun(target);
  if (!run) throw new Error('the generator recorded no run');
  return {
    kind,
    target,
    where,
    plan: run.plan as Plan,
    run,
    cleanup: async () => {
      await target.close();
      await drop();
    },
  };
}
