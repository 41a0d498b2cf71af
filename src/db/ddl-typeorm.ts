// The schema model derived from the TypeORM entity metadata (a postgres DataSource whose metadata is built without
// connecting; column types and defaults go through the driver's own normalisation), so what we create is what the
// entities declare. Kept apart from ddl.ts so that a built run, which reads the model the build saved, never
// loads TypeORM at all.
import { DataSource, Table, TableColumn, TableForeignKey } from 'typeorm';
import { ALL_ENTITIES } from './entities.js';
import type { ColumnModel, TableModel } from './schema-model.js';

/** A DataSource over the hcpgen entities; not connected until someone calls initialize(). */
export function entityDataSource(url?: string): DataSource {
  return new DataSource({ type: 'postgres', ...(url ? { url } : {}), entities: [...ALL_ENTITIES] });
}

/** The table models of every hcpgen table, in creation order (parents first), from the entities' metadata. */
export async function schemaModelFromEntities(): Promise<TableModel[]> {
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
