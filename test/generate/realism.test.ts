// The default scenario's realism promises (issue: "a default scenario that a pharma analytics engineer would
// believe"), asserted on the generator's own rows for 3,000 HCPs x 12 months, independently of the SQL
// validator (which checks the same properties inside the database).
import { expect } from 'chai';
import { planFor } from '../../src/scenario/plan-for.js';
import { generateChunks } from '../../src/generate/chunk-source.js';
import type { Plan } from '../../src/plan/types.js';
import type { HcpTable } from '../../src/steps/chunk.js';
import { columnNames } from '../../src/tables/tables.js';
import { isValidNpi } from '../../src/random/npi.js';
import { buildCampaigns } from '../../src/steps/campaigns.js';
import { seedKey } from '../../src/random/keyed.js';
import { chunkLines } from '../helpers/chunk-lines.js';

type Rows = Record<HcpTable, string[][]>;

// Generated values never contain commas except in quoted free text, which these tests split around.
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

async function generateRows(plan: Plan): Promise<Rows> {
  const rows = {} as Rows;
  for await (const chunk of generateChunks(plan, {
    workers: 2,
    chunkSize: 500,
    from: 1,
    to: plan.params.hcps,
    encoding: 'csv',
  })) {
    for (const table of Object.keys(chunk.data) as HcpTable[]) {
      (rows[table] ??= []).push(...chunkLines(chunk, table).map(parseCsvLine));
    }
  }
  return rows;
}

