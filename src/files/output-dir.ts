// The output directory of `generate --out`: what may be written into it, and how a shard's files get there
// without anything half-written ever looking complete. A run writes into a temporary directory inside DIR
// (.hcpgen-tmp-<shard>-<pid>), then moves each finished file into place and writes its manifest last; a failed
// or interrupted run deletes its temporary directory and changes nothing else. hcpgen only ever deletes what
// it wrote: files listed in its own manifests or named like its data files inside its table folders.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import { TABLES } from '../plan/types.js';
import { DATA_FILE_RE, type Shard } from './layout.js';
import { MANIFEST_KIND, manifestName, type Manifest } from './manifest-read.js';
import { makeDirs } from '../lib/make-dirs.js';

export const TMP_PREFIX = '.hcpgen-tmp-';
const DOC_FILES = new Set(['schema.sql', 'dictionary.md']);
const MANIFEST_RE = /^manifest(-\d{4}-of-\d{4})?\.json$/;
const TABLE_DIRS = new Set<string>(TABLES);

export interface ExistingOutput {
  /** Manifests found, by file name. */
  manifests: Map<string, Manifest>;
}

/** Whether a top-level entry of DIR is one hcpgen writes. */
function ours(name: string, isDir: boolean): boolean {
  if (isDir) return TABLE_DIRS.has(name) || name.startsWith(TMP_PREFIX);
  return MANIFEST_RE.test(name) || DOC_FILES.has(name);
}

/**
 * Checks that DIR can take this run's files (creating it if needed) and reads the manifests already there.
 * Refuses a path that is a file, and a non-empty directory holding anything hcpgen would not write unless
 * `force` (its files are then left alone).
 */
export function prepareOutputDir(dir: string, force: boolean): ExistingOutput {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UserError(
      `--out ${dir} is a file, not a directory. Point --out at a new or empty directory (hcpgen creates it).`,
    );
  }
  try {
    makeDirs(dir);
  } catch (err) {
    throw new UserError(
      `Cannot create the output directory ${dir}: ${(err as Error).message}. Choose a directory you can write to.`,
      { cause: err },
    );
  }
  const entries = readdirSync(dir, { withFileTypes: true });
  const foreign = entries.filter((e) => !ours(e.name, e.isDirectory())).map((e) => e.name);
  if (foreign.length > 0 && !force) {
    const shown =
      foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, ... (${foreign.length} in all)` : '');
    throw new UserError(
      `${dir} is not empty and is not an hcpgen output: it holds ${shown}. hcpgen writes only into a new or empty ` +
        'directory, or into one that holds an earlier hcpgen output. Choose another --out, or pass --force to ' +
        'write beside those files (hcpgen never deletes them).',
    );
  }
  const manifests = new Map<string, Manifest>();
  for (const e of entries) {
    if (e.isDirectory() || !MANIFEST_RE.test(e.name)) continue;
    const file = path.join(dir, e.name);
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      if (m.kind === MANIFEST_KIND) manifests.set(e.name, m);
    } catch {
      // An unreadable manifest is not ours to trust or to delete: --wipe leaves it, validate reports it.
    }
  }
  return { manifests };
}

/** A writable temporary directory for one shard of one run. */
export function makeTempDir(dir: string, shard: Shard): string {
  const tmp = path.join(dir, `${TMP_PREFIX}${shard.index}-of-${shard.count}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  makeDirs(tmp);
  return tmp;
}

export function removeTempDir(tmp: string): void {
  rmSync(tmp, { recursive: true, force: true });
}

/** Whether a process id is alive (for temporary directories left by killed runs). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * --wipe: removes what earlier runs left that this run replaces: the manifests (and the files they list) of
 * other runs and of this shard, temporary directories of runs that are no longer running, and data files in
 * the table folders that no remaining manifest lists. Manifests of this run's other shards stay (they may be
 * being written by other processes right now).
 */
export function wipeOld(dir: string, existing: ExistingOutput, key: string, shard: Shard): void {
  const keep = new Set<string>();
  const drop = new Set<string>();
  for (const [name, m] of existing.manifests) {
    const sameRun = m.runKey === key;
    const files = (m.files ?? []).map((f) => f.path);
    if (sameRun && m.shard?.index !== shard.index) {
      for (const f of files) keep.add(f);
      continue;
    }
    for (const f of files) drop.add(f);
    rmSync(path.join(dir, name), { force: true });
  }
  const pad = (n: number): string => String(n).padStart(4, '0');
  const mine = `part-${pad(shard.index)}-of-${pad(shard.count)}-`;
  const sameCount = `-of-${pad(shard.count)}-`;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    if (e.name.startsWith(TMP_PREFIX)) {
      const pid = Number(/-(\d+)$/.exec(e.name)?.[1]);
      if (pid !== process.pid && Number.isInteger(pid) && !alive(pid)) {
        rmSync(path.join(dir, e.name), { recursive: true, force: true });
      }
      continue;
    }
    if (!TABLE_DIRS.has(e.name)) continue;
    for (const f of readdirSync(path.join(dir, e.name))) {
      const rel = `${e.name}/${f}`;
      if (!DATA_FILE_RE.test(f) || keep.has(rel)) continue;
      // Unlisted files of another shard of this run may be that shard moving its files in right now: theirs.
      const ownShard = f.startsWith(mine) || !f.includes(sameCount);
      if (drop.has(rel) || ownShard) rmSync(path.join(dir, rel), { force: true });
    }
  }
}

/** Writes a file atomically: a temporary name in the same directory, then a rename. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Moves a finished shard from its temporary directory into DIR: data files first (each rename is atomic), the
 * manifest last, so DIR shows the shard as complete only once every file it lists is there.
 */
export function commitShard(
  dir: string,
  tmp: string,
  manifest: Manifest,
  docs: Record<string, string>,
): void {
  for (const f of manifest.files) {
    makeDirs(path.join(dir, path.dirname(f.path)));
    renameSync(path.join(tmp, f.path), path.join(dir, f.path));
  }
  for (const [name, text] of Object.entries(docs)) writeAtomic(path.join(dir, name), text);
  writeAtomic(
    path.join(dir, manifestName(manifest.shard.index, manifest.shard.count)),
    JSON.stringify(manifest, null, 2) + '\n',
  );
  removeTempDir(tmp);
}
