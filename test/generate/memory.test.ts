// The load's memory must not grow with --hcps: a chunk of rows, once COPYed, has to be garbage the collector
// can take while generation goes on. (A run once kept every chunk alive until the load ended: 3.7 GB at 1M HCPs.)
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import { generateChunks } from '../../src/generate/chunk-source.js';

// V8's collector, without starting mocha with --expose-gc: the flag only takes effect in contexts made after it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('chunk source memory', function () {
  this.timeout(60_000);

  for (const workers of [0, 2]) {
    it(`lets consumed chunks be collected while the run goes on (workers = ${workers})`, async function () {
      const { plan } = await planFor('default', { seed: 42, hcps: 600, months: 12, asOf: '2025-12-31' });
      const controller = new AbortController(); // the generate command always passes a signal
      const refs: WeakRef<object>[] = [];
      let alive = -1;
      for await (const chunk of generateChunks(plan, {
        workers,
        chunkSize: 20,
        from: 1,
        to: 600,
        encoding: 'copy-binary',
        signal: controller.signal,
      })) {
        refs.push(new WeakRef(chunk.data.stimuli));
        if (refs.length === 25) {
          // Let the WeakRefs made in earlier jobs lapse, then collect, mid-run (5 more chunks to come).
          await new Promise((resolve) => setImmediate(resolve));
          gc();
          alive = refs.slice(0, 20).filter((r) => r.deref() !== undefined).length;
        }
      }
      expect(refs).to.have.length(30);
      expect(alive, 'chunks 1-20 still reachable after chunk 25').to.equal(0);
    });
  }
});
