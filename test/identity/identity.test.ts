// HCP identity (issue 14 part 5) on real profiles of the default scenario: real names (no placeholders),
// unique e-mails (by construction, and checked over a million ids), addresses from common US street names,
// ZIP codes that exist in the city's ZIP3, and phone numbers with the city's real area codes.
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import type { Plan } from '../../src/plan/types.js';
import { createContext, type GenerationContext } from '../../src/steps/context.js';
import { generateChunk } from '../../src/steps/chunk.js';
import { drawAttributes } from '../../src/steps/hcp-attributes.js';
import { drawIdentity, emailNumber } from '../../src/steps/identity.js';
import {
  areaCodes,
  cityZips,
  STATE_AREA_CODES,
  STREET_NAMES,
  STREET_SUFFIXES,
} from '../../src/steps/us-geo.js';
import { ZIPS_BY_ZIP3 } from '../../src/steps/us-zips.js';
import { cell } from '../../src/tables/batch.js';
import { columnIndex } from '../../src/tables/model.js';
import { HCP_PROFILES } from '../../src/tables/tables.js';

const C = columnIndex(HCP_PROFILES);

type Profile = Record<'first' | 'last' | 'state' | 'city' | 'zip' | 'address' | 'email' | 'phone', string>;

function profiles(ctx: GenerationContext, from: number, to: number): Profile[] {
  const b = generateChunk(ctx, from, to).hcp_profiles;
  const out: Profile[] = [];
  const text = (col: number, r: number): string => String(cell(b, col, r));
  for (let r = 0; r < b.rows; r++) {
    out.push({
      first: text(C.first_name, r),
      last: text(C.last_name, r),
      state: text(C.state, r),
      city: text(C.city, r),
      zip: text(C.zip, r),
      address: text(C.address_line, r),
      email: text(C.email, r),
      phone: text(C.phone, r),
    });
  }
  return out;
}

describe('HCP identity', function () {
  this.timeout(120_000);
  let plan: Plan;
  let rows: Profile[];

  before(async function () {
    plan = (await planFor('default', { seed: 42, hcps: 3000, months: 12, asOf: '2025-12-31' })).plan;
    rows = profiles(createContext(plan), 1, 3000);
  });

  it('never uses a placeholder for a name', function () {
    for (const r of rows) {
      expect(r.first).to.match(/^[A-Z][A-Za-z' -]+$/);
      expect(r.last).to.match(/^[A-Z][A-Za-z' -]+$/);
      expect(['name', 'test', 'unknown'], `${r.first} ${r.last}`).to.not.include(r.first.toLowerCase());
    }
  });

  it('gives every HCP a real ZIP code of its city, inside the ZIP3 the scenario declares', function () {
    const zip3 = new Map(
      plan.population.states.flatMap((s) => s.cities.map((c) => [`${s.code}|${c.name}`, c.zip3])),
    );
    for (const r of rows) {
      const prefix = zip3.get(`${r.state}|${r.city}`)!;
      expect(r.zip.slice(0, 3), `${r.city} ${r.zip}`).to.equal(prefix);
      expect(cityZips(r.state, r.city, prefix), `${r.city} ${r.zip}`).to.include(r.zip);
      // The shipped per-ZIP3 list has it too: it is a ZIP code that exists.
      expect(ZIPS_BY_ZIP3[prefix]!.match(/../g), r.zip).to.include(r.zip.slice(3));
    }
    // Manhattan's ZIPs, for instance, are 100xx codes that exist: the range has gaps (10050..10054 are none).
    expect(cityZips('NY', 'New York', '100')).to.include('10001');
    expect(cityZips('NY', 'New York', '100')).to.not.include('10052');
  });

  it('writes street addresses from common US street names and suffixes', function () {
    const names = new Set(STREET_NAMES);
    const suffixes = new Set(STREET_SUFFIXES.map((s) => s.value));
    const re = new RegExp(`^(\\d+) (?:[NSEW] )?(.+) (${[...suffixes].join('|')})(?: Suite \\d+)?$`);
    for (const r of rows) {
      const m = re.exec(r.address);
      expect(m, r.address).to.not.equal(null);
      expect(Number(m![1])).to.be.within(10, 99_999);
      expect(names.has(m![2]!), r.address).to.equal(true);
      expect(suffixes.has(m![3]!), r.address).to.equal(true);
    }
    expect(new Set(rows.map((r) => r.address)).size).to.be.greaterThan(rows.length * 0.98);
  });

  it("gives phone numbers with the city's real area codes", function () {
    for (const r of rows) {
      const m = /^\((\d{3})\) ([2-9]\d\d)-(\d{4})$/.exec(r.phone);
      expect(m, r.phone).to.not.equal(null);
      expect(areaCodes(r.state, r.city), `${r.city}, ${r.state}: ${r.phone}`).to.include(Number(m![1]));
      expect(m![2]).to.not.equal('555');
    }
    // A city's own codes are codes of its state, so state-level SQL checks hold too.
    for (const s of plan.population.states) {
      for (const c of s.cities) {
        for (const code of areaCodes(s.code, c.name))
          expect(STATE_AREA_CODES[s.code], c.name).to.include(code);
      }
    }
    expect(areaCodes('NY', 'New York')).to.include(212);
    expect(areaCodes('TX', 'Houston')).to.include(713);
  });

  it('writes unique e-mails that are built from the name', function () {
    expect(new Set(rows.map((r) => r.email)).size).to.equal(rows.length);
    for (const r of rows) {
      const last = r.last.toLowerCase().replace(/[^a-z]/g, '');
      expect(r.email).to.match(/^[a-z.]*\d+@[a-z0-9.-]+$/);
      expect(r.email.split('@')[0], r.email).to.include(last);
    }
  });

  it('numbers e-mails by a bijection of the id, so 1,000,000 HCPs get 1,000,000 distinct numbers', function () {
    const n = 1_000_000;
    const seen = new Uint8Array(n + 1);
    const seedK = createContext(plan).seedK;
    let distinct = 0;
    for (let id = 1; id <= n; id++) {
      const k = emailNumber(id, seedK);
      if (k < 1 || k > n) expect.fail(`e-mail number ${k} of id ${id} is outside 1..${n}`);
      if (seen[k] === 0) distinct++;
      seen[k] = 1;
    }
    expect(distinct).to.equal(n);
  });

  it('gives 200,000 generated identities 200,000 distinct e-mails', function () {
    const ctx = createContext(plan);
    const emails = new Set<string>();
    for (let id = 1; id <= 200_000; id++) {
      emails.add(drawIdentity(ctx, id, id, drawAttributes(plan.population, ctx.seedK, id, ctx.rng)).email);
    }
    expect(emails.size).to.equal(200_000);
  });

  it('draws the same identity for HCP #k whatever chunk it is generated in', function () {
    const alone = profiles(createContext(plan), 1234, 1236);
    expect(alone).to.deep.equal(rows.slice(1233, 1236));
  });
});
