// Reading a file output's manifests (one per shard: DIR/manifest.json, or DIR/manifest-<K>-of-<N>.json) and
// proving the directory is one complete, untouched run before any SQL looks at it: every manifest of the same
// run, every shard there once, every listed file present with its size and SHA-256, and no file the manifests do
// not list. Each problem is a UserError (exit 2) that names the file and says what to do.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import type { Plan } from '../plan/types.js';
import { DATA_TABLE_DEFS } from '../tables/tables.js';
import type { FileFormat } from './views.js';

export const MANIFEST_KIND = 'hcpgen-file-output';
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  table: string;
  /** Relative to the output directory, `/`-separated: `stimuli/part-0001-of-0004-00000.parquet`. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  kind: typeof MANIFEST_KIND;
  manifestVersion: number;
  generatorVersion: string;
  /** The version of the generated values (src/lib/data-version.ts); absent in outputs written before it existed. */
  dataVersion?: number;
  format: FileFormat;
  scenario: { name: string; file: string; hash: string };
  params: { seed: number; hcps: number; months: number; asOf: string };
  fixturesHash: string | null;
  shard: { index: number; count: number; hcpFrom: number; hcpTo: number };
  runKey: string;
  plan: Plan;
  counts: Record<string, number>;
  files: ManifestFile[];
  /** 'failed': the files failed their checks and were kept by `generate --keep-failed`; absent otherwise. */
  status?: 'failed';
}

/** A file output that passed every check here: one run, all shards, every file as listed. */
export interface FileOutput {
  dir: string;
  /** The manifests in shard order, with their file names. */
  manifests: { file: string; manifest: Manifest }[];
  format: FileFormat;
  runKey: string;
  plan: Plan;
  /** Table -> its files in shard and part order, with their manifest entries and absolute paths. */
  files: Map<string, (ManifestFile & { absolute: string; manifest: string })[]>;
  /** Rows per table over all shards. */
  counts: Record<string, number>;
}

export interface ReadOptions {
  /** Compare every file's SHA-256 with its manifest (reads every byte); default true. Sizes are always compared. */
  checksums?: boolean;
}

const TABLE_NAMES = new Set<string>(DATA_TABLE_DEFS.map((t) => t.name));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The manifest file name of shard `index` of `count`. */
export function manifestName(index: number, count: number): string {
  return count === 1 ? 'manifest.json' : `manifest-${pad(index, 4)}-of-${pad(count, 4)}.json`;
}

function bad(message: string, hint?: string): UserError {
  return new UserError(message, hint ? { hint } : {});
}

async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.map((e) => ({ name: e.name, isDir: e.isDirectory() }));
}

/** The shape of a manifest, checked field by field: a hand-edited or foreign JSON file says what is wrong. */
function parseManifest(file: string, text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(
      `${file} is not valid JSON (${(err as Error).message}): the manifest is damaged or was cut short. Regenerate ` +
        'that shard with `hcpgen generate --out`.',
    );
  }
  const m = json as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.kind !== MANIFEST_KIND) {
    throw bad(`${file} is not an hcpgen manifest (its "kind" is not "${MANIFEST_KIND}").`);
  }
  if (m.manifestVersion !== MANIFEST_VERSION) {
    throw bad(
      `${file} has manifest version ${String(m.manifestVersion)}, written by hcpgen ${String(m.generatorVersion)}; ` +
        `this version reads version ${MANIFEST_VERSION}. Validate it with that hcpgen version, or regenerate.`,
    );
  }
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  const int = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x);
  need(m.format === 'parquet' || m.format === 'csv', '"format" (parquet or csv)');
  need(typeof m.runKey === 'string' && /^[0-9a-f]{64}$/.test(m.runKey), '"runKey" (64 hex digits)');
  need(typeof m.generatorVersion === 'string', '"generatorVersion"');
  need(m.dataVersion === undefined || int(m.dataVersion), '"dataVersion" (a whole number, when present)');
  need(
    typeof m.scenario?.name === 'string' && typeof m.scenario.hash === 'string',
    '"scenario" {name, hash}',
  );
  const p = m.params;
  need(!!p && int(p.seed) && int(p.hcps) && int(p.months) && typeof p.asOf === 'string', '"params"');
  const s = m.shard;
  need(!!s && int(s.index) && int(s.count) && s.index >= 1 && s.index <= s.count, '"shard" {index, count}');
  need(!!m.plan && typeof m.plan === 'object' && m.plan.planVersion === 1, '"plan" (a version 1 plan)');
  need(!!m.counts && typeof m.counts === 'object', '"counts"');
  const filesOk =
    Array.isArray(m.files) &&
    m.files.every(
      (f) =>
        typeof f?.table === 'string' &&
        typeof f.path === 'string' &&
        int(f.rows) &&
        int(f.bytes) &&
        typeof f.sha256 === 'string',
    );
  need(filesOk, '"files" [{table, path, rows, bytes, sha256}]');
  if (problems.length > 0) {
    throw bad(
      `${file} is not a complete hcpgen manifest: missing or malformed ${problems.join(', ')}. Regenerate that ` +
        'shard with `hcpgen generate --out`.',
    );
  }
  return m as Manifest;
}

