// Every table hcpgen writes, declared once (src/tables/model.ts says what a declaration holds and what is
// derived from it). Table and column names are a contract with users' SQL, BI tools and apps: add columns at the
// end, never rename. The columns' order here is the order in every output: COPY, CSV, Parquet, the entities.
import type { TableDef } from './model.js';

export const HCP_PROFILES = {
  name: 'hcp_profiles',
  entity: 'HcpProfileEntity',
  description: 'One row per healthcare professional: identity, specialty, geography and prescribing profile.',
  columns: [
    {
      name: 'id',
      type: 'int32',
      description: 'HCP id; generated HCP #k has id k, fixture HCPs start at 2,000,000,001',
    },
    {
      name: 'npi',
      type: 'char',
      length: 10,
      description: 'National Provider Identifier: 10 digits with a valid Luhn check digit',
    },
    { name: 'first_name', type: 'text', description: 'Given name' },
    { name: 'last_name', type: 'text', description: 'Family name' },
    {
      name: 'credential',
      type: 'text',
      nullable: true,
      dictionary: true,
      description: 'MD, DO, NP or PA, by specialty',
    },
    {
      name: 'taxonomy_code',
      type: 'text',
      nullable: true,
      dictionary: true,
      description: 'NUCC provider taxonomy code of the specialty, e.g. 207RC0000X',
    },
    {
      name: 'specialty',
      type: 'text',
      dictionary: true,
      description: 'Specialty name, e.g. Cardiovascular Disease',
    },
    {
      name: 'tier',
      type: 'text',
      dictionary: true,
      description: 'Targeting tier from the decile, e.g. Tier 1 (the highest writers)',
    },
    {
      name: 'segment',
      type: 'text',
      dictionary: true,
      description: 'Commercial segment from the tier, e.g. High Value',
    },
    {
      name: 'decile',
      type: 'int16',
      description: 'Prescribing decile 1-10, equal-volume groups: 10 holds the fewest, highest writers',
    },
    {
      name: 'monthly_trx_baseline',
      type: 'float32',
      description: 'Baseline total prescriptions per month across the market basket (TRx/month)',
    },
    { name: 'region', type: 'text', dictionary: true, description: 'Sales region name' },
    {
      name: 'state',
      type: 'char',
      length: 2,
      dictionary: true,
      description: 'US state, two-letter USPS code',
    },
    { name: 'city', type: 'text', dictionary: true, description: 'City in that state' },
    {
      name: 'zip',
      type: 'char',
      length: 5,
      description: "Five-digit ZIP code that exists in the city (starts with the city's 3-digit prefix)",
    },
    {
      name: 'address_line',
      type: 'text',
      nullable: true,
      description: 'Street address: number, a common US street name and suffix, sometimes a suite',
    },
    {
      name: 'email',
      type: 'text',
      nullable: true,
      description:
        'Work e-mail address built from the name; unique (generated ones end in a number unique per HCP)',
    },
    {
      name: 'source',
      type: 'text',
      default: "'generated'",
      dictionary: true,
      description: "'generated', or 'fixture' for seed-data records",
    },
    {
      name: 'phone',
      type: 'text',
      nullable: true,
      description: 'Practice phone, (AAA) NXX-XXXX, with a real area code of the city (else of the state)',
    },
    {
      name: 'is_target',
      type: 'int16',
      description:
        "1 if the HCP is on the brand's target list (the scenario's targeting rule), else 0; only targets get rep calls unless the scenario allows them",
    },
    {
      name: 'time_zone',
      type: 'text',
      dictionary: true,
      description:
        'IANA time zone of the practice (from the city where the scenario gives it one, else from the state), e.g. America/Chicago: event times are local wall-clock times in it; UTC = occurred_at AT TIME ZONE time_zone',
    },
  ],
  primaryKey: ['id'],
  uniques: [['npi']],
  indexes: [['specialty'], ['state'], ['region'], ['segment'], ['tier']],
} as const satisfies TableDef;

/**
 * The hcp_profiles column that stores each drawn HCP attribute (the plan's ATTRIBUTE_ORDER) and the target
 * flag: what queries group by when they read an attribute back (validation, the report).
 */
