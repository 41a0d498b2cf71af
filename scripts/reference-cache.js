// Run by `npm run build`, after build-id: the reference models of the runs the README starts with (the default
// scenario at its default size and at the documented --hcps=2500, each shipped scenario at its defaults) into
// dist/reference-cache/, so that even the first `hcpgen generate` on a new machine does not spend a second
// drawing them. See src/validation/model/reference-cache.ts.
import { buildId } from '../dist/lib/build-id.js';
import { DEFAULT_AS_OF, DEFAULT_SEED } from '../dist/plan/limits.js';
import { planFor } from '../dist/scenario/plan-for.js';
import { shippedScenarioFiles } from '../dist/scenario/resolve.js';
import { drawReferenceModels } from '../dist/validation/model/reference-models.js';
import { shippedReferenceDir, writeReferenceEntry } from '../dist/validation/model/reference-cache.js';

const fingerprint = buildId();
if (!fingerprint) {
  console.error('reference-cache: dist/build-id is missing; run scripts/build-id.js first');
  process.exit(1);
}
const runs = [
  ...shippedScenarioFiles().map((file) => ({ scenario: file })),
  { scenario: 'default', hcps: 2500 },
];
for (const run of runs) {
  const { plan } = await planFor(run.scenario, { seed: DEFAULT_SEED, asOf: DEFAULT_AS_OF, hcps: run.hcps });
  writeReferenceEntry(shippedReferenceDir(), plan, drawReferenceModels(plan), fingerprint);
}
