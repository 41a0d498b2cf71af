// The atomic load protocol. A regeneration either replaces every generated table at once or changes nothing:
//
//   BEGIN
//   take the writer lock (pg_try_advisory_xact_lock; a second concurrent run is refused, not queued)
//   refuse if the target schema holds tables with our names that hcpgen did not create (no hcpgen_runs table)
//   CREATE SCHEMA hcpgen_staging_<n>; SET LOCAL search_path TO it
//   CREATE TABLE ... (columns only)          -- ddl.ts (a)
//   caller COPYs rows                        -- options.load
//   ADD PRIMARY KEY / UNIQUE / FOREIGN KEY, CREATE INDEX   -- ddl.ts (b)
//   caller validates                         -- options.validate (throws: roll back; 'failed': keep, marked failed)
//   DROP TABLE the old generated tables in the target schema (never CASCADE: other people's views stop us)
//   ALTER TABLE ... SET SCHEMA <target>; DROP SCHEMA hcpgen_staging_<n> (empty by then; never CASCADE)
//   INSERT INTO hcpgen_runs (status 'succeeded', or 'failed' for a run kept with failed checks); COMMIT
//
// Any error rolls the whole transaction back: PostgreSQL DDL is transactional, so the database is exactly as it
// was, staging schema included. Readers keep seeing the old tables until COMMIT.
import { UserError } from '../lib/errors.js';
import {
  loadSchemaModel,
  qualify,
  quoteIdent,
  renderCreateTables,
  renderKeySteps,
  renderKeysAndIndexes,
  type KeyStep,
} from './ddl.js';
import { DATA_TABLES, RUNS_TABLE } from './table-names.js';
import type { CopySource, QueryResult, Row, Target } from './target.js';
import type { CopyFormat } from './copy-format.js';
import { DATA_VERSION } from '../lib/data-version.js';
import type { RowOf } from '../tables/model.js';
import type { HCPGEN_RUNS } from '../tables/tables.js';

/** A row of hcpgen_runs as SELECT * returns it (data_version is missing from logs older than the column). */
type RunRow = Omit<RowOf<typeof HCPGEN_RUNS>, 'data_version'> & { data_version?: number | null };

export const DEFAULT_SCHEMA = 'public';

/** For the key and index builds after the load (PostgreSQL's default, 64 MB, spills large sorts to disk). */
const MAINTENANCE_WORK_MEM = '1GB';

/** Advisory lock key (two int4 halves): 'hcpg' and 1. Every hcpgen writer takes it; nothing else should. */
const LOCK_KEY = [0x68637067, 1] as const;

/** What a run records in hcpgen_runs (the caller knows it; status, timestamps and counts are added here). */
export interface RunInfo {
  scenarioName: string;
  scenarioHash: string;
  seed: number | bigint | string;
  hcps: number;
  months: number;
  /** 'YYYY-MM-DD' */
  asOf: string;
  generatorVersion: string;
  /** The compiled plan, stored as jsonb. */
  plan: unknown;
  fixturesHash?: string | null;
  /** The version of the generated values (a load passes its manifest's); default: this build's DATA_VERSION. */
  dataVersion?: number | null;
  /** When generation began; default: when withAtomicRegeneration was called. */
  startedAt?: Date;
}

/**
 * hcpgen_runs.status: 'succeeded', or 'failed' for a run whose checks failed and which was committed anyway
 * (`generate --keep-failed`), so a person can look at it. Only committed runs have a row.
 */
export type RunStatus = 'succeeded' | 'failed';

/** A run as read back from hcpgen_runs. */
export interface RunRecord {
  id: number;
  scenarioName: string;
  scenarioHash: string;
  seed: number | string;
  hcps: number;
  months: number;
  asOf: string;
  generatorVersion: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** A RunStatus ('failed': kept with failed checks, see RunStatus); a string, as a newer version may add values. */
  status: string;
  plan: unknown;
  counts: Record<string, number> | null;
  fixturesHash: string | null;
  /** The data version the rows were generated with (null: a run logged before data versions). */
  dataVersion?: number | null;
}

