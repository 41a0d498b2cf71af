// Run-parameter defaults and limits, shared by the CLI flags and the scenario layer.

/** The largest --hcps: ids stay well inside int4, stimulus ids (hcp_id * 10000 + j) inside 2^53. */
export const MAX_HCPS = 10_000_000;
/** The longest window: stimulus ids leave room for months x max stimuli per HCP-month below 10,000. */
export const MAX_MONTHS = 60;
export const DEFAULT_HCPS = 2000;
export const DEFAULT_MONTHS = 12;
/** Fixed so that the same flags give the same data on any day; recorded with every run. */
export const DEFAULT_AS_OF = '2025-12-31';
export const DEFAULT_SEED = 42;
