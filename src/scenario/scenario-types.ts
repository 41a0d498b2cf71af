/* Generated from schemas/scenario.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * HCP attribute a targeting multiplier depends on (target: 'true' or 'false', from the targeting rule).
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "targeting_by".
 */
export type TargetingBy =
  'specialty' | 'credential' | 'region' | 'state' | 'decile' | 'tier' | 'segment' | 'target';
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
 * off, or an object: sigmas (a wider or narrower tolerance), or min/max (a business range instead of the model's tolerance).
 *
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "derivedOverride".
 */
export type DerivedOverride =
  | 'off'
  | {
      /**
       * Standard deviations for this check.
       */
      sigmas?: number;
      /**
       * Lowest acceptable value.
       */
      min?: number;
      /**
       * Highest acceptable value.
       */
      max?: number;
    };
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
  /**
   * The scenario name (recorded in hcpgen_runs.scenario_name and in manifests); by convention the file name without .yaml.
   */
  name: string;
  /**
   * One line on the study: brand, audience and window. Shown by plan and in reports.
   */
  description?: string;
  /**
   * Run parameters used when the command line does not give them (a study's natural size and window).
   */
  defaults?: {
    /**
     * HCP profiles a run generates when --hcps is not given (count).
     */
    hcps?: number;
    /**
     * Window length in months when --months is not given.
     */
    months?: number;
  };
  /**
   * Products whose prescribing is tracked; rx_history has one row per HCP, month and product.
   *
   * @minItems 1
   */
  products: [Product, ...Product[]];
  /**
   * Who the HCPs are: specialties, credentials, prescribing volume, tier, segment, geography and e-mail domains.
   */
  population: {
    /**
     * The specialties HCPs are drawn from, by NUCC taxonomy code, each with a relative weight and an Rx multiplier. At least one.
     *
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
  /**
   * The brand's target list (hcp_profiles.is_target). Without it every HCP is a target.
   */
  targeting?: {
    target: Targeting;
    /**
     * Whether non-targets get rep-delivered stimuli; when false their stimuli go to the other channels. Default false.
     */
    rep_calls_to_non_targets?: boolean;
  };
  /**
   * The field force: reps per region (formulas), assignments per HCP, role names and daily call capacity.
   */
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
    /**
     * Role name of the primary reps (territory_assignments.role), who deliver the rep channels by default.
     */
    primary_role: string;
    /**
     * Role name of the secondary reps (e.g. key account managers or MSLs).
     */
    secondary_role: string;
    /**
     * Most in-person calls one rep makes in a day (field reps: about 6-10). Calls beyond it become over_capacity_channel calls. Default 8.
     */
    daily_capacity?: number;
    /**
     * Rep-delivered, not in-person channel an in-person call becomes when its rep is fully booked that day (same rep, same time; its hours must cover the in-person channels'). Default: the first such channel; with none, the call is dropped.
     */
    over_capacity_channel?: string;
  };
  /**
   * The CRM channel vocabulary: each channel with its weight, rep delivery, hours, NRx lift and outcomes. At least one.
   *
   * @minItems 1
   */
  channels: [Channel, ...Channel[]];
  /**
   * How many campaigns a run has (a formula of hcps) and of which types.
   */
  campaigns: {
    /**
     * Number of campaigns.
     */
    count: number | string;
    /**
     * The kinds of campaign, drawn by weight for each campaign. At least one.
     *
     * @minItems 1
     */
    types: [CampaignType, ...CampaignType[]];
  };
  /**
   * Contact intensity: stimuli per HCP-month and how it varies by tier, targeting attributes and month.
   */
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
    /**
     * More multipliers of an HCP's stimulus count, each by one attribute (factors per value, missing values 1); with intensity_by_tier, normalised so the population mean stays per_hcp_month.
     */
    intensity?: {
      by: TargetingBy;
      /**
       * Multiplier per value of the attribute (specialty code, tier, segment, 'true' / 'false' for target); values not listed are 1.
       */
      factors: {
        [k: string]: number;
      };
    }[];
    /**
     * Channel weight multipliers by one attribute: cases maps a value (specialty code, tier, segment, 'true'/'false' for target) to {channel id: multiplier}; an HCP's weights are the channels' weights times every matching multiplier.
     */
    channel_mix?: {
      by: TargetingBy;
      /**
       * Per value of the attribute: channel id -> weight multiplier (channels not listed are 1).
       */
      cases: {
        [k: string]: {
          [k: string]: number;
        };
      };
    }[];
    /**
     * Allow two in-person calls (by any rep) to one HCP on one day. Default false.
     */
    same_day_in_person?: boolean;
  };
  /**
   * Rx history: NRx share, the lift promotion adds and how it decays, monthly seasonality.
   */
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
    /**
     * Share of an established product's baseline NRx that are new to brand (NBRx); a product's own nbrx_share wins. Default 0.4.
     */
    nbrx_share?: number;
    /**
     * Product id that stimuli outside any campaign promote (their NRx lift goes to it), and the default product of campaign types. Default: the first product.
     */
    lead_product?: string;
    /**
     * Monthly Rx factors by calendar month ("1".."12" to a multiplier, 1 = no effect; unlisted months are 1).
     */
    seasonality?: {
      [k: string]: number;
    };
  };
  /**
   * How engagement scores (0-100) and segments are computed from recency, frequency and response.
   */
  engagement: {
    /**
     * Weights of the three score components (non-negative; normalised to sum to 1).
     */
    weights: {
      /**
       * Weight of recency (days since the last stimulus, with a half-life decay).
       */
      recency: number;
      /**
       * Weight of frequency (stimuli in the last 90 days against the saturation level).
       */
      frequency: number;
      /**
       * Weight of the response rate (outcomes per stimulus against the saturation level).
       */
      response: number;
    };
    /**
     * Days after which the recency component has halved (days, > 0).
     */
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
  /**
   * Optional. Every run is checked against what the scenario's model implies (the derived checks, named model.*: mixes, rates, seasonality, lags, Rx shares, engagement segments), with tolerances from sampling noise at the run's size. This block adds business ranges (checks), row-count tolerances, and adjusts derived checks by name (derived).
   */
  validation?: {
    /**
     * Default relative tolerance of each table's count against the plan (0.05 = within 5%; the sampling noise of the run's size is always allowed). Default: 0 for tables whose count the plan fixes exactly, 0.05 for the others.
     */
    volume_tolerance?: number;
    /**
     * Per table, the relative tolerance of the row-count check (0 = exact, 0.08 = within 8%); tables not listed use volume_tolerance.
     */
    table_tolerances?: {
      [k: string]: number;
    };
    /**
     * Business-range checks on the generated data (each a kind, a name and an expected range).
     *
     * @minItems 0
     */
    checks?: Check[];
    /**
     * Distribution checks need a sample large enough for their ranges: below this many HCPs they report SKIP instead of failing on sampling noise. Default 0.
     */
    distributions_min_hcps?: number;
    /**
     * Adjusts the derived checks (model.*). By default each compares the data with the model within k standard deviations of sampling noise, k chosen so that a correct run fails any derived check with probability at most 0.1% (never below 4); runs of fewer than 500 HCPs skip them.
     */
    derived?: {
      /**
       * Standard deviations of every derived tolerance, instead of the automatic choice (>= 4, from the number of comparisons).
       */
      sigmas?: number;
      /**
       * Per derived check, by name: a family (model.stimuli.channel), one value of it (model.stimuli.channel.email), or a prefix ending in * (model.rx_history.*). The value is off, or an object with sigmas, or a business range (min and/or max) that replaces the model's tolerance. The most specific name wins.
       */
      checks?: {
        [k: string]: DerivedOverride;
      };
    };
  };
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "product".
 */
export interface Product {
  /**
   * Product id as written to rx_history.product_id (upper-case letters, digits, dashes).
   */
  id: string;
  /**
   * Display name of the product (brand and strength).
   */
  name: string;
  /**
   * Share of the HCP's monthly TRx baseline written for this product.
   */
  volume_share: number;
  /**
   * A launch: the product's share ramps up linearly and reaches volume_share after this many months, counted from launch_date when it is given (calendar time, whatever --months or --as-of), else from the window's first month.
   */
  uptake_months?: number;
  /**
   * Calendar day the product launches (YYYY-MM-DD): no Rx before it; the launch month counts only the days from it; uptake_months ramps from it.
   */
  launch_date?: string;
  /**
   * Last calendar day the product is prescribed (withdrawal or loss of exclusivity to generics, YYYY-MM-DD): no Rx after it.
   */
  exit_date?: string;
  /**
   * Product ids in the market basket this launch takes its share from: while it ramps up (or before launch_date), the share it has not reached yet stays with these products, in proportion to their volume_share, so the basket's total volume is unchanged. Without it the launch grows the market.
   */
  takes_share_from?: string[];
  /**
   * Share of the product's baseline NRx that are new to brand (NBRx: new starts, switches, add-ons) once it is established; default prescribing.nbrx_share. During a launch ramp the share rises towards 1 (almost every patient is new to a new brand), and NRx from the engagement lift are new to brand.
   */
  nbrx_share?: number;
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
  /**
   * Specialty name as written to hcp_profiles.specialty.
   */
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
  /**
   * Region name as written to hcp_profiles.region (territories are per region).
   */
  name: string;
  /**
   * Short code used in territory ids.
   */
  code: string;
  /**
   * The states of the region. At least one.
   *
   * @minItems 1
   */
  states: [State, ...State[]];
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "state".
 */
export interface State {
  /**
   * Two-letter USPS state code (hcp_profiles.state).
   */
  code: string;
  /**
   * Full state name (for reports); default: the code.
   */
  name?: string;
  /**
   * Relative share of the region's HCPs in this state (any non-negative number; shares are normalised).
   */
  weight: number;
  /**
   * The cities HCPs of this state practise in. At least one.
   *
   * @minItems 1
   */
  cities: [City, ...City[]];
  /**
   * IANA time zone of the state's HCPs (hcp_profiles.time_zone). Default: the state's majority zone for US states, e.g. America/Chicago for TX.
   */
  time_zone?: string;
}
/**
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "city".
 */
export interface City {
  /**
   * City name (hcp_profiles.city).
   */
  name: string;
  /**
   * First three ZIP digits of this city.
   */
  zip3: string;
  /**
   * Relative share of the state's HCPs in this city; default 1.
   */
  weight?: number;
  /**
   * IANA time zone of this city's HCPs, where it differs from its state's (a state split between zones: Knoxville, TN is Eastern while Tennessee's default is Central). Default: the state's zone.
   */
  time_zone?: string;
}
/**
 * Always the same value.
 */
export interface DistributionConstant {
  type: 'constant';
  /**
   * The value every sample takes.
   */
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
  /**
   * Mean of the normal distribution, in the unit of the quantity.
   */
  mean: number;
  /**
   * Standard deviation, in the unit of the quantity.
   */
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
  /**
   * Mean of the logarithm of the value (a median of e^mu).
   */
  mu: number;
  /**
   * Standard deviation of the logarithm of the value (spread; >= 0).
   */
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
  /**
   * Mean count (lambda) per draw.
   */
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
  /**
   * Mean count per draw; the variance is mean + mean^2 / dispersion.
   */
  mean: number;
  /**
   * Negative-binomial shape r: smaller means more overdispersed counts (the variance is mean + mean^2 / dispersion).
   */
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
  /**
   * Gamma shape k (dimensionless).
   */
  shape: number;
  /**
   * Gamma scale theta, in the unit of the quantity (mean = shape x scale).
   */
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
  /**
   * Pareto minimum x_m, in the unit of the quantity: no sample is below it.
   */
  xm: number;
  /**
   * Pareto tail index: smaller means a heavier tail (alpha > 1 for a finite mean).
   */
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
   * The values and their relative weights; at least one weight must be above zero.
   *
   * @minItems 1
   */
  values: [
    {
      /**
       * One value the distribution can return.
       */
      value: number;
      /**
       * Its relative weight (non-negative; normalised over all values).
       */
      weight: number;
    },
    ...{
      /**
       * One value the distribution can return.
       */
      value: number;
      /**
       * Its relative weight (non-negative; normalised over all values).
       */
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
 * Which HCPs a campaign may reach.
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
 * This interface was referenced by `Scenario`'s JSON-Schema
 * via the `definition` "channel".
 */
export interface Channel {
  /**
   * A lower_snake_case identifier.
   */
  id: string;
  /**
   * Human-readable channel name (reports).
   */
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
    /**
     * First hour of the day (local time, 0-23) at which the channel's stimuli happen.
     */
    start: number;
    /**
     * Hour at which the window ends (local time, exclusive, 1-24); must be after start.
     */
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
  /**
   * A face-to-face call (needs rep_delivered): counts against the rep's territories.daily_capacity, and an HCP gets at most one in-person call a day unless stimuli.same_day_in_person. Default false.
   */
  in_person?: boolean;
  /**
   * Which of the HCP's reps delivers it (rep_delivered channels): the primary role's rep, or the secondary role's (e.g. MSL visits); HCPs without a rep of that role get none of this channel. Default primary.
   */
  rep_role?: 'primary' | 'secondary';
  /**
   * This channel's relative activity per calendar month ("1".."12", e.g. congress months for speaker programs); it moves the channel's share between months, not the monthly totals. Missing months are 1.
   */
  seasonality?: {
    [k: string]: number;
  };
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
  /**
   * Campaign type name; campaigns are named after it (campaigns.name).
   */
  name: string;
  /**
   * Relative share of campaigns of this type (non-negative).
   */
  weight: number;
  /**
   * Product id promoted: the NRx lift of the campaign's stimuli goes to it (default: prescribing.lead_product, else the first product).
   */
  product?: string;
  /**
   * Channel ids this campaign uses.
   *
   * @minItems 1
   */
  channels: [string, ...string[]];
  targeting?: Targeting1;
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
export interface Targeting1 {
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
  /**
   * Engagement segment name (engagement_scores.segment).
   */
  name: string;
  /**
   * Lowest score (0-100) in this segment.
   */
  min_score: number;
}
/**
 * Share of HCPs per attribute value.
 */
export interface CheckShare {
  kind: 'share';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  /**
   * The hcp_profiles attribute whose mix is checked.
   */
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
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Share of stimuli per channel.
 */
export interface CheckChannelMix {
  kind: 'channel_mix';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  /**
   * Share of stimuli (0..1) per channel id.
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
 * Share of a channel's stimuli that got a response (of the given types).
 */
export interface CheckOutcomeRate {
  kind: 'outcome_rate';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  /**
   * The channel id whose outcome rate is checked.
   */
  channel: string;
  /**
   * Which outcome types count (default: all of the channel).
   *
   * @minItems 1
   */
  outcome_types?: [string, ...string[]];
  expected: Range1;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range1 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Mean stimuli per HCP per month.
 */
export interface CheckStimuliPerHcp {
  kind: 'stimuli_per_hcp';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  expected: Range2;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range2 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Share of stimuli on Saturday or Sunday.
 */
export interface CheckWeekendShare {
  kind: 'weekend_share';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  expected: Range3;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range3 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Share of all TRx written by the top `top` share of prescribers.
 */
export interface CheckTopPrescriberShare {
  kind: 'top_prescriber_share';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  /**
   * The top share of prescribers by volume (0..1, e.g. 0.2 for the top 20%).
   */
  top: number;
  expected: Range4;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range4 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Each decile's share of TRx (equal-volume deciles: each about 0.1).
 */
export interface CheckDecileVolumeShare {
  kind: 'decile_volume_share';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  expected: Range5;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range5 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Mean NRx per month of engaged HCPs divided by that of comparable unengaged ones (same decile); > 1 means engagement lifts Rx.
 */
export interface CheckEngagementRxLift {
  kind: 'engagement_rx_lift';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  expected: Range6;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range6 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Stimuli in a calendar month relative to the average month (seasonality).
 */
export interface CheckMonthShare {
  kind: 'month_share';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  /**
   * Calendar month (1-12) whose share of stimuli is checked.
   */
  month: number;
  expected: Range7;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range7 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
/**
 * Median hours from stimulus to outcome.
 */
export interface CheckOutcomeLagHours {
  kind: 'outcome_lag_hours';
  /**
   * What the check is called in reports (unique among the checks).
   */
  name?: string;
  expected: Range8;
  /**
   * Check only runs with at least this many HCPs (smaller runs report SKIP); default: validation.distributions_min_hcps.
   */
  min_hcps?: number;
}
/**
 * An inclusive range; either end may be omitted.
 */
export interface Range8 {
  /**
   * Lowest acceptable value (inclusive), in the unit of the checked quantity.
   */
  min?: number;
  /**
   * Highest acceptable value (inclusive), in the unit of the checked quantity.
   */
  max?: number;
}
