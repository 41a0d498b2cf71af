// The table definitions: one TypeORM EntitySchema per table, the single source of truth for the database shape.
// docs/architecture.md lists the columns as a contract (add columns, never rename). DDL is rendered from these
// (src/db/ddl.ts) and a test proves TypeORM's schema builder finds nothing to change after our DDL ran.
//
// Constraint and index names are spelled out (PostgreSQL's own conventions: `<table>_pkey`, `<table>_<col>_key`,
// `<table>_<col>_fkey`, `<table>_<cols>_idx`) so that they read well in psql and stay stable across TypeORM versions.
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';

type Column = EntitySchemaColumnOptions;

const text: Column = { type: 'text' };
const nullableText: Column = { type: 'text', nullable: true };
const textArray: Column = { type: 'text', array: true };
const nullableTextArray: Column = { type: 'text', array: true, nullable: true };
const int: Column = { type: 'integer' };
const date: Column = { type: 'date' };
const timestamp: Column = { type: 'timestamp without time zone' };
const real: Column = { type: 'real' };

/** A primary-key column with a PostgreSQL-style constraint name. */
function pk(table: string, type: Column['type']): Column {
  return { type, primary: true, primaryKeyConstraintName: `${table}_pkey` };
}

/** A NOT NULL reference to another table's id, with a PostgreSQL-style constraint name. */
function ref(table: string, column: string, target: string, type: Column['type'], nullable = false): Column {
  return { type, nullable, foreignKey: { target, name: `${table}_${column}_fkey` } };
}

function index(table: string, ...columns: string[]): { name: string; columns: string[] } {
  return { name: `${table}_${columns.join('_')}_idx`, columns };
}

export const HcpProfileEntity = new EntitySchema({
  name: 'hcp_profiles',
  columns: {
    id: pk('hcp_profiles', 'integer'),
    npi: { type: 'char', length: 10 },
    first_name: text,
    last_name: text,
    credential: nullableText,
    taxonomy_code: nullableText,
    specialty: text,
    tier: text,
    segment: text,
    decile: { type: 'smallint' },
    monthly_trx_baseline: real,
    region: text,
    state: { type: 'char', length: 2 },
    city: text,
    zip: { type: 'char', length: 5 },
    address_line: nullableText,
    email: nullableText,
    source: { type: 'text', default: 'generated' },
  },
  uniques: [{ name: 'hcp_profiles_npi_key', columns: ['npi'] }],
  indices: [
    index('hcp_profiles', 'specialty'),
    index('hcp_profiles', 'state'),
    index('hcp_profiles', 'region'),
    index('hcp_profiles', 'segment'),
    index('hcp_profiles', 'tier'),
  ],
});

export const TerritoryAssignmentEntity = new EntitySchema({
  name: 'territory_assignments',
  columns: {
    id: pk('territory_assignments', 'bigint'),
    hcp_id: ref('territory_assignments', 'hcp_id', 'hcp_profiles', 'integer'),
    territory_id: text,
    territory_name: text,
    region: text,
    rep_id: text,
    rep_name: text,
    role: text,
    assigned_on: date,
  },
  indices: [
    index('territory_assignments', 'hcp_id'),
    index('territory_assignments', 'rep_id'),
    index('territory_assignments', 'territory_id'),
  ],
});

export const CampaignEntity = new EntitySchema({
  name: 'campaigns',
  columns: {
    id: pk('campaigns', 'integer'),
    name: text,
    campaign_type: text,
    product: text,
    channels: textArray,
    // NULL means "all": no restriction on that dimension.
    target_specialties: nullableTextArray,
    target_tiers: nullableTextArray,
    target_segments: nullableTextArray,
    start_date: date,
    end_date: date,
  },
});

export const StimulusEntity = new EntitySchema({
  name: 'stimuli',
  columns: {
    id: pk('stimuli', 'bigint'),
    hcp_id: ref('stimuli', 'hcp_id', 'hcp_profiles', 'integer'),
    // NULL: not part of a campaign (e.g. a routine rep visit).
    campaign_id: ref('stimuli', 'campaign_id', 'campaigns', 'integer', true),
    channel: text,
    occurred_at: timestamp,
  },
  // The rep of a stimulus is the HCP's primary rep (join territory_assignments). Per-HCP timelines and
  // per-campaign reports are the hot paths; a date-range scan of all stimuli is a sequential scan anyway.
  indices: [index('stimuli', 'hcp_id', 'occurred_at'), index('stimuli', 'campaign_id')],
});

export const OutcomeEntity = new EntitySchema({
  name: 'outcomes',
  columns: {
    id: pk('outcomes', 'bigint'),
    stimulus_id: ref('outcomes', 'stimulus_id', 'stimuli', 'bigint'),
    hcp_id: ref('outcomes', 'hcp_id', 'hcp_profiles', 'integer'),
    outcome_type: text,
    channel: text,
    occurred_at: timestamp,
  },
  indices: [index('outcomes', 'stimulus_id'), index('outcomes', 'hcp_id', 'occurred_at')],
});

export const RxHistoryEntity = new EntitySchema({
  name: 'rx_history',
  columns: {
    hcp_id: {
      ...pk('rx_history', 'integer'),
      foreignKey: { target: 'hcp_profiles', name: 'rx_history_hcp_id_fkey' },
    },
    month: { ...pk('rx_history', 'date') },
    product: { ...pk('rx_history', 'text') },
    nrx: int,
    trx: int,
  },
  // The primary key (hcp_id, month, product) serves per-HCP lookups. Market-level time series aggregate every
  // HCP, which is a sequential scan whatever the indexes; an index on (month, product) cost 10% of the load time.
});

export const EngagementScoreEntity = new EntitySchema({
  name: 'engagement_scores',
  columns: {
    hcp_id: {
      ...pk('engagement_scores', 'integer'),
      foreignKey: { target: 'hcp_profiles', name: 'engagement_scores_hcp_id_fkey' },
    },
    as_of: date,
    stimuli_count: int,
    response_count: int,
    response_rate: real,
    last_stimulus_at: { ...timestamp, nullable: true },
    recency_days: { ...int, nullable: true },
    frequency_90d: int,
    score: real,
    engagement_segment: text,
  },
  indices: [index('engagement_scores', 'engagement_segment')],
});

export const HcpgenRunEntity = new EntitySchema({
  name: 'hcpgen_runs',
  columns: {
    id: { ...pk('hcpgen_runs', 'integer'), generated: 'increment' },
    scenario_name: text,
    scenario_hash: text,
    seed: { type: 'bigint' },
    hcps: int,
    months: int,
    as_of: date,
    generator_version: text,
    started_at: { type: 'timestamp with time zone' },
    finished_at: { type: 'timestamp with time zone', nullable: true },
    status: text,
    plan: { type: 'jsonb' },
    counts: { type: 'jsonb', nullable: true },
    fixtures_hash: nullableText,
  },
});

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

export const DATA_TABLES: readonly string[] = DATA_ENTITIES.map((e) => e.options.name);
export const RUNS_TABLE = 'hcpgen_runs';
