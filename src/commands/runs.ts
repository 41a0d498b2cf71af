import { Flags } from '@oclif/core';
import { dbFlag } from '../cli/run-flags.js';
import { tableText } from '../db/render-table.js';
import { openTarget } from '../db/open-target.js';
import { BaseCommand } from '../lib/base-command.js';
import { UserError } from '../lib/errors.js';
import { compareRuns, listRuns, type RunComparison, type RunSummary } from '../report/runs.js';

const fmt = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : n.toLocaleString('en-US');

async function parseId(input: string): Promise<number> {
  const n = Number(input.replace(/^#/, ''));
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError(
      `--compare takes two run ids (whole numbers, as hcpgen runs lists them), got "${input}".`,
    );
  }
  return n;
}

export default class Runs extends BaseCommand {
  static override description =
    'List the runs recorded in hcpgen_runs (id, when, scenario and hash, seed, hcps, months, as-of, status, rows, ' +
    'duration), or compare two of them: the parameters and row counts that differ. Read-only.';

  static override examples = [
    '<%= config.bin %> runs',
    '<%= config.bin %> runs --json',
    '<%= config.bin %> runs --compare 3 4',
  ];

  static override flags = {
    db: dbFlag,
    compare: Flags.custom<number>({
      description: 'Compare run A with run B (two ids).',
      helpValue: 'A B',
      multiple: true,
      parse: parseId,
    })(),
  };

  async run(): Promise<RunSummary[] | RunComparison> {
    const { flags } = await this.parse(Runs);
    if (flags.compare && flags.compare.length !== 2) {
      throw new UserError(
        `--compare takes exactly two run ids, e.g. --compare 3 4 (got ${flags.compare.length}).`,
      );
    }
    const target = await openTarget(flags.db ? { db: flags.db } : {});
    try {
      if (flags.compare) {
        const c = await compareRuns(target, flags.compare[0]!, flags.compare[1]!);
        if (!this.jsonEnabled()) process.stdout.write(await renderComparison(c));
        return c;
      }
      const runs = await listRuns(target);
      if (!this.jsonEnabled()) {
        process.stdout.write(
          runs.length === 0
            ? `No runs recorded in ${target.description} (no hcpgen_runs table): run hcpgen generate first.\n`
            : await renderRuns(runs),
        );
      }
      return runs;
    } finally {
      await target.close();
    }
  }
}

async function renderRuns(runs: RunSummary[]): Promise<string> {
  return tableText(
    [
      'id',
      'finished (UTC)',
      'scenario',
      'hash',
      'seed',
      'hcps',
      'months',
      'as-of',
      'status',
      'rows',
      'seconds',
    ],
    runs.map((r) => [
      r.id,
      (r.finishedAt ?? r.startedAt).replace('T', ' ').replace(/\.\d+Z$/, ''),
      r.scenarioName,
      r.scenarioHash.slice(0, 12),
      r.seed,
      r.hcps,
      r.months,
      r.asOf,
      r.status,
      r.rows,
      r.durationSeconds,
    ]),
  );
}

async function renderComparison(c: RunComparison): Promise<string> {
  const head = `run #${c.a.id} (A) vs run #${c.b.id} (B)\n\n`;
  const params =
    c.params.length === 0
      ? 'Parameters: the same (scenario, hash, seed, hcps, months, as-of, version, fixtures).\n'
      : `Parameters that differ:\n${await tableText(
          ['parameter', 'A', 'B'],
          c.params.map((d) => [d.field, d.a, d.b]),
        )}`;
  const counts = await tableText(
    ['table', 'A rows', 'B rows', 'B - A', 'change %'],
    c.counts.map((x) => [
      x.table,
      fmt(x.a),
      fmt(x.b),
      x.diff === null ? null : (x.diff > 0 ? '+' : '') + fmt(x.diff),
      x.pct,
    ]),
  );
  return `${head}${params}\nRow counts:\n${counts}`;
}
