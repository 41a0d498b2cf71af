// The report page: one self-contained HTML file (inline CSS and SVG; no script, font, image or link that
// would reach the network), readable on a laptop screen and in print. Every chart section has an id, a title
// (h2), a one-line caption saying what to look for, and the chart as inline SVG.
import type { Plan, TableName } from '../plan/types.js';
import { TABLES } from '../plan/types.js';
import type { CheckResult, ValidationReport } from '../validation/types.js';
import { categoryChart, xyChart } from './charts.js';
import type { ReportData } from './data.js';

export interface RunInfo {
  /** Where the data is: a database URL (no password), a data directory, or a file output directory. */
  source: string;
  scenario: { name: string; hash: string; file?: string };
  params: { seed: number | string; hcps: number; months: number; asOf: string };
  generatorVersion: string;
  runId: number | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  fixturesHash?: string | null;
  /** Phase wall seconds, when the report is written right after generate. */
  phases?: Record<string, number>;
  totalSeconds?: number;
}

export function esc(s: unknown): string {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const p1 = (x: number) => `${(x * 100).toFixed(1)}%`;

function table(head: string[], rows: (string | number)[][], cls = ''): string {
  return (
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? n0(c) : esc(c)}</td>`).join('')}</tr>`)
      .join('') +
    '</tbody></table>'
  );
}

interface Section {
  id: string;
  title: string;
  caption: string;
  charts: string[];
  extra?: string;
}

function section(s: Section): string {
  return (
    `<section class="chart" id="${s.id}"><h2>${esc(s.title)}</h2><p class="caption">${esc(s.caption)}</p>` +
    s.charts.map((svg) => `<figure>${svg}</figure>`).join('') +
    (s.extra ?? '') +
    '</section>'
  );
}

function runSection(run: RunInfo, data: ReportData, plan: Plan): string {
  const rows: [string, string][] = [
    ['data', run.source],
    ['scenario', `${run.scenario.name}${run.scenario.file ? ` (${run.scenario.file})` : ''}`],
    ['scenario hash', run.scenario.hash],
    ['seed', String(run.params.seed)],
    ['HCPs', n0(run.params.hcps)],
    ['months', `${run.params.months}, ${plan.window.start} to ${plan.window.end} (as-of ${run.params.asOf})`],
    ['generator version', run.generatorVersion],
    ['run', run.runId === null ? 'file output (no hcpgen_runs row)' : `#${run.runId}`],
    ['fixtures', run.fixturesHash ? run.fixturesHash.slice(0, 12) : 'none'],
  ];
  if (run.startedAt) rows.push(['started', run.startedAt]);
  if (run.finishedAt) rows.push(['finished', run.finishedAt]);
  if (run.startedAt && run.finishedAt) {
    rows.push([
      'duration',
      `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`,
    ]);
  }
  if (run.phases) {
    rows.push([
      'timings',
      `${Object.entries(run.phases)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}${run.totalSeconds !== undefined ? `; total ${run.totalSeconds.toFixed(1)} s` : ''}`,
    ]);
  }
  const total = TABLES.reduce((a, t) => a + data.counts[t], 0);
  rows.push(['rows', n0(total)]);
  return (
    `<section id="run"><h2>Run</h2><p class="caption">What produced this data: the same scenario file, seed and ` +
    `parameters give identical rows.</p>${table(['', ''], rows, 'meta')}</section>`
  );
}

function validationSection(report: ValidationReport): string {
  const order = { fail: 0, skip: 1, pass: 2 } as const;
  const sorted = [...report.results].sort((a, b) => order[a.status] - order[b.status]);
  const row = (r: CheckResult) =>
    `<tr class="${r.status}"><td class="status">${r.status.toUpperCase()}</td><td>${esc(r.name)}</td>` +
    `<td>${esc(r.category)}</td><td>${esc(r.expected)}</td><td>${esc(r.actual)}</td>` +
    `<td>${r.status === 'fail' ? esc([r.offending !== undefined ? `${r.offending} offending` : '', r.samples?.length ? `e.g. ${r.samples.join(', ')}` : '', r.detail ?? ''].filter(Boolean).join('; ')) : ''}</td></tr>`;
  return (
    `<section id="validation"><h2>Validation: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped</h2>` +
    `<p class="caption">Every check hcpgen runs on this data, failures first, then skipped ones (a realism range that ` +
    `needs more HCPs than this run has), then passes.</p>` +
    `<table class="checks"><thead><tr><th>status</th><th>check</th><th>category</th><th>expected</th><th>actual</th><th>details</th></tr></thead>` +
    `<tbody>${sorted.map(row).join('')}</tbody></table></section>`
  );
}