describe('realism of the default scenario', function () {
  let plan: Plan;
  let rows: Rows;
  const col = (table: HcpTable, name: string): number => {
    const i = columnNames(table).indexOf(name);
    if (i < 0) throw new Error(`no column ${table}.${name}`);
    return i;
  };

  before(async function () {
    plan = (await planFor('default', { seed: 42, hcps: 3000, months: 12, asOf: '2025-12-31' })).plan;
    rows = await generateRows(plan);
  });

  it('gives every HCP a unique, valid NPI (10 digits, leading 1, Luhn check digit over 80840)', function () {
    const npis = rows.hcp_profiles.map((r) => r[col('hcp_profiles', 'npi')]!);
    expect(npis.every((n) => /^1\d{9}$/.test(n) && isValidNpi(n))).to.equal(true);
    expect(new Set(npis).size).to.equal(npis.length);
  });

  it('pairs NUCC taxonomy codes with their specialty names, weighted like real physician counts', function () {
    const names = new Map(plan.population.specialties.map((s) => [s.code, s.name]));
    const counts = new Map<string, number>();
    for (const r of rows.hcp_profiles) {
      const code = r[col('hcp_profiles', 'taxonomy_code')]!;
      expect(r[col('hcp_profiles', 'specialty')]).to.equal(names.get(code));
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    // Internal and family medicine (~120k each) far outnumber cardiology (~22k) and rheumatology (~6k).
    expect(counts.get('207R00000X')!).to.be.greaterThan(3 * counts.get('207RC0000X')!);
    expect(counts.get('207RC0000X')!).to.be.greaterThan(counts.get('207RR0500X')!);
    // NPs and PAs are there, with their own credentials.
    const np = rows.hcp_profiles.filter((r) => r[col('hcp_profiles', 'taxonomy_code')] === '363L00000X');
    expect(np.length).to.be.greaterThan(100);
    expect(new Set(np.map((r) => r[col('hcp_profiles', 'credential')]))).to.deep.equal(new Set(['NP']));
  });

  it('places HCPs at addresses whose state, city and ZIP agree, in regions that group states', function () {
    const cities = new Map<string, { zip3: string; region: string }>();
    for (const s of plan.population.states) {
      const region = plan.population.regions.find((r) => r.code === s.region)!.name;
      for (const c of s.cities) cities.set(`${s.code}|${c.name}`, { zip3: c.zip3, region });
    }
    for (const r of rows.hcp_profiles) {
      const where = cities.get(`${r[col('hcp_profiles', 'state')]}|${r[col('hcp_profiles', 'city')]}`);
      expect(where, `${r[col('hcp_profiles', 'state')]} ${r[col('hcp_profiles', 'city')]}`).to.not.equal(
        undefined,
      );
      expect(r[col('hcp_profiles', 'zip')]).to.match(new RegExp(`^${where!.zip3}\\d{2}$`));
      expect(r[col('hcp_profiles', 'region')]).to.equal(where!.region);
    }
  });

  it('writes e-mail addresses that are consistent with the names', function () {
    let matching = 0;
    for (const r of rows.hcp_profiles) {
      const last = r[col('hcp_profiles', 'last_name')]!.toLowerCase().replace(/[^a-z]/g, '');
      const email = r[col('hcp_profiles', 'email')]!;
      expect(email).to.match(/^[a-z0-9.]+@[a-z0-9.-]+$/);
      if (email.split('@')[0]!.includes(last)) matching++;
    }
    expect(matching).to.equal(rows.hcp_profiles.length);
  });

  it('has heavy-tailed prescribing: the top 20% write most of the volume, deciles hold equal volume', function () {
    const vol = rows.hcp_profiles.map((r) => ({
      v: Number(r[col('hcp_profiles', 'monthly_trx_baseline')]),
      d: Number(r[col('hcp_profiles', 'decile')]),
      tier: r[col('hcp_profiles', 'tier')]!,
    }));
    const sorted = vol.map((x) => x.v).sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top = sorted.slice(0, sorted.length / 5).reduce((a, b) => a + b, 0);
    expect(top / total).to.be.within(0.55, 0.8);
    const byDecile = new Array<number>(11).fill(0);
    const hcpsByDecile = new Array<number>(11).fill(0);
    for (const x of vol) {
      byDecile[x.d]! += x.v;
      hcpsByDecile[x.d]!++;
    }
    for (let d = 1; d <= 10; d++) expect(byDecile[d]! / total, `decile ${d}`).to.be.within(0.05, 0.15);
    // decile 10 = the fewest, highest writers
    expect(hcpsByDecile[10]!).to.be.lessThan(hcpsByDecile[9]!);
    expect(hcpsByDecile[1]!).to.be.greaterThan(hcpsByDecile[2]!);
    // tier follows decile
    expect(vol.filter((x) => x.d === 10).every((x) => x.tier === 'Tier 1')).to.equal(true);
    expect(vol.filter((x) => x.d === 1).every((x) => x.tier === 'Tier 4')).to.equal(true);
  });

  it('uses CRM channels with their own outcome types, and an e-mail open rate in the published 16-42%', function () {
    const channelOf = new Map(
      rows.stimuli.map((r) => [r[col('stimuli', 'id')]!, r[col('stimuli', 'channel')]!]),
    );
    const allowed = new Map(plan.channels.map((c) => [c.id, new Set(c.outcomes.map((o) => o.type))]));
    for (const o of rows.outcomes) {
      const channel = channelOf.get(o[col('outcomes', 'stimulus_id')]!)!;
      expect(o[col('outcomes', 'channel')]).to.equal(channel);
      expect(allowed.get(channel)!.has(o[col('outcomes', 'outcome_type')]!)).to.equal(true);
    }
    const emails = rows.stimuli.filter((r) => r[col('stimuli', 'channel')] === 'email').length;
    const opened = rows.outcomes.filter((r) =>
      ['opened', 'clicked'].includes(r[col('outcomes', 'outcome_type')]!),
    );
    expect(opened.length / emails).to.be.within(0.16, 0.42);
    const outcomeShare = rows.outcomes.length / rows.stimuli.length;
    expect(outcomeShare).to.be.within(0.17, 0.23); // the reference guide: outcomes ~20% of stimuli
  });

  it('keeps time realistic: events in the window, in their campaign, outcomes after a lag, few on weekends, quieter August and December', function () {
    const start = plan.window.start;
    const end = `${plan.window.end} 23:59:59`;
    const campaigns = new Map(buildCampaigns(plan, seedKey(42)).map((c) => [String(c.id), c]));
    const stimulusAt = new Map<string, string>();
    let weekend = 0;
    const perMonth = new Array<number>(13).fill(0);
    for (const r of rows.stimuli) {
      const at = r[col('stimuli', 'occurred_at')]!;
      expect(at >= start && at <= end, at).to.equal(true);
      stimulusAt.set(r[col('stimuli', 'id')]!, at);
      const campaign = r[col('stimuli', 'campaign_id')]!;
      if (campaign !== '') {
        const c = campaigns.get(campaign)!;
        expect(
          at.slice(0, 10) >= c.startDate && at.slice(0, 10) <= c.endDate,
          `${at} in ${campaign}`,
        ).to.equal(true);
      }
      const day = new Date(`${at.slice(0, 10)}T00:00:00Z`).getUTCDay();
      if (day === 0 || day === 6) weekend++;
      perMonth[Number(at.slice(5, 7))]!++;
    }
    expect(weekend / rows.stimuli.length).to.be.lessThan(0.15);
    const average = rows.stimuli.length / 12;
    expect(perMonth[8]! / average).to.be.lessThan(0.95);
    expect(perMonth[12]! / average).to.be.lessThan(0.95);
    for (const o of rows.outcomes) {
      const at = o[col('outcomes', 'occurred_at')]!;
      expect(at > stimulusAt.get(o[col('outcomes', 'stimulus_id')]!)!).to.equal(true);
      expect(at <= end).to.equal(true);
    }
  });

  it('writes TRx >= NRx >= 0, and engaged HCPs write more new prescriptions than comparable unengaged ones', function () {
    const nrxByHcp = new Map<string, number>();
    for (const r of rows.rx_history) {
      const nrx = Number(r[col('rx_history', 'nrx')]);
      const trx = Number(r[col('rx_history', 'trx')]);
      expect(nrx).to.be.at.least(0);
      expect(trx).to.be.at.least(nrx);
      nrxByHcp.set(r[0]!, (nrxByHcp.get(r[0]!) ?? 0) + nrx);
    }
    // Within a decile, NRx relative to the HCP's own baseline rises with the number of stimuli received.
    const stimuliByHcp = new Map<string, number>();
    for (const r of rows.stimuli) stimuliByHcp.set(r[1]!, (stimuliByHcp.get(r[1]!) ?? 0) + 1);
    let engaged = 0;
    let unengaged = 0;
    let nEngaged = 0;
    let nUnengaged = 0;
    for (const r of rows.hcp_profiles) {
      const baseline =
        Number(r[col('hcp_profiles', 'monthly_trx_baseline')]) * plan.prescribing.nrxShare * 12;
      if (baseline < 20) continue; // too few prescriptions to measure a ratio
      const ratio = nrxByHcp.get(r[0]!)! / baseline;
      if ((stimuliByHcp.get(r[0]!) ?? 0) >= 60) {
        engaged += ratio;
        nEngaged++;
      } else {
        unengaged += ratio;
        nUnengaged++;
      }
    }
    expect(nEngaged).to.be.greaterThan(50);
    expect(nUnengaged).to.be.greaterThan(50);
    expect(engaged / nEngaged).to.be.greaterThan(unengaged / nUnengaged);
  });

  it('scores engagement from recency, frequency and response, on 0..100, segmented by score', function () {
    const segments = plan.engagement.segments;
    for (const r of rows.engagement_scores) {
      const score = Number(r[col('engagement_scores', 'score')]);
      expect(score).to.be.within(0, 100);
      const expectedSegment = segments.find((s) => score >= s.minScore)!.name;
      expect(r[col('engagement_scores', 'engagement_segment')]).to.equal(expectedSegment);
    }
    // More recent and more frequent contact means a higher score on average.
    const byFreq = rows.engagement_scores.map((r) => ({
      f: Number(r[col('engagement_scores', 'frequency_90d')]),
      s: Number(r[col('engagement_scores', 'score')]),
    }));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(byFreq.filter((x) => x.f >= 12).map((x) => x.s))).to.be.greaterThan(
      mean(byFreq.filter((x) => x.f <= 2).map((x) => x.s)),
    );
  });
});
