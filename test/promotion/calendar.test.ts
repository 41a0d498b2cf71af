// Federal holidays with the observed-day rule, and the zone arithmetic behind local event times.
import { expect } from 'chai';
import { federalHolidayDays, holidaysBetween } from '../../src/time/holidays.js';
import { localToUtc, STATE_ZONES, utcToLocal } from '../../src/time/zones.js';
import { formatDate, formatDateTime, MS_PER_DAY, parseDate } from '../../src/time/calendar.js';

const dates = (year: number): string[] => federalHolidayDays(year).map((d) => formatDate(d * MS_PER_DAY));
const at = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`);

describe('federal holidays', function () {
  it('lists the eleven holidays of 2025 on their days', function () {
    expect(dates(2025)).to.deep.equal([
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-10-13',
      '2025-11-11',
      '2025-11-27',
      '2025-12-25',
    ]);
  });

  it('adds the observed day of a holiday on a weekend (Saturday -> Friday, Sunday -> Monday)', function () {
    // 2026-07-04 is a Saturday, 2027-07-04 a Sunday; New Year 2022 (Saturday) is observed on 2021-12-31.
    expect(dates(2026)).to.include.members(['2026-07-03', '2026-07-04']);
    expect(dates(2027)).to.include.members(['2027-07-04', '2027-07-05', '2027-12-24', '2027-12-25']);
    expect(holidaysBetween(parseDate('2021-12-01'), parseDate('2022-01-01'))).to.deep.equal([
      '2021-12-24',
      '2021-12-25',
      '2021-12-31',
    ]);
  });

  it('has no Juneteenth before 2021', function () {
    expect(dates(2020)).to.not.include('2020-06-19');
    expect(dates(2021)).to.include('2021-06-18'); // 2021-06-19 was a Saturday
  });
});

describe('time zones', function () {
  it('turns local wall-clock times into UTC with US daylight saving time', function () {
    expect(formatDateTime(localToUtc('America/New_York', at('2025-01-15 09:00:00')))).to.equal(
      '2025-01-15 14:00:00',
    );
    expect(formatDateTime(localToUtc('America/New_York', at('2025-07-15 09:00:00')))).to.equal(
      '2025-07-15 13:00:00',
    );
    expect(formatDateTime(localToUtc('America/Phoenix', at('2025-07-15 09:00:00')))).to.equal(
      '2025-07-15 16:00:00',
    );
    // DST starts 2025-03-09 02:00 and ends 2025-11-02 02:00 local.
    expect(formatDateTime(localToUtc('America/Chicago', at('2025-03-09 01:59:00')))).to.equal(
      '2025-03-09 07:59:00',
    );
    expect(formatDateTime(localToUtc('America/Chicago', at('2025-03-09 03:00:00')))).to.equal(
      '2025-03-09 08:00:00',
    );
    expect(formatDateTime(localToUtc('America/Chicago', at('2025-11-02 02:30:00')))).to.equal(
      '2025-11-02 08:30:00',
    );
  });

  it('round-trips every hour of a year except the skipped spring hour', function () {
    for (const zone of ['America/New_York', 'America/Los_Angeles', 'America/Phoenix', 'Pacific/Honolulu']) {
      for (let t = at('2025-01-01 00:30:00'); t < at('2026-01-01 00:00:00'); t += 3_600_000) {
        const local = utcToLocal(zone, t);
        // Fall-back's repeated hour maps back to its first (daylight) reading, one hour earlier in UTC.
        const back = localToUtc(zone, local);
        expect(back === t || back === t - 3_600_000, `${zone} ${formatDateTime(t)}`).to.equal(true);
      }
    }
  });

  it('gives every state of the default scenario its majority zone', function () {
    expect(STATE_ZONES.TX).to.equal('America/Chicago');
    expect(STATE_ZONES.AZ).to.equal('America/Phoenix');
    expect(STATE_ZONES.CA).to.equal('America/Los_Angeles');
    expect(STATE_ZONES.CO).to.equal('America/Denver');
    expect(STATE_ZONES.NY).to.equal('America/New_York');
  });
});
