// The TypeORM entities, derived from the table model (src/tables/tables.ts), never declared by hand: one
// EntitySchema per table with the model's column types, nullability, defaults, key, uniques, foreign keys and
// indexes under the model's constraint names. DDL is rendered from these (src/db/ddl.ts), and a test proves
// TypeORM's schema builder finds nothing to change after our DDL ran, so model, entities and DDL agree.
import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaOptions } from 'typeorm';
import {
  fkName,
  indexName,
  pkName,
  uniqueName,
  type ColumnDef,
  type RowOf,
  type TableDef,
} from '../tables/model.js';
import {
  ALL_TABLE_DEFS,
  CAMPAIGNS,
  ENGAGEMENT_SCORES,
  HCPGEN_RUNS,
  HCP_PROFILES,
  OUTCOMES,
  RX_HISTORY,
  STIMULI,
  TERRITORY_ASSIGNMENTS,
} from '../tables/tables.js';

type ColumnType = NonNullable<EntitySchemaColumnOptions['type']>;

const TYPEORM_TYPE: Record<ColumnDef['type'], ColumnType> = {
  int16: 'smallint',
  int32: 'integer',
  int64: 'bigint',
  float32: 'real',
  text: 'text',
  char: 'char',
  date: 'date',
  timestamp: 'timestamp without time zone',
  text_list: 'text',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
};

function entityColumn(table: TableDef, c: ColumnDef): EntitySchemaColumnOptions {
  const fk = table.foreignKeys?.find((f) => f.column === c.name);
  const primary = table.primaryKey.includes(c.name);
  return {
    type: TYPEORM_TYPE[c.type],
    ...(c.type === 'char' ? { length: c.length ?? 1 } : {}),
    ...(c.type === 'text_list' ? { array: true } : {}),
    ...(c.nullable ? { nullable: true } : {}),
    ...(c.default !== undefined ? { default: () => c.default } : {}),
    ...(c.generated ? { generated: 'increment' as const } : {}),
    ...(primary ? { primary: true, primaryKeyConstraintName: pkName(table.name) } : {}),
    ...(fk ? { foreignKey: { target: fk.references, name: fkName(table.name, c.name) } } : {}),
  };
}

/** The EntitySchema of one table declaration, typed by the declaration's row type. */
export function entityFor<T extends TableDef>(table: T): EntitySchema<RowOf<T>> {
  const options: EntitySchemaOptions<RowOf<T>> = {
    name: table.name,
    columns: Object.fromEntries(
      table.columns.map((c) => [c.name, entityColumn(table, c)]),
    ) as EntitySchemaOptions<RowOf<T>>['columns'],
    uniques: (table.uniques ?? []).map((cols) => ({
      name: uniqueName(table.name, cols),
      columns: [...cols],
    })),
    indices: (table.indexes ?? []).map((cols) => ({ name: indexName(table.name, cols), columns: [...cols] })),
  };
  return new EntitySchema<RowOf<T>>(options);
}

export type HcpProfile = RowOf<typeof HCP_PROFILES>;
export type TerritoryAssignment = RowOf<typeof TERRITORY_ASSIGNMENTS>;
export type Campaign = RowOf<typeof CAMPAIGNS>;
export type Stimulus = RowOf<typeof STIMULI>;
export type Outcome = RowOf<typeof OUTCOMES>;
export type RxHistory = RowOf<typeof RX_HISTORY>;
export type EngagementScore = RowOf<typeof ENGAGEMENT_SCORES>;
export type HcpgenRun = RowOf<typeof HCPGEN_RUNS>;

export const HcpProfileEntity = entityFor(HCP_PROFILES);
export const TerritoryAssignmentEntity = entityFor(TERRITORY_ASSIGNMENTS);
export const CampaignEntity = entityFor(CAMPAIGNS);
export const StimulusEntity = entityFor(STIMULI);
export const OutcomeEntity = entityFor(OUTCOMES);
export const RxHistoryEntity = entityFor(RX_HISTORY);
export const EngagementScoreEntity = entityFor(ENGAGEMENT_SCORES);
export const HcpgenRunEntity = entityFor(HCPGEN_RUNS);

/** The seven generated tables, parents before children (the order to create and load them in). */
export const DATA_ENTITIES = [
  HcpProfileEntity,
  TerritoryAssignmentEntity,
  CampaignEntity,
  StimulusEntity,
  OutcomeEntity,
  RxHistoryEntity,
  EngagementScoreEntity,
] as const;

/** Every table hcpgen owns: the seven data tables and the run log. */
export const ALL_ENTITIES = [...DATA_ENTITIES, HcpgenRunEntity] as const;

export { DATA_TABLES, RUNS_TABLE } from './table-names.js';

// The entity list and the model list must be the same tables in the same order; checked once at load.
ALL_ENTITIES.forEach((e, i) => {
  if (e.options.name !== ALL_TABLE_DEFS[i]?.name)
    throw new Error(`entity ${e.options.name} out of model order`);
});
