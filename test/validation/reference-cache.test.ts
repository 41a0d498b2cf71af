// The reference cache: an entry read back is the drawn reference itself; the key follows what the reference
// reads (not the seed), and a damaged entry is drawn again rather than trusted or fatal.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import {
  readCachedReference,
  referenceCache,
  referenceKey,
  writeCachedReference,
  type ReferenceCache,
} from '../../src/validation/model/reference-cache.js';
import { drawReferenceModels } from '../../src/validation/model/reference-models.js';

const params = { seed: 42, asOf: '2025-12-31', hcps: 600 };

describe('reference cache', function () {
  this.timeout(60_000);
  let tmp: string;
  let cache: ReferenceCache;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-refcache-'));
    cache = {
      readDirs: [path.join(tmp, 'shipped'), path.join(tmp, 'user')],
      writeDir: path.join(tmp, 'user'),
      fingerprint: 'f1',
    };
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('gives back exactly what was drawn, for the same plan at another seed too', async () => {
    const { plan } = await planFor('default', params);
    expect(readCachedReference(plan, cache)).to.equal(undefined);
    const drawn = drawReferenceModels(plan);
    writeCachedReference(plan, drawn, cache);
    expect(readdirSync(cache.writeDir!)).to.have.length(1);
    expect(readCachedReference(plan, cache)).to.deep.equal(drawn);
    const other = (await planFor('default', { ...params, seed: 7 })).plan;
    expect(readCachedReference(other, cache)).to.deep.equal(drawn);
  });

  it('keys on the plan and the code: another size, months or build misses', async () => {
    const { plan } = await planFor('default', params);
    const key = referenceKey(plan, 'f1');
    expect(referenceKey((await planFor('default', { ...params, hcps: 601 })).plan, 'f1')).to.not.equal(key);
    expect(referenceKey((await planFor('default', { ...params, months: 6 })).plan, 'f1')).to.not.equal(key);
    expect(referenceKey(plan, 'f2')).to.not.equal(key);
    // The fixtures and the scenario file's path are not part of what the reference reads.
    expect(referenceKey({ ...plan, scenario: { ...plan.scenario, file: '/elsewhere.yaml' } }, 'f1')).to.equal(
      key,
    );
  });

  it('draws again over a damaged entry instead of failing or trusting it', async () => {
    const { plan } = await planFor('default', { ...params, hcps: 700 });
    const file = path.join(cache.writeDir!, `${referenceKey(plan, 'f1')}.reference.bin`);
    writeFileSync(file, Buffer.from('not a reference'));
    expect(readCachedReference(plan, cache)).to.equal(undefined);
    writeFileSync(file, Buffer.alloc(0));
    expect(readCachedReference(plan, cache)).to.equal(undefined);
  });

  it('is off from source (no build id), with HCPGEN_CACHE_DIR=off, and follows HCPGEN_CACHE_DIR', () => {
    expect(referenceCache({}, null)).to.equal(null);
    expect(referenceCache({ HCPGEN_CACHE_DIR: 'off' }, 'f1')).to.equal(null);
    expect(referenceCache({ HCPGEN_CACHE_DIR: tmp }, 'f1')!.writeDir).to.equal(tmp);
    expect(referenceCache({ XDG_CACHE_HOME: tmp }, 'f1')!.writeDir).to.equal(path.join(tmp, 'hcpgen'));
  });
});
