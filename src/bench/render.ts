// The bench result as text: one block per measurement (per-table rows, seconds, rows/s), then ratios and targets.
import { TABLES, type TableName } from '../plan/types.js';
import type {
  BenchResult,
  CeilingRun,
  FileSinkFigures,
  FilesBenchFigures,
  GenerateFigures,
  TableFigure,
  TargetCheck,
} from './types.js';

const fmt = (n: number): string => n.toLocaleString('en-US');
const secs = (n: number): string => n.toFixed(2);
const mib = (bytes: number): string => `${fmt(Math.round(bytes / 1024 ** 2))} MiB`;

function tableBlock(title: string, tables: Record<TableName, TableFigure>, note: string): string[] {
  const lines = [
    title,
    `  ${'table'.padEnd(24)}${'rows'.padStart(14)}${'seconds'.padStart(10)}${'rows/s'.padStart(14)}`,
  ];
  for (const t of TABLES) {
    const f = tables[t];
    lines.push(
      `  ${t.padEnd(24)}${fmt(f.rows).padStart(14)}${secs(f.seconds).padStart(10)}${fmt(f.rowsPerSecond).padStart(14)}`,
    );
  }
  if (note) lines.push(`  (${note})`);
  return lines;
}

function totalLine(label: string, rows: number, seconds: number, rowsPerSecond: number): string {
  return `  ${label.padEnd(24)}${fmt(rows).padStart(14)}${secs(seconds).padStart(10)}${fmt(rowsPerSecond).padStart(14)}`;
}

function generateBlock(title: string, g: GenerateFigures): string[] {
  const ph = g.phases;
  return [
    ...tableBlock(
      title,
      g.tables,
      'seconds per table: time in its COPY statements; generation runs alongside on worker threads',
    ),
    totalLine('total (wall)', g.rows, g.wallSeconds, g.rowsPerSecond),
    `  in process ${secs(g.inProcessSeconds)} s; phases: plan ${ph.plan} s, generate + COPY ${ph.load} s, keys ${ph.keys} s, ` +
      `validate ${ph.validate} s, commit ${ph.commit} s`,
    `  peak RSS ${mib(g.peakRssBytes)}, CPU ${secs(g.cpuSeconds)} s` +
      (g.validation ? `, validation ${g.validation.passed} passed, ${g.validation.failed} failed` : ''),
  ];
}

function ceilingBlock(title: string, c: CeilingRun): string[] {
  return [
    ...tableBlock(title, c.tables, ''),
    totalLine('total (BEGIN..COMMIT)', c.rows, c.seconds, c.rowsPerSecond),
    `  COPY ${secs(c.loadSeconds)} s, keys and indexes after the load ${secs(c.keysSeconds)} s`,
  ];
}

function targetLine(t: TargetCheck): string {
  const verdict = !t.applies ? (t.note ? 'not judged' : 'n/a at this size') : t.met ? 'MET' : 'NOT MET';
  const value =
    t.unit === 'ratio'
      ? t.measured.toFixed(3)
      : `${t.unit === 'rows/s' ? fmt(t.measured) : t.measured} ${t.unit}`;
  return (
    `  ${verdict.padEnd(17)}${value.padStart(12)}  ${t.bound.padEnd(8)} ${t.description}` +
    (!t.applies && t.note ? ` (${t.note})` : '')
  );
}

const mibs = (bytes: number): string => (bytes / 1024 ** 2).toFixed(1);

function fileSinkBlock(s: FileSinkFigures): string[] {
  const ph = s.phases;
  const lines = [
    `generate --out --format=${s.format} (--no-validate)`,
    `  ${'table'.padEnd(24)}${'rows'.padStart(14)}${'seconds'.padStart(10)}${'rows/s'.padStart(14)}` +
      `${'files'.padStart(7)}${'MiB'.padStart(10)}`,
  ];
  for (const t of TABLES) {
    const f = s.tables[t];
    lines.push(
      `  ${t.padEnd(24)}${fmt(f.rows).padStart(14)}${secs(f.seconds).padStart(10)}${fmt(f.rowsPerSecond).padStart(14)}` +
        `${fmt(f.files).padStart(7)}${mibs(f.bytes).padStart(10)}`,
    );
  }
  lines.push(
    '  (seconds per table: time writing its files; generation runs alongside on worker threads)',
    `${totalLine('total (wall)', s.rows, s.wallSeconds, s.rowsPerSecond)}${fmt(s.files).padStart(7)}${mibs(s.bytes).padStart(10)}`,
    `  ${mibs(s.bytes)} MiB written (${fmt(s.bytes)} bytes, data files per the manifest), ${mibs(s.bytesPerSecond)} MiB/s; ` +
      `peak RSS ${mib(s.peakRssBytes)}, CPU ${secs(s.cpuSeconds)} s`,
    `  in process ${secs(s.inProcessSeconds)} s; phases: plan ${ph.plan} s, generate + write ${ph.load} s, ` +
      `move into place ${ph.commit} s`,
  );
  return lines;
}

