// The pure back ends the extension adapts: the language service (src/language) and the scenario runner
// (src/sim/runner). Each is loaded with a guarded require so that the extension still builds and activates
// while one of them is missing (providers then report "not available" instead of crashing activation).
// esbuild bundles a require() it can resolve and leaves a warning for one it cannot inside try/catch.
import type * as L from '../language/types.js';
import type { BlockView, PageInfo, OpResult } from '../sim/api.js';
import type { Loc, Scenario } from '../sim/scenario.js';
import type * as LanguageIndex from '../language/index.js';

/** What the extension calls in src/language/index.ts (1-based positions). */
export interface LanguageService {
  analyze(text: string): { scenario: Scenario | null; diagnostics: L.Diagnostic[] };
  complete?(text: string, line: number, col: number): L.CompletionItem[];
  hover?(text: string, line: number, col: number, pageInfo?: (pfn: number) => PageInfo | undefined): L.HoverResult | null;
  documentSymbols?(text: string): L.DocumentSymbol[];
  semanticTokens?(text: string): L.SemanticToken[];
  foldingRanges?(text: string): L.FoldingRange[];
  format?(text: string): L.TextEdit[];
}

// Compile-time check (npm run typecheck) that src/language/index.ts still offers what the extension calls.
const languageConforms: LanguageService = {} as typeof LanguageIndex;
void languageConforms;

/** What the extension reads from a run (src/sim/runner.ts RunOutcome, structurally). */
export interface RunOutcomeLike {
  variant: string | null;
  ops: { loc: Loc; op: string; name: string | null; cpu: number; result: OpResult }[];
  expectations: { loc: Loc; ok: boolean; message: string }[];
  errors: { loc: Loc; message: string }[];
  /** the simulator failed on an operation: the run stopped before that step (runner.ts InternalFailure) */
  internal?: { step: number; loc: Loc; op: string; name: string | null; cpu: number; message: string; notRun: number } | null;
  /** the final machine; `pageInfo(pfn)` when the simulator offers it (used by hover) */
  machine?: { pageInfo?(pfn: number): PageInfo | undefined; blocks?(): BlockView[] };
}

/** One run of one variant, step by step (src/sim/runner.ts ScenarioRun): the Run command slices it. */
export interface StepRunLike {
  readonly done: boolean;
  position: number;
  step(): void;
  outcome(): RunOutcomeLike;
}

export interface Runner {
  runScenario(s: Scenario, options?: { until?: number; variant?: string }): RunOutcomeLike[] | RunOutcomeLike;
  ScenarioRun?: new (s: Scenario, v: Scenario['variants'][number] | null, options?: { timeTravel?: boolean }) => StepRunLike;
}

function check<T>(what: string, m: unknown, error: unknown, ok: (m: any) => boolean): { mod: T | null; error: string | null } {
  if (error) return { mod: null, error: `${what} is not available: ${(error as Error).message}` };
  if (!ok(m)) return { mod: null, error: `${what} does not export the expected functions` };
  return { mod: m as T, error: null };
}

// Each require() must stay literal and directly inside its try block: esbuild then bundles it when the
// file exists and only warns (leaving a require that throws at run time) when it does not.
let langMod: unknown;
let langErr: unknown;
try { langMod = require('../language/index'); } catch (e) { langErr = e; }
let simMod: unknown;
let simErr: unknown;
try { simMod = require('../sim/runner'); } catch (e) { simErr = e; }

const lang = check<LanguageService>('the language service (src/language/index.ts)', langMod, langErr, (m) => typeof m?.analyze === 'function');
const sim = check<Runner>('the simulator runner (src/sim/runner.ts)', simMod, simErr, (m) => typeof m?.runScenario === 'function');

export const language: LanguageService | null = lang.mod;
export const languageError: string | null = lang.error;
export const runner: Runner | null = sim.mod;
export const runnerError: string | null = sim.error;

/** Throws a clear error when a language-service function is missing (so tests fail loudly, not silently). */
export function need<K extends keyof LanguageService>(name: K): NonNullable<LanguageService[K]> {
  const f = language?.[name];
  if (typeof f !== 'function') {
    throw new Error(`mmscn: ${String(name)}() is not available from src/language/index.ts${languageError ? ` (${languageError})` : ''}`);
  }
  return f.bind(language) as NonNullable<LanguageService[K]>;
}
