// Commands: mmscn.checkFile (diagnostics now, summary in the output channel) and mmscn.runScenario
// (run the file on the simulator, per-operation results in the output channel, failed expectations as errors).
// Both return a plain summary object so tests (and other extensions) can assert on what happened.
import * as vscode from 'vscode';
import { toRange } from './convert.js';
import { type DiagnosticsController, LANGUAGE_ID } from './diagnostics.js';
import type { RunStore } from './results.js';
import type { Scenario } from '../sim/scenario.js';
import type { RunOutcome } from '../sim/runner.js';
import { internalErrorText } from '../sim/describe.js';
import { prepareRun, runVariants, startRun } from '../app/run.js';
import { reportLines } from '../app/report.js';
import { runInSlices } from './slices.js';

export interface CheckSummary { uri: string; errors: number; warnings: number; infos: number }
export interface RunSummary {
  uri: string;
  /** false when the file has errors or the simulator is missing; see `message` */
  ran: boolean;
  /** every expectation held and no run error */
  ok: boolean;
  message: string;
  /** the run was cancelled (the progress notification's Cancel, or the caller's token) before it finished */
  cancelled?: boolean;
  variants: { variant: string | null; ops: number; failedOps: number; expectations: number; failedExpectations: number; errors: number; internalError?: string }[];
}


async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === LANGUAGE_ID) return doc;
  return undefined;
}

function rel(doc: vscode.TextDocument): string {
  return vscode.workspace.asRelativePath(doc.uri, false);
}