/** What the callbacks get: the staging schema, which unqualified table names resolve to. */
export interface Stage {
  readonly schema: string;
  readonly target: Target;
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  copyFrom(
    table: string,
    columns: readonly string[],
    source: CopySource,
    format?: CopyFormat,
  ): Promise<number>;
}

export interface RegenerationOptions {
  run: RunInfo;
  /** Replace same-named tables even if hcpgen did not create them (the --force flag). */
  force?: boolean;
  /** Schema the tables live in; default public. */
  schema?: string;
  /** COPY rows into the key-less staging tables. May return row counts per table (else they are counted). */
  load(stage: Stage): Promise<Record<string, number> | void>;
  /**
   * Runs after keys and indexes exist, before the swap; throw to abort and leave the database unchanged.
   * Resolving to 'failed' commits the run anyway, recorded with status 'failed' (`generate --keep-failed`).
   */
  validate?(stage: Stage): Promise<void | 'failed'>;
  /** Told before each key, foreign key and index build (for progress): `3/27 stimuli: foreign key ...`. */
  onStep?(label: string): void;
}

export interface RegenerationResult {
  runId: number;
  counts: Record<string, number>;
  /** What hcpgen_runs records: 'failed' when validate resolved to 'failed' and the run was kept. */
  status: RunStatus;
}

