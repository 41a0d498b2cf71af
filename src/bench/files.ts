// `hcpgen bench --files parquet|csv|both`: the file sinks. For each format, the real `hcpgen generate --out DIR
// --format F --no-validate` runs as a child process into a new directory under a scratch temp folder (the
// targets are for writing, so generate's own validation stays out of its time); then `hcpgen validate --files
// DIR` runs as a child process on one output (parquet when measured) and is timed on its own. Each output is
// deleted as soon as it has been measured (a 1M-HCP CSV output is large), the scratch folder at the end, also on
// failure or Ctrl-C.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../files/manifest-read.js';
import { TABLES, type TableName } from '../plan/types.js';
import { runGenerate, runValidateFiles, type GenerateRun } from './run-generate.js';
import { createScratchFiles } from './scratch.js';
import type {
  FileSinkFigures,
  FileTableFigure,
  FilesBenchFigures,
  GenerateFigures,
  ValidateFilesFigures,
} from './types.js';

export type FileFormat = 'parquet' | 'csv';

/** Quoted from the issue for scale; the bench does not run dbgen. */
export const FILES_REFERENCE =
  'TPC-H dbgen -O2 writes 0.90M rows/s on one core, 1.32M rows/s as two parallel chunks here';

export const FILES_METHOD =
  'each format: `hcpgen generate --json --no-seed-data --no-validate --out DIR --format F` as a child process ' +
  'into a new directory under a scratch temp folder; wall = spawn to exit (plan, rows, files, SHA-256 checksums, ' +
  "manifest, move into place); rows and bytes = the manifest (data files only), checked against generate's " +
  'counts; peak RSS = the child process maxRSS (getrusage, worker threads and DuckDB included). Then `hcpgen ' +
  'validate --files DIR --json` as a child process on one output (parquet when measured): wall spawn to exit ' +
  '(manifests, sizes, checksums, typed scans, the checks in DuckDB), peak RSS the same way. Every output is ' +
  'deleted after it is measured.';

export function formatsOf(files: 'parquet' | 'csv' | 'both'): FileFormat[] {
  return files === 'both' ? ['parquet', 'csv'] : [files];
}

export interface FilesMeasurement {
  files: FilesBenchFigures;
  /** The first format's run in the shape of a database run (BenchResult.generate). */
  primary: GenerateFigures;
  description: string;
}

export async function measureFiles(
  run: Omit<GenerateRun, 'where' | 'validate' | 'wipe'>,
  formats: FileFormat[],
  options: { validate: boolean; log: (line: string) => void; signal?: AbortSignal | undefined },
): Promise<FilesMeasurement> {
  const scratch = createScratchFiles();
  const measured: FileSinkFigures[] = [];
  let primary: GenerateFigures | undefined;
  let validate: ValidateFilesFigures | null = null;
  const validateFormat = formats.includes('parquet') ? 'parquet' : formats[0];
  try {
    for (const format of formats) {
      const out = path.join(scratch.dir, format);
      options.log(
        `bench: generate --out --format=${format}, ${run.hcps.toLocaleString('en-US')} HCPs x ${run.months} months`,
      );
      const { json, figures } = await runGenerate({ ...run, validate: false, where: { out, format } });
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
      measured.push(sinkFigures(format, figures, manifest, json.output!.files));
      primary ??= figures;
      if (options.validate && format === validateFormat) {
        options.log(`bench: validate --files on the ${format} output`);
        const { figures: v, report } = await runValidateFiles({ dir: out, signal: options.signal });
        validate = {
          format,
          rows: figures.rows,
          ...v,
          passed: report.passed,
          failed: report.failed,
          skipped: report.skipped,
        };
      }
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    await scratch.drop();
  }
  return {
    files: { formats: measured, validate, reference: FILES_REFERENCE },
    primary: primary!,
    description: `${formats.join(' and ')} files in ${scratch.dir} (removed afterwards)`,
  };
}

/**
 * One format's figures from generate's JSON and the manifest on disk. The manifest, generate's `output.files`
 * and generate's counts must agree exactly: anything else is a bug, not a measurement.
 */
function sinkFigures(
  format: FileFormat,
  g: GenerateFigures,
  manifest: Manifest,
  reported: Manifest['files'],
): FileSinkFigures {
  const fail = (what: string): never => {
    throw new Error(`bench: the ${format} output's ${what}`);
  };
  if (manifest.format !== format) fail(`manifest says format ${manifest.format}`);
  if (reported.length !== manifest.files.length) {
    fail(`manifest lists ${manifest.files.length} files, generate --json ${reported.length}`);
  }
  const tables = {} as Record<TableName, FileTableFigure>;
  for (const t of TABLES) {
    const list = manifest.files.filter((f) => f.table === t);
    const rows = list.reduce((a, f) => a + f.rows, 0);
    if (rows !== g.tables[t].rows)
      fail(`manifest lists ${rows} ${t} rows, generate wrote ${g.tables[t].rows}`);
    if (manifest.counts[t] !== rows)
      fail(`manifest counts ${manifest.counts[t]} ${t} rows, its files ${rows}`);
    tables[t] = {
      rows,
      seconds: g.tables[t].seconds,
      rowsPerSecond: g.tables[t].rowsPerSecond,
      files: list.length,
      bytes: list.reduce((a, f) => a + f.bytes, 0),
    };
  }
  const rows = TABLES.reduce((a, t) => a + tables[t].rows, 0);
  const bytes = TABLES.reduce((a, t) => a + tables[t].bytes, 0);
  if (bytes !== reported.reduce((a, f) => a + f.bytes, 0))
    fail('manifest and generate --json differ in bytes');
  return {
    format,
    rows,
    wallSeconds: g.wallSeconds,
    inProcessSeconds: g.inProcessSeconds,
    rowsPerSecond: g.rowsPerSecond,
    bytes,
    // From the reported (rounded) wall time, as rowsPerSecond, so the JSON's figures agree with each other.
    bytesPerSecond: Math.round(bytes / g.wallSeconds),
    files: manifest.files.length,
    tables,
    phases: g.phases,
    peakRssBytes: g.peakRssBytes,
    cpuSeconds: g.cpuSeconds,
  };
}
