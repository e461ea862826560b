// Running a scenario, once for every front end (the CLI, the editor's Run command, the debugger, the inspector):
// text → analysis (parse + lower) → a checked scenario with the kernel preset applied → the machine of a variant.
// Pure: no `vscode`, no file system; each front end reads its text and reports in its own medium.
import { analyze, analyzeOnce } from '../language/index.js';
import type { Diagnostic } from '../language/types.js';
import { ScenarioRun, type RunOutcome } from '../sim/runner.js';
import type { BlockView } from '../sim/api.js';
import type { PageAtStep } from '../language/hover.js';
import type { KernelPreset, Scenario, Variant } from '../sim/scenario.js';

export interface RunSetup {
  /** `mmscn.kernelPreset` / the launch configuration's `kernel`: applies when the scenario names no kernel itself */
  kernelPreset?: string;
  /** the text is analyzed for this run only (the CLI): analyzeOnce, which holds no tokens or syntax tree and keeps
   *  nothing for an editor (an imported machine's scenario is 10^5-10^6 lines) */
  once?: boolean;
}

export type PreparedRun =
  | { ok: true; scenario: Scenario; diagnostics: Diagnostic[] }
  /** the text has errors (`errors` may be empty when only the lowering failed): nothing can run */
  | { ok: false; scenario: null; diagnostics: Diagnostic[]; errors: Diagnostic[] };

/** Parses and lowers `text`; the scenario to run, or the errors that prevent it. */
export function prepareRun(text: string, setup: RunSetup = {}): PreparedRun {
  const { scenario, diagnostics } = setup.once ? analyzeOnce(text) : analyze(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!scenario || errors.length) return { ok: false, scenario: null, diagnostics, errors };
  // a copy: analyze() shares its result with every caller of the same text, so it is never changed in place
  if (setup.kernelPreset && !namesKernel(text)) return { ok: true, scenario: { ...scenario, kernel: setup.kernelPreset as KernelPreset }, diagnostics };
  return { ok: true, scenario, diagnostics };
}

/** The scenario says `kernel …` itself (outside comments): a kernel preset setting does not override it. */
export function namesKernel(text: string): boolean {
  return /^\s*kernel\s+\S/m.test(text.replace(/(#|\/\/).*$/gm, ''));
}

/** The variants a whole run goes through: each variant, or the scenario itself (null) when it has none. */
export function runVariants(s: Scenario): (Variant | null)[] {
  return s.variants.length ? s.variants : [null];
}

/** The variant named `name`; undefined when the scenario has none of that name. */
export function findVariant(s: Scenario, name: string): Variant | undefined {
  return s.variants.find((v) => v.name === name);
}

/** The machine of one variant, ready to step. Throws when the simulator refuses the machine (src/sim/limits.ts). */
export function startRun(s: Scenario, variant: Variant | null, options: ConstructorParameters<typeof ScenarioRun>[2] = {}): ScenarioRun {
  return new ScenarioRun(s, variant, options);
}

/** A page-state lookup for hover from the first outcome's final machine, with its memory block's state at that
 *  step (online/offline/absent): the language server's own runs and the extension's stored runs both use it. */
export function pageLookup(outcomes: RunOutcome[]): ((pfn: number) => PageAtStep | undefined) | undefined {
  const machine = outcomes[0]?.machine;
  if (!machine) return undefined;
  let blocks: BlockView[] | undefined;
  return (pfn) => {
    try {
      const info: PageAtStep | undefined = machine.pageInfo(pfn);
      if (!info) return undefined;
      blocks ??= machine.blocks();
      const b = blocks.find((x) => pfn >= x.start && pfn < x.start + x.pages);
      return b ? { ...info, blockState: b.state, validZones: b.valid_zones } : info;
    } catch {
      return undefined;
    }
  };
}
