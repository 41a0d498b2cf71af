// The days of one window month, split into weekdays and weekend days, as epoch-ms day starts (local calendar
// days: event times are local wall-clock times). Stimuli pick a day from one list or the other, so each
// channel's weekend share is exactly what the scenario declares. Rep-delivered channels use the `rep` lists,
// which leave out federal holidays and their observed days (reps are off; e-mails and webinars still go out).
import type { WindowMonth } from '../plan/types.js';
import { dayOfWeek, MS_PER_DAY, parseDate } from '../time/calendar.js';

export interface MonthDays {
  weekdays: number[];
  weekend: number[];
  repWeekdays: number[];
  repWeekend: number[];
}

export function monthDays(m: WindowMonth, holidays: readonly string[] = []): MonthDays {
  const off = new Set(holidays.map((d) => parseDate(d)));
  const weekdays: number[] = [];
  const weekend: number[] = [];
  for (let t = m.startMs; t < m.endMs; t += MS_PER_DAY) {
    const dow = dayOfWeek(t);
    (dow === 0 || dow === 6 ? weekend : weekdays).push(t);
  }
  return {
    weekdays,
    weekend,
    repWeekdays: weekdays.filter((t) => !off.has(t)),
    repWeekend: weekend.filter((t) => !off.has(t)),
  };
}
