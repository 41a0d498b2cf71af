// The names of hcpgen's tables, for code that needs no entity (the swap, the file output, the run log): importing
// the entities loads TypeORM.
import { DATA_TABLE_DEFS, HCPGEN_RUNS } from '../tables/tables.js';

/** The seven generated tables, parents before children (the order to create and load them in). */
export const DATA_TABLES: readonly string[] = DATA_TABLE_DEFS.map((t) => t.name);
export const RUNS_TABLE = HCPGEN_RUNS.name;
