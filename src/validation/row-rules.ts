// Row conditions shared by a check's own query and the shared pass that proves it clean: one text for both,
// so the two can never disagree about what breaks the rule.
import type { Plan } from '../plan/types.js';
import { isValidNpi } from '../random/npi.js';
import { listHas, type Dialect } from './dialect.js';

const NPI_FORMAT = `'^[12][0-9]{9}$'`;

/**
 * The NPI Luhn check digit over '80840' + the first nine digits, as an SQL expression (one term per digit, no
 * subquery, so it costs next to nothing per row). The prefix contributes a constant 24; doubling starts at
 * the ninth digit.
 */
function npiCheckDigitSql(col: string): string {
  const terms: string[] = [];
  for (let p = 1; p <= 9; p++) {
    const d = `substr(${col}, ${p}, 1)::int`;
    terms.push(p % 2 === 1 ? `(${d} * 2 - CASE WHEN ${d} * 2 > 9 THEN 9 ELSE 0 END)` : d);
  }
  return `((10 - (24 + ${terms.join(' + ')}) % 10) % 10)`;
}

/** True for an NPI that is not 10 digits starting with 1 or 2 with the right check digit (NULL included). */
export function npiBroken(col: string): string {
  return `CASE WHEN ${col} ~ ${NPI_FORMAT} THEN ${npiCheckDigitSql(col)} <> substr(${col}, 10, 1)::int ELSE true END`;
}

/** The same rule in JavaScript, for facts stated by the generator (src/validation/stated/): keep the two together. */
export function npiBrokenJs(npi: string | null): boolean {
  return npi === null || !/^[12]/.test(npi) || !isValidNpi(npi);
}

/**
 * True for a stimulus (alias `s`) that its campaign (`c`) targets: one of the campaign's channels, to an HCP
 * (`h`) of its specialties, tiers and segments (a NULL list targets all); NULL or false otherwise.
 */
export function campaignTargets(dialect: Dialect): string {
  return `${listHas(dialect, 'c.channels', 's.channel')}
          AND (c.target_specialties IS NULL OR ${listHas(dialect, 'c.target_specialties', 'h.taxonomy_code')})
          AND (c.target_tiers IS NULL OR ${listHas(dialect, 'c.target_tiers', 'h.tier')})
          AND (c.target_segments IS NULL OR ${listHas(dialect, 'c.target_segments', 'h.segment')})`;
}

/** Every value a categorical attribute can take, over its default and all its cases. */
function values(c: Plan['population']['tier']): string[] {
  const all = new Set(c.default.values);
  for (const choice of Object.values(c.cases)) for (const v of choice.values) all.add(v);
  return [...all];
}

/**
 * True for a profile (alias `h`) whose specialty, state/region, decile, tier or segment is not the scenario's.
 * `param` adds a parameter and returns its placeholder.
 */
export function hcpValuesBroken(plan: Plan, param: (v: unknown) => string): string {
  const pop = plan.population;
  const regionName = new Map(pop.regions.map((r) => [r.code, r.name]));
  const codes = param(pop.specialties.map((s) => s.code));
  const names = param(pop.specialties.map((s) => s.name));
  const states = param(pop.states.map((s) => s.code));
  const regions = param(pop.states.map((s) => regionName.get(s.region) ?? s.region));
  const tiers = param(values(pop.tier));
  const segments = param(values(pop.segment));
  // Arrays zipped by two unnest()s in one SELECT list (src/validation/dialect.ts).
  return `(NOT EXISTS (SELECT 1 FROM (SELECT unnest(${codes}::text[]) AS code, unnest(${names}::text[]) AS name) s
                        WHERE s.code = h.taxonomy_code AND s.name = h.specialty)
        OR NOT EXISTS (SELECT 1 FROM (SELECT unnest(${states}::text[]) AS state, unnest(${regions}::text[]) AS region) s
                        WHERE s.state = h.state AND s.region = h.region)
        OR NOT coalesce(h.decile BETWEEN 1 AND 10, false)
        OR NOT coalesce(h.tier = ANY(${tiers}::text[]), false)
        OR NOT coalesce(h.segment = ANY(${segments}::text[]), false))`;
}

/**
 * hcpValuesBroken in JavaScript (the generator's stated facts): a predicate over one profile's values, with the
 * scenario's vocabularies looked up once. NULL breaks every rule, as `NOT coalesce(..., false)` does there.
 */
export function hcpValuesBrokenJs(
  plan: Plan,
): (h: {
  taxonomyCode: string | null;
  specialty: string | null;
  state: string | null;
  region: string | null;
  decile: number;
  tier: string | null;
  segment: string | null;
}) => boolean {
  const pop = plan.population;
  const regionName = new Map(pop.regions.map((r) => [r.code, r.name]));
  const specialties = new Set(pop.specialties.map((s) => `${s.code}\u0000${s.name}`));
  const states = new Set(pop.states.map((s) => `${s.code}\u0000${regionName.get(s.region) ?? s.region}`));
  const tiers = new Set(values(pop.tier));
  const segments = new Set(values(pop.segment));
  return (h) =>
    h.taxonomyCode === null ||
    h.specialty === null ||
    !specialties.has(`${h.taxonomyCode}\u0000${h.specialty}`) ||
    h.state === null ||
    h.region === null ||
    !states.has(`${h.state}\u0000${h.region}`) ||
    !(h.decile >= 1 && h.decile <= 10) ||
    h.tier === null ||
    !tiers.has(h.tier) ||
    h.segment === null ||
    !segments.has(h.segment);
}

/** Collects numbered parameters while SQL text is built. */
export class Params {
  readonly values: unknown[] = [];
  add = (v: unknown): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };
}
