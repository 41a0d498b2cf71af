// The performance targets, judged on one bench result. Each target says the size and database kind it
// is stated for; outside those it is still shown (the number is informative) but marked as not applying.
import type { BenchResult, FilesBenchFigures, TargetCheck } from './types.js';

const GIB = 1024 ** 3;

/** File-sink throughput is judged from this size up (smaller runs are dominated by start-up). */
export const FILES_JUDGED_FROM_HCPS = 50_000;
/** Rows/s (wall) the file sinks must reach, per format. */
export const FILES_ROWS_PER_SECOND = { parquet: 1_300_000, csv: 1_500_000 } as const;

type Judged = Pick<BenchResult, 'ratios' | 'targets'>;

export function judge(r: Omit<BenchResult, 'ratios' | 'targets' | 'totalSeconds'>): Judged {
  if (r.files) {
    return {
      ratios: { generateToCeiling: null, generateToCeilingKeysAfter: null, generateToBaseline: null },
      targets: judgeFiles(r.files, r.params.hcps),
    };
  }
  const gen = r.generate;
  const ceiling = r.ceiling?.indexesInPlace.rowsPerSecond;
  const keysAfter = r.ceiling?.keysAfterLoad.rowsPerSecond;
  const baseline = r.baseline?.rowsPerSecond;
  const ratios = {
    generateToCeiling: ceiling ? round(gen.rowsPerSecond / ceiling, 3) : null,
    generateToCeilingKeysAfter: keysAfter ? round(gen.rowsPerSecond / keysAfter, 3) : null,
    generateToBaseline: baseline ? round(gen.rowsPerSecond / baseline, 1) : null,
  };
  const { hcps, months, scenario } = r.params;
  const embedded = r.target.kind === 'pglite';
  const targets: TargetCheck[] = [];
  // The main ceiling figure (issue 17): the same end state reached from ready-made CSV files, keys and indexes
  // built after the load as generate builds them. The keys-in-place ceiling (issue 1's definition) is slower than
  // generate by a wide margin, so it stays as information only.
  if (ratios.generateToCeilingKeysAfter !== null) {
    targets.push({
      id: 'ceiling-80',
      description:
        'generate rows/s (wall, keys and validation included) / ceiling rows/s (COPY of CSV into key-less tables, then the same keys and indexes), at >= 50,000 HCPs',
      measured: ratios.generateToCeilingKeysAfter,
      unit: 'ratio',
      bound: '>= 0.80',
      met: ratios.generateToCeilingKeysAfter >= 0.8,
      applies: hcps >= 50_000,
    });
  }
  if (ratios.generateToCeiling !== null) {
    targets.push({
      id: 'ceiling-70',
      description: 'generate rows/s (wall) / ceiling rows/s (COPY, same indexes in place), at >= 50,000 HCPs',
      measured: ratios.generateToCeiling,
      unit: 'ratio',
      bound: '>= 0.70',
      met: ratios.generateToCeiling >= 0.7,
      applies: false,
      note: 'information: superseded by ceiling-80',
    });
  }
  if (ratios.generateToBaseline !== null) {
    targets.push({
      id: 'baseline-15x',
      description: 'generate rows/s (wall) / naive TypeORM insert() rows/s (500-row batches)',
      measured: ratios.generateToBaseline,
      unit: 'x',
      bound: '>= 15',
      met: ratios.generateToBaseline >= 15,
      applies: true,
    });
  }
  const peak = Math.max(gen.peakRssBytes, r.embeddedFirstRun?.peakRssBytes ?? 0);
  targets.push({
    id: 'peak-rss-1gib',
    description: 'peak RSS of the generate process (worker threads included)',
    measured: round(peak / GIB, 3),
    unit: 'GiB',
    bound: '< 1',
    met: peak < GIB,
    applies: true,
  });
  targets.push({
    id: 'million-3min',
    description: '1,000,000 HCPs x 12 months, wall seconds',
    measured: gen.wallSeconds,
    unit: 's',
    bound: '< 180',
    met: gen.wallSeconds < 180,
    applies: hcps >= 1_000_000 && months === 12,
  });
  targets.push({
    id: 'million-150s',
    description: '1,000,000 HCPs x 12 months with validation, wall seconds',
    measured: gen.wallSeconds,
    unit: 's',
    bound: '< 150',
    met: gen.wallSeconds < 150,
    applies: hcps >= 1_000_000 && months === 12 && r.params.validate,
  });
  const first = r.embeddedFirstRun ?? gen;
  targets.push({
    id: embedded ? 'default-run-embedded-10s' : 'default-run-postgres-3s',
    description: embedded
      ? 'the default 2,000-HCP run on the embedded database, first run included, wall seconds'
      : 'the default 2,000-HCP run on PostgreSQL, wall seconds',
    measured: first.wallSeconds,
    unit: 's',
    bound: embedded ? '< 10' : '< 3',
    met: first.wallSeconds < (embedded ? 10 : 3),
    applies: hcps === 2000 && months === 12 && scenario === 'default',
  });
  if (r.embeddedFirstRun) {
    // Issue 17's bounds for the embedded default: the first run (fresh data directory) and the warm one.
    const defaultRun = hcps === 2000 && months === 12 && scenario === 'default';
    for (const [id, what, g, bound] of [
      ['default-run-embedded-first-3s', 'first run (fresh data directory)', r.embeddedFirstRun, 3],
      ['default-run-embedded-warm-2.5s', 'warm run (--wipe)', gen, 2.5],
    ] as const) {
      targets.push({
        id,
        description: `the default 2,000-HCP run on the embedded database, ${what}, wall seconds`,
        measured: g.wallSeconds,
        unit: 's',
        bound: `< ${bound}`,
        met: g.wallSeconds < bound,
        applies: defaultRun,
      });
    }
  }
  return { ratios, targets };
}

