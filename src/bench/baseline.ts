// The naive baseline: what a hand-written loader would do with TypeORM, `repository.insert()` in batches of 500
// entities, each batch its own statement and its own commit, into tables that already have their keys and indexes.
// It inserts the same generated rows (those of the first M HCPs, read back through TypeORM from the generated
// tables, untimed) into a scratch schema, and only the insert() calls are timed. PostgreSQL only: TypeORM has no
// driver for the embedded database.
import { Between, DataSource, type FindOptionsOrder, type ObjectLiteral, type Repository } from 'typeorm';
import { loadSchemaModel, quoteIdent, renderCreateTables, renderKeysAndIndexes } from '../db/ddl.js';
import { DATA_ENTITIES, DATA_TABLES } from '../db/entities.js';
import { TABLES, type TableName } from '../plan/types.js';
import { perSecond } from './ceiling.js';
import type { BaselineFigures, TableFigure } from './types.js';

export const BASELINE_BATCH = 500;
const SCHEMA = 'hcpgen_bench_baseline';
/** HCPs whose rows are read back per query: bounded memory whatever --baseline-hcps is. */
const PAGE_HCPS = 1000;

/** The column a table's rows belong to an HCP by (campaigns belong to none: all of them are inserted). */
const HCP_COLUMN: Record<TableName, string | null> = {
  hcp_profiles: 'id',
  territory_assignments: 'hcp_id',
  campaigns: null,
  stimuli: 'hcp_id',
  outcomes: 'hcp_id',
  rx_history: 'hcp_id',
  engagement_scores: 'hcp_id',
};

const ORDER: Record<TableName, string[]> = {
  hcp_profiles: ['id'],
  territory_assignments: ['id'],
  campaigns: ['id'],
  stimuli: ['id'],
  outcomes: ['id'],
  rx_history: ['hcp_id', 'month', 'product'],
  engagement_scores: ['hcp_id'],
};

function dataSource(url: string, schema?: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    ...(schema ? { schema } : {}),
    entities: [...DATA_ENTITIES],
    poolSize: 1,
    applicationName: `hcpgen bench pid ${process.pid}`,
  });
}

export async function measureBaseline(
  url: string,
  hcps: number,
  signal?: AbortSignal,
): Promise<BaselineFigures> {
  const read = await dataSource(url).initialize();
  const write = await dataSource(url, SCHEMA).initialize();
  try {
    const model = await loadSchemaModel();
    await write.query(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
    for (const sql of [
      ...renderCreateTables(model, SCHEMA, DATA_TABLES),
      ...renderKeysAndIndexes(model, SCHEMA, DATA_TABLES),
    ]) {
      await write.query(sql);
    }
    const tables = {} as Record<TableName, TableFigure>;
    for (const table of TABLES) {
      const from = read.getRepository<ObjectLiteral>(table);
      const into = write.getRepository<ObjectLiteral>(table);
      tables[table] = await insertTable(table, from, into, hcps, signal);
    }
    const rows = TABLES.reduce((a, t) => a + tables[t].rows, 0);
    const secs = round3(TABLES.reduce((a, t) => a + tables[t].seconds, 0));
    return {
      hcps,
      batchSize: BASELINE_BATCH,
      tables,
      seconds: secs,
      rows,
      rowsPerSecond: perSecond(rows, secs),
    };
  } finally {
    await write.query(`DROP SCHEMA IF EXISTS ${quoteIdent(SCHEMA)} CASCADE`).catch(() => undefined);
    await write.destroy();
    await read.destroy();
  }
}

async function insertTable(
  table: TableName,
  from: Repository<ObjectLiteral>,
  into: Repository<ObjectLiteral>,
  hcps: number,
  signal: AbortSignal | undefined,
): Promise<TableFigure> {
  const order = Object.fromEntries(ORDER[table].map((c) => [c, 'ASC'])) as FindOptionsOrder<ObjectLiteral>;
  const column = HCP_COLUMN[table];
  let pending: ObjectLiteral[] = [];
  let rows = 0;
  let ms = 0;
  const insert = async (batch: ObjectLiteral[]): Promise<void> => {
    signal?.throwIfAborted();
    const t0 = performance.now();
    await into.insert(batch);
    ms += performance.now() - t0;
    rows += batch.length;
  };
  const pages = column === null ? [null] : pageRanges(hcps);
  for (const page of pages) {
    const found =
      column === null || page === null
        ? await from.find({ order })
        : await from.find({ where: { [column]: Between(page[0], page[1]) }, order });
    pending.push(...found);
    while (pending.length >= BASELINE_BATCH) {
      await insert(pending.slice(0, BASELINE_BATCH));
      pending = pending.slice(BASELINE_BATCH);
    }
  }
  if (pending.length > 0) await insert(pending);
  const seconds = round3(ms / 1000);
  return { rows, seconds, rowsPerSecond: perSecond(rows, seconds) };
}

function pageRanges(hcps: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 1; from <= hcps; from += PAGE_HCPS) out.push([from, Math.min(hcps, from + PAGE_HCPS - 1)]);
  return out;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
