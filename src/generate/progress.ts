// Progress on stderr: rows and rows/s per table. A live line on a terminal; otherwise (CI logs, pipes) a
// line every few seconds. Quiet mode prints nothing, so --json keeps stdout and stderr clean for tools.
import type { TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';

export interface TableTiming {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export class Progress {
  private readonly rows = new Map<TableName, number>();
  private readonly loadMs = new Map<TableName, number>();
  private readonly started = performance.now();
  private lastPrint = 0;

  constructor(
    private readonly expectedHcps: number,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
  ) {}

  /** Records rows COPYed into a table and the time the COPY took. */
  add(table: TableName, rows: number, ms: number): void {
    this.rows.set(table, (this.rows.get(table) ?? 0) + rows);
    this.loadMs.set(table, (this.loadMs.get(table) ?? 0) + ms);
  }

  tick(): void {
    if (!this.out) return;
    const now = performance.now();
    const live = this.out.isTTY === true;
    if (now - this.lastPrint < (live ? 200 : 5000)) return;
    this.lastPrint = now;
    const done = this.rows.get('hcp_profiles') ?? 0;
    const total = [...this.rows.values()].reduce((a, b) => a + b, 0);
    const secs = (now - this.started) / 1000;
    const line =
      `generating: ${fmt(done)}/${fmt(this.expectedHcps)} HCPs, ${fmt(total)} rows, ` +
      `${fmt(Math.round(total / Math.max(secs, 0.001)))} rows/s`;
    this.out.write(live ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /**
   * A step of a long phase (keys and indexes, validation): a live line on a terminal; otherwise a line when
   * the phase has been quiet for a few seconds, so CI logs show a slow step without listing every fast one.
   */
  step(message: string): void {
    if (!this.out) return;
    const now = performance.now();
    const live = this.out.isTTY === true;
    if (!live && now - this.lastPrint < 5000) return;
    this.lastPrint = now;
    this.out.write(live ? `\r${message}\x1b[K` : `${message}\n`);
  }

  note(message: string): void {
    if (!this.out) return;
    if (this.out.isTTY) this.out.write('\r\x1b[K');
    this.out.write(`${message}\n`);
  }

  /** Per-table rows and COPY throughput. */
  timings(): Record<TableName, TableTiming> {
    const out = {} as Record<TableName, TableTiming>;
    for (const t of TABLES) {
      const rows = this.rows.get(t) ?? 0;
      const seconds = (this.loadMs.get(t) ?? 0) / 1000;
      out[t] = {
        rows,
        seconds: round3(seconds),
        rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
      };
    }
    return out;
  }

  summary(): void {
    if (!this.out) return;
    if (this.out.isTTY) this.out.write('\r\x1b[K');
    for (const [table, t] of Object.entries(this.timings())) {
      this.out.write(
        `  ${table.padEnd(22)} ${fmt(t.rows).padStart(12)} rows  ${fmt(t.rowsPerSecond).padStart(10)} rows/s\n`,
      );
    }
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
