// The identity of an HCP: name, practice address, ZIP, phone and e-mail, all from the HCP's own keyed streams
// (faker for names only, pinned by its exact version), so HCP #k is the same in any chunk and at any --hcps.
// Plausibility rules: no placeholder names (faker's en list has the literal "Name"); streets from common US
// street names; ZIP codes that exist in the city (src/steps/us-geo.ts); the city's or state's real area codes.
// E-mails are unique by construction: the local part ends in a number that is a bijection of the HCP id.
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import type { HcpAttributes } from './hcp-attributes.js';
import { keyedFaker } from './names.js';
import { pickIndex } from './choice.js';
import { areaCodes, cityZips, STREET_NAMES, STREET_SUFFIXES } from './us-geo.js';
import type { KeyedRng } from '../random/keyed.js';

export interface Identity {
  first: string;
  last: string;
  address: string;
  zip: string;
  phone: string | null;
  email: string;
}

/** Values a name generator may produce that no person is called. */
const PLACEHOLDER_NAMES = new Set(['name', 'test', 'unknown', 'null', 'none', 'first', 'last', 'sample']);

/** A faker draw that is not a placeholder; the redraws come from the same stream, so they are deterministic. */
function realName(draw: () => string): string {
  let name = draw();
  for (let i = 0; i < 8 && PLACEHOLDER_NAMES.has(name.toLowerCase()); i++) name = draw();
  return name;
}

/** ASCII letters only, for e-mail local parts ("O'Brien-Smith" -> "obriensmith"). */
export function emailPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

const SUFFIX_WEIGHTS = STREET_SUFFIXES.map(
  (s) => s.weight / STREET_SUFFIXES.reduce((a, b) => a + b.weight, 0),
);
const DIRECTIONS = ['N', 'S', 'E', 'W'];
/** E-mail numbers are unique inside blocks of this many consecutive ids, scrambled within each block. */
const EMAIL_BLOCK = 1000;

/**
 * The e-mail number of HCP `id` (>= 1): a bijection of the id (block of 1,000 kept, offset inside the block
 * permuted by an affine map with a multiplier prime to 1,000), so numbers look random but never repeat.
 */
export function emailNumber(id: number, seedK: number): number {
  const block = Math.floor((id - 1) / EMAIL_BLOCK);
  const offset = (id - 1) % EMAIL_BLOCK;
  const h = Math.imul(seedK ^ Math.imul(block + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
  // Odd and not a multiple of 5: invertible modulo 1,000.
  let a = (h % 500) * 2 + 1;
  if (a % 5 === 0) a += 2;
  const c = (h >>> 16) % EMAIL_BLOCK;
  return block * EMAIL_BLOCK + ((a * offset + c) % EMAIL_BLOCK) + 1;
}

/** A street address: house number, optional direction, a common street name and suffix, sometimes a suite. */
export function streetAddress(rng: KeyedRng): string {
  const number = Math.floor(10 ** (1 + rng.next() * 3.7));
  const dir = rng.next() < 0.15 ? `${DIRECTIONS[Math.floor(rng.next() * 4)]!} ` : '';
  const name = STREET_NAMES[Math.floor(rng.next() ** 1.6 * STREET_NAMES.length)]!;
  const suffix = STREET_SUFFIXES[pickIndex(SUFFIX_WEIGHTS, rng.next())]!.value;
  // Practices are often in medical office buildings.
  const suite =
    rng.next() < 0.35 ? ` Suite ${100 * (1 + Math.floor(rng.next() * 6)) + Math.floor(rng.next() * 40)}` : '';
  return `${number} ${dir}${name} ${suffix}${suite}`;
}

/** (AAA) NXX-XXXX with a real area code; the exchange avoids N11 and 555 (reserved and fictional). */
export function phoneNumber(rng: KeyedRng, codes: readonly number[]): string | null {
  if (codes.length === 0) return null;
  const area = codes[Math.floor(rng.next() * codes.length)]!;
  let exchange = 200 + Math.floor(rng.next() * 800);
  if (exchange % 100 === 11 || exchange === 555) exchange += 1;
  const line = Math.floor(rng.next() * 10_000);
  return `(${area}) ${exchange}-${String(line).padStart(4, '0')}`;
}

/**
 * HCP `key`'s identity from streams keyed by `key` (the HCP id, or a fixture's key). `id` numbers the e-mail
 * (unique per id); every draw happens whatever the caller uses, so overriding one value never changes another.
 */
export function drawIdentity(ctx: GenerationContext, key: number, id: number, a: HcpAttributes): Identity {
  const { plan, rng, seedK } = ctx;
  const pop = plan.population;
  const faker = keyedFaker(seedK, FIELD.faker, key);
  const first = realName(() => faker.person.firstName());
  const last = realName(() => faker.person.lastName());
  const state = pop.states[a.stateIndex]!;
  const city = state.cities[a.cityIndex]!;
  rng.reset(seedK, FIELD.identity, key);
  const zips = cityZips(state.code, city.name, city.zip3);
  const u = rng.next();
  // A ZIP3 without any known ZIP (a scenario's own prefix): the prefix plus two drawn digits, as before.
  const zip =
    zips.length > 0
      ? zips[Math.floor(u * zips.length)]!
      : city.zip3 + String(1 + Math.floor(u * 98)).padStart(2, '0');
  const address = streetAddress(rng);
  const phone = phoneNumber(rng, areaCodes(state.code, city.name));
  const domain = pop.emailDomains[Math.floor(rng.next() * pop.emailDomains.length)]!;
  const style = rng.next();
  const f = emailPart(first);
  const l = emailPart(last);
  const n = emailNumber(id, seedK);
  const local = style < 0.4 ? `${f}.${l}${n}` : style < 0.7 ? `${f.slice(0, 1)}${l}${n}` : `dr${l}${n}`;
  return { first, last, address, zip, phone, email: `${local}@${domain}` };
}
