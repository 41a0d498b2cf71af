// The report as a person reads it: one line per check, failures followed by what was found and where to look,
// then the summary line.
//
//   PASS  ref.stimuli.hcp_id                 expected 0 orphans, actual 0
//   FAIL  agg.engagement_scores.stimuli_count expected 0 mismatches, actual 3 (3 offending, e.g. 17, 42, 99)
//         engagement_scores.stimuli_count must equal the HCP's rows in stimuli (samples are hcp_ids).
//   Validation: 57 passed, 1 failed
import type { CheckResult, ValidationReport } from './types.js';

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export function formatResult(r: CheckResult, nameWidth = 0): string {
  let line = `${LABEL[r.status]}  ${r.name.padEnd(nameWidth)}  expected ${r.expected}, actual ${r.actual}`;
  if (r.status === 'fail' && r.offending !== undefined) {
    const samples = r.samples && r.samples.length > 0 ? `, e.g. ${r.samples.join(', ')}` : '';
    line += ` (${r.offending} offending${samples})`;
  }
  if (r.status === 'fail' && r.detail) line += `\n      ${r.detail}`;
  return line;
}

export function renderText(report: ValidationReport): string {
  const width = Math.max(0, ...report.results.map((r) => r.name.length));
  const lines = report.results.map((r) => formatResult(r, width));
  lines.push(report.summary);
  return `${lines.join('\n')}\n`;
}
