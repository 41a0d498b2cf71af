// US time zones without Intl or ICU: each zone is a standard UTC offset plus whether it keeps US daylight
// saving time (second Sunday of March 02:00 local to first Sunday of November 02:00 local, the rule since 2007).
// Generated event times are local wall-clock times; these functions turn them into UTC and back, so lags that
// span a clock change are real elapsed time. The state -> zone table uses each state's majority zone.
import { dayOfWeek, daysFromCivil, MS_PER_DAY } from './calendar.js';

const HOUR_MS = 3_600_000;

interface Zone {
  /** Standard offset from UTC in hours (New York: -5). */
  standard: number;
  dst: boolean;
}

/** The IANA zones hcpgen knows, with their offsets (zones with local history before 2007 are not modelled). */
export const ZONES: Readonly<Record<string, Zone>> = {
  'America/New_York': { standard: -5, dst: true },
  'America/Detroit': { standard: -5, dst: true },
  'America/Indiana/Indianapolis': { standard: -5, dst: true },
  'America/Kentucky/Louisville': { standard: -5, dst: true },
  'America/Chicago': { standard: -6, dst: true },
  'America/Denver': { standard: -7, dst: true },
  'America/Boise': { standard: -7, dst: true },
  'America/Phoenix': { standard: -7, dst: false },
  'America/Los_Angeles': { standard: -8, dst: true },
  'America/Anchorage': { standard: -9, dst: true },
  'Pacific/Honolulu': { standard: -10, dst: false },
  'America/Puerto_Rico': { standard: -4, dst: false },
  UTC: { standard: 0, dst: false },
};

/** Majority IANA zone of each US state, DC and Puerto Rico (a scenario state may name its own). */
export const STATE_ZONES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'CT',
      'DC',
      'DE',
      'FL',
      'GA',
      'MA',
      'MD',
      'ME',
      'NC',
      'NH',
      'NJ',
      'NY',
      'OH',
      'PA',
      'RI',
      'SC',
      'VA',
      'VT',
      'WV',
    ].map((s) => [s, 'America/New_York']),
  ),
  MI: 'America/Detroit',
  IN: 'America/Indiana/Indianapolis',
  KY: 'America/New_York',
  ...Object.fromEntries(
    ['AL', 'AR', 'IA', 'IL', 'KS', 'LA', 'MN', 'MO', 'MS', 'ND', 'NE', 'OK', 'SD', 'TN', 'TX', 'WI'].map(
      (s) => [s, 'America/Chicago'],
    ),
  ),
  ...Object.fromEntries(['CO', 'MT', 'NM', 'UT', 'WY'].map((s) => [s, 'America/Denver'])),
  ID: 'America/Boise',
  AZ: 'America/Phoenix',
  ...Object.fromEntries(['CA', 'NV', 'OR', 'WA'].map((s) => [s, 'America/Los_Angeles'])),
  AK: 'America/Anchorage',
  HI: 'Pacific/Honolulu',
  PR: 'America/Puerto_Rico',
};

export function isKnownZone(name: string): boolean {
  return Object.hasOwn(ZONES, name);
}

/** Local-time instants (epoch ms of the wall clock read as UTC) at which DST starts and ends in a year. */
function dstBounds(year: number): [number, number] {
  const mar1 = daysFromCivil(year, 3, 1);
  const secondSunMar = mar1 + ((7 - dayOfWeek(mar1 * MS_PER_DAY)) % 7) + 7;
  const nov1 = daysFromCivil(year, 11, 1);
  const firstSunNov = nov1 + ((7 - dayOfWeek(nov1 * MS_PER_DAY)) % 7);
  return [secondSunMar * MS_PER_DAY + 2 * HOUR_MS, firstSunNov * MS_PER_DAY + 2 * HOUR_MS];
}

const boundsCache = new Map<number, [number, number]>();
function boundsOf(year: number): [number, number] {
  let b = boundsCache.get(year);
  if (!b) {
    b = dstBounds(year);
    boundsCache.set(year, b);
  }
  return b;
}

function yearOf(ms: number): number {
  // Good enough to pick the DST bounds: both bounds are far from a year boundary.
  return 1970 + Math.floor(ms / (365.2425 * MS_PER_DAY));
}

/** UTC epoch ms of a local wall-clock instant (a nonexistent spring-forward time is read as standard time). */
export function localToUtc(zone: string, localMs: number): number {
  const z = ZONES[zone] ?? ZONES.UTC!;
  let offset = z.standard;
  if (z.dst) {
    const [start, end] = boundsOf(yearOf(localMs));
    // Ambiguous fall-back hour (01:00-02:00 twice): the first, daylight, reading.
    if (localMs >= start + HOUR_MS && localMs < end) offset += 1;
  }
  return localMs - offset * HOUR_MS;
}

/** The local wall-clock instant (as epoch ms) of a UTC instant. */
export function utcToLocal(zone: string, utcMs: number): number {
  const z = ZONES[zone] ?? ZONES.UTC!;
  const standardLocal = utcMs + z.standard * HOUR_MS;
  if (!z.dst) return standardLocal;
  const [start, end] = boundsOf(yearOf(standardLocal));
  // In standard-time terms, DST runs from start (02:00 standard) to end - 1h (01:00 standard = 02:00 daylight).
  return standardLocal >= start && standardLocal < end - HOUR_MS ? standardLocal + HOUR_MS : standardLocal;
}
