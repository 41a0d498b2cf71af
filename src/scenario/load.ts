// Reads a scenario file into plain data while keeping the YAML document, so that any later check (ajv, cross
// references, formulas) can point at the exact line and column of the value it complains about.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { UserError } from '../lib/errors.js';
import { ScenarioError, type Problem } from './problems.js';

export interface Position {
  line: number;
  col: number;
}

export interface LoadedScenario {
  /** The file as given; problems show it relative to the working directory. */
  file: string;
  text: string;
  /** sha256 (hex) of the file's bytes: recorded with every run so a run names exactly what produced it. */
  hash: string;
  /** The document as plain JSON-like data, not yet checked against the schema. */
  data: unknown;
  /** Where the value at an ajv `instancePath` (`/campaigns/types/2/weight`) is; the nearest existing parent when
   *  the path does not exist (a missing property is reported at the mapping that lacks it). */
  locate(instancePath: string): Position;
  /** Where the key of the last path segment is (`/campaigns/wieght` → the `wieght:` key). */
  locateKey(instancePath: string): Position;
  /** Where character `offset` of the string at `instancePath` is in the file, for errors inside a formula. Falls
   *  back to the start of the string when the source text does not map 1:1 to the value (escapes, block scalars). */
  locateInString(instancePath: string, offset: number): Position;
}

/** JSON pointer → path segments (RFC 6901 unescaping). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

interface Found {
  /** The node at the end of the path, or the deepest node that exists. */
  node: Node | null;
  /** The key node of the last pair walked into, if the last step was a mapping key. */
  key: Node | null;
  complete: boolean;
}

function walk(doc: Document, pointer: string): Found {
  let node = doc.contents as Node | null;
  let key: Node | null = null;
  for (const seg of pointerSegments(pointer)) {
    if (isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? node;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === seg);
      if (!pair) return { node, key, complete: false };
      key = isScalar(pair.key) ? pair.key : null;
      // `weight:` with nothing after it: the value is an implicit null that sits after the colon, so point at
      // the key instead.
      const value = pair.value as Node | null;
      node = value === null || (isScalar(value) && value.value === null && !value.source) ? key : value;
    } else if (isSeq(node)) {
      const item = /^\d+$/.test(seg) ? node.items[Number(seg)] : undefined;
      if (item === undefined || !(isScalar(item) || isMap(item) || isSeq(item) || isAlias(item))) {
        return { node, key, complete: false };
      }
      key = null;
      node = item;
    } else {
      return { node, key, complete: false };
    }
  }
  return { node, key, complete: true };
}

function isBlockCollection(node: Node | null): boolean {
  return (isMap(node) || isSeq(node)) && !node.flow;
}

/** What kind of document a file holds, for the messages about its shape (scenario files, seed-data fixtures). */
export interface DocumentKind {
  /** 'a scenario' */
  noun: string;
  /** Where to start from: 'scenarios/default.yaml' */
  example: string;
  /** Largest file accepted, in bytes (default MAX_DOCUMENT_BYTES). */
  maxBytes?: number;
}

/**
 * A scenario is tens of kilobytes (the default is about 20 KB); a file a hundred times that size is the wrong
 * file, and parsing it would take seconds and hundreds of MB before saying so.
 */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** yaml's own guard against alias expansion bombs ("billion laughs"): at most this many alias expansions. */
const MAX_ALIAS_COUNT = 1000;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function tooBig(file: string, bytes: number, kind: DocumentKind): ScenarioError {
  const limit = kind.maxBytes ?? MAX_DOCUMENT_BYTES;
  return new ScenarioError([
    {
      file,
      line: 1,
      col: 1,
      message: `the file is ${mib(bytes)}, more than ${kind.noun} may be (${mib(limit)})`,
      hint: `check that this is the right file; ${kind.example} is a few tens of KB`,
    },
  ]);
}

const SCENARIO_KIND: DocumentKind = { noun: 'a scenario', example: 'scenarios/default.yaml' };