export const HCP_ATTRIBUTE_COLUMNS = {
  specialty: 'taxonomy_code',
  credential: 'credential',
  region: 'region',
  state: 'state',
  decile: 'decile',
  tier: 'tier',
  segment: 'segment',
  target: 'is_target',
} as const satisfies Record<string, (typeof HCP_PROFILES)['columns'][number]['name']>;

export const TERRITORY_ASSIGNMENTS = {
  name: 'territory_assignments',
  entity: 'TerritoryAssignmentEntity',
  description:
    "Rep-to-HCP alignment: every HCP's primary rep in its region, and for some a rep of the secondary role.",
  columns: [
    {
      name: 'id',
      type: 'int64',
      description: 'hcp_id * 10 + j: j = 1 for the primary assignment, 2 for the secondary one',
    },
    { name: 'hcp_id', type: 'int32', description: 'The HCP (hcp_profiles.id)' },
    {
      name: 'territory_id',
      type: 'text',
      description: 'Territory code, e.g. NE-T004 (primary team) or NE-A002 (secondary team)',
    },
    { name: 'territory_name', type: 'text', description: 'Territory name, e.g. Northeast 004' },
    { name: 'region', type: 'text', dictionary: true, description: "Sales region name (the HCP's)" },
    {
      name: 'rep_id',
      type: 'text',
      description: 'Rep code, e.g. NE-R004 (primary role) or NE-K002 (secondary role)',
    },
    { name: 'rep_name', type: 'text', description: 'Rep full name' },
    {
      name: 'role',
      type: 'text',
      dictionary: true,
      description: "The rep's role, e.g. Sales Representative, Key Account Manager, MSL",
    },
    { name: 'assigned_on', type: 'date', description: 'Day the assignment started (before the window)' },
  ],
  primaryKey: ['id'],
  foreignKeys: [{ column: 'hcp_id', references: 'hcp_profiles' }],
  indexes: [['hcp_id'], ['rep_id'], ['territory_id']],
} as const satisfies TableDef;

export const CAMPAIGNS = {
  name: 'campaigns',
  entity: 'CampaignEntity',
  description: 'Promotional campaigns: type, promoted product, channels, targeting and active window.',
  columns: [
    { name: 'id', type: 'int32', description: 'Campaign id 1..N; fixture campaigns start at 1,000,000,001' },
    { name: 'name', type: 'text', description: 'Campaign name: type, first active month and id' },
    {
      name: 'campaign_type',
      type: 'text',
      dictionary: true,
      description: "Campaign type from the scenario, e.g. 'Awareness'",
    },
    { name: 'product', type: 'text', dictionary: true, description: 'Promoted product id' },
    { name: 'channels', type: 'text_list', description: 'Channel ids the campaign runs on' },
    {
      name: 'target_specialties',
      type: 'text_list',
      nullable: true,
      description: 'Targeted NUCC taxonomy codes; NULL = every specialty',
    },
    {
      name: 'target_tiers',
      type: 'text_list',
      nullable: true,
      description: 'Targeted tiers; NULL = every tier',
    },
    {
      name: 'target_segments',
      type: 'text_list',
      nullable: true,
      description: 'Targeted segments; NULL = every segment',
    },
    { name: 'start_date', type: 'date', description: 'First active day (inside the window)' },
    { name: 'end_date', type: 'date', description: 'Last active day (inside the window)' },
  ],
  primaryKey: ['id'],
} as const satisfies TableDef;

