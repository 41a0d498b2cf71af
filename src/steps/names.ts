// Person names and street addresses from faker. Faker draws from our keyed sfc32 stream through its
// Randomizer hook, re-keyed per entity: seeding faker's own Mersenne Twister per HCP cost ~60 us, more than
// the rest of an HCP's rows together. Never faker's global instance. Output is pinned by the exact faker
// version in package.json (its word lists and algorithms), which is recorded with each run.
import { Faker, base, en, en_US, type Randomizer } from '@faker-js/faker';
import type { GenerationContext } from './context.js';
import { FIELD } from './context.js';
import { KeyedRng } from '../random/keyed.js';

const rng = new KeyedRng();
const randomizer: Randomizer = {
  next: () => rng.next(),
  // Seeding goes through keyedFaker(); faker's own seed() is never called on this instance.
  seed: () => undefined,
};
let fakerInstance: Faker | undefined;

/** A faker whose next values come from the stream (seedK, fieldK, id, sub). Valid until the next call. */
export function keyedFaker(seedK: number, fieldK: number, id: number, sub = 0): Faker {
  fakerInstance ??= new Faker({ locale: [en_US, en, base], randomizer });
  rng.reset(seedK, fieldK, id, sub);
  return fakerInstance;
}

const repNames = new Map<string, string>();

/** The name of rep `bucket` of region `regionIndex` (the same rep in every row and every run with this seed). */
export function repName(ctx: GenerationContext, regionIndex: number, bucket: number): string {
  const key = `${ctx.seedK}|${regionIndex}|${bucket}`;
  let name = repNames.get(key);
  if (name === undefined) {
    name = keyedFaker(ctx.seedK, FIELD.rep, bucket, regionIndex).person.fullName();
    repNames.set(key, name);
  }
  return name;
}