export function loadScenarioText(
  text: string,
  file: string,
  kind: DocumentKind = SCENARIO_KIND,
): LoadedScenario {
  if (Buffer.byteLength(text, 'utf8') > (kind.maxBytes ?? MAX_DOCUMENT_BYTES)) {
    throw tooBig(file, Buffer.byteLength(text, 'utf8'), kind);
  }
  const lineCounter = new LineCounter();
  // prettyErrors is left off on purpose: it appends a source excerpt to each message, and our messages are
  // one line; positions come from the LineCounter instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return p.line === 0 ? { line: 1, col: offset + 1 } : p;
  };

  const problems = yamlProblems(doc, text, file, at);
  if (problems.length === 0) {
    const root = doc.contents as Node | null;
    if (root === null || (isScalar(root) && root.value === null && !root.source)) {
      problems.push({
        file,
        line: 1,
        col: 1,
        message: `the file is empty (or only comments); ${kind.noun} is a YAML mapping of settings`,
        hint: `start from ${kind.example}`,
      });
    } else if (!isMap(root)) {
      const shape = isSeq(root)
        ? 'a list'
        : isScalar(root)
          ? root.value === null
            ? 'null'
            : `a single ${typeof root.value} value`
          : 'not a mapping';
      problems.push({
        file,
        ...at(root.range?.[0] ?? 0),
        message: `${kind.noun} must be a YAML mapping of settings ("key: value" lines), but this document is ${shape}`,
        hint: `start from ${kind.example}`,
      });
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);

  const nodeStart = (node: Node | null): number => node?.range?.[0] ?? 0;
  const locate = (pointer: string): Position => {
    const found = walk(doc, pointer);
    // A block mapping or list begins on the line after its key; the key line is where a person looks.
    if (found.key && isBlockCollection(found.node)) return at(nodeStart(found.key));
    return at(nodeStart(found.node));
  };
  const locateKey = (pointer: string): Position => {
    const found = walk(doc, pointer);
    return at(nodeStart(found.complete && found.key ? found.key : found.node));
  };
  const locateInString = (pointer: string, offset: number): Position => {
    const found = walk(doc, pointer);
    const node = found.node;
    if (!found.complete || !isScalar(node) || typeof node.value !== 'string' || !node.range) {
      return at(nodeStart(node));
    }
    const start = node.range[0];
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const first = quoted ? start + 1 : start;
    const exact = node.type === Scalar.PLAIN || quoted;
    if (exact && text.slice(first, first + node.value.length) === node.value) {
      return at(first + Math.max(0, Math.min(offset, node.value.length)));
    }
    return at(start);
  };

  return { file, text, hash: sha256(text), data: toData(doc, file, at), locate, locateKey, locateInString };
}

/**
 * The document as plain data. yaml refuses a document whose aliases expand too often (an alias bomb: each level
 * repeats the one before, so a few lines become billions of nodes); that is the file's problem, at its first alias.
 */
