// Picks and opens the Target: --db, else DATABASE_URL, else the embedded PGlite database.
import path from 'node:path';
import { PgTarget } from './pg-target.js';
import { PgliteTarget } from './pglite-target.js';
import type { Target } from './target.js';
import { databaseUrl } from './target-choice.js';

export interface OpenTargetOptions {
  /** A postgres:// URL (the --db flag). Falls back to DATABASE_URL, then to the embedded database. */
  db?: string;
  /** Embedded data directory; default HCPGEN_DATA_DIR, else `<cwd>/.hcpgen/pglite`. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const fromEnv = env.HCPGEN_DATA_DIR;
  return fromEnv ? path.resolve(cwd, fromEnv) : path.join(cwd, '.hcpgen', 'pglite');
}

/** --db, else DATABASE_URL, else the embedded PGlite database. Connection problems become a UserError. */
export async function openTarget(options: OpenTargetOptions = {}): Promise<Target> {
  const env = options.env ?? process.env;
  const url = databaseUrl(options.db, env);
  if (url) return PgTarget.connect(url);
  return PgliteTarget.open(options.dataDir ?? defaultDataDir(env, options.cwd));
}
