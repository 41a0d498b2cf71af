// How many HCPs the derived checks' data side reads: a module of its own, so the generator's workers can
// state that data (src/validation/stated/model-data.ts) without loading the model families.
/**
 * The data side reads at most this many generated HCPs (ids 1..DATA_HCPS): with the reference's
 * SIMULATED_HCPS, more would narrow a tolerance by a few per cent at the cost of full scans of the event
 * tables. Their rows are found by id range (ids start with the HCP's: STIMULUS_ID_BASE), which the primary keys
 * serve.
 */
export const DATA_HCPS = 20_000;
