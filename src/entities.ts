// `hcpgen/entities`: the TypeORM entities of hcpgen's tables, derived from the one table model
// (src/tables/tables.ts), each an EntitySchema typed by its row type, so `ds.getRepository(HcpProfileEntity)` is a
// Repository<HcpProfile>. For an app that reads (or shares a schema with) a database hcpgen generated.
export {
  ALL_ENTITIES,
  CampaignEntity,
  DATA_ENTITIES,
  EngagementScoreEntity,
  HcpProfileEntity,
  HcpgenRunEntity,
  OutcomeEntity,
  RxHistoryEntity,
  StimulusEntity,
  TerritoryAssignmentEntity,
  type Campaign,
  type EngagementScore,
  type HcpProfile,
  type HcpgenRun,
  type Outcome,
  type RxHistory,
  type Stimulus,
  type TerritoryAssignment,
} from './db/entities.js';
export type { RowOf } from './tables/model.js';