export const STIMULI = {
  name: 'stimuli',
  entity: 'StimulusEntity',
  description: 'Promotional touches (CRM calls, e-mails, webinars, ...) delivered to HCPs.',
  columns: [
    {
      name: 'id',
      type: 'int64',
      description: "hcp_id * 10000 + j, j counting the HCP's stimuli in time order from 1",
    },
    { name: 'hcp_id', type: 'int32', description: 'The HCP reached (hcp_profiles.id)' },
    {
      name: 'campaign_id',
      type: 'int32',
      nullable: true,
      description: 'The campaign it belongs to; NULL = not part of a campaign',
    },
    {
      name: 'channel',
      type: 'text',
      dictionary: true,
      description: "Channel id from the scenario, e.g. 'rep_visit', 'email'",
    },
    {
      name: 'occurred_at',
      type: 'timestamp',
      description:
        "When it happened (whole seconds), local wall-clock time in the HCP's hcp_profiles.time_zone",
    },
    {
      name: 'rep_id',
      type: 'text',
      nullable: true,
      description:
        "The rep who made the call (territory_assignments.rep_id of the HCP's rep of rep_role); NULL for channels no rep delivers",
    },
    {
      name: 'rep_role',
      type: 'text',
      nullable: true,
      dictionary: true,
      description: "That rep's role (territory_assignments.role); NULL for channels no rep delivers",
    },
  ],
  primaryKey: ['id'],
  foreignKeys: [
    { column: 'hcp_id', references: 'hcp_profiles' },
    { column: 'campaign_id', references: 'campaigns' },
  ],
  indexes: [['hcp_id', 'occurred_at'], ['campaign_id']],
  indexNote:
    'Per-HCP timelines and per-campaign reports are the hot paths; a date-range scan of all stimuli is a sequential scan anyway.',
} as const satisfies TableDef;

export const OUTCOMES = {
  name: 'outcomes',
  entity: 'OutcomeEntity',
  description:
    'Responses to stimuli: the deepest response reached (open, click, sample request, ...), at most one per stimulus.',
  columns: [
    { name: 'id', type: 'int64', description: 'The id of the stimulus it answers' },
    { name: 'stimulus_id', type: 'int64', description: 'The stimulus answered (stimuli.id)' },
    { name: 'hcp_id', type: 'int32', description: 'The HCP who responded (hcp_profiles.id)' },
    {
      name: 'outcome_type',
      type: 'text',
      dictionary: true,
      description: "Response type from the scenario, e.g. 'email_open'",
    },
    { name: 'channel', type: 'text', dictionary: true, description: "The stimulus's channel" },
    {
      name: 'occurred_at',
      type: 'timestamp',
      description:
        "When the response happened (local wall-clock time in the HCP's time_zone): after the stimulus, before the window end",
    },
  ],
  primaryKey: ['id'],
  foreignKeys: [
    { column: 'stimulus_id', references: 'stimuli' },
    { column: 'hcp_id', references: 'hcp_profiles' },
  ],
  indexes: [['stimulus_id'], ['hcp_id', 'occurred_at']],
} as const satisfies TableDef;

export const RX_HISTORY = {
  name: 'rx_history',
  entity: 'RxHistoryEntity',
  description: 'Prescriptions per HCP, month and product of the market basket.',
  columns: [
    { name: 'hcp_id', type: 'int32', description: 'The prescriber (hcp_profiles.id)' },
    { name: 'month', type: 'date', description: 'First day of the month' },
    { name: 'product', type: 'text', dictionary: true, description: 'Product id from the scenario' },
    { name: 'nrx', type: 'int32', description: 'New prescriptions that month' },
    { name: 'trx', type: 'int32', description: 'Total prescriptions that month (new + refills; trx >= nrx)' },
    {
      name: 'nbrx',
      type: 'int32',
      description:
        'New-to-brand prescriptions that month (new starts, switches and add-ons; nbrx <= nrx): promotion wins these',
    },
  ],
  primaryKey: ['hcp_id', 'month', 'product'],
  foreignKeys: [{ column: 'hcp_id', references: 'hcp_profiles' }],
  indexNote:
    'The primary key (hcp_id, month, product) serves per-HCP lookups. Market-level time series aggregate every HCP, a sequential scan whatever the indexes; an index on (month, product) cost 10% of the load time.',
} as const satisfies TableDef;

