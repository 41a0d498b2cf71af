// The shape of a benchmark result: what `hcpgen bench` prints and writes as JSON (bench-results/*.json). Every
// figure is measured in the same run on the same machine, so ratios compare like with like.
import type { Phase } from '../generate/run.js';
import type { TableName } from '../plan/types.js';

export interface BenchOptions {
  /** Default: the scenario's defaults.hcps. */
  hcps?: number | undefined;
  months?: number | undefined;
  scenario: string;
  seed?: number | undefined;
  asOf?: string | undefined;
  /** A PostgreSQL server URL (any database on it): the bench creates and drops its own database there. */
  db?: string | undefined;
  /**
   * Measure the file sinks instead of a database (`generate --out DIR --format ...` into a scratch directory,
   * then `validate --files`). Not together with `db`.
   */
  files?: 'parquet' | 'csv' | 'both' | undefined;
  /** Worker threads for generate; default one per core. */
  workers?: number | undefined;
  /** HCPs whose rows the naive baseline inserts; default min(hcps, 2000). */
  baselineHcps?: number | undefined;
  /**
   * Run generate's automatic validation (default true: it is part of the end-to-end time the targets judge).
   * With `files`, generate always runs without it and this says whether `validate --files` is measured after.
   */
  validate?: boolean;
  skipCeiling?: boolean;
  skipBaseline?: boolean;
  /** One-line progress notes (stderr in the command); default none. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface TableFigure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
  platform: string;
  node: string;
  /** `SHOW server_version` of the database benchmarked (the embedded one is PGlite's PostgreSQL). */
  serverVersion: string;
  pgliteVersion: string;
  /** 1, 5 and 15 minute load averages when the bench started and ended: other work on the machine shows here. */
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

/** One `hcpgen generate` run, as a child process of the bench. */
export interface GenerateFigures {
  /** Wall seconds from spawning `hcpgen generate` to its exit: what a person waits for. Ratios use this. */
  wallSeconds: number;
  /** generate()'s own total (plan to commit), without process start-up. */
  inProcessSeconds: number;
  rows: number;
  /** rows / wallSeconds */
  rowsPerSecond: number;
  /** Rows per table and the seconds its COPY statements took (generation overlaps them on worker threads). */
  tables: Record<TableName, TableFigure>;
  phases: Record<Phase, number>;
  /** The child's maxRSS (main thread and worker threads share the process). */
  peakRssBytes: number;
  cpuSeconds: number;
  validation: { passed: number; failed: number } | null;
}

export interface CeilingRun {
  tables: Record<TableName, TableFigure>;
  /** Seconds spent in COPY statements. */
  loadSeconds: number;
  /** Seconds adding keys and indexes after the load (0 when they were in place before it). */
  keysSeconds: number;
  /** BEGIN to COMMIT: create tables, (keys,) load, (keys,) commit. */
  seconds: number;
  rows: number;
  rowsPerSecond: number;
}

export interface CeilingFigures {
  /** Exporting the generated tables to CSV files (not part of the ceiling). */
  exportSeconds: number;
  csvBytes: number;
  /** COPY into empty tables that already have the same keys and indexes (the ceiling; targets use it). */
  indexesInPlace: CeilingRun;
  /** COPY into bare tables, then keys and indexes, as generate does it. */
  keysAfterLoad: CeilingRun;
}

export interface BaselineFigures {
  hcps: number;
  batchSize: number;
  tables: Record<TableName, TableFigure>;
  seconds: number;
  rows: number;
  rowsPerSecond: number;
}

export interface TargetCheck {
  id: string;
  description: string;
  /** The measured value, in `unit`. */
  measured: number;
  unit: string;
  /** The bound the target sets, e.g. ">= 0.70". */
  bound: string;
  met: boolean;
  /** False when the target is stated for another size or database kind: shown, but not judged. */
  applies: boolean;
  /** When it does not apply: why, e.g. "not judged: below 50,000 HCPs". */
  note?: string;
}

/** A child process of the bench: wall from spawn to exit, and its resource usage. */
export interface ProcessFigures {
  wallSeconds: number;
  /** The child's maxRSS (worker threads and DuckDB's threads share the process). */
  peakRssBytes: number;
  cpuSeconds: number;
}

/** One table of a file output: rows, files and bytes from its manifest, seconds from generate's own timing. */
export interface FileTableFigure extends TableFigure {
  /** Seconds spent writing its files (generation runs alongside on worker threads). */
  seconds: number;
  files: number;
  bytes: number;
}

/** One `hcpgen generate --out DIR --format F --no-validate` run, as a child process of the bench. */
export interface FileSinkFigures {
  format: 'parquet' | 'csv';
  rows: number;
  /** Spawn to exit: plan, rows, files, checksums, manifest, moving the files into place. */
  wallSeconds: number;
  /** generate's own total, without process start-up. */
  inProcessSeconds: number;
  /** rows / wallSeconds */
  rowsPerSecond: number;
  /** Sum of the data files' sizes as the manifest lists them (manifest, schema.sql, dictionary.md not counted). */
  bytes: number;
  /** bytes / wallSeconds */
  bytesPerSecond: number;
  /** Data files written. */
  files: number;
  /** Per table; its rows agree with both generate's counts and the manifest (the bench checks). */
  tables: Record<TableName, FileTableFigure>;
  phases: Record<Phase, number>;
  peakRssBytes: number;
  cpuSeconds: number;
}

/** `hcpgen validate --files DIR --json` on one of the outputs, as a child process. */
export interface ValidateFilesFigures extends ProcessFigures {
  format: 'parquet' | 'csv';
  /** Rows in the output it validated. */
  rows: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** `hcpgen bench --files`: the file sinks, measured in the same run. */
export interface FilesBenchFigures {
  /** Each format measured, parquet first. */
  formats: FileSinkFigures[];
  /** null with --no-validate. */
  validate: ValidateFilesFigures | null;
  /** A reference figure quoted from the issue for scale: not measured by the bench. */
  reference: string;
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  params: {
    scenario: string;
    hcps: number;
    months: number;
    seed: number;
    asOf: string;
    workers: number;
    validate: boolean;
  };
  /**
   * 'files': `--files`, the file sinks (see `files`); `generate` then holds the first format's run (parquet
   * when measured) in the shape of a database run, `embeddedFirstRun`, `ceiling` and `baseline` are null.
   */
  target: { kind: 'postgres' | 'pglite' | 'files'; description: string };
  machine: MachineInfo;
  /** How generate was measured (a child process, RSS from its resource usage). */
  method: string;
  /** The generate child ran the built CLI (bin/run.js, dist/) or the sources through tsx (slower start-up). */
  cli: 'built' | 'source';
  generate: GenerateFigures;
  /** Embedded only: the first run into a fresh data directory (initdb or template unpack included). */
  embeddedFirstRun: GenerateFigures | null;
  embeddedFirstRunInit: 'initdb' | 'template' | null;
  ceiling: CeilingFigures | null;
  baseline: BaselineFigures | null;
  /** Why a part was left out (flag, or not possible on this database kind). */
  skipped: { ceiling?: string; baseline?: string };
  ratios: {
    generateToCeiling: number | null;
    generateToCeilingKeysAfter: number | null;
    generateToBaseline: number | null;
  };
  targets: TargetCheck[];
  totalSeconds: number;
  /** Only with `--files`: the file sinks per format and `validate --files`. */
  files?: FilesBenchFigures;
}
