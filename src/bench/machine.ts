// What the numbers were measured on: CPU, memory, Node, the database server and PGlite versions, and the load
// average (other work on the machine slows a benchmark down, and the reader should know).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { MachineInfo } from './types.js';

/** The installed @electric-sql/pglite version (its package.json is not exported, so it is found on disk). */
export function pgliteVersion(): string {
  return packageVersion('@electric-sql/pglite');
}

/** The installed @duckdb/node-api version: DuckDB writes the Parquet files and validates a file output. */
export function duckdbVersion(): string {
  return packageVersion('@duckdb/node-api');
}

function packageVersion(name: string): string {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(name));
    for (let i = 0; i < 5; i++) {
      const file = path.join(dir, 'package.json');
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) return pkg.version;
      } catch {
        // no package.json at this level: go up
      }
      dir = path.dirname(dir);
    }
  } catch {
    // not resolvable: reported as unknown
  }
  return 'unknown';
}

export function loadAverage(): number[] {
  return os.loadavg().map((n) => Math.round(n * 100) / 100);
}

export function describeMachine(serverVersion: string, loadAverageStart: number[]): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    serverVersion,
    pgliteVersion: pgliteVersion(),
    loadAverageStart,
    loadAverageEnd: loadAverage(),
  };
}
