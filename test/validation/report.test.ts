import { expect } from 'chai';
import { formatResult, renderText } from '../../src/validation/report.js';
import { renderJunit, xmlEscape } from '../../src/validation/junit.js';
import { summarise } from '../../src/validation/run.js';
import type { CheckResult, ValidationReport } from '../../src/validation/types.js';

const RESULTS: CheckResult[] = [
  { name: 'ref.stimuli.hcp_id', category: 'referential', status: 'pass', expected: '0 orphans', actual: '0' },
  {
    name: 'agg.engagement_scores.stimuli_count',
    category: 'aggregates',
    status: 'fail',
    expected: '0 mismatches',
    actual: '3',
    offending: 3,
    samples: [17, 42, 99],
    detail: "stimuli_count must equal the HCP's rows in stimuli.",
  },
  {
    name: 'dist.month_share.12',
    category: 'distribution',
    status: 'skip',
    expected: '0.6..0.95',
    actual: 'n/a (month 12 is not in the window)',
  },
  {
    name: 'dist.share.tier.<Tier & "1">',
    category: 'distribution',
    status: 'fail',
    expected: '0.01..0.15',
    actual: '1',
    detail: "the share is outside the scenario's range",
  },
];

function report(results: CheckResult[]): ValidationReport {
  return { database: 'postgres://postgres@127.0.0.1:5432/x', runId: 1, results, ...summarise(results) };
}

describe('validation report rendering', () => {
  it('prints one line per check with expected and actual, failures with samples and detail', () => {
    expect(formatResult(RESULTS[0]!)).to.equal('PASS  ref.stimuli.hcp_id  expected 0 orphans, actual 0');
    expect(formatResult(RESULTS[1]!)).to.equal(
      'FAIL  agg.engagement_scores.stimuli_count  expected 0 mismatches, actual 3 (3 offending, e.g. 17, 42, 99)\n' +
        "      stimuli_count must equal the HCP's rows in stimuli.",
    );
    expect(formatResult(RESULTS[2]!)).to.match(
      /^SKIP {2}dist\.month_share\.12 {2}expected 0\.6\.\.0\.95, actual n\/a/,
    );
  });

  it('aligns names and ends with the summary line', () => {
    const text = renderText(report(RESULTS));
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).to.equal('Validation: 1 passed, 2 failed, 1 skipped');
    const starts = lines.filter((l) => /^(PASS|FAIL|SKIP)/.test(l)).map((l) => l.indexOf('expected'));
    expect(new Set(starts).size).to.equal(1);
    expect(renderText(report([RESULTS[0]!]))).to.equal(
      'PASS  ref.stimuli.hcp_id  expected 0 orphans, actual 0\nValidation: 1 passed, 0 failed\n',
    );
  });

  it('escapes XML text and attributes, dropping characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c"'d'`)).to.equal('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(xmlEscape('bell\u0007 tab\t')).to.equal('bell tab\t');
  });

  it('writes JUnit XML: a suite per category, a failure element per failed check, skipped ones marked', () => {
    const xml = renderJunit(report(RESULTS));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).to.equal(true);
    expect(xml).to.contain('tests="4" failures="2" errors="0" skipped="1"');
    expect(xml.match(/<testsuite /g)).to.have.length(3);
    expect(xml.match(/<testcase /g)).to.have.length(4);
    expect(xml.match(/<failure /g)).to.have.length(2);
    expect(xml.match(/<skipped /g)).to.have.length(1);
    expect(xml).to.contain('<testsuite name="distribution" tests="2" failures="1" errors="0" skipped="1">');
    expect(xml).to.contain('name="dist.share.tier.&lt;Tier &amp; &quot;1&quot;&gt;"');
    expect(xml).to.contain('message="expected 0 mismatches, actual 3"');
    // Nothing unescaped slipped through: every & starts an entity.
    expect(xml.replace(/&(amp|lt|gt|quot|apos);/g, '')).to.not.contain('&');
  });
});
