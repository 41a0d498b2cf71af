// The shape of hcpgen's tables as the DDL renders them (src/db/ddl.ts), derived from the TypeORM entities
// (src/db/ddl-typeorm.ts) or read from the build's saved copy of that derivation.

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
