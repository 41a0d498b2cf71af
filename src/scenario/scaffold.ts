// `hcpgen scenario new NAME --from SCENARIO`: a new study file that starts as a working copy of an existing
// scenario (so it lints, plans and generates from the first minute) with that scenario's own prose removed and a
// guide in its place: what each section controls, and `CHANGE:` marks on what a new study must revisit. The
// values stay (they are a realistic starting point); the comments about them would be about another brand.
import path from 'node:path';
import { isMap, isPair, isScalar, parseDocument, visit, type Document } from 'yaml';

const CHANGE = 'CHANGE:';

/** One comment per top-level section: what it controls, and what a new study changes there. */
export const SECTION_GUIDE: Readonly<Record<string, string>> = {
  name: `${CHANGE} the study's name: the file name without .yaml, recorded with every run.`,
  description: `${CHANGE} one line on the brand, the audience and the window (shown by plan and in reports).`,
  defaults: 'The --hcps and --months a run uses when the command line gives none.',
  products: [
    `${CHANGE} the brand (and its competitors in the market basket): id, name and share of the HCP's volume;`,
    'a launch may declare a calendar launch date. The first product is the lead the channels promote.',
  ].join('\n'),
  population: [
    'Who the HCPs are. specialties: NUCC taxonomy code, name, weight (relative share of HCPs) and trx_multiplier',
    '(how much more of this class the specialty writes than the average prescriber). credential, tier and segment',
    'are drawn from weights, optionally "by" an attribute drawn earlier; regions > states > cities (ZIP3 prefix)',
    'weight the geography.',
    `${CHANGE} the specialties and their weights and multipliers for the therapy area (the copied weights and`,
    'multipliers describe the scenario this file was made from), and the tier and segment mix of the brand.',
  ].join('\n'),
  territories: [
    'Sales force size and roles: reps per region as a formula of region_hcps, assignments per HCP, the roles.',
    `${CHANGE} the HCPs per rep and the role names of the study's field force.`,
  ].join('\n'),
  targeting: [
    "The brand's target list (hcp_profiles.is_target): the rule that says which HCPs the reps call on.",
    `${CHANGE} the target specialties and tiers for the brand.`,
  ].join('\n'),
  channels: [
    'The CRM channel vocabulary: weight (share of stimuli), rep_delivered, weekend share, local business hours,',
    'nrx_lift (extra NRx per stimulus) and the outcomes each channel can produce, with rates and lags.',
    `${CHANGE} the channel mix (weights) and the response rates to what the brand's channels achieve.`,
  ].join('\n'),
  campaigns: [
    'How many campaigns (a formula of hcps) and of which types: channels, targeting and duration.',
    `${CHANGE} the campaign types and their targeting (specialty codes and tiers must be declared above).`,
  ].join('\n'),
  stimuli: [
    'Contact intensity: stimuli per HCP-month, dispersion, intensity by tier (and other attributes), seasonality.',
    `${CHANGE} per_hcp_month to the brand's promotional intensity, and the seasonality of its market.`,
  ].join('\n'),
  prescribing: [
    'Rx history: the NRx share of TRx, the lift that promotion adds and how it decays, monthly seasonality.',
    `${CHANGE} the NRx share and the promotional lift for the product's life-cycle stage.`,
  ].join('\n'),
  engagement:
    'Engagement scores: recency, frequency and response weights, saturation levels, segment thresholds.',
};

/**
 * The new file has no validation block: every run is checked against what its own model implies (the derived
 * model.* checks), so ranges copied from another study would only be wrong. This trailing comment shows how to
 * add business ranges or adjust a derived check.
 */
const VALIDATION_GUIDE = [
  ' validation: optional. Every run is already checked against what this file implies (the derived model.*',
  ' checks: mixes, rates, seasonality, lags, Rx shares), within the sampling noise of its size. Add a block only',
  ' for business ranges, or to adjust a derived check by name, e.g.:',
  '',
  ' validation:',
  '   checks:',
  '     - kind: outcome_rate',
  '       name: email open rate (published HCP benchmarks 16-42%)',
  '       channel: email',
  '       outcome_types: [opened, clicked]',
  '       expected: { min: 0.16, max: 0.42 }',
  '   derived:',
  '     checks:',
  '       model.engagement_scores.segment: { sigmas: 6 }',
].join('\n');

export interface ScaffoldOptions {
  /** The new scenario's name (also its file name). */
  name: string;
  /** The text of the scenario it starts from, and that scenario's name. */
  fromText: string;
  fromName: string;
  /** The schema file, and the directory the new file goes into (for the editor's `$schema` path). */
  schemaFile: string;
  dir: string;
}

/** File-safe scenario names: lower-case letters, digits and dashes, starting with a letter or digit. */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function stripComments(doc: Document): void {
  doc.commentBefore = null;
  doc.comment = null;
  // Visits keys and values alike.
  visit(doc, {
    Node(_, node) {
      node.commentBefore = null;
      node.comment = null;
    },
  });
}

/** The new scenario's text. Throws if the source is not a mapping (callers pass a linted scenario). */
export function scaffoldScenario(options: ScaffoldOptions): string {
  const doc = parseDocument(options.fromText);
  if (!isMap(doc.contents)) throw new Error(`scenario ${options.fromName} is not a mapping`);
  stripComments(doc);
  const schemaRef = path.relative(options.dir, options.schemaFile).split(path.sep).join('/');
  doc.set('$schema', schemaRef);
  doc.set('name', options.name);
  doc.set(
    'description',
    `${options.name}: a new study made from ${options.fromName}; describe its brand, audience and window here.`,
  );
  doc.delete('validation');
  doc.comment = VALIDATION_GUIDE;
  for (const item of doc.contents.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const guide = SECTION_GUIDE[String(item.key.value)];
    if (guide) item.key.commentBefore = guide.replace(/^/gm, ' ');
  }
  doc.commentBefore = [
    ` yaml-language-server: $schema=${schemaRef}`,
    '',
    ` A new hcpgen study, made with \`hcpgen scenario new ${options.name} --from ${options.fromName}\`. It starts as a`,
    ` working copy of ${options.fromName}: it lints, plans and generates as it is. Work through the sections marked`,
    ` ${CHANGE} (every value is a scaling or realism rule of the study), then check each change with`,
    ` \`hcpgen scenario lint\` and see its effect with \`hcpgen plan\` before you generate.`,
    ' Every key, with its unit and an example: docs/scenario-reference.md (generated from the schema).',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
