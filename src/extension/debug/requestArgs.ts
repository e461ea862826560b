// Checks the arguments of the DAP requests the mmscn adapter handles, before a handler reads them: a client
// (or a launch.json) can send anything, and every request must get an answer with a clear message — never a
// TypeError with a stack trace, never no answer at all. Pure: no vscode, no DAP library.

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
/** field → kind; a trailing `?` makes the field optional */
type Shape = Record<string, `${Kind}` | `${Kind}?`>;

const LAUNCH: Shape = {
  program: 'string?', // a missing program gets its own message from the launch (it names what to set)
  stopOnEntry: 'boolean?', noDebug: 'boolean?', variant: 'string?', kernel: 'string?',
  runToLine: 'integer?', checkInvariants: 'boolean?',
};
const SOURCE: Shape = { path: 'string?', name: 'string?' };
const SOURCE_BREAKPOINT: Shape = { line: 'integer', column: 'integer?', condition: 'string?', hitCondition: 'string?', logMessage: 'string?' };

/** The shape of each request's arguments; `optional` requests may come without arguments at all. */
const REQUESTS: Record<string, { optional: boolean; shape: Shape; check?: (a: Record<string, unknown>) => string | null }> = {
  initialize: { optional: false, shape: { adapterID: 'string', linesStartAt1: 'boolean?', columnsStartAt1: 'boolean?', pathFormat: 'string?' } },
  launch: { optional: false, shape: LAUNCH },
  restart: {
    optional: true,
    shape: { arguments: 'object?' },
    check: (a) => (isObject(a.arguments) ? checkShape(a.arguments, LAUNCH, 'arguments.') : null),
  },
  disconnect: { optional: true, shape: { restart: 'boolean?', terminateDebuggee: 'boolean?', suspendDebuggee: 'boolean?' } },
  terminate: { optional: true, shape: { restart: 'boolean?' } },
  setBreakpoints: {
    optional: false,
    shape: { source: 'object', breakpoints: 'array?', lines: 'array?', sourceModified: 'boolean?' },
    check: (a) => checkShape(a.source as Record<string, unknown>, SOURCE, 'source.')
      ?? checkItems(a.breakpoints, 'breakpoints', (b, at) => isObject(b) ? checkShape(b, SOURCE_BREAKPOINT, `${at}.`) : `'${at}' must be an object (got ${kindOf(b)})`)
      ?? checkItems(a.lines, 'lines', (l, at) => Number.isInteger(l) ? null : `'${at}' must be an integer (got ${kindOf(l)})`),
  },
  setExceptionBreakpoints: {
    optional: false,
    shape: { filters: 'array', filterOptions: 'array?' },
    check: (a) => checkItems(a.filters, 'filters', (f, at) => typeof f === 'string' ? null : `'${at}' must be a string (got ${kindOf(f)})`)
      ?? checkItems(a.filterOptions, 'filterOptions', (f, at) => isObject(f) ? checkShape(f, { filterId: 'string', condition: 'string?' }, `${at}.`) : `'${at}' must be an object (got ${kindOf(f)})`),
  },
  configurationDone: { optional: true, shape: {} },
  continue: { optional: true, shape: { threadId: 'integer?' } },
  next: { optional: true, shape: { threadId: 'integer?' } },
  stepIn: { optional: true, shape: { threadId: 'integer?' } },
  stepOut: { optional: true, shape: { threadId: 'integer?' } },
  stepBack: { optional: true, shape: { threadId: 'integer?' } },
  reverseContinue: { optional: true, shape: { threadId: 'integer?' } },
  pause: { optional: true, shape: { threadId: 'integer?' } },
  threads: { optional: true, shape: {} },
  stackTrace: { optional: true, shape: { threadId: 'integer?', startFrame: 'integer?', levels: 'integer?' } },
  scopes: { optional: true, shape: { frameId: 'integer?' } },
  variables: { optional: false, shape: { variablesReference: 'integer', start: 'integer?', count: 'integer?', filter: 'string?' } },
  evaluate: { optional: false, shape: { expression: 'string', frameId: 'integer?', context: 'string?' } },
  gotoTargets: { optional: false, shape: { source: 'object', line: 'integer', column: 'integer?' }, check: (a) => checkShape(a.source as Record<string, unknown>, SOURCE, 'source.') },
  goto: { optional: false, shape: { threadId: 'integer?', targetId: 'integer' } },
  exceptionInfo: { optional: true, shape: { threadId: 'integer?' } },
  breakpointLocations: {
    optional: false,
    shape: { source: 'object', line: 'integer', column: 'integer?', endLine: 'integer?', endColumn: 'integer?' },
    check: (a) => checkShape(a.source as Record<string, unknown>, SOURCE, 'source.'),
  },
  // custom requests (activate.ts, the inspector, CodeLens)
  runToLine: { optional: false, shape: { line: 'integer' } },
  gotoStep: { optional: false, shape: { step: 'integer' } },
  mmscnState: { optional: true, shape: {} },
};

/** The requests whose arguments are checked (the tests send each one garbage). */
export const CHECKED_REQUESTS: readonly string[] = Object.keys(REQUESTS);

/** null when `args` suits `command` (or the command is not one the adapter checks), else what is wrong. */
export function checkRequestArgs(command: string, args: unknown): string | null {
  const spec = REQUESTS[command];
  if (!spec) return null;
  if (args === undefined) return spec.optional ? null : `the '${command}' request needs arguments`;
  if (!isObject(args)) return `the arguments of '${command}' must be an object (got ${kindOf(args)})`;
  const problem = checkShape(args, spec.shape, '') ?? spec.check?.(args) ?? null;
  return problem && `bad '${command}' request: ${problem}`;
}

function checkShape(o: Record<string, unknown>, shape: Shape, prefix: string): string | null {
  for (const [field, want] of Object.entries(shape)) {
    const optional = want.endsWith('?');
    const kind = (optional ? want.slice(0, -1) : want) as Kind;
    const v = o[field];
    if (v === undefined || (optional && v === null)) {
      if (optional) continue;
      return `'${prefix}${field}' is missing`;
    }
    if (!isKind(v, kind)) return `'${prefix}${field}' must be ${article(kind)} (got ${kindOf(v)})`;
  }
  return null;
}

function checkItems(list: unknown, name: string, f: (item: unknown, at: string) => string | null): string | null {
  if (!Array.isArray(list)) return null;
  for (let i = 0; i < list.length; i++) {
    const p = f(list[i], `${name}[${i}]`);
    if (p) return p;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isKind(v: unknown, k: Kind): boolean {
  switch (k) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isSafeInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
  }
}

function article(k: Kind): string {
  return k === 'integer' || k === 'object' || k === 'array' ? `an ${k}` : `a ${k}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isInteger(v)) return `the number ${v}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v}`;
}
