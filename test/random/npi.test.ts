import { expect } from 'chai';
import {
  GENERATED_NPI_SPACE,
  isFixtureNpi,
  isValidNpi,
  npiCheckDigit,
  npiForIndex,
  scramble8,
} from '../../src/random/npi.js';

/** A textbook Luhn check, written independently: the digits of `payload + check` must sum to 0 mod 10. */
function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('NPI', () => {
  it('accepts known valid NPIs and rejects altered ones', () => {
    expect(npiCheckDigit('123456789')).to.equal(3); // the CMS worked example
    expect(isValidNpi('1234567893')).to.equal(true);
    expect(isValidNpi(1245319599)).to.equal(true);
    expect(isValidNpi('1234567890')).to.equal(false);
    expect(isValidNpi('123456789')).to.equal(false);
    expect(isValidNpi('12345678933')).to.equal(false);
    expect(isValidNpi('12345678a3')).to.equal(false);
    // Luhn catches every single-digit change
    const npi = '1245319599';
    for (let pos = 0; pos < 10; pos++) {
      for (let d = 0; d < 10; d++) {
        if (String(d) === npi[pos]) continue;
        expect(isValidNpi(npi.slice(0, pos) + d + npi.slice(pos + 1))).to.equal(false);
      }
    }
    expect(() => npiCheckDigit('12345678')).to.throw(RangeError);
  });

  it('agrees with a plain Luhn check over 80840 + the NPI', () => {
    for (let k = 0; k < 2000; k++) {
      const npi = npiForIndex(k * 44_999, 3);
      expect(luhnOk('80840' + npi), npi).to.equal(true);
    }
  });

  it('maps 1M indices to 1M distinct valid NPIs starting with 1, none in the fixture block', () => {
    const seen = new Set<string>();
    let reserved = 0;
    for (let k = 0; k < 1_000_000; k++) {
      const npi = npiForIndex(k, 20250630);
      if (k % 997 === 0) {
        expect(npi).to.match(/^1\d{9}$/);
        expect(isValidNpi(npi)).to.equal(true);
      }
      if (isFixtureNpi(npi)) reserved++;
      seen.add(npi);
    }
    expect(seen.size).to.equal(1_000_000);
    expect(reserved).to.equal(0);
  });

  it('keeps the top of the index range out of the fixture block too', () => {
    // Without cycle-walking about 10% of these would start with 19.
    for (let k = GENERATED_NPI_SPACE - 20_000; k < GENERATED_NPI_SPACE; k++) {
      expect(npiForIndex(k, 7).startsWith('19'), String(k)).to.equal(false);
    }
  });

  it('is deterministic, depends on the seed and looks scrambled', () => {
    expect(npiForIndex(17, 1)).to.equal(npiForIndex(17, 1));
    expect(npiForIndex(17, 1)).to.not.equal(npiForIndex(17, 2));
    // consecutive indices do not give nearby numbers
    let near = 0;
    for (let k = 0; k < 1000; k++) {
      if (Math.abs(Number(npiForIndex(k + 1, 1)) - Number(npiForIndex(k, 1))) < 1_000_000) near++;
    }
    expect(near).to.be.below(50);
  });

  it('scramble8 is a bijection (checked on a full block of the domain)', () => {
    // image of [0, 10^6) under the permutation has no repeats and stays inside [0, 10^8)
    const hit = new Uint8Array(100_000_000 / 8);
    let outside = 0;
    let repeats = 0;
    for (let x = 0; x < 1_000_000; x++) {
      const y = scramble8(x, 12345);
      if (!(Number.isInteger(y) && y >= 0 && y < 100_000_000)) {
        outside++;
        continue;
      }
      const bit = 1 << (y & 7);
      if (hit[y >>> 3]! & bit) repeats++;
      hit[y >>> 3]! |= bit;
    }
    expect({ outside, repeats }).to.deep.equal({ outside: 0, repeats: 0 });
  });

  it('rejects indices outside [0, 9 x 10^7)', () => {
    expect(() => npiForIndex(-1, 1)).to.throw(RangeError);
    expect(() => npiForIndex(90_000_000, 1)).to.throw(RangeError);
    expect(() => npiForIndex(1.5, 1)).to.throw(RangeError);
    expect(npiForIndex(89_999_999, 1)).to.match(/^1[0-8]\d{8}$/);
  });
});
