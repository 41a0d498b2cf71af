// US federal holidays (5 U.S.C. 6103), computed rather than listed so any --as-of works. A holiday on a
// Saturday is observed on the Friday before, one on a Sunday on the Monday after (the OPM rule); reps take
// both the holiday and its observed day off, so both are returned. Juneteenth exists from 2021.
import { dayOfWeek, daysFromCivil, daysInMonth, formatDate, MS_PER_DAY } from './calendar.js';

/** Day number (days since 1970-01-01) of the n-th `dow` (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(y: number, m: number, dow: number, n: number): number {
  if (n > 0) {
    const first = daysFromCivil(y, m, 1);
    const shift = (dow - dayOfWeek(first * MS_PER_DAY) + 7) % 7;
    return first + shift + (n - 1) * 7;
  }
  const last = daysFromCivil(y, m, daysInMonth(y, m));
  return last - ((dayOfWeek(last * MS_PER_DAY) - dow + 7) % 7);
}

/** The federal holidays of `year` as day numbers: each fixed-date holiday and, if it differs, its observed day. */
export function federalHolidayDays(year: number): number[] {
  const fixed = [
    [1, 1], // New Year's Day
    [7, 4], // Independence Day
    [11, 11], // Veterans Day
    [12, 25], // Christmas Day
  ];
  if (year >= 2021) fixed.push([6, 19]); // Juneteenth National Independence Day
  const days: number[] = [];
  for (const [m, d] of fixed) {
    const day = daysFromCivil(year, m!, d!);
    days.push(day);
    const dow = dayOfWeek(day * MS_PER_DAY);
    if (dow === 6) days.push(day - 1);
    if (dow === 0) days.push(day + 1);
  }
  days.push(
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
  );
  return days.sort((a, b) => a - b);
}

/**
 * Holiday days (actual and observed) between two epoch-ms instants, [fromMs, toMs), as sorted 'YYYY-MM-DD'
 * strings. New Year's Day observed on Friday December 31 belongs to the year before, so neighbours are scanned.
 */
export function holidaysBetween(fromMs: number, toMs: number): string[] {
  const from = Math.floor(fromMs / MS_PER_DAY);
  const to = Math.ceil(toMs / MS_PER_DAY);
  const y0 = Number(formatDate(fromMs).slice(0, 4));
  const y1 = Number(formatDate(toMs - 1).slice(0, 4));
  const out = new Set<number>();
  for (let y = y0 - 1; y <= y1 + 1; y++) {
    for (const d of federalHolidayDays(y)) if (d >= from && d < to) out.add(d);
  }
  return [...out].sort((a, b) => a - b).map((d) => formatDate(d * MS_PER_DAY));
}
