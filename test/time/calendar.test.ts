import { expect } from 'chai';
import {
  addDays,
  addMonths,
  dayOfWeek,
  daysInMonth,
  firstOfMonth,
  formatDate,
  formatDateTime,
  isValidDate,
  isWeekend,
  lastOfMonth,
  monthIndexAt,
  MS_PER_DAY,
  parseDate,
  windowFor,
} from '../../src/time/calendar.js';

// Date is used here only as an independent reference implementation (never Date.now).
const iso = (ms: number) => new Date(ms).toISOString();

describe('calendar', () => {
  it('parses YYYY-MM-DD strictly', () => {
    expect(parseDate('2025-06-30')).to.equal(Date.UTC(2025, 5, 30));
    expect(parseDate('1970-01-01')).to.equal(0);
    expect(parseDate('2024-02-29')).to.equal(Date.UTC(2024, 1, 29));
    expect(parseDate('1969-12-31')).to.equal(-MS_PER_DAY);
    for (const bad of [
      '2025-02-30',
      '2025-02-29',
      '1900-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-6-3',
      '2025-06-30T00:00',
      ' 2025-06-30',
      '20250630',
      '',
    ]) {
      expect(() => parseDate(bad), bad).to.throw(RangeError, /not a valid date/);
      expect(isValidDate(bad)).to.equal(false);
    }
    expect(isValidDate('2000-02-29')).to.equal(true);
  });

  it('agrees with Date.UTC on every day of 1999-2031', () => {
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2032, 0, 1); ms += MS_PER_DAY) {
      const text = iso(ms).slice(0, 10);
      expect(parseDate(text)).to.equal(ms);
      expect(formatDate(ms)).to.equal(text);
    }
  });

  it('knows month lengths', () => {
    expect(daysInMonth(2025, 2)).to.equal(28);
    expect(daysInMonth(2024, 2)).to.equal(29);
    expect(daysInMonth(2000, 2)).to.equal(29);
    expect(daysInMonth(2100, 2)).to.equal(28);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2025, m))).to.deep.equal([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });

  it('adds months, clamping the day, across years in both directions', () => {
    expect(addMonths('2025-01-31', 1)).to.equal('2025-02-28');
    expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
    expect(addMonths('2025-06-15', 7)).to.equal('2026-01-15');
    expect(addMonths('2025-06-15', -6)).to.equal('2024-12-15');
    expect(addMonths('2025-03-31', -13)).to.equal('2024-02-29');
    expect(addMonths('2025-06-15', 0)).to.equal('2025-06-15');
    expect(addDays('2024-12-31', 1)).to.equal('2025-01-01');
    expect(addDays('2024-03-01', -1)).to.equal('2024-02-29');
    expect(firstOfMonth('2025-06-30')).to.equal('2025-06-01');
    expect(lastOfMonth('2024-02-10')).to.equal('2024-02-29');
  });

  it('knows weekends', () => {
    expect(isWeekend('2025-06-28')).to.equal(true); // Saturday
    expect(isWeekend('2025-06-29')).to.equal(true); // Sunday
    expect(isWeekend('2025-06-30')).to.equal(false); // Monday
    expect(isWeekend(Date.UTC(2025, 5, 28, 23, 59, 59))).to.equal(true);
    for (let ms = Date.UTC(1965, 0, 1); ms < Date.UTC(1975, 0, 1); ms += MS_PER_DAY + 3_600_000) {
      expect(dayOfWeek(ms)).to.equal(new Date(ms).getUTCDay());
    }
  });

  it('formats date-times like toISOString, truncating milliseconds', () => {
    // a walk with an odd step visits many seconds of many days, and revisits cached days out of order
    let ms = Date.UTC(2023, 10, 5, 0, 0, 0);
    for (let i = 0; i < 20_000; i++) {
      ms += 7_777_777 + (i % 3 === 0 ? -20 * MS_PER_DAY : 0) + (i % 1000);
      const want = iso(ms).slice(0, 19).replace('T', ' ');
      if (formatDateTime(ms) !== want) expect(formatDateTime(ms)).to.equal(want);
      if (formatDate(ms) !== want.slice(0, 10)) expect(formatDate(ms)).to.equal(want.slice(0, 10));
    }
    expect(formatDateTime(Date.UTC(2025, 0, 1, 23, 59, 59, 999))).to.equal('2025-01-01 23:59:59');
    expect(formatDateTime(-1)).to.equal('1969-12-31 23:59:59');
  });

  it('builds the window ending at as-of', () => {
    const w = windowFor('2025-06-15', 3);
    expect(w.start).to.equal('2025-04-01');
    expect(w.end).to.equal('2025-06-15');
    expect(w.startMs).to.equal(Date.UTC(2025, 3, 1));
    expect(w.endMs).to.equal(Date.UTC(2025, 5, 16));
    expect(w.months.map((m) => [m.index, m.ym, m.start, m.end, m.days, m.businessDays])).to.deep.equal([
      [0, '2025-04', '2025-04-01', '2025-04-30', 30, 22],
      [1, '2025-05', '2025-05-01', '2025-05-31', 31, 22],
      [2, '2025-06', '2025-06-01', '2025-06-15', 15, 10],
    ]);
  });

  it('makes contiguous months whose counts match a day-by-day count', () => {
    for (const [asOf, months] of [
      ['2025-01-31', 2],
      ['2024-03-01', 1],
      ['2025-06-30', 24],
      ['2024-12-31', 13],
    ] as const) {
      const w = windowFor(asOf, months);
      expect(w.months).to.have.length(months);
      expect(w.months[0]!.startMs).to.equal(w.startMs);
      expect(w.months.at(-1)!.endMs).to.equal(w.endMs);
      expect(w.months.at(-1)!.end).to.equal(asOf);
      for (const m of w.months) {
        expect(m.start).to.equal(formatDate(m.startMs));
        expect(m.end).to.equal(formatDate(m.endMs - 1));
        let days = 0;
        let business = 0;
        for (let ms = m.startMs; ms < m.endMs; ms += MS_PER_DAY) {
          days++;
          const dow = new Date(ms).getUTCDay();
          if (dow !== 0 && dow !== 6) business++;
        }
        expect([m.days, m.businessDays]).to.deep.equal([days, business]);
        const next = w.months[m.index + 1];
        if (next) expect(next.startMs).to.equal(m.endMs);
      }
    }
    expect(windowFor('2025-01-31', 2).start).to.equal('2024-12-01');
    expect(windowFor('2025-01-31', 2).months[0]!.ym).to.equal('2024-12');
  });

  it('finds the month of an instant', () => {
    const w = windowFor('2025-06-15', 3);
    expect(monthIndexAt(w, Date.UTC(2025, 3, 1))).to.equal(0);
    expect(monthIndexAt(w, Date.UTC(2025, 4, 1) - 1)).to.equal(0);
    expect(monthIndexAt(w, Date.UTC(2025, 4, 1))).to.equal(1);
    expect(monthIndexAt(w, Date.UTC(2025, 5, 15, 23, 59))).to.equal(2);
    expect(monthIndexAt(w, Date.UTC(2025, 5, 16))).to.equal(-1);
    expect(monthIndexAt(w, Date.UTC(2025, 2, 31))).to.equal(-1);
  });

  it('rejects bad window arguments', () => {
    expect(() => windowFor('2025-06-15', 0)).to.throw(RangeError);
    expect(() => windowFor('2025-06-15', 2.5)).to.throw(RangeError);
    expect(() => windowFor('2025-06-31', 3)).to.throw(RangeError, /not a valid date/);
  });
});