export function renderReport(
  data: ReportData,
  plan: Plan,
  run: RunInfo,
  validation: ValidationReport,
): string {
  const sections: Section[] = [];
  const expected = (t: TableName) => plan.expected[t] + (plan.fixtures?.rows[t] ?? 0);
  sections.push({
    id: 'counts',
    title: 'Row counts against the plan',
    caption:
      'Bars near 1.0 mean each table holds the volume the plan expected; the volume checks allow the scenario tolerance.',
    charts: [
      categoryChart({
        title: 'Observed rows / planned rows',
        categories: [...TABLES],
        series: [
          {
            name: 'observed / planned',
            data: TABLES.map((t) => (expected(t) ? data.counts[t] / expected(t) : 0)),
          },
        ],
        xName: 'table',
        yName: 'observed / planned',
        markLine: 1,
      }),
    ],
    extra: table(
      ['table', 'rows', 'planned', 'difference'],
      TABLES.map((t) => [
        t,
        data.counts[t],
        expected(t),
        `${data.counts[t] >= expected(t) ? '+' : ''}${p1(expected(t) ? data.counts[t] / expected(t) - 1 : 0)}`,
      ]),
    ),
  });
  for (const mix of data.mixes) {
    sections.push({
      id: `mix-${mix.attribute}`,
      title: `${mix.attribute[0]!.toUpperCase()}${mix.attribute.slice(1)} mix: observed vs declared`,
      caption:
        `Each pair of bars should match: the share of generated HCPs per ${mix.attribute} against the scenario's weights` +
        (mix.by ? ` (declared by ${mix.by}, weighted by the observed ${mix.by} mix).` : '.'),
      charts: [
        categoryChart({
          title: `HCPs by ${mix.attribute}`,
          categories: mix.values.map((v) => v.value),
          series: [
            { name: 'observed', data: mix.values.map((v) => v.observed) },
            { name: 'declared', data: mix.values.map((v) => v.declared) },
          ],
          xName: mix.attribute,
          yName: 'share of HCPs',
          percent: true,
          horizontal: mix.values.length > 6,
        }),
      ],
    });
  }
  sections.push({
    id: 'deciles',
    title: 'Prescribing concentration: deciles and the Lorenz curve',
    caption:
      'Deciles are equal-volume groups: each should hold about 10% of baseline volume, with decile 10 the fewest, highest writers; the curve shows how few HCPs write most of the volume.',
    charts: [
      categoryChart({
        title: 'Share of volume and of HCPs by decile',
        categories: data.deciles.map((d) => String(d.decile)),
        series: [
          { name: 'share of baseline TRx volume', data: data.deciles.map((d) => d.volumeShare) },
          { name: 'share of HCPs', data: data.deciles.map((d) => d.hcpShare) },
        ],
        xName: 'decile',
        yName: 'share',
        percent: true,
      }),
      xyChart({
        title: 'Cumulative volume held by the top writers (Lorenz curve)',
        xName: 'share of HCPs, highest writers first',
        yName: 'share of baseline TRx volume',
        series: [{ name: 'observed', points: data.lorenz.map((p) => [p.x, p.y]) }],
        diagonal: true,
      }),
    ],
  });
  sections.push({
    id: 'channels',
    title: 'Channel mix by month',
    caption:
      'Stacks should keep their proportions month to month, with the height following the scenario seasonality (fewer touches in holiday months).',
    charts: [
      categoryChart({
        title: 'Stimuli per month by channel',
        categories: data.months,
        series: data.channelByMonth.map((c) => ({ name: c.channel, data: c.counts, stack: 'all' })),
        xName: 'month',
        yName: 'stimuli',
        height: 420,
      }),
    ],
  });
  sections.push({
    id: 'stimuli-per-hcp-month',
    title: 'Stimuli per HCP-month by tier',
    caption:
      'Higher tiers should sit to the right (more touches per month); zeros are HCP-months without any stimulus.',
    charts: [
      categoryChart({
        title: 'Distribution of stimuli per HCP and month',
        categories: data.stimuliBuckets,
        series: data.stimuliPerHcpMonth.map((t) => ({ name: t.tier, data: t.shares })),
        xName: 'stimuli in the month',
        yName: 'share of HCP-months',
        percent: true,
        type: 'line',
      }),
    ],
  });
  const funnelRows = data.funnel.flatMap((c) =>
    c.outcomes.map((o) => ({ label: `${c.channel}: ${o.type}`, ...o })),
  );
  sections.push({
    id: 'funnel',
    title: 'Response funnel per channel',
    caption:
      "Each outcome type as a share of its channel's stimuli, observed against the declared rate (observed runs slightly low: responses due after the as-of date are not yet seen).",
    charts: [
      categoryChart({
        title: 'Outcomes per stimulus, by channel and deepest response',
        categories: funnelRows.map((r) => r.label),
        series: [
          { name: 'observed', data: funnelRows.map((r) => r.observed) },
          { name: 'declared', data: funnelRows.map((r) => r.declared) },
        ],
        xName: '',
        yName: "share of the channel's stimuli",
        percent: true,
        horizontal: true,
      }),
    ],
    extra: table(
      ['channel', 'stimuli', 'outcome', 'outcomes', 'observed', 'declared'],
      funnelRows.map((r) => [
        r.label.split(':')[0]!,
        data.funnel.find((c) => r.label.startsWith(`${c.channel}:`))?.stimuli ?? 0,
        r.type,
        r.n,
        p1(r.observed),
        p1(r.declared),
      ]),
    ),
  });
  sections.push({
    id: 'lags',
    title: 'Response lags',
    caption:
      'Time from a stimulus to its outcome: digital responses should come within hours, Rx-related ones over days.',
    charts: [
      categoryChart({
        title: 'Lag from stimulus to outcome, by outcome type',
        categories: data.lagBuckets,
        series: data.lags.map((l) => ({ name: l.type, data: l.shares })),
        xName: 'lag',
        yName: "share of the type's outcomes",
        percent: true,
        type: 'line',
      }),
    ],
  });
  sections.push({
    id: 'rx',
    title: 'Prescriptions per product per month',
    caption:
      'TRx (solid) and NRx (dashed) per product: look for launch uptake, the seasonality the scenario declares, and NRx below TRx.',
    charts: [
      categoryChart({
        title: 'TRx and NRx per month',
        categories: data.months,
        series: data.rx.flatMap((p) => [
          { name: `${p.product} TRx`, data: p.trx },
          { name: `${p.product} NRx`, data: p.nrx, dashed: true },
        ]),
        xName: 'month',
        yName: 'prescriptions',
        type: 'line',
      }),
    ],
  });
  sections.push({
    id: 'lift',
    title: 'Engagement and prescribing',
    caption:
      'NRx per unit of baseline volume should rise with engagement: the engagement lift the scenario declares, net of HCP size.',
    charts: [
      categoryChart({
        title: 'NRx per HCP-month per baseline TRx, by engagement segment',
        categories: data.lift.map((l) => l.segment),
        series: [{ name: 'NRx / baseline TRx', data: data.lift.map((l) => l.nrxPerBaselineTrx) }],
        xName: 'engagement segment',
        yName: 'NRx per baseline TRx',
      }),
    ],
    extra: table(
      ['segment', 'HCPs', 'NRx per HCP-month', 'NRx per baseline TRx'],
      data.lift.map((l) => [l.segment, l.hcps, l.nrxPerHcpMonth.toFixed(2), l.nrxPerBaselineTrx.toFixed(3)]),
    ),
  });
  sections.push({
    id: 'scores',
    title: 'Engagement scores',
    caption:
      'Scores spread over 0-100 with the segment thresholds cutting the distribution; a spike at 0 is HCPs with no recent touch.',
    charts: [
      categoryChart({
        title: 'HCPs by engagement score',
        categories: data.scoreHistogram.map((_, i) => `${i * 5}-${i * 5 + 5}`),
        series: [{ name: 'HCPs', data: data.scoreHistogram }],
        xName: 'score',
        yName: 'HCPs',
      }),
    ],
    extra: table(
      ['segment', 'HCPs', 'share', 'lowest score', 'highest score'],
      data.segments.map((s) => [
        s.segment,
        s.hcps,
        p1(s.hcps / (data.counts.engagement_scores || 1)),
        s.min.toFixed(1),
        s.max.toFixed(1),
      ]),
    ),
  });
  sections.push({
    id: 'geography',
    title: 'HCPs and reps by state and region',
    caption:
      'HCPs per state against the declared state weights, and the reps and territories covering each region.',
    charts: [
      categoryChart({
        title: 'HCPs by state',
        categories: data.states.map((s) => s.state),
        series: [
          { name: 'observed', data: data.states.map((s) => s.observed) },
          { name: 'declared', data: data.states.map((s) => s.declared) },
        ],
        xName: 'state',
        yName: 'share of HCPs',
        percent: true,
      }),
    ],
    extra: table(
      ['region', 'HCPs', 'role', 'reps', 'territories', 'HCPs per rep'],
      data.regions.flatMap((r) =>
        r.roles.map((x) => [
          r.region,
          r.hcps,
          x.role,
          x.reps,
          x.territories,
          x.reps ? (r.hcps / x.reps).toFixed(0) : '',
        ]),
      ),
    ),
  });

  const nav = [['run', 'Run'], ...sections.map((s) => [s.id, s.title]), ['validation', 'Validation']]
    .map(([id, t]) => `<a href="#${id}">${esc(t)}</a>`)
    .join('');
  const status = validation.failed > 0 ? 'fail' : 'pass';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>hcpgen report: ${esc(run.scenario.name)}, ${n0(run.params.hcps)} HCPs, seed ${esc(run.params.seed)}</title>
<style>${CSS}</style></head><body>
<header><h1>hcpgen report: ${esc(run.scenario.name)}</h1>
<p class="summary">${n0(run.params.hcps)} HCPs x ${run.params.months} months to ${esc(run.params.asOf)}, seed ${esc(run.params.seed)}; <span class="badge ${status}">${esc(validation.summary)}</span></p>
<nav>${nav}</nav></header>
<main>${runSection(run, data, plan)}${sections.map(section).join('\n')}${validationSection(validation)}</main>
<footer>Generated by hcpgen ${esc(run.generatorVersion)} from SQL aggregates over ${esc(run.source)}.</footer>
</body></html>
`;
}

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa;line-height:1.4}
header{background:#fff;border-bottom:1px solid #ddd;padding:16px 24px}
h1{margin:0 0 4px;font-size:22px}h2{font-size:18px;margin:0 0 4px}
.summary{margin:0 0 8px;color:#444}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}nav a{color:#2f6db5;text-decoration:none}
main{max-width:1060px;margin:0 auto;padding:8px 16px}
section{background:#fff;border:1px solid #e2e2e2;border-radius:6px;margin:16px 0;padding:16px 20px}
.caption{color:#555;margin:0 0 10px;font-size:14px}
figure{margin:8px 0}figure svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;font-size:13px;margin-top:8px}
th,td{border-bottom:1px solid #eee;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
th{color:#555;font-weight:600}
table.meta td:first-child{color:#555;width:160px}
table.checks{width:100%}
tr.fail td{background:#fde8e6}tr.fail td.status{color:#b3261e;font-weight:700}
tr.skip td.status{color:#8a6d00;font-weight:700}tr.pass td.status{color:#2e7d32}
.badge{padding:1px 8px;border-radius:10px;font-weight:600}.badge.pass{background:#e3f3e6;color:#2e7d32}.badge.fail{background:#fde8e6;color:#b3261e}
footer{color:#777;font-size:12px;text-align:center;padding:16px}
@media print{body{background:#fff}header,section{border:none}nav{display:none}section{break-inside:avoid;page-break-inside:avoid;padding:8px 0}table.checks{break-inside:auto}}
`;
