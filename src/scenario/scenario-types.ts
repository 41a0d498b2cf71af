/* Generated from schemas/scenario.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * A distribution check the validator enforces.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "check".
 */
export type Check =
  | CheckShare
  | CheckChannelMix
  | CheckOutcomeRate
  | CheckStimuliPerHcp
  | CheckWeekendShare
  | CheckTopPrescriberShare
  | CheckDecileVolumeShare
  | CheckEngagementRxLift
  | CheckMonthShare
  | CheckOutcomeLagHours;
/**
 * A number, or a formula over the run's parameters (hcps, months), e.g. "min(500, round(30 + hcps / 100))". Parsed by a safe expression parser: arithmetic, comparisons, a ? b : c, and min max round floor ceil abs sqrt log exp pow clamp.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "formula".
 */
export type Formula = number | string;
/**
 * A numeric distribution with parameters and optional bounds.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "distribution".
 */
export type Distribution =
  | DistributionConstant
  | DistributionUniform
  | DistributionNormal
  | DistributionLognormal
  | DistributionPoisson
  | DistributionNegativeBinomial
  | DistributionGamma
  | DistributionPareto
  | DistributionWeighted;

/**
 * An hcpgen scenario: everything that shapes the generated data. Point editors at it with `# yaml-language-server: $schema=../schemas/scenario.schema.json`.
 */