function toData(doc: Document, file: string, at: (offset: number) => Position): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) throw err;
    let first = 0;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    throw new ScenarioError([
      {
        file,
        ...at(first),
        message: `the aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies, which looks like an alias bomb`,
        hint: 'write the repeated values out, or use fewer nested aliases',
      },
    ]);
  }
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let bytes: Buffer;
  try {
    // Refuse a huge file before reading it (a stat of a device or /proc file says 0: those are read, and
    // loadScenarioText checks what came back).
    const { size } = await stat(file);
    if (size > MAX_DOCUMENT_BYTES) throw tooBig(file, size, SCENARIO_KIND);
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    throw unreadable(file, err);
  }
  const loaded = loadScenarioText(bytes.toString('utf8'), file);
  // Hash the bytes on disk, not the decoded text, so a run's recorded hash matches `sha256sum` of the file.
  return { ...loaded, hash: createHash('sha256').update(bytes).digest('hex') };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function unreadable(file: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new UserError(`scenario file "${file}" does not exist.`, {
      hint: 'Check the path, or pass the name of a shipped scenario such as "default" ("hcpgen scenario lint" lists and checks them).',
      cause: err,
    });
  }
  if (code === 'EISDIR') {
    return new UserError(`"${file}" is a directory, not a scenario file.`, {
      hint: 'Pass a .yaml file inside it.',
      cause: err,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new UserError(`scenario file "${file}" cannot be read: ${reason}.`, {
    hint: 'Check the file permissions.',
    cause: err,
  });
}

/** YAML syntax errors and warnings, every one of them, with a message a person can act on. */
function yamlProblems(
  doc: Document,
  text: string,
  file: string,
  at: (offset: number) => Position,
): Problem[] {
  const firstKeyLine = duplicateKeyOrigins(doc, at);
  const toProblem = (e: YAMLError): Problem => {
    const pos = at(e.pos[0]);
    const base = { file, ...pos };
    // yaml's messages end with a full stop or a source excerpt on later lines; keep the first line only.
    const raw = (e.message.split('\n')[0] ?? e.message).replace(/\s*at line \d+, column \d+:?$/, '').trim();
    if (/Maximum call stack size exceeded/.test(raw)) {
      // yaml catches its own stack overflow on absurdly deep nesting: say what it means.
      return {
        ...base,
        message: 'the document nests too deeply to read (thousands of levels)',
        hint: 'a scenario nests a handful of levels; look for runaway brackets or indentation here',
      };
    }
    switch (e.code) {
      case 'DUPLICATE_KEY': {
        const dup = firstKeyLine.get(e.pos[0]);
        return dup
          ? {
              ...base,
              message: `duplicate key "${dup.key}": it is already set at line ${dup.firstLine}`,
              hint: 'a key may appear once per mapping; merge the two entries or delete one',
            }
          : { ...base, message: 'duplicate key', hint: 'a key may appear once per mapping' };
      }
      case 'TAB_AS_INDENT':
        return {
          ...base,
          message: 'tab used for indentation',
          hint: 'YAML indents with spaces only; replace the tab',
        };
      case 'MULTIPLE_DOCS':
        return {
          ...base,
          message: 'a second YAML document starts here ("---")',
          hint: 'a scenario file holds one document; delete the separator or split the file in two',
        };
      case 'MISSING_CHAR':
      case 'BAD_INDENT':
      case 'UNEXPECTED_TOKEN':
      case 'BLOCK_IN_FLOW':
        return {
          ...base,
          message: `YAML syntax: ${raw}`,
          hint: 'look for an unclosed bracket or quote, or a line indented differently from its neighbours, at or above this line',
        };
      default:
        return { ...base, message: `YAML ${e.name === 'YAMLWarning' ? 'warning' : 'syntax'}: ${raw}` };
    }
  };
  // One mistake often trips several parser errors on the same line (a tab, then "implicit keys need to be
  // on a single line"); the first one is the cause, the rest are noise.
  const lines = new Set<number>();
  const all = [...doc.errors, ...doc.warnings];
  // A tab used as indentation also throws the parser off the indentation of the lines after it, up to the next
  // top-level key ("all mapping items must start at the same column", "nested mappings are not allowed in
  // compact mappings"): those are its echoes. Inside that stretch only other tabs and duplicate keys count.
  const firstTab = all.find((e) => e.code === 'TAB_AS_INDENT')?.pos[0];
  const nextTopLevel =
    firstTab === undefined ? -1 : text.slice(firstTab).search(/\n[^\s#-]/) + (firstTab ?? 0);
  const echo = (e: YAMLError): boolean =>
    firstTab !== undefined &&
    e.pos[0] > firstTab &&
    (nextTopLevel < firstTab || e.pos[0] <= nextTopLevel) &&
    !['TAB_AS_INDENT', 'DUPLICATE_KEY', 'MULTIPLE_DOCS'].includes(e.code);
  return all
    .filter((e) => !echo(e))
    .map(toProblem)
    .filter((p) => !lines.has(p.line) && lines.add(p.line));
}

/** For each repeated key (by the offset where it starts): its text and the line where it was first set. */
function duplicateKeyOrigins(
  doc: Document,
  at: (offset: number) => Position,
): Map<number, { key: string; firstLine: number }> {
  const out = new Map<number, { key: string; firstLine: number }>();
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, number>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const k = String(pair.key.value);
        const seen = first.get(k);
        if (seen === undefined) first.set(k, pair.key.range[0]);
        else out.set(pair.key.range[0], { key: k, firstLine: at(seen).line });
      }
    },
  });
  return out;
}
