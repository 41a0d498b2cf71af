// DDL rendered from the TypeORM entity metadata, split in two for bulk loading: tables first with columns only
// (COPY into a table without indexes or constraints is several times faster), then primary keys, uniques,
// foreign keys and indexes, added after the load in the same transaction.
//
// The metadata comes from TypeORM itself (a postgres DataSource whose metadata is built without connecting), and
// column types and defaults go through the driver's own normalisation, so what we create is what the entities
// declare; test/db/ddl.test.ts proves it by asking TypeORM's schema builder for pending changes (there are none).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildId } from '../lib/build-id.js';

export type { ColumnModel, ForeignKeyModel, TableModel } from './schema-model.js';
import type { TableModel } from './schema-model.js';

let cachedModel: Promise<TableModel[]> | undefined;

/**
 * The table models of every hcpgen table, in creation order (parents first). Built once per process: read from
 * the build's schema-model.json when it was written by this very build (scripts/schema-model.js), else derived
 * from the TypeORM metadata (ddl-typeorm.ts), which is what that file holds. Importing TypeORM and building its
 * metadata costs ~0.3 s of every run's start; from source (the tests) the metadata is always used.
 */
export function loadSchemaModel(): Promise<TableModel[]> {
  cachedModel ??= builtSchemaModel() ?? import('./ddl-typeorm.js').then((m) => m.schemaModelFromEntities());
  return cachedModel;
}

/** Where the build writes the schema model, next to this module. */
export function schemaModelFile(): string {
  return fileURLToPath(new URL('./schema-model.json', import.meta.url));
}

function builtSchemaModel(): Promise<TableModel[]> | undefined {
  const id = buildId();
  const file = schemaModelFile();
  if (!id || !existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { buildId?: unknown; model?: TableModel[] };
  return saved.buildId === id && Array.isArray(saved.model) ? Promise.resolve(saved.model) : undefined;
}

/** Quotes an SQL identifier: always double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`, or just `"table"` when schema is undefined (resolved through search_path). */
export function qualify(table: string, schema?: string): string {
  return schema === undefined ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

function identList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}

function pick(model: TableModel[], tables?: readonly string[]): TableModel[] {
  if (!tables) return model;
  for (const t of tables) {
    if (!model.some((m) => m.name === t)) throw new Error(`unknown hcpgen table ${t}`);
  }
  return model.filter((m) => tables.includes(m.name));
}

/** (a) `CREATE TABLE` statements with columns only: no keys, no indexes, ready for COPY. */
export function renderCreateTables(
  model: TableModel[],
  schema?: string,
  tables?: readonly string[],
): string[] {
  return pick(model, tables).map((t) => {
    const cols = t.columns.map((c) => {
      let sql = `${quoteIdent(c.name)} ${c.sqlType}`;
      if (!c.nullable) sql += ' NOT NULL';
      if (c.defaultSql !== undefined) sql += ` DEFAULT ${c.defaultSql}`;
      return sql;
    });
    return `CREATE TABLE ${qualify(t.name, schema)} (${cols.join(', ')})`;
  });
}

/** One statement of the second half: what it builds, on which table, and (foreign keys) which table it references. */
export interface KeyStep {
  sql: string;
  kind: 'primary key' | 'unique' | 'foreign key' | 'index';
  table: string;
  referencedTable?: string;
}

/**
 * (b) Keys and indexes to run after the load: every primary key and unique first (foreign keys need the
 * referenced key), then foreign keys, then indexes. Foreign keys reference tables in the same schema.
 */
export function renderKeySteps(model: TableModel[], schema?: string, tables?: readonly string[]): KeyStep[] {
  const picked = pick(model, tables);
  const keys: KeyStep[] = [];
  const fks: KeyStep[] = [];
  const indexes: KeyStep[] = [];
  for (const t of picked) {
    const name = qualify(t.name, schema);
    const table = t.name;
    if (t.primaryKey) {
      keys.push({
        sql: `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(t.primaryKey.name)} PRIMARY KEY (${identList(t.primaryKey.columns)})`,
        kind: 'primary key',
        table,
      });
    }
    for (const u of t.uniques) {
      keys.push({
        sql: `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(u.name)} UNIQUE (${identList(u.columns)})`,
        kind: 'unique',
        table,
      });
    }
    for (const fk of t.foreignKeys) {
      fks.push({
        sql:
          `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${identList(fk.columns)}) ` +
          `REFERENCES ${qualify(fk.referencedTable, schema)} (${identList(fk.referencedColumns)}) ` +
          `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
        kind: 'foreign key',
        table,
        referencedTable: fk.referencedTable,
      });
    }
    for (const i of t.indices) {
      indexes.push({
        sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${name} (${identList(i.columns)})`,
        kind: 'index',
        table,
      });
    }
  }
  return [...keys, ...fks, ...indexes];
}

/** The same statements as SQL text. */
export function renderKeysAndIndexes(
  model: TableModel[],
  schema?: string,
  tables?: readonly string[],
): string[] {
  return renderKeySteps(model, schema, tables).map((s) => s.sql);
}

/** Both halves for the given tables (all by default), ready to print or run in order. */
export async function renderDdl(
  options: { schema?: string; tables?: readonly string[] } = {},
): Promise<{ createTables: string[]; keysAndIndexes: string[] }> {
  const model = await loadSchemaModel();
  return {
    createTables: renderCreateTables(model, options.schema, options.tables),
    keysAndIndexes: renderKeysAndIndexes(model, options.schema, options.tables),
  };
}