export interface Scenario {
  /**
   * Path or URL of this schema, for editors.
   */
  $schema?: string;
  name: string;
  description?: string;
  /**
   * Run parameters used when the command line does not give them (a study's natural size and window).
   */
  defaults?: {
    hcps?: number;
    months?: number;
  };
  /**
   * Products whose prescribing is tracked; rx_history has one row per HCP, month and product.
   *
   * @minItems 1
   */
  products: [Product, ...Product[]];
  population: {
    /**
     * @minItems 1
     */
    specialties: [Specialty, ...Specialty[]];
    credential: Categorical;
    /**
     * Sales regions grouping states; state weights are shares of HCPs.
     *
     * @minItems 1
     */
    regions: [Region, ...Region[]];
    /**
     * Baseline monthly TRx per HCP before the specialty multiplier. Deciles are equal-volume groups of this.
     */
    prescribing_volume:
      | DistributionConstant
      | DistributionUniform
      | DistributionNormal
      | DistributionLognormal
      | DistributionPoisson
      | DistributionNegativeBinomial
      | DistributionGamma
      | DistributionPareto
      | DistributionWeighted;
    tier: Categorical1;
    segment: Categorical1;
    /**
     * Domains for practice e-mail addresses.
     *
     * @minItems 1
     */
    email_domains: [string, ...string[]];
  };
  territories: {
    /**
     * Reps (one territory each) in a region; variables: hcps, months, region_hcps (expected HCPs in that region).
     */
    reps_per_region: number | string;
    /**
     * Reps of the secondary role (e.g. key account managers, MSLs) in a region, a team of its own; variables as for reps_per_region. Default: reps_per_region.
     */
    secondary_reps_per_region?: number | string;
    /**
     * Mean territory assignments per HCP (1 = primary rep only; 1.25 = a quarter also get a secondary rep).
     */
    assignments_per_hcp: number | string;
    primary_role: string;
    secondary_role: string;
  };
  /**
   * @minItems 1
   */
  channels: [Channel, ...Channel[]];
  campaigns: {
    /**
     * Number of campaigns.
     */
    count: number | string;
    /**
     * @minItems 1
     */
    types: [CampaignType, ...CampaignType[]];
  };
  stimuli: {
    /**
     * Mean stimuli per HCP per month over the population.
     */
    per_hcp_month: number | string;
    /**
     * Negative binomial dispersion of the per-HCP-month count (smaller = more uneven).
     */
    dispersion: number;
    intensity_by_tier: Weights2;
    /**
     * Relative activity per calendar month ("1".."12"); missing months are 1.
     */
    seasonality?: {
      [k: string]: number;
    };
    /**
     * Hard cap per HCP-month.
     */
    max_per_hcp_month?: number;
  };
  prescribing: {
    /**
     * Share of baseline TRx that are new prescriptions (the rest are refills).
     */
    nrx_share: number;
    /**
     * Months over which a stimulus's NRx lift is spread (geometrically decaying).
     */
    lift_months: number;
    /**
     * Month-over-month decay of the lift (0.7 = each month 70% of the previous).
     */
    lift_decay: number;
    seasonality?: {
      [k: string]: number;
    };
  };
  engagement: {
    weights: {
      recency: number;
      frequency: number;
      response: number;
    };
    recency_half_life_days: number;
    /**
     * Stimuli in the last 90 days that give a full frequency score.
     */
    frequency_saturation_90d: number;
    /**
     * Engagement segments from highest min_score down.
     *
     * @minItems 1
     */
    segments: [SegmentThreshold, ...SegmentThreshold[]];
    /**
     * Response rate that earns the full response score.
     */
    response_saturation: number;
  };
  validation: {
    /**
     * Default relative tolerance of each table's count against the plan.
     */
    volume_tolerance: number;
    table_tolerances?: {
      [k: string]: number;
    };
    /**
     * @minItems 0
     */
    checks: Check[];
    /**
     * Distribution checks need a sample large enough for their ranges: below this many HCPs they report SKIP instead of failing on sampling noise. Default 0.
     */
    distributions_min_hcps?: number;
  };
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "product".
 */
export interface Product {
  id: string;
  name: string;
  /**
   * Share of the HCP's monthly TRx baseline written for this product.
   */
  volume_share: number;
  /**
   * A launch: the product's share ramps up linearly from the window's first month and reaches volume_share after this many months.
   */
  uptake_months?: number;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "specialty".
 */
export interface Specialty {
  /**
   * NUCC health care provider taxonomy code, e.g. 207RC0000X.
   */
  code: string;
  name: string;
  /**
   * Relative share of HCPs (e.g. active physician counts).
   */
  weight: number;
  /**
   * Multiplies the prescribing volume distribution for this specialty (default 1).
   */
  trx_multiplier?: number;
}
/**
 * MD, DO, NP, PA... usually conditional on specialty.
 */
export interface Categorical {
  /**
   * Attribute whose value selects the weights (conditional weights). Must be generated before this one: specialty, credential, region, state, decile, tier, segment.
   */
  by?: 'specialty' | 'credential' | 'region' | 'state' | 'decile' | 'tier';
  weights: Weights;
  /**
   * Weights per value of the `by` attribute (specialty code, decile number, tier name...).
   */
  cases?: {
    [k: string]: Weights1;
  };
}
/**
 * Unconditional weights, or the default when `by` is set and no case matches.
 */
export interface Weights {
  [k: string]: number;
}
/**
 * Relative weights by name (they need not sum to 1).
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "weights".
 */
export interface Weights1 {
  [k: string]: number;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "region".
 */
export interface Region {
  name: string;
  /**
   * Short code used in territory ids.
   */
  code: string;
  /**
   * @minItems 1
   */
  states: [State, ...State[]];
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "state".
 */
export interface State {
  code: string;
  name?: string;
  weight: number;
  /**
   * @minItems 1
   */
  cities: [City, ...City[]];
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "city".
 */
export interface City {
  name: string;
  /**
   * First three ZIP digits of this city.
   */
  zip3: string;
  weight?: number;
}
/**
 * Always the same value.
 */
export interface DistributionConstant {
  type: 'constant';
  value: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Uniform between min and max.
 */
export interface DistributionUniform {
  type: 'uniform';
  /**
   * Clamp samples to at least this.
   */
  min: number;
  /**
   * Clamp samples to at most this.
   */
  max: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Normal (Gaussian).
 */
export interface DistributionNormal {
  type: 'normal';
  mean: number;
  sd: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Log-normal: exp(Normal(mu, sigma)). Heavy-tailed.
 */
export interface DistributionLognormal {
  type: 'lognormal';
  mu: number;
  sigma: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Poisson counts.
 */
export interface DistributionPoisson {
  type: 'poisson';
  mean: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Over-dispersed counts: variance = mean + mean^2 / dispersion.
 */
export interface DistributionNegativeBinomial {
  type: 'negative_binomial';
  mean: number;
  dispersion: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Gamma.
 */
export interface DistributionGamma {
  type: 'gamma';
  shape: number;
  scale: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Pareto (power law) from xm up.
 */
export interface DistributionPareto {
  type: 'pareto';
  xm: number;
  alpha: number;
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * Weighted choice among numbers.
 */
export interface DistributionWeighted {
  type: 'weighted';
  /**
   * @minItems 1
   */
  values: [
    {
      value: number;
      weight: number;
    },
    ...{
      value: number;
      weight: number;
    }[],
  ];
  /**
   * Clamp samples to at least this.
   */
  min?: number;
  /**
   * Clamp samples to at most this.
   */
  max?: number;
  /**
   * Return whole numbers: true rounds to nearest, 'floor' truncates.
   */
  round?: boolean | 'floor';
}
/**
 * A weighted categorical attribute, optionally conditional on an earlier attribute.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "categorical".
 */
export interface Categorical1 {
  /**
   * Attribute whose value selects the weights (conditional weights). Must be generated before this one: specialty, credential, region, state, decile, tier, segment.
   */
  by?: 'specialty' | 'credential' | 'region' | 'state' | 'decile' | 'tier';
  weights: Weights;
  /**
   * Weights per value of the `by` attribute (specialty code, decile number, tier name...).
   */
  cases?: {
    [k: string]: Weights1;
  };
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "channel".
 */
export interface Channel {
  /**
   * A lower_snake_case identifier.
   */
  id: string;
  label: string;
  /**
   * Share of stimuli on this channel.
   */
  weight: number;
  /**
   * Delivered by the HCP's territory rep (stimuli carry rep_id).
   */
  rep_delivered?: boolean;
  /**
   * Share of this channel's stimuli that fall on Saturday or Sunday.
   */
  weekend_share: number;
  /**
   * Local business hours in which stimuli happen.
   */
  hours: {
    start: number;
    end: number;
  };
  /**
   * Possible responses, from shallowest to deepest.
   *
   * @minItems 0
   */
  outcomes: Outcome[];
  /**
   * Extra NRx written per stimulus on this channel, spread over prescribing.lift_months.
   */
  nrx_lift?: number;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "outcome".
 */
export interface Outcome {
  /**
   * A lower_snake_case identifier.
   */
  type: string;
  /**
   * Share of this channel's stimuli whose deepest response is this outcome. Outcome rates of a channel add up to at most 1.
   */
  rate: number;
  /**
   * Hours from stimulus to outcome. Outcomes that would fall after --as-of are not observed.
   */
  lag_hours:
    | DistributionConstant
    | DistributionUniform
    | DistributionNormal
    | DistributionLognormal
    | DistributionPoisson
    | DistributionNegativeBinomial
    | DistributionGamma
    | DistributionPareto
    | DistributionWeighted;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "campaign_type".
 */
export interface CampaignType {
  name: string;
  weight: number;
  /**
   * Product id promoted (default: the first product).
   */
  product?: string;
  /**
   * Channel ids this campaign uses.
   *
   * @minItems 1
   */
  channels: [string, ...string[]];
  targeting?: Targeting;
  /**
   * Active window length in months.
   */
  duration_months:
    | DistributionConstant
    | DistributionUniform
    | DistributionNormal
    | DistributionLognormal
    | DistributionPoisson
    | DistributionNegativeBinomial
    | DistributionGamma
    | DistributionPareto
    | DistributionWeighted;
}
/**
 * Which HCPs a campaign may reach.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "targeting".
 */
export interface Targeting {
  /**
   * Taxonomy codes; omitted = all.
   *
   * @minItems 1
   */
  specialties?: [string, ...string[]];
  /**
   * Tier names; omitted = all.
   *
   * @minItems 1
   */
  tiers?: [string, ...string[]];
  /**
   * Segment names; omitted = all.
   *
   * @minItems 1
   */
  segments?: [string, ...string[]];
}
/**
 * Relative weights by name (they need not sum to 1).
 */
export interface Weights2 {
  [k: string]: number;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "segment_threshold".
 */
export interface SegmentThreshold {
  name: string;
  min_score: number;
}
/**
 * Share of HCPs per attribute value.
 */
export interface CheckShare {
  kind: 'share';
  name?: string;
  column: 'tier' | 'segment' | 'specialty' | 'taxonomy_code' | 'credential' | 'region' | 'state' | 'decile';
  /**
   * Share of hcp_profiles (0..1) per value.
   */
  expected: {
    [k: string]: Range;
  };
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "range".
 */
export interface Range {
  min?: number;
  max?: number;
}
/**
 * Share of stimuli per channel.
 */
export interface CheckChannelMix {
  kind: 'channel_mix';
  name?: string;
  expected: {
    [k: string]: Range;
  };
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Share of a channel's stimuli that got a response (of the given types).
 */
export interface CheckOutcomeRate {
  kind: 'outcome_rate';
  name?: string;
  channel: string;
  /**
   * Which outcome types count (default: all of the channel).
   *
   * @minItems 1
   */
  outcome_types?: [string, ...string[]];
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Mean stimuli per HCP per month.
 */
export interface CheckStimuliPerHcp {
  kind: 'stimuli_per_hcp';
  name?: string;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Share of stimuli on Saturday or Sunday.
 */
export interface CheckWeekendShare {
  kind: 'weekend_share';
  name?: string;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Share of all TRx written by the top `top` share of prescribers.
 */
export interface CheckTopPrescriberShare {
  kind: 'top_prescriber_share';
  name?: string;
  top: number;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Each decile's share of TRx (equal-volume deciles: each about 0.1).
 */
export interface CheckDecileVolumeShare {
  kind: 'decile_volume_share';
  name?: string;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Mean NRx per month of engaged HCPs divided by that of comparable unengaged ones (same decile); > 1 means engagement lifts Rx.
 */
export interface CheckEngagementRxLift {
  kind: 'engagement_rx_lift';
  name?: string;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Stimuli in a calendar month relative to the average month (seasonality).
 */
export interface CheckMonthShare {
  kind: 'month_share';
  name?: string;
  month: number;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * Median hours from stimulus to outcome.
 */
export interface CheckOutcomeLagHours {
  kind: 'outcome_lag_hours';
  name?: string;
  expected: Range;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
