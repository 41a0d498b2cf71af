// DDL rendered from the TypeORM entity metadata, split in two for bulk loading: tables first with columns only
// (COPY into a table without indexes or constraints is several times faster), then primary keys, uniques,
// foreign keys and indexes, added after the load in the same transaction.
//
// The metadata comes from TypeORM itself (a postgres DataSource whose metadata is built without connecting), and
// column types and defaults go through the driver's own normalisation, so what we create is what the entities
// declare; test/db/ddl.test.ts proves it by asking TypeORM's schema builder for pending changes (there are none).
import { DataSource, Table, TableColumn, TableForeignKey } from 'typeorm';
import { ALL_ENTITIES } from './entities.js';

export interface ColumnModel {
  name: string;
  /** Full SQL type as TypeORM's driver renders it, e.g. `character(10)`, `text array`, `serial`. */
  sqlType: string;
  nullable: boolean;
  /** SQL default expression, already rendered as SQL (e.g. `'generated'`), or undefined. */
  defaultSql?: string;
}

export interface ForeignKeyModel {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableModel {
  name: string;
  columns: ColumnModel[];
  primaryKey?: { name: string; columns: string[] };
  uniques: { name: string; columns: string[] }[];
  foreignKeys: ForeignKeyModel[];
  indices: { name: string; columns: string[]; unique: boolean }[];
}

/** A DataSource over the hcpgen entities; not connected until someone calls initialize(). */
export function entityDataSource(url?: string): DataSource {
  return new DataSource({ type: 'postgres', ...(url ? { url } : {}), entities: [...ALL_ENTITIES] });
}

let cachedModel: Promise<TableModel[]> | undefined;

/** The table models of every hcpgen table, in creation order (parents first). Built once per process. */
export function loadSchemaModel(): Promise<TableModel[]> {
  cachedModel ??= buildSchemaModel();
  return cachedModel;
}

async function buildSchemaModel(): Promise<TableModel[]> {
  const ds = entityDataSource();
  // buildMetadatas() is what initialize() does after connecting; it needs no connection, only the driver's
  // type knowledge. It is protected in the typings, hence the cast.
  await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  const driver = ds.driver;
  return ds.entityMetadatas.map((metadata): TableModel => {
    const table = Table.create(metadata, driver);
    const columns = table.columns.map((c) => columnModel(c, driver.createFullType(c)));
    const primary = metadata.primaryColumns;
    const pkName = primary[0]?.primaryKeyConstraintName;
    if (primary.length > 0 && !pkName) throw new Error(`${metadata.tableName}: primary key needs a name`);
    return {
      name: metadata.tableName,
      columns,
      ...(pkName ? { primaryKey: { name: pkName, columns: primary.map((c) => c.databaseName) } } : {}),
      uniques: table.uniques.map((u) => ({
        name: requireName(u.name, metadata.tableName),
        columns: u.columnNames,
      })),
      foreignKeys: metadata.foreignKeys.map((fk) => {
        const t = TableForeignKey.create(fk, driver);
        return {
          name: requireName(t.name, metadata.tableName),
          columns: t.columnNames,
          referencedTable: fk.referencedEntityMetadata.tableName,
          referencedColumns: t.referencedColumnNames,
          onDelete: t.onDelete ?? 'NO ACTION',
          onUpdate: t.onUpdate ?? 'NO ACTION',
        };
      }),
      indices: table.indices.map((i) => ({
        name: requireName(i.name, metadata.tableName),
        columns: i.columnNames,
        unique: i.isUnique,
      })),
    };
  });
}

function requireName(name: string | undefined, table: string): string {
  // Generated names (IDX_3f2a…) would work, but we want readable, stable ones: entities.ts spells them out.
  if (!name) throw new Error(`${table}: every constraint and index needs an explicit name in entities.ts`);
  return name;
}

function columnModel(c: TableColumn, fullType: string): ColumnModel {
  let sqlType = fullType;
  // Auto-increment integer columns: the same SERIAL that TypeORM's own schema builder creates.
  if (c.isGenerated && c.generationStrategy === 'increment') {
    const serial: Record<string, string> = {
      integer: 'serial',
      int: 'serial',
      bigint: 'bigserial',
      smallint: 'smallserial',
    };
    const s = serial[c.type];
    if (!s) throw new Error(`${c.name}: cannot auto-increment a ${c.type} column`);
    sqlType = s;
  }
  return {
    name: c.name,
    sqlType,
    nullable: c.isNullable,
    ...(c.default !== undefined && c.default !== null ? { defaultSql: String(c.default) } : {}),
  };
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
