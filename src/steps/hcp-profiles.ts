// Step 1: HCP profiles. Attributes come from the shared attribute model; names and street addresses from a
// faker driven by the HCP's own keyed stream (never faker's global state), so HCP #k is the same in any chunk.
// Faker runs once per HCP only: it is far too slow for event rows.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { npiForIndex } from '../random/npi.js';
import { keyedFaker } from './names.js';
import type { TableBatch } from '../tables/batch.js';
import { columnIndex } from '../tables/model.js';
import { HCP_PROFILES } from '../tables/tables.js';

const C = columnIndex(HCP_PROFILES);

/** ASCII letters only, for e-mail local parts ("O'Brien-Smith" -> "obriensmith"). */
export function emailPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** What a profile row holds besides the values drawn from the attribute model. */
export interface ProfileValues {
  id: number;
  npi: string;
  first: string;
  last: string;
  city: string;
  zip: string;
  address: string | null;
  email: string | null;
  source: 'generated' | 'fixture';
}

/** One hcp_profiles row: the attributes plus identity; shared by generated and fixture HCPs. */
export function addProfileRow(
  b: TableBatch,
  ctx: GenerationContext,
  a: HcpAttributes,
  v: ProfileValues,
): void {
  const pop = ctx.plan.population;
  const state = pop.states[a.stateIndex]!;
  const specialty = pop.specialties[a.specialtyIndex]!;
  const region = pop.regions.find((r) => r.code === state.region)!;
  const r = b.row();
  b.setNum(C.id, r, v.id);
  b.setText(C.npi, r, v.npi);
  b.setText(C.first_name, r, v.first);
  b.setText(C.last_name, r, v.last);
  b.setText(C.credential, r, a.credential);
  b.setText(C.taxonomy_code, r, specialty.code);
  b.setText(C.specialty, r, specialty.name);
  b.setText(C.tier, r, a.tier);
  b.setText(C.segment, r, a.segment);
  b.setNum(C.decile, r, a.decile);
  b.setNum(C.monthly_trx_baseline, r, Math.round(a.volume * 100) / 100);
  b.setText(C.region, r, region.name);
  b.setText(C.state, r, state.code);
  b.setText(C.city, r, v.city);
  b.setText(C.zip, r, v.zip);
  b.setText(C.address_line, r, v.address);
  b.setText(C.email, r, v.email);
  b.setText(C.source, r, v.source);
}

export function addHcpProfile(b: TableBatch, ctx: GenerationContext, id: number, a: HcpAttributes): void {
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
  addProfileRow(b, ctx, a, {
    id,
    npi: npiForIndex(id, plan.params.seed),
    first,
    last,
    city: city.name,
    zip: city.zip3 + (zipSuffix < 10 ? `0${zipSuffix}` : String(zipSuffix)),
    address: street,
    email: `${local}@${domain}`,
    source: 'generated',
  });
}
