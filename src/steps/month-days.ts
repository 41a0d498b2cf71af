// The days of one window month, split into weekdays and weekend days, as epoch-ms day starts. Stimuli pick
// a day from one list or the other, so each channel's weekend share is exactly what the scenario declares.
import type { WindowMonth } from '../plan/types.js';
import { dayOfWeek, MS_PER_DAY } from '../time/calendar.js';

export interface MonthDays {
  weekdays: number[];
  weekend: number[];
}

export function monthDays(m: WindowMonth): MonthDays {
  const weekdays: number[] = [];
  const weekend: number[] = [];
  for (let t = m.startMs; t < m.endMs; t += MS_PER_DAY) {
    const dow = dayOfWeek(t);
    (dow === 0 || dow === 6 ? weekend : weekdays).push(t);
  }
  return { weekdays, weekend };
}
