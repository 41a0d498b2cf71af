// Turns a database URL and a failed connection into one paragraph a person can act on. Messages name the host,
// port, database and user, never the password.
import { UserError } from '../lib/errors.js';

export interface ConnectionInfo {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

/** The URL with its password replaced by `***`; works on URLs that do not parse, too. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // `scheme://user:password@…`: hide everything between the first colon after `//` and the last `@`.
    return url.replace(/(\/\/[^/:@]*:)[^/]*@/, '$1***@');
  }
}

/** Parses a postgres:// URL the way `pg` reads it, or throws a UserError saying what is wrong with it. */
export function parseDatabaseUrl(url: string, env: NodeJS.ProcessEnv = process.env): ConnectionInfo {
  const shown = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(
      `The database URL "${shown}" is not a valid URL. Write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE ` +
        '(percent-encode special characters in the password, e.g. @ as %40), pass it with --db or DATABASE_URL, ' +
        'or leave both unset to use the embedded database.',
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UserError(
      `The database URL "${shown}" starts with "${u.protocol}//" but hcpgen only speaks PostgreSQL: write it as ` +
        'postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or leave --db and DATABASE_URL unset to use the embedded database.',
    );
  }
  const user = decodeURIComponent(u.username) || env.PGUSER || env.USER || 'postgres';
  return {
    host: u.searchParams.get('host') ?? (decodeURIComponent(u.hostname) || 'localhost'),
    port: u.port || '5432',
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
    user,
    password: decodeURIComponent(u.password),
  };
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The UserError for a connection that failed; `err` is what `pg` threw. */
export function connectionError(info: ConnectionInfo, err: unknown): UserError {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const where = `PostgreSQL at ${info.host}:${info.port} (database "${info.database}", user "${info.user}")`;
  const embedded = 'or leave --db and DATABASE_URL unset to use the embedded database';
  let message: string;
  if (UNREACHABLE.has(code) || /timeout/i.test(e.message ?? '')) {
    message =
      `Cannot reach ${where}: ${code === 'ECONNREFUSED' ? 'connection refused' : scrub(e.message, info)}. ` +
      `Check that the server is running and that the host and port are right, ${embedded}.`;
  } else if (code === '28P01' || code === '28000') {
    message =
      `${where} refused the login: ${scrub(e.message, info)}. Check the user name and password in the URL ` +
      `(and pg_hba.conf on the server), ${embedded}.`;
  } else if (code === '3D000') {
    message =
      `The database "${info.database}" does not exist on ${info.host}:${info.port}. Create it first ` +
      `(createdb -h ${info.host} -p ${info.port} -U ${info.user} ${info.database}), point the URL at an existing ` +
      `database, ${embedded}.`;
  } else if (code === '42501') {
    message =
      `User "${info.user}" may not use ${where}: ${scrub(e.message, info)}. Ask the database owner to ` +
      `GRANT CONNECT (and CREATE) on database "${info.database}" to "${info.user}", use another user, ${embedded}.`;
  } else {
    message = `Could not connect to ${where}: ${scrub(e.message, info)}. Check the URL and the server, ${embedded}.`;
  }
  return new UserError(message, { cause: err });
}

/** Error texts should never contain the password; make sure of it. */
export function scrub(message: string | undefined, info: Pick<ConnectionInfo, 'password'>): string {
  const text = (message ?? 'unknown error').replace(/\.$/, '');
  return info.password.length >= 3 ? text.replaceAll(info.password, '***') : text;
}

/** SQLSTATEs and driver errors that mean the session is gone (the server ended it, or the socket broke). */
const LOST = new Set(['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isLostConnection(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    LOST.has(code) ||
    code.startsWith('08') ||
    /^Connection terminated|^Client has encountered a connection error/.test(String(e?.message ?? ''))
  );
}

/**
 * A connection that broke mid-run (the server restarted, an administrator ended the session, the network
 * dropped): the server rolls back the open transaction, so nothing was changed. `where` is Target.description.
 */
export function lostConnectionError(where: string, err: unknown): UserError {
  const reason = String((err as { message?: unknown } | null)?.message ?? err).replace(/\.$/, '');
  return new UserError(
    `The connection to ${where} was lost (${reason}). The server rolls back the unfinished transaction, so the ` +
      'database is as it was before. Check that the server is up and reachable, then run again.',
    { cause: err },
  );
}
