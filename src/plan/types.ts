// The compiled generation plan: every count and parameter of a run resolved, plain JSON (it is stored in
// hcpgen_runs.plan and shipped to worker threads). Produced by src/scenario/compile.ts, read by src/steps.
import type { Check, DerivedOverride, Distribution } from '../scenario/scenario-types.js';
import type { WindowMonth as CalendarWindowMonth } from '../time/calendar.js';
import { DATA_TABLE_DEFS, type DataTableName } from '../tables/tables.js';

/**
 * The seven tables, in generation order, from the table model (src/tables/tables.ts). These names are a contract
 * (plan --json, validation, users' SQL).
 */
export const TABLES: readonly DataTableName[] = DATA_TABLE_DEFS.map((t) => t.name);
export type TableName = DataTableName;

/** Attributes drawn per HCP, in this order; a conditional attribute may only depend on an earlier one. */
export const ATTRIBUTE_ORDER = [
  'specialty',
  'credential',
  'region',
  'state',
  'decile',
  'tier',
  'segment',
] as const;
export type AttributeName = (typeof ATTRIBUTE_ORDER)[number];
/** What targeting multipliers may depend on: a drawn attribute, or the target flag ('true' / 'false'). */
export type TargetingAttribute = AttributeName | 'target';

export interface RunParams {
  seed: number;
  hcps: number;
  months: number;
  /** YYYY-MM-DD, the last day of the window. */
  asOf: string;
}

/** A month of the window (src/time/calendar.ts) and its calendar month number (1-12). */
export type WindowMonth = Omit<CalendarWindowMonth, 'businessDays'> & { calendarMonth: number };

export interface PlanWindow {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  months: WindowMonth[];
}

/** Weighted choice resolved to parallel arrays (weights normalised to sum 1). */
export interface Choice {
  values: string[];
  weights: number[];
}

export interface CategoricalPlan {
  by?: AttributeName;
  default: Choice;
  cases: Record<string, Choice>;
}

export interface PlanCity {
  name: string;
  zip3: string;
  /** IANA zone of the city's HCPs where it is not the state's (src/time/zones.ts). */
  timeZone?: string;
}
export interface PlanState {
  code: string;
  region: string;
  /** IANA zone of the state's HCPs (src/time/zones.ts): event times are local wall-clock times in it. */
  timeZone: string;
  cities: PlanCity[];
  cityWeights: number[];
}
export interface PlanRegion {
  code: string;
  name: string;
  share: number;
  /** Reps (= territories) in this region for this run; grows with --hcps. */
  reps: number;
  /** Reps of the secondary role (a separate team) in this region. */
  secondaryReps: number;
}

export interface PlanSpecialty {
  code: string;
  name: string;
  trxMultiplier: number;
}

export interface PlanOutcome {
  type: string;
  rate: number;
  lagHours: Distribution;
}

export interface PlanChannel {
  index: number;
  id: string;
  label: string;
  weight: number;
  repDelivered: boolean;
  /** Face-to-face: counts against the rep's daily capacity and the one-a-day rule. */
  inPerson: boolean;
  /** Which of the HCP's reps delivers it; null for channels no rep delivers. */
  repRole: 'primary' | 'secondary' | null;
  /** This channel's weight multiplier per window month (its own seasonality, mean 1 over the calendar year). */
  monthFactors: number[];
  weekendShare: number;
  hours: { start: number; end: number };
  nrxLift: number;
  outcomes: PlanOutcome[];
}

export interface PlanCampaignType {
  name: string;
  weight: number;
  product: string;
  channels: string[];
  specialties: string[] | null;
  tiers: string[] | null;
  segments: string[] | null;
  durationMonths: Distribution;
}

export interface PlanProduct {
  id: string;
  name: string;
  volumeShare: number;
  /** Share multiplier per window month (1 throughout unless the product is a launch with uptake_months). */
  uptake: number[];
  /** 'YYYY-MM-DD' calendar launch day and last day on the market, when the scenario declares them. */
  launchDate?: string;
  exitDate?: string;
  /** Share 0..1 of each window month's days the product is on the market (src/steps/market.ts). */
  available: number[];
  /** Effective share of baseline TRx per window month: uptake x availability, plus share launches left. */
  monthShare: number[];
  /** Share of each window month's baseline NRx that are new to brand (NBRx). */
  nbrxShare: number[];
}

export interface PlanStep {
  order: number;
  table: TableName;
  description: string;
  expected: number;
}

/**
 * A fixture record left out of this run: its date is relative to --as-of and falls outside the run's window
 * (or it refers to a record that was left out for that reason). Absolute dates outside the window are errors.
 */