/** The flags that regenerate one shard of this run (for messages). */
function regenerate(m: Manifest, dir: string, index: number): string {
  const p = m.params;
  const shard = m.shard.count > 1 ? ` --shard ${index}/${m.shard.count}` : '';
  return (
    `hcpgen generate --scenario ${m.scenario.file || m.scenario.name} --seed ${p.seed} --hcps ${p.hcps} ` +
    `--months ${p.months} --as-of ${p.asOf} --format ${m.format}${shard} ` +
    // The fixtures are part of the run: the same seed-data folder (its hash is in the manifest), or none.
    `${m.fixturesHash ? '--seed-data <the seed-data folder of the other shards>' : '--no-seed-data'} --out ${dir}`
  );
}

/** Canonical JSON (keys sorted) for comparing plans written by different processes. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') {
    const entries = Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads every manifest of `dir` and proves the output complete and as written; throws a UserError if not. */
export async function readFileOutput(dirArg: string, options: ReadOptions = {}): Promise<FileOutput> {
  const dir = path.resolve(dirArg);
  let entries;
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    entries = await listDir(dir);
  } catch {
    throw bad(`${dirArg} is not a directory: give the directory that \`hcpgen generate --out\` wrote.`);
  }
  const manifestFiles = entries
    .filter((e) => !e.isDir && /^manifest.*\.json$/.test(e.name))
    .map((e) => e.name)
    .sort();
  if (manifestFiles.length === 0) {
    const tableDirs = entries.filter((e) => e.isDir && TABLE_NAMES.has(e.name)).map((e) => e.name);
    throw tableDirs.length > 0
      ? bad(
          `${dirArg} has table directories (${tableDirs.join(', ')}) but no manifest.json: the run that wrote it ` +
            'did not finish (a manifest is written last). Generate it again with `hcpgen generate --out`.',
        )
      : bad(
          `${dirArg} is not an hcpgen file output: it has no manifest.json (or manifest-K-of-N.json). Give ` +
            'the directory that `hcpgen generate --out` wrote.',
        );
  }
  const manifests: { file: string; manifest: Manifest }[] = [];
  for (const file of manifestFiles) {
    const text = await readFile(path.join(dir, file), 'utf8');
    manifests.push({ file, manifest: parseManifest(file, text) });
  }
  checkSameRun(dirArg, manifests);
  const first = manifests[0]!.manifest;
  const count = first.shard.count;
  // One manifest per shard, under its own name.
  const byIndex = new Map<number, string>();
  for (const { file, manifest } of manifests) {
    const k = manifest.shard.index;
    const other = byIndex.get(k);
    if (other) {
      throw bad(
        `Shard ${k} of ${count} is present twice in ${dirArg}: ${other} and ${file} both describe it. Remove ` +
          `the copy (keep ${manifestName(k, count)}).`,
      );
    }
    byIndex.set(k, file);
  }
  for (const { file, manifest } of manifests) {
    const k = manifest.shard.index;
    if (file !== manifestName(k, count)) {
      throw bad(
        `${file} describes shard ${k} of ${count}, whose manifest is named ${manifestName(k, count)}: a copied or ` +
          'renamed manifest. Remove it or give it its own name back.',
      );
    }
  }
  for (let k = 1; k <= count; k++) {
    if (!byIndex.has(k)) {
      throw bad(
        `Shard ${k} of ${count} is missing from ${dirArg} (no ${manifestName(k, count)}): run ` +
          `\`${regenerate(first, dirArg, k)}\` to add it.`,
      );
    }
  }
  manifests.sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const files = await checkFiles(dir, dirArg, manifests, options);
  const counts: Record<string, number> = {};
  for (const t of TABLE_NAMES) {
    counts[t] = manifests.reduce((n, { manifest }) => n + (manifest.counts[t] ?? 0), 0);
  }
  return { dir, manifests, format: first.format, runKey: first.runKey, plan: first.plan, files, counts };
}

