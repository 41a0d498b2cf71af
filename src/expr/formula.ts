// Scenario formulas ("min(500, round(30 + hcps / 100))"): jsep parses the text into an AST, then a
// whitelist compiler turns the AST into nested closures. Anything not on the whitelist (member access,
// strings, `this`, arrays, unknown names, bitwise operators) is rejected at compile time with the column
// where it starts. No eval, no new Function, and names are looked up in Maps/Sets, never on objects, so
// `constructor` or `__proto__` are just unknown names.
import jsep from 'jsep';

/** A formula problem, with the 0-based character offset in the formula text where it was found. */
export class FormulaError extends Error {
  override name = 'FormulaError';
  /** 1-based column of `offset`, for messages. */
  readonly column: number;
  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    /** 0-based offset into `formula`. */
    readonly offset: number,
    readonly formula: string,
  ) {
    super(`${reason} (column ${offset + 1} of formula "${formula}")`);
    this.column = offset + 1;
  }
}

export type FormulaVars = Readonly<Record<string, number>>;

export interface CompiledFormula {
  readonly text: string;
  /** The variables the formula uses, sorted, each one of the allowed names. */
  readonly variables: readonly string[];
  /** The value; may be NaN or ±Infinity (e.g. division by zero), which the caller must check. */
  evaluate(vars?: FormulaVars): number;
}

type Fn = (args: number[]) => number;
type Eval = (vars: FormulaVars) => number;

const FUNCTIONS = new Map<string, { min: number; max: number; fn: Fn }>([
  ['min', { min: 1, max: Infinity, fn: (a) => Math.min(...a) }],
  ['max', { min: 1, max: Infinity, fn: (a) => Math.max(...a) }],
  ['round', { min: 1, max: 1, fn: (a) => Math.round(a[0] as number) }],
  ['floor', { min: 1, max: 1, fn: (a) => Math.floor(a[0] as number) }],
  ['ceil', { min: 1, max: 1, fn: (a) => Math.ceil(a[0] as number) }],
  ['abs', { min: 1, max: 1, fn: (a) => Math.abs(a[0] as number) }],
  ['sqrt', { min: 1, max: 1, fn: (a) => Math.sqrt(a[0] as number) }],
  ['log', { min: 1, max: 1, fn: (a) => Math.log(a[0] as number) }],
  ['exp', { min: 1, max: 1, fn: (a) => Math.exp(a[0] as number) }],
  ['pow', { min: 2, max: 2, fn: (a) => Math.pow(a[0] as number, a[1] as number) }],
  [
    'clamp',
    { min: 3, max: 3, fn: (a) => Math.min(a[2] as number, Math.max(a[1] as number, a[0] as number)) },
  ],
]);
const FUNCTION_NAMES = [...FUNCTIONS.keys()].sort().join(', ');

const BINARY = new Map<string, (a: number, b: number) => number>([
  ['+', (a, b) => a + b],
  ['-', (a, b) => a - b],
  ['*', (a, b) => a * b],
  ['/', (a, b) => a / b],
  ['%', (a, b) => a % b],
  ['**', (a, b) => a ** b],
  ['<', (a, b) => (a < b ? 1 : 0)],
  ['>', (a, b) => (a > b ? 1 : 0)],
  ['<=', (a, b) => (a <= b ? 1 : 0)],
  ['>=', (a, b) => (a >= b ? 1 : 0)],
  ['==', (a, b) => (a === b ? 1 : 0)],
  ['!=', (a, b) => (a !== b ? 1 : 0)],
  ['===', (a, b) => (a === b ? 1 : 0)],
  ['!==', (a, b) => (a !== b ? 1 : 0)],
]);

// Positions: jsep nodes carry none, so a subclass records where each token starts and ends.
type Node = jsep.Expression & { start?: number; end?: number; grouped?: boolean };
interface JsepParser {
  index: number;
  readonly expr: string;
  parse(): jsep.Expression;
  gobbleSpaces(): void;
  gobbleToken(): jsep.Expression | false;
  gobbleIdentifier(): jsep.Expression;
}
const JsepBase = (jsep as unknown as { Jsep: new (expr: string) => JsepParser }).Jsep;

class PositionedParser extends JsepBase {
  override gobbleToken(): jsep.Expression | false {
    this.gobbleSpaces();
    const start = this.index;
    const node = super.gobbleToken() as Node | false;
    if (node) {
      node.start ??= start;
      node.end ??= this.index;
      if (this.expr.charCodeAt(start) === 40 /* ( */) node.grouped = true;
    }
    return node;
  }
  override gobbleIdentifier(): jsep.Expression {
    const start = this.index;
    const node = super.gobbleIdentifier() as Node;
    node.start = start;
    node.end = this.index;
    return node;
  }
}

function startOf(n: Node): number {
  if (n.start !== undefined) return n.start;
  const first = (n.left ?? n.test ?? n.callee ?? n.object ?? n.argument) as Node | undefined;
  return first ? startOf(first) : 0;
}

function endOf(n: Node, text: string): number {
  if (n.end !== undefined) return n.end;
  const last = (n.right ?? n.alternate ?? n.property) as Node | undefined;
  return last ? endOf(last, text) : text.length;
}