export interface SkippedFixture {
  /** The file, relative to the seed-data folder (as in PlanFixtures.files). */
  file: string;
  /** 1-based position of the value that puts the record outside the window. */
  line: number;
  col: number;
  /** JSON pointer of the record in its file: /campaigns/1, /hcps/0/stimuli/2, /hcps/2/rx/0. */
  pointer: string;
  kind: 'campaign' | 'stimulus' | 'rx';
  /** What was left out and why, e.g. 'stimulus dated -55d 10:15 (2025-11-06): outside the 1-month window ...'. */
  reason: string;
}

export interface PlanFixtures {
  /** sha256 over the applied fixture files (names and bytes); also hcpgen_runs.fixtures_hash. */
  hash: string;
  /** The applied files, relative to the seed-data folder, sorted. */
  files: string[];
  /** Exact row counts the fixtures add to each table. */
  rows: Record<TableName, number>;
  /**
   * In-person calls the fixtures list, per 'rep_id|YYYY-MM-DD': generated HCPs leave that much of the rep's
   * daily capacity free (src/steps/rep-schedule.ts).
   */
  reservedCalls?: Record<string, number>;
  /** Fixture records left out of this run (relative dates outside the window); absent when none. */
  skippedItems?: SkippedFixture[];
}

export interface Plan {
  planVersion: 1;
  generatorVersion: string;
  scenario: { name: string; file: string; hash: string; description?: string };
  params: RunParams;
  window: PlanWindow;
  products: PlanProduct[];
  population: {
    specialties: PlanSpecialty[];
    specialtyWeights: number[];
    credential: CategoricalPlan;
    regions: PlanRegion[];
    states: PlanState[];
    stateWeights: number[];
    prescribingVolume: Distribution;
    /** Nine ascending monthly-TRx thresholds: decile d holds volumes in [bounds[d-2], bounds[d-1]). */
    decileBounds: number[];
    tier: CategoricalPlan;
    segment: CategoricalPlan;
    emailDomains: string[];
  };
  territories: {
    /** Share of HCPs that also get a secondary rep (assignments_per_hcp - 1). */
    secondaryShare: number;
    primaryRole: string;
    secondaryRole: string;
    /** Most in-person calls a rep makes in one day. */
    dailyCapacity: number;
    /** Index of the channel an in-person call over capacity becomes; -1: such calls are dropped. */
    overCapacityChannel: number;
  };
  /** The target list (hcp_profiles.is_target): a rule over specialty, tier and segment (null lists = all). */
  targeting: {
    /** False when the scenario declares no target list: every HCP is a target. */
    declared: boolean;
    specialties: string[] | null;
    tiers: string[] | null;
    segments: string[] | null;
    repCallsToNonTargets: boolean;
  };
  /** US federal holidays (and observed days) inside the window, 'YYYY-MM-DD': no rep-delivered stimuli on them. */
  holidays: string[];
  channels: PlanChannel[];
  campaigns: { count: number; types: PlanCampaignType[] };
  stimuli: {
    perHcpMonth: number;
    dispersion: number;
    /**
     * Per tier, already divided by the population mean intensity (with the `intensity` factors), so the mean
     * multiplier is 1.
     */
    intensityByTier: Record<string, number>;
    /** More count multipliers by attribute (stimuli.intensity), applied on top of intensityByTier. */
    intensity: { by: TargetingAttribute; factors: Record<string, number> }[];
    /** Channel weight multipliers by attribute (stimuli.channel_mix): value -> channel id -> multiplier. */
    channelMix: { by: TargetingAttribute; cases: Record<string, Record<string, number>> }[];
    /** Allow more than one in-person call to an HCP on one day. */
    sameDayInPerson: boolean;
    /** One factor per window month (mean 1 over the window). */
    monthFactors: number[];
    maxPerHcpMonth: number;
  };
  prescribing: {
    nrxShare: number;
    /** Index in `products` of the product stimuli outside campaigns promote. */
    leadProduct: number;
    liftWeights: number[];
    monthFactors: number[];
  };
  engagement: {
    weights: { recency: number; frequency: number; response: number };
    recencyHalfLifeDays: number;
    frequencySaturation90d: number;
    responseSaturation: number;
    segments: { name: string; minScore: number }[];
  };
  steps: PlanStep[];
  expected: Record<TableName, number>;
  /** Standard deviation of each table's count around `expected` from sampling alone (0 = exact). */
  expectedSd: Record<TableName, number>;
  /** Seed-data fixtures loaded with this run (src/fixtures): their rows come on top of `expected`, exactly. */
  fixtures?: PlanFixtures;
  validation: {
    tolerances: Record<TableName, number>;
    /** Distribution checks skip runs with fewer HCPs (a check's own min_hcps wins). */
    distributionsMinHcps: number;
    checks: Check[];
    /** The scenario's adjustments of the derived checks (validation.derived), if any. */
    derived?: { sigmas?: number; checks?: Record<string, DerivedOverride> };
  };
}