export async function withAtomicRegeneration(
  target: Target,
  options: RegenerationOptions,
): Promise<RegenerationResult> {
  const startedAt = options.run.startedAt ?? new Date();
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const model = await loadSchemaModel();
  return inTransaction(target, schema, async () => {
    await takeWriterLock(target);
    await refuseForeignTables(target, schema, options.force ?? false);
    await ensureRunsTable(target, schema);

    const pid = (await target.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    const staging = `hcpgen_staging_${pid}`;
    // Plain CREATE SCHEMA: if a schema of that name exists it is not ours, and we stop rather than use it.
    await target.query(`CREATE SCHEMA ${quoteIdent(staging)}`);
    await target.query(`SET LOCAL search_path TO ${quoteIdent(staging)}`);
    for (const sql of renderCreateTables(model, staging, DATA_TABLES)) await target.query(sql);

    const stage: Stage = {
      schema: staging,
      target,
      query: (sql, params) => target.query(sql, params),
      copyFrom: (table, columns, source, format) => target.copyFrom(table, columns, source, format),
    };
    const loaded = await options.load(stage);
    // Index builds and foreign-key checks sort whole tables: give them memory (server side, this
    // transaction only) instead of spilling to disk at 64 MB.
    await target.query(`SET LOCAL maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
    const keys = renderKeySteps(model, staging, DATA_TABLES);
    for (const [i, step] of keys.entries()) {
      options.onStep?.(`${i + 1}/${keys.length} ${stepLabel(step.sql)}`);
      await runKeyStep(target, step, loaded);
    }
    const status: RunStatus = (await options.validate?.(stage)) === 'failed' ? 'failed' : 'succeeded';
    const counts = loaded ?? (await countRows(target, staging));

    await dropTables(target, schema, DATA_TABLES);
    for (const table of DATA_TABLES) {
      await target.query(`ALTER TABLE ${qualify(table, staging)} SET SCHEMA ${quoteIdent(schema)}`);
    }
    await target.query(`DROP SCHEMA ${quoteIdent(staging)} RESTRICT`);
    const runId = await insertRun(target, schema, options.run, startedAt, counts, status);
    return { runId, counts, status };
  });
}

/**
 * Runs one key step. A foreign key is checked by an anti-join of the new rows against the referenced key, and
 * PostgreSQL 15 (and older) builds the hash of an anti-join on the referenced side only: for outcomes -> stimuli
 * that is the larger table (5x the rows). When the referenced table holds more rows than the referencing one,
 * hash joins are turned off for that one statement, so the check merge-joins the referenced primary key (just
 * built, read in heap order) with a sort of the smaller table (docs/performance.md has the figures).
 */
async function runKeyStep(
  target: Target,
  step: KeyStep,
  counts: Record<string, number> | void,
): Promise<void> {
  const child = counts?.[step.table];
  const parent = step.referencedTable === undefined ? undefined : counts?.[step.referencedTable];
  const mergeJoin =
    target.kind === 'postgres' &&
    step.kind === 'foreign key' &&
    child !== undefined &&
    parent !== undefined &&
    parent > child;
  // PostgreSQL 16 learnt to hash the smaller side of an anti-join ("Right Anti Join"): leave it to the planner.
  const { rows } = mergeJoin
    ? await target.query<{ old: string | null }>(
        `SELECT CASE WHEN current_setting('server_version_num')::int < 160000
                     THEN current_setting('enable_hashjoin') END AS old`,
      )
    : { rows: [] };
  const old = rows[0]?.old;
  if (!old) {
    await target.query(step.sql);
    return;
  }
  await target.query(`SELECT set_config('enable_hashjoin', 'off', true)`);
  await target.query(step.sql);
  // Put back for the rest of the transaction (the later index builds and the validation queries).
  await target.query(`SELECT set_config('enable_hashjoin', $1, true)`, [old]);
}

/** `stimuli: primary key`, `stimuli: index stimuli_hcp_id_idx`: what a key or index statement builds. */
function stepLabel(sql: string): string {
  const table = /(?:ALTER TABLE|ON)\s+(?:"[^"]+"\.)?"([^"]+)"/.exec(sql)?.[1] ?? '';
  const what = /PRIMARY KEY/.test(sql)
    ? 'primary key'
    : /FOREIGN KEY/.test(sql)
      ? 'foreign key'
      : /UNIQUE/.test(sql)
        ? 'unique'
        : /CREATE\s+(?:UNIQUE\s+)?INDEX/.test(sql)
          ? 'index'
          : sql.slice(0, 40);
  const cols = /\(([^)]*)\)/.exec(sql)?.[1]?.replaceAll('"', '') ?? '';
  return `${table}: ${what}${cols ? ` (${cols})` : ''}`;
}

/**
 * Drops hcpgen's tables (the seven data tables and hcpgen_runs) from `schema`, and nothing else: refuses when
 * same-named tables exist without hcpgen_runs unless `force`. Returns the tables that were dropped.
 */
export async function wipeGeneratorTables(
  target: Target,
  options: { force?: boolean; schema?: string } = {},
): Promise<string[]> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  return inTransaction(target, schema, async () => {
    await takeWriterLock(target);
    await refuseForeignTables(target, schema, options.force ?? false);
    const present = await existingTables(target, schema, [...DATA_TABLES, RUNS_TABLE]);
    await dropTables(target, schema, present);
    return present;
  });
}

/**
 * The metadata of the run whose data the tables hold (the last succeeded run, or a later one kept with failed
 * checks: status 'failed'), or null when hcpgen has not written to this database (schema).
 */
export async function readLatestRun(target: Target, schema = DEFAULT_SCHEMA): Promise<RunRecord | null> {
  if ((await existingTables(target, schema, [RUNS_TABLE])).length === 0) return null;
  const { rows } = await target
    .query<RunRow>(
      `SELECT * FROM ${qualify(RUNS_TABLE, schema)} WHERE status IN ('succeeded', 'failed') ORDER BY id DESC LIMIT 1`,
    )
    .catch((err: unknown) => {
      // A user who may not read hcpgen's tables: say which grants are missing (nothing was written yet).
      throw explain(err, target, schema);
    });
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    scenarioName: r.scenario_name,
    scenarioHash: r.scenario_hash,
    seed: r.seed,
    hcps: r.hcps,
    months: r.months,
    asOf: r.as_of,
    generatorVersion: r.generator_version,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? null,
    status: r.status,
    plan: r.plan,
    counts: (r.counts as Record<string, number> | null) ?? null,
    fixturesHash: r.fixtures_hash ?? null,
    // A run log from before data versions has no such column: undefined, reported as null.
    dataVersion: r.data_version ?? null,
  };
}

async function inTransaction<T>(target: Target, schema: string, body: () => Promise<T>): Promise<T> {
  await target.begin();
  let result: T;
  try {
    result = await body();
  } catch (err) {
    // The original error matters, not a rollback failure on a connection that is already gone.
    await target.rollback().catch(() => undefined);
    throw explain(err, target, schema);
  }
  // A turn of the event loop before COMMIT: a signal that arrived while the embedded database held this thread
  // is handled now (its cancel makes the COMMIT throw), not after the run was committed.
  await new Promise((resolve) => setImmediate(resolve));
  await target.commit();
  return result;
}

async function takeWriterLock(target: Target): Promise<void> {
  const { rows } = await target.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_xact_lock($1, $2) AS locked',
    [...LOCK_KEY],
  );
  if (rows[0]?.locked) return;
  // The holder's application_name is `hcpgen pid <n>` (pg-target.ts); pg_locks stores the key halves as oids
  // and lists every database's locks, while advisory locks only conflict within one database.
  const holder = await target.query<{ app: string | null; backend: number }>(
    `SELECT a.application_name AS app, l.pid AS backend
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
        AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [...LOCK_KEY],
  );
  const h = holder.rows[0];
  const pid = /hcpgen pid (\d+)/.exec(h?.app ?? '')?.[1];
  const who = pid ? `pid ${pid}` : h ? `database backend pid ${h.backend}` : 'pid unknown';
  throw new UserError(
    `Another hcpgen run is writing to this database (${who}). Only one run may write at a time: wait for it to ` +
      'finish, then run again (your run changed nothing).',
  );
}

async function existingTables(target: Target, schema: string, names: readonly string[]): Promise<string[]> {
  const { rows } = await target.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [schema, [...names]],
  );
  const found = new Set(rows.map((r) => r.name));
  return names.filter((n) => found.has(n));
}

async function refuseForeignTables(target: Target, schema: string, force: boolean): Promise<void> {
  const present = await existingTables(target, schema, [...DATA_TABLES, RUNS_TABLE]);
  if (force || present.length === 0 || present.includes(RUNS_TABLE)) return;
  throw new UserError(
    `Schema "${schema}" already has ${present.map((t) => `"${t}"`).join(', ')} but no "${RUNS_TABLE}" table, so ` +
      'hcpgen did not create them and will not replace them. Use an empty database (or another schema), drop ' +
      'those tables yourself, or pass --force to let hcpgen replace them.',
  );
}

async function ensureRunsTable(target: Target, schema: string): Promise<void> {
  if ((await existingTables(target, schema, [RUNS_TABLE])).length > 0) return;
  const model = await loadSchemaModel();
  for (const sql of [
    ...renderCreateTables(model, schema, [RUNS_TABLE]),
    ...renderKeysAndIndexes(model, schema, [RUNS_TABLE]),
  ]) {
    await target.query(sql);
  }
}

async function dropTables(target: Target, schema: string, tables: readonly string[]): Promise<void> {
  const present = await existingTables(target, schema, tables);
  if (present.length === 0) return;
  // One statement, so foreign keys among our own tables do not matter; RESTRICT so that anyone else's view or
  // foreign key on them stops us instead of being dropped along.
  await target.query(`DROP TABLE ${present.map((t) => qualify(t, schema)).join(', ')} RESTRICT`);
}

async function countRows(target: Target, schema: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const { rows } = await target.query<{ n: number }>(`SELECT count(*) AS n FROM ${qualify(table, schema)}`);
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

async function insertRun(
  target: Target,
  schema: string,
  run: RunInfo,
  startedAt: Date,
  counts: Record<string, number>,
  status: RunStatus,
): Promise<number> {
  // A run log created before data versions has no data_version column: add it (columns are only ever added).
  const { rows: has } = await target.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'data_version' AND NOT attisdropped`,
    [qualify(RUNS_TABLE, schema)],
  );
  if (has.length === 0) {
    await target.query(`ALTER TABLE ${qualify(RUNS_TABLE, schema)} ADD COLUMN data_version integer`);
  }
  const { rows } = await target.query<{ id: number }>(
    `INSERT INTO ${qualify(RUNS_TABLE, schema)} (scenario_name, scenario_hash, seed, hcps, months, as_of,
       generator_version, started_at, finished_at, status, plan, counts, fixtures_hash, data_version)
     VALUES ($1, $2, $3::bigint, $4, $5, $6::date, $7, $8::timestamptz, clock_timestamp(), $13,
       $9::jsonb, $10::jsonb, $11, $12)
     RETURNING id`,
    [
      run.scenarioName,
      run.scenarioHash,
      String(run.seed),
      run.hcps,
      run.months,
      run.asOf,
      run.generatorVersion,
      startedAt.toISOString(),
      JSON.stringify(run.plan ?? null),
      JSON.stringify(counts),
      run.fixturesHash ?? null,
      run.dataVersion === undefined ? DATA_VERSION : run.dataVersion,
      status,
    ],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('INSERT INTO hcpgen_runs returned no id');
  return id;
}

/** Database errors a person can fix get a message saying how; everything else passes through unchanged. */
function explain(err: unknown, target: Target, schema: string): unknown {
  const e = err as { code?: string; message?: string; detail?: string };
  if (e.code === '42501') {
    return new UserError(
      `${target.description} refused a statement of this run: ${e.message ?? e.code}. To generate, hcpgen needs ` +
        `CREATE on the database (for its staging schema), CREATE on schema "${schema}" (for its tables) and ` +
        `ownership of the tables it replaces (to validate, SELECT on them): ask the database owner for them ` +
        `(${grantsFor(target, schema)}), or use another user. Nothing was changed.`,
      { cause: err },
    );
  }
  if (e.code === '2BP01') {
    return new UserError(
      `Cannot replace hcpgen's tables: other objects depend on them (${e.detail ?? e.message}). hcpgen never drops ` +
        'objects it did not create: drop or change those objects, then run again. Nothing was changed.',
      { cause: err },
    );
  }
  // Class 53: disk full (53100), out of memory (53200), a configured limit such as temp_file_limit (53400).
  if (e.code?.startsWith('53')) {
    return new UserError(
      `The database server ran out of room for this run: ${e.message ?? e.code} (SQLSTATE ${e.code}). The run was ` +
        'rolled back, so the database is as it was before. Free disk space (or memory) on the server, or raise ' +
        'the limit named above; a regeneration needs room for the old and the new tables at once until the swap.',
      { cause: err },
    );
  }
  // A statement_timeout or lock_timeout set for this user or database, or an administrator's pg_cancel_backend.
  if (e.code === '57014' || e.code === '55P03') {
    return new UserError(
      `The database server cancelled a statement of this run: ${e.message ?? e.code}. The run was rolled back, so ` +
        'the database is as it was before. If a statement_timeout or lock_timeout applies to this user or ' +
        'database, raise it for hcpgen (e.g. ALTER ROLE ... SET statement_timeout = 0), then run again.',
      { cause: err },
    );
  }
  return err;
}

/** The GRANT statements that give the connected user what a run needs, for the message above. */
function grantsFor(target: Target, schema: string): string {
  try {
    const u = new URL(target.description);
    const user = quoteIdent(decodeURIComponent(u.username));
    const db = quoteIdent(decodeURIComponent(u.pathname.slice(1)));
    return `GRANT CREATE ON DATABASE ${db} TO ${user}; GRANT CREATE ON SCHEMA ${quoteIdent(schema)} TO ${user}`;
  } catch {
    return `GRANT CREATE ON DATABASE ... and ON SCHEMA ${quoteIdent(schema)}`;
  }
}
