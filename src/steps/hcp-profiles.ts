// Step 1: HCP profiles. Attributes come from the shared attribute model; name, address, ZIP, phone and e-mail
// from the identity step (src/steps/identity.ts), driven by the HCP's own keyed streams (never faker's global
// state), so HCP #k is the same in any chunk. Faker runs once per HCP only: it is far too slow for event rows.
import type { GenerationContext } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { npiForIndex } from '../random/npi.js';
import { drawIdentity } from './identity.js';
import type { TableBatch } from '../tables/batch.js';
import { columnIndex } from '../tables/model.js';
import { HCP_PROFILES } from '../tables/tables.js';
import { isTarget } from './targeting.js';

const C = columnIndex(HCP_PROFILES);

export { emailPart } from './identity.js';

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
  phone: string | null;
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
  b.setText(C.phone, r, v.phone);
  b.setNum(C.is_target, r, isTarget(ctx.plan, a) ? 1 : 0);
  // The listed city's zone where the scenario gives one (a state split between zones), else the state's.
  b.setText(C.time_zone, r, state.cities.find((c) => c.name === v.city)?.timeZone ?? state.timeZone);
}

export function addHcpProfile(b: TableBatch, ctx: GenerationContext, id: number, a: HcpAttributes): void {
  const { plan } = ctx;
  const who = drawIdentity(ctx, id, id, a);
  const state = plan.population.states[a.stateIndex]!;
  addProfileRow(b, ctx, a, {
    id,
    npi: npiForIndex(id, plan.params.seed),
    first: who.first,
    last: who.last,
    city: state.cities[a.cityIndex]!.name,
    zip: who.zip,
    address: who.address,
    email: who.email,
    source: 'generated',
    phone: who.phone,
  });
}