/** The file sinks' targets: throughput per format, the 1M-HCP wall times, peak RSS. */
export function judgeFiles(f: FilesBenchFigures, hcps: number): TargetCheck[] {
  const targets: TargetCheck[] = [];
  const big = hcps >= FILES_JUDGED_FROM_HCPS;
  const million = hcps >= 1_000_000;
  for (const s of f.formats) {
    const min = FILES_ROWS_PER_SECOND[s.format];
    targets.push({
      id: `files-${s.format}-rows-per-second`,
      description: `generate --out --format=${s.format} rows/s (wall, --no-validate), at >= 50,000 HCPs`,
      measured: s.rowsPerSecond,
      unit: 'rows/s',
      bound: `>= ${(min / 1e6).toFixed(1)}M`,
      met: s.rowsPerSecond >= min,
      applies: big,
      ...(big ? {} : { note: 'not judged: below 50,000 HCPs' }),
    });
  }
  const parquet = f.formats.find((s) => s.format === 'parquet');
  if (parquet) {
    targets.push({
      id: 'files-parquet-million-60s',
      description: 'generate --out --format=parquet at >= 1,000,000 HCPs, wall seconds',
      measured: parquet.wallSeconds,
      unit: 's',
      bound: '< 60',
      met: parquet.wallSeconds < 60,
      applies: million,
      ...(million ? {} : { note: 'not judged: below 1,000,000 HCPs' }),
    });
  }
  for (const s of f.formats) {
    targets.push({
      id: `files-${s.format}-peak-rss-1gib`,
      description: `peak RSS of the generate --out --format=${s.format} process (worker threads and DuckDB included)`,
      measured: round(s.peakRssBytes / GIB, 3),
      unit: 'GiB',
      bound: '< 1',
      met: s.peakRssBytes < GIB,
      applies: true,
    });
  }
  if (f.validate) {
    targets.push({
      id: 'validate-files-million-60s',
      description: `validate --files on the ${f.validate.format} output at >= 1,000,000 HCPs, wall seconds`,
      measured: f.validate.wallSeconds,
      unit: 's',
      bound: '< 60',
      met: f.validate.wallSeconds < 60,
      applies: million,
      ...(million ? {} : { note: 'not judged: below 1,000,000 HCPs' }),
    });
  }
  return targets;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
