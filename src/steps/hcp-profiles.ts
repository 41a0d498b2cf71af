// Step 1: HCP profiles. Attributes come from the shared attribute model; names and street addresses from a
// faker driven by the HCP's own keyed stream (never faker's global state), so HCP #k is the same in any chunk.
// Faker runs once per HCP only: it is far too slow for event rows.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { npiForIndex } from '../random/npi.js';
import type { RowWriter } from './row-writer.js';
import { keyedFaker } from './names.js';

export const HCP_COLUMNS = [
  'id',
  'npi',
  'first_name',
  'last_name',
  'credential',
  'taxonomy_code',
  'specialty',
  'tier',
  'segment',
  'decile',
  'monthly_trx_baseline',
  'region',
  'state',
  'city',
  'zip',
  'address_line',
  'email',
  'source',
] as const;

/** ASCII letters only, for e-mail local parts ("O'Brien-Smith" -> "obriensmith"). */
function emailPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export function writeHcpProfile(w: RowWriter, ctx: GenerationContext, id: number, a: HcpAttributes): void {
  const { plan, rng, seedK } = ctx;
  const pop = plan.population;
  const faker = keyedFaker(seedK, FIELD.faker, id);
  const first = faker.person.firstName();
  const last = faker.person.lastName();
  const street = faker.location.streetAddress();
  rng.reset(seedK, FIELD.profile, id);
  const state = pop.states[a.stateIndex]!;
  const city = state.cities[a.cityIndex]!;
  const zipSuffix = 1 + Math.floor(rng.next() * 98);
  const domain = pop.emailDomains[Math.floor(rng.next() * pop.emailDomains.length)]!;
  const style = rng.next();
  const local =
    style < 0.4
      ? `${emailPart(first)}.${emailPart(last)}`
      : style < 0.7
        ? `${emailPart(first).slice(0, 1)}${emailPart(last)}${10 + Math.floor(rng.next() * 90)}`
        : `dr${emailPart(last)}${100 + Math.floor(rng.next() * 900)}`;
  const specialty = pop.specialties[a.specialtyIndex]!;
  const region = pop.regions.find((r) => r.code === state.region)!;
  w.int(id).comma().ascii(npiForIndex(id, plan.params.seed)).comma().text(first).comma().text(last).comma();
  w.text(a.credential).comma().text(specialty.code).comma().text(specialty.name).comma();
  w.text(a.tier).comma().text(a.segment).comma().int(a.decile).comma();
  w.num(Math.round(a.volume * 100) / 100)
    .comma()
    .text(region.name)
    .comma()
    .text(state.code)
    .comma();
  w.text(city.name)
    .comma()
    .ascii(city.zip3)
    .ascii(zipSuffix < 10 ? `0${zipSuffix}` : String(zipSuffix))
    .comma();
  w.text(street).comma().text(`${local}@${domain}`).comma().ascii('generated').newline();
}
