// Fixture folders for the seed-data tests: a temp dir per call, files written from strings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planFor } from '../../src/scenario/plan-for.js';
import type { Plan, RunParams, TableName } from '../../src/plan/types.js';

export function fixtureDir(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-seed-data-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function defaultPlan(over: Partial<RunParams> = {}): Promise<Plan> {
  const params = { seed: 7, hcps: 100, months: 3, asOf: '2025-12-31', ...over };
  return (await planFor('default', params)).plan;
}

/** A small valid fixture file: one HCP (NPI 1904567819) with one campaign e-mail. */
export const SMALL = `campaigns:
  - name: Q4 e-mail
    type: Brand awareness
    start: -2m
    end: -0m
hcps:
  - npi: '1904567819'
    specialty: 207RC0000X
    state: NY
    stimuli:
      - channel: email
        at: -10d 08:00
        campaign: Q4 e-mail
        outcome: { type: opened, at: -10d 09:00 }
`;

/** Per table, the SQL condition of the generated rows (HCPs 1..hcps, campaigns 1..count); the others are the fixtures'. */
export function generatedRows(hcps: number): Record<TableName, string> {
  return {
    hcp_profiles: `id <= ${hcps}`,
    territory_assignments: `hcp_id <= ${hcps}`,
    campaigns: 'id < 1000000000',
    stimuli: `hcp_id <= ${hcps}`,
    outcomes: `hcp_id <= ${hcps}`,
    rx_history: `hcp_id <= ${hcps}`,
    engagement_scores: `hcp_id <= ${hcps}`,
  };
}
