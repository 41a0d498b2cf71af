// hcpgen report end to end: generate --quiet --report into a fresh database (the CLI, as a user runs it), then
// the page in headless Chromium: it loads with no console error and no network request, every chart section
// has its title and a non-empty SVG, and the validation table lists every check. Also: the report of a file
// output, and --json keeping progress out of stdout. Saves a screenshot (HCPGEN_REPORT_SCREENSHOT names where).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { hcpgen } from '../reliability/cli.js';
import { createPgliteDir, createTestDatabase, TEST_TARGET } from '../helpers/testdb.js';
import { browserMissing, launch } from './browser.js';
import { generateFiles } from '../../src/files/generate-files.js';
import { writeReport } from '../../src/report/build.js';

const SECTIONS = [
  'counts',
  'mix-specialty',
  'mix-tier',
  'mix-segment',
  'mix-region',
  'mix-credential',
  'deciles',
  'channels',
  'stimuli-per-hcp-month',
  'funnel',
  'lags',
  'rx',
  'lift',
  'scores',
  'geography',
];

describe(`hcpgen report [${TEST_TARGET}]`, function () {
  this.timeout(180_000);
  let tmp: string;
  let where: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  let cleanup: () => Promise<void> = async () => undefined;
  let file: string;
  let standalone: string;
  let checks: number;

  before(async function () {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hcpgen-report-'));
    if (TEST_TARGET === 'postgres') {
      const db = await createTestDatabase();
      where = ['--db', db.url];
      cleanup = db.drop;
    } else {
      const d = await createPgliteDir();
      env = { HCPGEN_DATA_DIR: d.dir };
      cleanup = async () => d.remove();
    }
    file = path.join(tmp, 'report.html');
    const args = [
      'generate',
      ...where,
      '--hcps',
      '300',
      '--months',
      '4',
      '--seed',
      '1',
      '--workers',
      '0',
      '--no-seed-data',
    ];
    const r = await hcpgen([...args, '--quiet', '--report', file], env);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    // --quiet: one line, the run's message and the validation summary.
    expect(r.stdout).to.match(
      /^Generated [\d,]+ rows in [\d.]+ s \([\d,]+ rows\/s\)\. Validation: \d+ passed, 0 failed(, \d+ skipped)?\. Report: .*report\.html\.\n$/,
    );
    // hcpgen report validates on its own: the run's metadata checks too (generate's report has the checks the
    // run passed before its commit).
    standalone = path.join(tmp, 'standalone.html');
    const s = await hcpgen(['report', ...where, '--out', standalone, '--json'], env);
    expect(s.status).to.equal(0);
    checks = (JSON.parse(s.stdout) as { validation: { passed: number; skipped: number } }).validation.passed;
    checks += (JSON.parse(s.stdout) as { validation: { skipped: number } }).validation.skipped;
  });
  after(async function () {
    await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes one small, self-contained HTML file', function () {
    const html = readFileSync(file, 'utf8');
    expect(statSync(file).size).to.be.below(2 * 1024 * 1024);
    expect(html.startsWith('<!doctype html>')).to.equal(true);
    // Nothing to fetch: no scripts, stylesheets, images, fonts or links out (SVG namespace URIs are names).
    expect(html).not.to.match(/<script|<link|<img|<iframe|url\((?!#)|@import|(src|href)="(?!#)/i);
    for (const id of SECTIONS) expect(html).to.include(`id="${id}"`);
  });

  it('renders in Chromium: no console errors, no network, every chart and every check', async function () {
    const missing = browserMissing();
    if (missing) this.skip();
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      const url = `file://${standalone}`;
      await page.goto(url, { waitUntil: 'load' });
      expect(errors).to.deep.equal([]);
      expect(requests).to.deep.equal([url]);
      for (const id of SECTIONS) {
        const s = page.locator(`section#${id}`);
        expect((await s.locator('h2').innerText()).length, id).to.be.above(5);
        expect((await s.locator('p.caption').innerText()).length, id).to.be.above(20);
        const svgs = s.locator('figure svg');
        expect(await svgs.count(), id).to.be.at.least(1);
        const box = await svgs.first().boundingBox();
        expect(box && box.width > 300 && box.height > 150, `${id} svg size`).to.equal(true);
        // A chart, not an empty frame: its title text and drawn marks.
        expect(await svgs.first().locator('text').count(), id).to.be.above(3);
        expect(await svgs.first().locator('path').count(), id).to.be.above(3);
      }
      const rows = page.locator('section#validation table.checks tbody tr');
      expect(await rows.count()).to.equal(checks);
      expect(await page.locator('section#validation tr.fail').count()).to.equal(0);
      const shot = process.env.HCPGEN_REPORT_SCREENSHOT ?? path.join(tmp, 'report.png');
      await page.screenshot({ path: shot });
      expect(statSync(shot).size).to.be.above(10_000);
    } finally {
      await browser.close();
    }
  });

  it('refuses an --out under a regular file with a clear error, and writes nothing', async function () {
    // A path whose parent is a file: mkdir and the temp file both fail; the error must be the user's, not ours.
    const under = path.join(tmp, 'report.html', 'nested.html');
    const r = await hcpgen(['report', ...where, '--out', under], env);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/^hcpgen: /);
    expect(r.stderr).to.include(under);
    expect(r.stderr).not.to.include('internal error');
    expect(statSync(file).isFile()).to.equal(true);
  });

  it('reports on a file output with the same sections', async function () {
    const out = path.join(tmp, 'files');
    await generateFiles({
      scenario: 'default',
      hcps: 200,
      months: 3,
      seed: 1,
      asOf: '2024-06-30',
      workers: 0,
      quiet: true,
      out,
      format: 'parquet',
    });
    const target = path.join(tmp, 'files.html');
    const r = await writeReport(target, { files: out });
    expect(r.validation.failed).to.equal(0);
    const html = readFileSync(target, 'utf8');
    for (const id of SECTIONS) expect(html).to.include(`id="${id}"`);
    expect(html).to.include('file output (no hcpgen_runs row)');
  });
});