export const ENGAGEMENT_SCORES = {
  name: 'engagement_scores',
  entity: 'EngagementScoreEntity',
  description: 'One engagement score per HCP as of the window end, from recency, frequency and response.',
  columns: [
    { name: 'hcp_id', type: 'int32', description: 'The HCP (hcp_profiles.id)' },
    { name: 'as_of', type: 'date', description: 'The day the score is computed for (--as-of)' },
    { name: 'stimuli_count', type: 'int32', description: 'Stimuli in the window' },
    { name: 'response_count', type: 'int32', description: 'Outcomes in the window' },
    {
      name: 'response_rate',
      type: 'float32',
      description: 'response_count / stimuli_count (0 without stimuli), 4 decimals',
    },
    {
      name: 'last_stimulus_at',
      type: 'timestamp',
      nullable: true,
      description: 'Latest stimulus; NULL without stimuli',
    },
    {
      name: 'recency_days',
      type: 'int32',
      nullable: true,
      description: 'Whole days from the latest stimulus to the window end; NULL without stimuli',
    },
    { name: 'frequency_90d', type: 'int32', description: 'Stimuli in the last 90 days of the window' },
    { name: 'score', type: 'float32', description: 'Engagement score 0-100, 2 decimals' },
    {
      name: 'engagement_segment',
      type: 'text',
      dictionary: true,
      description: "Segment by score threshold, e.g. 'Highly engaged'",
    },
  ],
  primaryKey: ['hcp_id'],
  foreignKeys: [{ column: 'hcp_id', references: 'hcp_profiles' }],
  indexes: [['engagement_segment']],
} as const satisfies TableDef;

/** The run log: one row per committed run (database targets; file output writes manifest.json instead). */
export const HCPGEN_RUNS = {
  name: 'hcpgen_runs',
  entity: 'HcpgenRunEntity',
  description:
    "One row per committed generate or load: what produced the data in this database (status 'failed': kept with failed checks).",
  columns: [
    { name: 'id', type: 'int32', generated: true, description: 'Run number' },
    { name: 'scenario_name', type: 'text', description: 'Scenario name' },
    { name: 'scenario_hash', type: 'text', description: 'SHA-256 of the scenario file' },
    { name: 'seed', type: 'int64', description: 'Random seed' },
    { name: 'hcps', type: 'int32', description: 'Generated HCPs (--hcps)' },
    { name: 'months', type: 'int32', description: 'Window length in months' },
    { name: 'as_of', type: 'date', description: 'Last day of the window' },
    { name: 'generator_version', type: 'text', description: 'hcpgen version that generated the data' },
    {
      name: 'started_at',
      type: 'timestamptz',
      description: 'When the run started (wall clock; not part of the data)',
    },
    { name: 'finished_at', type: 'timestamptz', nullable: true, description: 'When the run committed' },
    {
      name: 'status',
      type: 'text',
      description: "'succeeded', or 'failed' for a run whose checks failed, kept by generate --keep-failed",
    },
    { name: 'plan', type: 'jsonb', description: 'The compiled generation plan' },
    { name: 'counts', type: 'jsonb', nullable: true, description: 'Row counts per table' },
    {
      name: 'fixtures_hash',
      type: 'text',
      nullable: true,
      description: 'SHA-256 of the seed-data fixture files, NULL without fixtures',
    },
    {
      name: 'data_version',
      type: 'int32',
      nullable: true,
      description: 'Version of the generated values (DATA_VERSION); NULL for runs recorded before it existed',
    },
  ],
  primaryKey: ['id'],
} as const satisfies TableDef;

/** The seven generated tables, parents before children: the order to create, load and write them in. */
export const DATA_TABLE_DEFS = [
  HCP_PROFILES,
  TERRITORY_ASSIGNMENTS,
  CAMPAIGNS,
  STIMULI,
  OUTCOMES,
  RX_HISTORY,
  ENGAGEMENT_SCORES,
] as const;

export const ALL_TABLE_DEFS = [...DATA_TABLE_DEFS, HCPGEN_RUNS] as const;

export type DataTableName = (typeof DATA_TABLE_DEFS)[number]['name'];

const BY_NAME = new Map<string, TableDef>(ALL_TABLE_DEFS.map((t) => [t.name, t]));

export function tableDef(name: string): TableDef {
  const t = BY_NAME.get(name);
  if (!t) throw new Error(`unknown hcpgen table ${name}`);
  return t;
}

/** Column names of a table, in output order. */
export function columnNames(name: string): string[] {
  return tableDef(name).columns.map((c) => c.name);
}
