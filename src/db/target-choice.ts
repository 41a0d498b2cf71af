// Which database a run writes to, decided before anything is opened (and without loading either driver): what
// openTarget() connects to, and what the default worker count depends on.
import os from 'node:os';

/** The PostgreSQL URL a run uses: --db, else DATABASE_URL; undefined means the embedded database. */
export function databaseUrl(
  db: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return db || env.DATABASE_URL || undefined;
}

/**
 * Worker threads a run gets unless told: one per core for a PostgreSQL server or a file output, one fewer for the
 * embedded database, whose work (PGlite, PostgreSQL in WASM: its start, COPY, keys, validation) is all on the main
 * thread. On 2 cores, 2 workers took that core from it: the default 2,000-HCP run took 3.0-3.2 s warm and 3.85 s
 * first, against 2.7-2.9 s and 3.3-3.5 s with one worker; 20,000 HCPs 8.7 against 8.5 s.
 */
export function defaultWorkers(
  where: { db?: string | undefined; out?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): number {
  const cores = os.availableParallelism();
  const embedded = where.out === undefined && databaseUrl(where.db, env) === undefined;
  return embedded ? Math.max(1, cores - 1) : cores;
}