function filesBlock(f: FilesBenchFigures): string[] {
  const out: string[] = [];
  for (const s of f.formats) out.push(...fileSinkBlock(s), '');
  out.push(
    'file sinks (wall = spawn to exit, manifest and checksums included)',
    `  ${'format'.padEnd(10)}${'rows'.padStart(14)}${'wall s'.padStart(10)}${'rows/s'.padStart(14)}` +
      `${'MiB'.padStart(10)}${'MiB/s'.padStart(9)}${'files'.padStart(7)}${'peak RSS'.padStart(12)}`,
  );
  for (const s of f.formats) {
    out.push(
      `  ${s.format.padEnd(10)}${fmt(s.rows).padStart(14)}${secs(s.wallSeconds).padStart(10)}` +
        `${fmt(s.rowsPerSecond).padStart(14)}${mibs(s.bytes).padStart(10)}${mibs(s.bytesPerSecond).padStart(9)}` +
        `${fmt(s.files).padStart(7)}${mib(s.peakRssBytes).padStart(12)}`,
    );
  }
  const v = f.validate;
  out.push(
    v
      ? `  validate --files (${v.format}, ${fmt(v.rows)} rows): ${secs(v.wallSeconds)} s wall, peak RSS ` +
          `${mib(v.peakRssBytes)}, CPU ${secs(v.cpuSeconds)} s; checks ${v.passed} passed, ${v.failed} failed, ` +
          `${v.skipped} skipped`
      : '  validate --files: not measured (--no-validate)',
    `  reference (quoted from the issue, not measured by this bench): ${f.reference}`,
  );
  return out;
}

const workerCount = (n: number): string => `${n} worker${n === 1 ? '' : 's'}`;
export function renderBench(r: BenchResult): string {
  if (r.files) return renderFilesBench(r, r.files);
  const m = r.machine;
  const p = r.params;
  const out: string[] = [
    `hcpgen bench: scenario ${p.scenario}, ${fmt(p.hcps)} HCPs x ${p.months} months (seed ${p.seed}, as of ${p.asOf}), ` +
      `${workerCount(p.workers)}${p.validate ? '' : ', validation off'}`,
    `target:  ${r.target.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} ${m.serverVersion}, ${r.target.description}`,
    `machine: ${m.cpuModel}, ${m.cpus} CPUs, ${mib(m.memoryBytes)} RAM, ${m.platform}, Node ${m.node}, PGlite ${m.pgliteVersion}`,
    `cli:     ${r.cli === 'built' ? 'built (bin/run.js)' : 'from source through tsx (start-up adds seconds to every wall time; build for figures to publish)'}`,
    `load average (1/5/15 min): ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end`,
    '',
  ];
  if (r.embeddedFirstRun) {
    out.push(
      ...generateBlock(
        `generate, first run (fresh data directory, ${r.embeddedFirstRunInit})`,
        r.embeddedFirstRun,
      ),
      '',
    );
    out.push(...generateBlock('generate, warm run (--wipe, same data directory)', r.generate), '');
  } else {
    out.push(...generateBlock('generate', r.generate), '');
  }
  if (r.ceiling) {
    const c = r.ceiling;
    out.push(`ceiling: exported ${mib(c.csvBytes)} of CSV in ${secs(c.exportSeconds)} s (not timed below)`);
    out.push(
      ...ceilingBlock('ceiling: COPY FROM the CSV files, same keys and indexes in place', c.indexesInPlace),
      '',
    );
    out.push(
      ...ceilingBlock('ceiling: COPY FROM the CSV files, keys and indexes after the load', c.keysAfterLoad),
      '',
    );
  } else {
    out.push(`ceiling: skipped (${r.skipped.ceiling ?? 'not measured'})`, '');
  }
  if (r.baseline) {
    const b = r.baseline;
    out.push(
      ...tableBlock(
        `baseline: TypeORM insert() in ${b.batchSize}-row batches, rows of the first ${fmt(b.hcps)} HCPs`,
        b.tables,
        '',
      ),
      totalLine('total (insert calls)', b.rows, b.seconds, b.rowsPerSecond),
      '',
    );
  } else {
    out.push(`baseline: skipped (${r.skipped.baseline ?? 'not measured'})`, '');
  }
  const ratio = (x: number | null, unit = ''): string => (x === null ? 'not measured' : `${x}${unit}`);
  out.push(
    'ratios (generate rows/s, wall)',
    `  / ceiling, keys after load    ${ratio(r.ratios.generateToCeilingKeysAfter)}  (the main figure: same end state from ready-made CSV)`,
    `  / ceiling, indexes in place   ${ratio(r.ratios.generateToCeiling)}  (information)`,
    `  / naive TypeORM baseline      ${ratio(r.ratios.generateToBaseline, 'x')}`,
    '',
    'targets',
    ...r.targets.map(targetLine),
    '',
    `bench took ${secs(r.totalSeconds)} s`,
  );
  return `${out.join('\n')}\n`;
}

/** `bench --files`: the file sinks instead of a database; no ceiling, baseline or ratios (database measurements). */
function renderFilesBench(r: BenchResult, f: FilesBenchFigures): string {
  const m = r.machine;
  const p = r.params;
  const out: string[] = [
    `hcpgen bench --files: scenario ${p.scenario}, ${fmt(p.hcps)} HCPs x ${p.months} months (seed ${p.seed}, as of ${p.asOf}), ` +
      workerCount(p.workers),
    `target:  file output, ${r.target.description}; Parquet writer and validate --files: ${m.serverVersion}`,
    `machine: ${m.cpuModel}, ${m.cpus} CPUs, ${mib(m.memoryBytes)} RAM, ${m.platform}, Node ${m.node}`,
    `cli:     ${r.cli === 'built' ? 'built (bin/run.js)' : 'from source through tsx (start-up adds seconds to every wall time; build for figures to publish)'}`,
    `load average (1/5/15 min): ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end`,
    '',
    ...filesBlock(f),
    '',
    `ceiling, baseline, ratios: database measurements, not run with --files`,
    '',
    'targets',
    ...r.targets.map(targetLine),
    '',
    `bench took ${secs(r.totalSeconds)} s`,
  ];
  return `${out.join('\n')}\n`;
}
