// The shapes shared by every check. A check is a name, a category and one SQL round trip (usually) that
// returns a CheckResult; the list of checks for a run is built from its Plan (src/validation/checks.ts).
import type { Plan, TableName } from '../plan/types.js';
import type { RunRecord } from '../db/swap.js';

/** The shared scans (src/validation/passes.ts), each run once per validation, and the numbers one returns. */
export type PassName = 'stimuli' | 'calls' | 'outcomes' | 'hcps' | 'engagement';
export type Facts = Readonly<Record<string, number>>;

/** Anything that runs SQL: a Target, or the staging Stage of a regeneration (search_path points at it). */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }>;
}

export const CATEGORIES = [
  'run',
  'volume',
  'keys',
  'referential',
  'completeness',
  'structure',
  'aggregates',
  'time',
  'distribution',
  'model',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** 'skip': the check cannot be evaluated on this run (e.g. a month_share check for a month outside the window). */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  category: Category;
  status: CheckStatus;
  expected: string;
  actual: string;
  /** Failures: how many rows (or values) break the rule. */
  offending?: number;
  /** Failures: a few of the offending ids, in id order. */
  samples?: (string | number)[];
  /** One sentence that helps find the cause. */
  detail?: string;
  /** Wall milliseconds this check took (its share of a query other checks share included). */
  ms?: number;
}

/**
 * What the data claims to be: the hcpgen_runs row of a database (claimOf), or what the manifests of a file output
 * say (src/files/manifest-read.ts). The 'run' checks compare the data with it.
 */
export interface RunClaim {
  /** hcpgen_runs.id; null for file output. */
  id: number | null;
  /** How messages name it: `run #3`, or `the manifests of run 3f2a9c01b7d4`. */
  label: string;
  scenarioName: string;
  scenarioHash: string;
  seed: number | string;
  hcps: number;
  months: number;
  asOf: string;
  generatorVersion: string;
  /** Row counts per table as recorded (file output: the manifests' counts, summed over the shards). */
  counts: Record<string, number> | null;
  /** File output only: the run key and which of its shards have a manifest. */
  manifests?: { runKey: string; count: number; present: readonly number[] };
}

/** The claim of an hcpgen_runs row. */
export function claimOf(run: RunRecord): RunClaim {
  return {
    id: run.id,
    label: `run #${run.id}`,
    scenarioName: run.scenarioName,
    scenarioHash: run.scenarioHash,
    seed: run.seed,
    hcps: run.hcps,
    months: run.months,
    asOf: run.asOf,
    generatorVersion: run.generatorVersion,
    counts: run.counts,
  };
}

/**
 * The data side of the derived checks as the generator states it (src/validation/stated/model-data.ts): the
 * families' grouped queries' answers over HCPs 1..limit, keyed as their `::text` casts print the values.
 */
export interface StatedModel {
  readonly limit: number;
  /** Per hcpCounts family ('_all', an attribute, 'cell:<attr>'): value -> HCPs. */
  readonly hcps: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** `${channel}\u0000${YYYY-MM}\u0000${weekend 0/1}` -> stimuli. */
  readonly stimuli: ReadonlyMap<string, number>;
  /** tier -> [sum of stimuli_count, HCPs]. */
  readonly tiers: ReadonlyMap<string, readonly [number, number]>;
  /** `${channel}\u0000${type}` -> outcomes. */
  readonly outcomes: ReadonlyMap<string, number>;
  /** `${product}\u0000${YYYY-MM}` -> [trx, nrx, nbrx]. */
  readonly rx: ReadonlyMap<string, readonly [number, number, number]>;
  /** decile -> TRx of its HCPs. */
  readonly deciles: ReadonlyMap<string, number>;
  /** segment -> HCPs. */
  readonly segments: ReadonlyMap<string, number>;
  /** `${channel}.${type}` -> lag seconds of each outcome. */
  readonly lags: ReadonlyMap<string, ArrayLike<number>>;
}

export interface CheckContext {
  plan: Plan;
  /** What the data claims to come from; null while validating inside the generation transaction. */
  run: RunClaim | null;
  /** Row counts of the seven tables, counted once per validation and shared by the checks that need them. */
  counts(): Promise<Record<TableName, number>>;
  /** The numbers of one shared pass (src/validation/passes.ts), computed once; null if its query failed. */
  facts(pass: PassName): Promise<Facts | null>;
  /**
   * True inside the generation transaction right after the keys were added: PostgreSQL validated every key,
   * unique and foreign key then, so checks that those constraints prove may rely on them.
   */
  constraintsJustAdded: boolean;
  /**
   * Whether `constraint` on `table` proves its rule: only when constraintsJustAdded, and only if the constraint
   * exists and is validated (and, given `notNull`, those columns are NOT NULL). Always false otherwise.
   */
  enforced(table: string, constraint: string, notNull?: readonly string[]): Promise<boolean>;
  /** The derived checks' data as the generator stated it, where validation may use it (see run.ts). */
  model?: StatedModel;
}

export interface Check {
  name: string;
  category: Category;
  run(q: Queryable, ctx: CheckContext): Promise<Omit<CheckResult, 'name' | 'category'>>;
}

export interface ValidationReport {
  /** Where the data was validated (safe to print: never a password). */
  database?: string;
  runId: number | null;
  results: CheckResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** `Validation: 41 passed, 0 failed` */
  summary: string;
  /**
   * Inside generate only: the shared passes taken from the facts the generator stated about the rows it loaded
   * (their fingerprints agreeing with the database) instead of scanned for. Absent: every pass was queried.
   */
  statedPasses?: PassName[];
  /** Inside generate: the derived checks read the generator's stated data instead of querying (see statedPasses). */
  statedModel?: boolean;
}