/**
 * Compile a formula (or a plain number) for the given variable names. Throws FormulaError for syntax
 * errors and for anything outside the whitelist.
 */
export function compileFormula(
  source: string | number,
  allowedVars: readonly string[] = [],
): CompiledFormula {
  if (typeof source === 'number') {
    return { text: String(source), variables: [], evaluate: () => source };
  }
  const text = source;
  let ast: Node;
  try {
    ast = new PositionedParser(text).parse() as Node;
  } catch (e) {
    const err = e as Error & { index?: number; description?: string };
    const reason = err.description ?? err.message;
    throw new FormulaError(`syntax error: ${reason}`, Math.min(err.index ?? 0, text.length), text);
  }
  const allowed = new Set(allowedVars);
  const used = new Set<string>();
  const fail = (reason: string, n: Node): never => {
    throw new FormulaError(reason, startOf(n), text);
  };
  const excerpt = (n: Node): string => text.slice(startOf(n), endOf(n, text)).trim();

  const build = (n: Node): Eval => {
    switch (n.type) {
      case 'Literal': {
        const v = n.value;
        if (typeof v === 'number') return () => v;
        if (typeof v === 'string')
          return fail(`strings are not allowed in formulas (found ${excerpt(n)})`, n);
        return fail(`'${String(n.raw)}' is not allowed in formulas; use a number`, n);
      }
      case 'Identifier': {
        const name = n.name as string;
        if (!allowed.has(name)) {
          if (FUNCTIONS.has(name)) fail(`'${name}' is a function; call it like ${name}(x)`, n);
          const known = allowedVars.length ? [...allowedVars].sort().join(', ') : '(none)';
          fail(`unknown variable '${name}'; known: ${known}`, n);
        }
        used.add(name);
        return (vars) => {
          const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
          if (typeof v !== 'number') fail(`no value was given for variable '${name}'`, n);
          return v as number;
        };
      }
      case 'UnaryExpression': {
        const arg = build(n.argument as Node);
        if (n.operator === '-') return (vars) => -arg(vars);
        if (n.operator === '+') return arg;
        if (n.operator === '!') return (vars) => (arg(vars) ? 0 : 1);
        return fail(`operator '${String(n.operator)}' is not allowed in formulas`, n);
      }
      case 'BinaryExpression': {
        const op = n.operator as string;
        const left = n.left as Node;
        const right = n.right as Node;
        if (op === '**' && left.type === 'UnaryExpression' && !left.grouped) {
          fail(`ambiguous '${excerpt(left)} ** ...': write (${excerpt(left)}) ** x or -(x ** y)`, left);
        }
        const f = BINARY.get(op);
        const l = build(left);
        const r = build(right);
        if (op === '&&') return (vars) => (l(vars) ? r(vars) : 0);
        if (op === '||') return (vars) => l(vars) || r(vars);
        if (!f) {
          const at = text.indexOf(op, endOf(left, text));
          throw new FormulaError(
            `operator '${op}' is not allowed in formulas`,
            at < 0 ? startOf(n) : at,
            text,
          );
        }
        return (vars) => f(l(vars), r(vars));
      }
      case 'ConditionalExpression': {
        const t = build(n.test as Node);
        const a = build(n.consequent as Node);
        const b = build(n.alternate as Node);
        return (vars) => (t(vars) ? a(vars) : b(vars));
      }
      case 'CallExpression': {
        const callee = n.callee as Node;
        if (callee.type !== 'Identifier') {
          fail(`only named functions can be called, like min(a, b) (found ${excerpt(n)})`, callee);
        }
        const name = callee.name as string;
        const spec = FUNCTIONS.get(name);
        if (!spec) fail(`unknown function '${name}'; known: ${FUNCTION_NAMES}`, callee);
        const { min, max, fn } = spec as NonNullable<typeof spec>;
        const args = (n.arguments as Node[]).map(build);
        if (args.length < min || args.length > max) {
          const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
          const plural = max === 1 || (max === Infinity && min === 1) ? '' : 's';
          fail(`${name}() takes ${want} argument${plural}, got ${args.length}`, callee);
        }
        if (args.length === 1) {
          const a0 = args[0] as Eval;
          return (vars) => fn([a0(vars)]);
        }
        return (vars) => fn(args.map((a) => a(vars)));
      }
      case 'MemberExpression':
        return fail(`property access is not allowed in formulas (found ${excerpt(n)})`, n);
      case 'ThisExpression':
        return fail(`'this' is not allowed in formulas`, n);
      case 'ArrayExpression':
        return fail(`arrays are not allowed in formulas (found ${excerpt(n)})`, n);
      case 'Compound': {
        const body = n.body as Node[];
        if (body.length === 0) throw new FormulaError('the formula is empty', 0, text);
        return fail(
          `a formula is a single expression; unexpected ${excerpt(body[1] as Node)}`,
          body[1] as Node,
        );
      }
      default:
        return fail(`${n.type} is not allowed in formulas`, n);
    }
  };

  const root = build(ast);
  const variables = [...used].sort();
  return { text, variables, evaluate: (vars = {}) => root(vars) };
}

/** Compile and evaluate in one go (for values used once, e.g. while compiling a scenario). */
export function evaluateFormula(source: string | number, vars: FormulaVars): number {
  return compileFormula(source, Object.keys(vars)).evaluate(vars);
}
