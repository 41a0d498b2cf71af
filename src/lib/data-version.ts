// The version of the generated values. The same scenario, seed and flags give the same rows for as long as this
// number stays the same; a change that alters any generated value (a draw added or moved, a distribution, a
// formula) bumps it, regenerates the golden files (`npm run golden:update`) and says what changed in the
// CHANGELOG. Recorded in hcpgen_runs.data_version and in every file manifest (`dataVersion`).
export const DATA_VERSION = 2;
