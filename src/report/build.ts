// `hcpgen report` and `generate --report FILE`: the data of a database (the latest run in hcpgen_runs) or of a
// file output (its manifests), summarised by SQL aggregates (data.ts), charted (charts.ts) and written as one
// self-contained HTML page (html.ts). A database is read in one read-only snapshot, so the charts and the
// validation table describe the same rows.
import { rename, writeFile, rm } from 'node:fs/promises';
import { readLatestRun } from '../db/swap.js';
import { openTarget } from '../db/open-target.js';
import type { Target } from '../db/target.js';
import { manifestClaim, openFiles } from '../files/validate-files.js';
import { UserError } from '../lib/errors.js';
import type { Plan } from '../plan/types.js';
import { runValidation } from '../validation/run.js';
import type { ValidationReport } from '../validation/types.js';
import { collectReportData } from './data.js';
import { renderReport, type RunInfo } from './html.js';

export const DEFAULT_REPORT_FILE = 'hcpgen-report.html';

export interface ReportOptions {
  /** A PostgreSQL URL; default DATABASE_URL, else the embedded database. */
  db?: string;
  /** A file output directory instead of a database. */
  files?: string;
  /** Validation results already at hand (generate --report): not run again. */
  validation?: ValidationReport | null;
  /** Phase timings of the run that just finished. */
  timings?: { phases: Record<string, number>; totalSeconds: number };
}

export interface ReportResult {
  file: string;
  bytes: number;
  source: string;
  validation: { passed: number; failed: number; skipped: number; summary: string };
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

/** The report of a database or file output, as HTML text. */
export async function buildReport(
  options: ReportOptions = {},
): Promise<{ html: string; validation: ValidationReport; source: string }> {
  return options.files ? fromFiles(options.files, options) : fromDatabase(options);
}

async function fromDatabase(
  options: ReportOptions,
): Promise<{ html: string; validation: ValidationReport; source: string }> {
  const target: Target = await openTarget(options.db ? { db: options.db } : {});
  try {
    const run = await readLatestRun(target);
    if (!run) {
      throw new UserError(
        `${target.description} holds no generated data (no run in hcpgen_runs), so there is nothing to report.`,
        { hint: 'Run hcpgen generate first (or pass --db / --files to point at the data).' },
      );
    }
    await target.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      if (target.kind === 'postgres') await target.query(`SET LOCAL work_mem = '256MB'`);
      const validation = options.validation ?? (await runValidation(target));
      const plan = run.plan as Plan;
      const data = await collectReportData(target, plan);
      const info: RunInfo = {
        source: target.description,
        scenario: { name: run.scenarioName, hash: run.scenarioHash, file: plan.scenario.file },
        params: { seed: run.seed, hcps: run.hcps, months: run.months, asOf: run.asOf },
        generatorVersion: run.generatorVersion,
        runId: run.id,
        startedAt: iso(run.startedAt),
        finishedAt: iso(run.finishedAt),
        fixturesHash: run.fixturesHash,
        ...(options.timings
          ? { phases: options.timings.phases, totalSeconds: options.timings.totalSeconds }
          : {}),
      };
      return { html: renderReport(data, plan, info, validation), validation, source: target.description };
    } finally {
      await target.rollback().catch(() => undefined);
    }
  } finally {
    await target.close();
  }
}

async function fromFiles(
  dir: string,
  options: ReportOptions,
): Promise<{ html: string; validation: ValidationReport; source: string }> {
  // Checksums only when this report validates the files itself (generate --report has just written them).
  const opened = await openFiles(dir, { validationSettings: true, checksums: !options.validation });
  try {
    const { output } = opened;
    const m = output.manifests[0]!.manifest;
    const validation =
      options.validation ??
      (await runValidation(opened.db, { plan: output.plan, claim: manifestClaim(output), database: dir }));
    const data = await collectReportData(opened.db, output.plan);
    const info: RunInfo = {
      source: `${dir} (${output.format} files, run ${output.runKey.slice(0, 12)})`,
      scenario: { name: m.scenario.name, hash: m.scenario.hash, file: m.scenario.file },
      params: m.params,
      generatorVersion: m.generatorVersion,
      runId: null,
      fixturesHash: m.fixturesHash,
      ...(options.timings
        ? { phases: options.timings.phases, totalSeconds: options.timings.totalSeconds }
        : {}),
    };
    return { html: renderReport(data, output.plan, info, validation), validation, source: dir };
  } finally {
    await opened.close();
  }
}

/** Builds the report and writes it to `file` (through a temporary file, so a failed run leaves no half page). */
export async function writeReport(file: string, options: ReportOptions = {}): Promise<ReportResult> {
  const { html, validation, source } = await buildReport(options);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, html);
    await rename(tmp, file);
  } catch (err) {
    // Best effort: where the file could not be written (a path under a file, say), neither can its temp file be.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new UserError(`Cannot write the report to "${file}": ${(err as Error).message}.`, {
      hint: 'Check that the directory exists and is writable.',
      cause: err,
    });
  }
  const { passed, failed, skipped, summary } = validation;
  return { file, bytes: Buffer.byteLength(html), source, validation: { passed, failed, skipped, summary } };
}
