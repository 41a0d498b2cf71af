// PGlite is one process's private PostgreSQL: two processes opening the same data directory would corrupt it.
// A lock file next to the directory (`<dataDir>.lock`) holds the owner's pid; a lock whose process is gone (a
// crash, a kill -9) is stale and taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../lib/errors.js';
import { makeDirs } from '../lib/make-dirs.js';

interface LockContent {
  pid: number;
  host: string;
}

/** Lock files this process holds, so that the same process opening a directory twice is refused too. */
const held = new Set<string>();

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = lockFileFor(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, dataDir)) {
      held.add(file);
      const release = (): void => {
        process.off('exit', release);
        if (!held.delete(file)) return;
        try {
          unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return { file, release };
    }
    const owner = readOwner(file);
    if (owner && isAlive(owner, file)) {
      throw new UserError(
        `The embedded database at ${path.resolve(dataDir)} is in use by another hcpgen process (pid ${owner.pid}` +
          `${owner.host === os.hostname() ? '' : ` on ${owner.host}`}). Wait for it to finish, or point ` +
          `HCPGEN_DATA_DIR at another directory. If no hcpgen is running, delete the lock file ${file}.`,
      );
    }
    // Stale (the owner is gone) or unreadable: take it over.
    try {
      unlinkSync(file);
    } catch {
      // Someone else removed it first; try again.
    }
  }
  throw new UserError(
    `Could not take the lock ${file} on the embedded database. Delete it if no hcpgen is running.`,
  );
}

function tryCreate(file: string, dataDir: string): boolean {
  // Where the directory cannot be (under a file, in /proc, not writable): the user's HCPGEN_DATA_DIR. Only the
  // lock file's own EEXIST means "taken": makeDirs says EEXIST too, for a file where its directory should be.
  const unusable = (err: unknown): UserError =>
    new UserError(
      `Cannot use ${path.resolve(dataDir)} for the embedded database: ${(err as Error).message}. Set ` +
        'HCPGEN_DATA_DIR to a directory you can write to (it is created if missing), or pass --db with a ' +
        'PostgreSQL URL.',
      { exitCode: 2, cause: err },
    );
  try {
    makeDirs(path.dirname(file));
  } catch (err) {
    throw unusable(err);
  }
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unusable(err);
  }
  try {
    const content: LockContent = { pid: process.pid, host: os.hostname() };
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof content.pid === 'number' && typeof content.host === 'string') return content as LockContent;
  } catch {
    // Missing or half-written: treated as stale.
  }
  return undefined;
}

function isAlive(owner: LockContent, file: string): boolean {
  // A lock from another machine (a shared directory) cannot be checked: assume it is live.
  if (owner.host !== os.hostname()) return true;
  // Our own pid: live only if this process really holds it (otherwise an earlier process with our pid left it).
  if (owner.pid === process.pid) return held.has(file);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
