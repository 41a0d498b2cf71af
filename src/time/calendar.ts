// Calendar helpers, all in UTC and all pure: dates come from the scenario's --as-of, never from the clock.
// Dates travel as 'YYYY-MM-DD' strings or epoch milliseconds. Day arithmetic uses Howard Hinnant's
// civil-from-days algorithm instead of Date objects, so the formatters (millions of calls when writing
// stimuli and outcomes) allocate nothing but the result string.

export const MS_PER_DAY = 86_400_000;

export interface WindowMonth {
  /** 0 for the first (oldest) month of the window. */
  index: number;
  /** 'YYYY-MM' */
  ym: string;
  /** First day, 'YYYY-MM-DD'. */
  start: string;
  /** Last day in the window: the month's last day, or asOf for the last month. */
  end: string;
  startMs: number;
  /** Exclusive: midnight after `end`. */
  endMs: number;
  /** Days from start to end, inclusive. */
  days: number;
  /** Monday–Friday days among them (no holidays). */
  businessDays: number;
}

export interface CalendarWindow {
  /** First day of the first month. */
  start: string;
  /** The as-of date (last day of the window, inclusive). */
  end: string;
  startMs: number;
  /** Exclusive: midnight after `end`. */
  endMs: number;
  months: WindowMonth[];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch milliseconds of UTC midnight of a civil date. */
export function toMs(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d) * MS_PER_DAY;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parse 'YYYY-MM-DD' strictly (2025-02-30 and 2025-2-3 are rejected) to {y, m, d}. */
export function parseYmd(s: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(s);
  const y = Number(match?.[1]);
  const m = Number(match?.[2]);
  const d = Number(match?.[3]);
  if (!match || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(
      `'${s}' is not a valid date; write a real calendar date as YYYY-MM-DD, e.g. 2025-06-30`,
    );
  }
  return { y, m, d };
}

/** Parse 'YYYY-MM-DD' strictly to epoch milliseconds of UTC midnight. */
export function parseDate(s: string): number {
  const { y, m, d } = parseYmd(s);
  return toMs(y, m, d);
}

export function isValidDate(s: string): boolean {
  try {
    parseYmd(s);
    return true;
  } catch {
    return false;
  }
}

/** Add n months; the day is clamped to the target month's length (2025-01-31 + 1 month = 2025-02-28). */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parseYmd(date);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return ymd(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function addDays(date: string, n: number): string {
  return formatDate(parseDate(date) + n * MS_PER_DAY);
}

export function firstOfMonth(date: string): string {
  const { y, m } = parseYmd(date);
  return ymd(y, m, 1);
}

export function lastOfMonth(date: string): string {
  const { y, m } = parseYmd(date);
  return ymd(y, m, daysInMonth(y, m));
}

/** 0 = Sunday ... 6 = Saturday, for epoch milliseconds (any time of the day). */
export function dayOfWeek(ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Saturday or Sunday; takes epoch milliseconds or 'YYYY-MM-DD'. */
export function isWeekend(date: number | string): boolean {
  const dow = dayOfWeek(typeof date === 'string' ? parseDate(date) : date);
  return dow === 0 || dow === 6;
}

const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function ymd(y: number, m: number, d: number): string {
  const ys = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${P2[m]}-${P2[d]}`;
}

function dateOfDay(days: number): string {
  // Hinnant's civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return ymd(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

// Per-day cache: a generator writes events on a few hundred distinct days millions of times. Days from
// 1970 to 2149 live in flat arrays indexed by day number (filled on first use); other days are formatted
// on demand. The last day is also kept in locals because consecutive events usually share it.
const DAY_SLOTS = 65_536;
let dates: string[] | undefined;
let prefixes: string[] | undefined;
let lastDay = NaN;
let lastDate = '';
let lastPrefix = '';
// 'HH:MM:SS' for each second of the day, built on first use (86,400 short strings, ~3 MB).
let timeOfDay: string[] | undefined;

function rememberDay(day: number): void {
  if (day >= 0 && day < DAY_SLOTS) {
    dates ??= new Array<string>(DAY_SLOTS).fill('');
    prefixes ??= new Array<string>(DAY_SLOTS).fill('');
    let date = dates[day] as string;
    if (date === '') {
      date = dateOfDay(day);
      dates[day] = date;
      prefixes[day] = date + ' ';
    }
    lastDate = date;
    lastPrefix = prefixes[day] as string;
  } else {
    lastDate = dateOfDay(day);
    lastPrefix = lastDate + ' ';
  }
  lastDay = day;
}

/** 'YYYY-MM-DD' (UTC) of epoch milliseconds. */
export function formatDate(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== lastDay) rememberDay(day);
  return lastDate;
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC) of epoch milliseconds; milliseconds are truncated. */
export function formatDateTime(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== lastDay) rememberDay(day);
  const sec = Math.floor((ms - day * MS_PER_DAY) / 1000);
  timeOfDay ??= buildTimes();
  return lastPrefix + (timeOfDay[sec] as string);
}

function buildTimes(): string[] {
  const out = new Array<string>(86_400);
  for (let s = 0; s < 86_400; s++) {
    out[s] = `${P2[Math.floor(s / 3600)]}:${P2[Math.floor(s / 60) % 60]}:${P2[s % 60]}`;
  }
  return out;
}

/**
 * The generation window ending at asOf: `months` calendar months, the last one being asOf's month cut at
 * asOf (inclusive), the first one starting on its first day.
 */
export function windowFor(asOf: string, months: number): CalendarWindow {
  if (!Number.isInteger(months) || months < 1) {
    throw new RangeError(`months must be a whole number >= 1, got ${months}`);
  }
  const end = parseYmd(asOf);
  const endMs = toMs(end.y, end.m, end.d) + MS_PER_DAY;
  const list: WindowMonth[] = [];
  for (let i = 0; i < months; i++) {
    const total = end.y * 12 + (end.m - 1) - (months - 1 - i);
    const y = Math.floor(total / 12);
    const m = total - y * 12 + 1;
    const last = i === months - 1 ? end.d : daysInMonth(y, m);
    const startMs = toMs(y, m, 1);
    const monthEndMs = toMs(y, m, last) + MS_PER_DAY;
    const days = last;
    let businessDays = 0;
    const firstDow = dayOfWeek(startMs);
    for (let d = 0; d < days; d++) {
      const dow = (firstDow + d) % 7;
      if (dow !== 0 && dow !== 6) businessDays++;
    }
    list.push({
      index: i,
      ym: `${String(y).padStart(4, '0')}-${P2[m]}`,
      start: ymd(y, m, 1),
      end: ymd(y, m, last),
      startMs,
      endMs: monthEndMs,
      days,
      businessDays,
    });
  }
  const first = list[0] as WindowMonth;
  return { start: first.start, end: asOf, startMs: first.startMs, endMs, months: list };
}

/** Index of the window month containing ms, or -1 outside the window. */
export function monthIndexAt(window: CalendarWindow, ms: number): number {
  if (ms < window.startMs || ms >= window.endMs) return -1;
  const ms0 = window.months;
  let lo = 0;
  let hi = ms0.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((ms0[mid] as WindowMonth).startMs <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