/** Every manifest belongs to one run: same run key, and so the same shard count, format and plan. */
function checkSameRun(dirArg: string, manifests: { file: string; manifest: Manifest }[]): void {
  const runs = new Map<string, string[]>();
  for (const { file, manifest } of manifests) {
    runs.set(manifest.runKey, [...(runs.get(manifest.runKey) ?? []), file]);
  }
  if (runs.size > 1) {
    const which = [...runs].map(([key, names]) => `run ${key.slice(0, 12)}: ${names.join(', ')}`).join('; ');
    throw bad(
      `${dirArg} mixes the output of ${runs.size} different runs (${which}). Each run needs its own --out ` +
        'directory: remove the files of the run you do not want, or generate again into an empty directory.',
    );
  }
  const [head, ...rest] = manifests;
  const plan = canonical(head!.manifest.plan);
  for (const { file, manifest } of rest) {
    const m = head!.manifest;
    const differs =
      manifest.shard.count !== m.shard.count
        ? 'shard count'
        : manifest.format !== m.format
          ? 'format'
          : canonical(manifest.plan) !== plan
            ? 'plan'
            : undefined;
    if (differs) {
      throw bad(
        `${file} and ${head!.file} have the same run key but a different ${differs}: one of them was edited. ` +
          'Regenerate the output.',
      );
    }
  }
}

/** Every listed file is there as listed; every file in a table directory is listed. */
async function checkFiles(
  dir: string,
  dirArg: string,
  manifests: { file: string; manifest: Manifest }[],
  options: ReadOptions,
): Promise<FileOutput['files']> {
  const out: FileOutput['files'] = new Map([...TABLE_NAMES].map((t) => [t, []]));
  const listedBy = new Map<string, string>();
  const ext = `.${manifests[0]!.manifest.format}`;
  for (const { file, manifest } of manifests) {
    const rows = new Map<string, number>();
    for (const f of manifest.files) {
      const [tableDir, name, ...more] = f.path.split('/');
      if (
        !TABLE_NAMES.has(f.table) ||
        tableDir !== f.table ||
        !name ||
        more.length > 0 ||
        !name.endsWith(ext) ||
        name.startsWith('.')
      ) {
        throw bad(
          `${file} lists "${f.path}" for table "${f.table}": a data file is <table>/<name>${ext} for one of ` +
            `the seven tables. The manifest was edited; regenerate the shard.`,
        );
      }
      const other = listedBy.get(f.path);
      if (other) {
        throw bad(`${f.path} is listed twice (in ${other} and ${file}): regenerate the output.`);
      }
      listedBy.set(f.path, file);
      rows.set(f.table, (rows.get(f.table) ?? 0) + f.rows);
      out.get(f.table)!.push({ ...f, absolute: path.join(dir, tableDir, name), manifest: file });
    }
    for (const t of TABLE_NAMES) {
      const claimed = manifest.counts[t] ?? 0;
      if ((rows.get(t) ?? 0) !== claimed) {
        throw bad(
          `${file} says shard ${manifest.shard.index} has ${claimed} ${t} rows, but its files add up to ` +
            `${rows.get(t) ?? 0}: the manifest was edited. Regenerate the shard.`,
        );
      }
    }
  }
  // Files on disk: each listed, none left over.
  for (const t of TABLE_NAMES) {
    let names: string[];
    try {
      names = (await listDir(path.join(dir, t))).map((e) => e.name);
    } catch {
      names = [];
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (!listedBy.has(`${t}/${name}`)) {
        throw bad(
          `${path.join(dirArg, t, name)} is not listed in any manifest: a leftover of another run or a file ` +
            'added by hand, which the tables would silently include. Remove it (or regenerate into an empty directory).',
        );
      }
    }
  }
  for (const list of out.values()) {
    for (const f of list) await checkFile(dirArg, f, options);
  }
  return out;
}

async function checkFile(
  dirArg: string,
  f: ManifestFile & { absolute: string; manifest: string },
  options: ReadOptions,
): Promise<void> {
  const shown = path.join(dirArg, f.path);
  let size: number;
  try {
    const s = await stat(f.absolute);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw bad(
      `${shown} is listed in ${f.manifest} but missing: the output is incomplete. Regenerate that shard ` +
        '(the command is in the manifest: scenario, params and shard).',
    );
  }
  if (size !== f.bytes) {
    throw bad(
      `${shown} is ${size} bytes, ${f.manifest} says ${f.bytes}: the file was ${size < f.bytes ? 'truncated' : 'changed'} ` +
        'after it was written. Regenerate that shard.',
    );
  }
  if (options.checksums !== false && (await sha256(f.absolute)) !== f.sha256.toLowerCase()) {
    throw bad(
      `${shown} does not match the SHA-256 in ${f.manifest}: its content changed after it was written (damaged ` +
        'or edited). Regenerate that shard.',
    );
  }
}