export class Commands {
  constructor(
    private readonly out: vscode.OutputChannel,
    private readonly diagnostics: DiagnosticsController,
    private readonly runs: RunStore,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('mmscn.checkFile', (uri?: unknown) => this.checkFile(uri)),
      vscode.commands.registerCommand('mmscn.runScenario', (uri?: unknown, opts?: RunOptions) => this.runScenario(uri, opts)),
      vscode.commands.registerCommand('mmscn.showOutput', () => this.out.show(true)),
    ];
  }

  /**
   * Runs every variant step by step in time slices (src/extension/slices.ts): a long run never freezes the
   * extension host. A run still going after QUIET_MS shows a cancellable progress notification (short runs
   * show none). `cancelled` says where it stopped.
   */
  private async simulate(scenario: Scenario, name: string, token?: vscode.CancellationToken): Promise<{ outcomes: RunOutcome[]; cancelled: string | null }> {
    const variants = runVariants(scenario);
    const n = scenario.steps.length;
    const outcomes: RunOutcome[] = [];
    let k = 0;
    let run = startRun(scenario, variants[0]!, { timeTravel: false });
    let onStep: () => void = () => undefined;
    /** runs variants from where they are until all are done (true) or `stop()` (false) */
    const go = async (stop: () => boolean): Promise<boolean> => {
      for (;;) {
        const finished = await runInSlices(() => { run.step(); onStep(); return run.done; }, () => stop() || token?.isCancellationRequested === true);
        if (!finished) return false;
        outcomes.push(run.outcome());
        if (++k >= variants.length) return true;
        run = startRun(scenario, variants[k]!, { timeTravel: false });
      }
    };
    const where = () => `at step ${run.position + 1}/${n}${variants[k] ? ` of variant ${variants[k]!.name}` : ''}`;
    const quietUntil = Date.now() + QUIET_MS;
    if (await go(() => Date.now() > quietUntil)) return { outcomes, cancelled: null };
    if (token?.isCancellationRequested) return { outcomes, cancelled: where() };
    const options = { location: vscode.ProgressLocation.Notification, title: `mmscn: running ${name}`, cancellable: true };
    return vscode.window.withProgress(options, async (progress, cancel) => {
      let shown = 0;
      onStep = () => {
        const pct = Math.floor(((k * n + run.position) / (n * variants.length || 1)) * 100);
        if (pct <= shown) return;
        progress.report({ increment: pct - shown, message: `${variants[k] ? `variant ${variants[k]!.name}, ` : ''}step ${run.position}/${n}` });
        shown = pct;
      };
      const finished = await go(() => cancel.isCancellationRequested);
      return { outcomes, cancelled: finished ? null : where() };
    });
  }

  async checkFile(arg?: unknown): Promise<CheckSummary | undefined> {
    const doc = await targetDocument(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('mmscn: open a .mmscn file to check it.');
      return undefined;
    }
    const diags = this.diagnostics.refresh(doc);
    const count = (s: vscode.DiagnosticSeverity) => diags.filter((d) => d.severity === s).length;
    const summary: CheckSummary = {
      uri: doc.uri.toString(),
      errors: count(vscode.DiagnosticSeverity.Error),
      warnings: count(vscode.DiagnosticSeverity.Warning),
      infos: count(vscode.DiagnosticSeverity.Information) + count(vscode.DiagnosticSeverity.Hint),
    };
    this.out.appendLine(`[check] ${rel(doc)}: ${summary.errors} error(s), ${summary.warnings} warning(s)`);
    for (const d of diags) this.out.appendLine(`  ${rel(doc)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${vscode.DiagnosticSeverity[d.severity].toLowerCase()}: ${d.message}`);
    const msg = `mmscn: ${rel(doc)} — ${summary.errors} error(s), ${summary.warnings} warning(s)`;
    if (summary.errors) void vscode.window.showErrorMessage(msg, 'Show Problems').then((a) => a && vscode.commands.executeCommand('workbench.actions.view.problems'));
    else void vscode.window.showInformationMessage(msg);
    return summary;
  }

  async runScenario(arg?: unknown, opts: RunOptions = {}): Promise<RunSummary | undefined> {
    const doc = await targetDocument(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('mmscn: open a .mmscn file to run it.');
      return undefined;
    }
    const name = rel(doc);
    const fail = (message: string): RunSummary => {
      this.out.appendLine(`[run] ${name}: ${message}`);
      this.out.show(true);
      void vscode.window.showErrorMessage(`mmscn: ${message}`);
      return { uri: doc.uri.toString(), ran: false, ok: false, message, variants: [] };
    };
    const prepared = prepareRun(doc.getText(), { kernelPreset: kernelPreset(doc) });
    this.diagnostics.refresh(doc);
    if (!prepared.ok) return fail(`cannot run ${name}: it has ${prepared.errors.length || 'syntax'} error(s) — see Problems`);
    const { scenario } = prepared;

    const started = Date.now();
    let outcomes: RunOutcome[];
    let stopped: string | null;
    try {
      const r = await this.simulate(scenario, name, opts.token);
      outcomes = r.outcomes;
      stopped = r.cancelled;
    } catch (e) {
      return fail(`the simulator failed on ${name}: ${(e as Error).stack ?? e}`);
    }
    const ms = Date.now() - started;
    if (stopped) {
      const message = `${name}: run cancelled ${stopped}`;
      this.out.appendLine(`[run] ${message} (${ms} ms)`);
      this.out.show(true);
      void vscode.window.showInformationMessage(`mmscn: ${message}`);
      return { uri: doc.uri.toString(), ran: false, ok: false, cancelled: true, message, variants: [] };
    }

    this.out.appendLine(`[run] ${name} (${ms} ms)`);
    const runDiags: vscode.Diagnostic[] = [];
    const variants: RunSummary['variants'] = [];
    for (const o of outcomes) {
      // the report under the variant's header, indented; population that succeeded is left out
      for (const line of reportLines(name, o, { steps: scenario.steps.length, quietPopulation: true, internal: 'inline' })) {
        this.out.appendLine(line.startsWith('== variant ') ? line : `  ${line.replace(/\n/g, '\n  ')}`);
      }
      for (const e of o.errors) runDiags.push(runDiagnostic(e.loc, e.message, o.variant, 'run'));
      for (const e of o.expectations) if (!e.ok) runDiags.push(runDiagnostic(e.loc, `expectation failed: ${e.message}`, o.variant, 'expectation'));
      if (o.internal) runDiags.push(runDiagnostic(o.internal.loc, internalErrorText(o.internal, scenario.steps.length).replace(/\n\s*/g, ' '), o.variant, 'internal'));
      const failedExpectations = o.expectations.filter((e) => !e.ok).length;
      variants.push({
        variant: o.variant, ops: o.ops.length, failedOps: o.ops.filter((r) => !r.result.ok).length,
        expectations: o.expectations.length, failedExpectations, errors: o.errors.length,
        ...(o.internal ? { internalError: o.internal.message } : {}),
      });
    }
    this.runs.set(doc, outcomes);
    this.diagnostics.setRunDiagnostics(doc, runDiags);
    const ok = variants.every((v) => v.failedExpectations === 0 && v.errors === 0 && !v.internalError);
    const internal = variants.some((v) => v.internalError);
    const message = ok ? `${name}: every expectation holds`
      : internal ? `${name}: the simulator hit an internal error (a bug in mmscn; the run stopped there) — please report it with this file`
      : `${name}: ${runDiags.length} expectation(s) or error(s) failed`;
    this.out.show(true);
    if (ok) void vscode.window.showInformationMessage(`mmscn: ${message}`);
    else if (internal) void vscode.window.showErrorMessage(`mmscn: ${message}`);
    else void vscode.window.showWarningMessage(`mmscn: ${message}`);
    return { uri: doc.uri.toString(), ran: true, ok, message, variants };
  }
}

/** A run that finishes within this many milliseconds shows no progress notification. */
const QUIET_MS = 400;

export interface RunOptions {
  /** cancels the run (besides the progress notification's Cancel button) */
  token?: vscode.CancellationToken;
}

function runDiagnostic(loc: Parameters<typeof toRange>[0], message: string, variant: string | null, code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(loc), variant ? `[${variant}] ${message}` : message, vscode.DiagnosticSeverity.Error);
  d.source = 'mmscn';
  d.code = code;
  return d;
}

/** The `mmscn.kernelPreset` setting (prepareRun applies it to scenarios that do not name a kernel themselves). */
export function kernelPreset(doc: vscode.TextDocument): string {
  return vscode.workspace.getConfiguration('mmscn', doc).get<string>('kernelPreset', '');
}
