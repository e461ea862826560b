// Results in the editor without a debug session, and alongside one: after-line decorations with each line's
// outcome (from the RunStore: the last mmscn.runScenario, or the debugger's current step), CodeLens
// "▶ Run | ⏵ Debug | Run to here" above operation lines, and a status bar item ("mmscn: step 12/40").
import * as vscode from 'vscode';
import * as language from '../../language/index.js';
import { LANGUAGE_ID } from '../diagnostics.js';
import type { RunStore, StoredRun } from '../results.js';
import { lineResults, type LineResult } from './inline.js';
import { POPULATION_OPS } from '../../sim/scenario.js';
import { shiftLines, type LineEdit } from '../lineShift.js';

/** vscode's content changes as line edits (src/extension/lineShift.ts). */
export function lineEdits(e: vscode.TextDocumentChangeEvent): LineEdit[] {
  return e.contentChanges.map((c) => ({ startLine: c.range.start.line, endLine: c.range.end.line, text: c.text }));
}

export class SteppingUi implements vscode.Disposable {
  private readonly okType = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('testing.iconPassed'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly failType = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('errorForeground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  readonly status = vscode.window.createStatusBarItem('mmscn.step', vscode.StatusBarAlignment.Left, 50);
  /** what each document currently shows (tests read it through the API) */
  private readonly shown = new Map<string, LineResult[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<{ uri: string; lines: LineResult[] }>();
  /** fires after the decorations of a document changed */
  readonly onDidChangeResults = this.changed.event;

  constructor(private readonly runs: RunStore) {
    this.status.name = 'mmscn step';
    this.subscriptions.push(
      runs.onDidRun((r) => { this.applyRun(r); this.updateStatus(); }),
      vscode.window.onDidChangeVisibleTextEditors(() => { for (const e of vscode.window.visibleTextEditors) this.apply(e); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== LANGUAGE_ID || !e.contentChanges.length) return;
        // the results of an earlier run stay on their lines while the user types (a typo must not blank
        // them): they move with inserted and deleted lines, and go on the next run
        const uri = e.document.uri.toString();
        const was = this.shown.get(uri);
        if (was) {
          const now = shiftLines(was, lineEdits(e));
          this.shown.set(uri, now);
          for (const ed of vscode.window.visibleTextEditors) if (ed.document.uri.toString() === uri) this.decorate(ed, now);
          if (now.length !== was.length || now.some((r, i) => r.line !== was[i]!.line)) this.changed.fire({ uri, lines: now });
        }
        this.updateStatus();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString())),
    );
    for (const e of vscode.window.visibleTextEditors) this.apply(e);
    this.updateStatus();
  }

  /** The decorations a document shows now: [{line (1-based), text}]. */
  results(uri: vscode.Uri | string): LineResult[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  /** the status bar text while it is shown, else undefined */
  statusText(): string | undefined {
    return this.statusVisible ? this.status.text : undefined;
  }
  private statusVisible = false;

  private applyRun(r: StoredRun): void {
    const lines = lineResults(r.outcomes);
    this.shown.set(r.uri, lines);
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === r.uri) this.decorate(e, lines);
    this.changed.fire({ uri: r.uri, lines });
  }

  private apply(e: vscode.TextEditor): void {
    if (e.document.languageId !== LANGUAGE_ID) return;
    const r = this.runs.get(e.document);
    if (!r) return;
    const lines = this.shown.get(r.uri) ?? lineResults(r.outcomes);
    this.shown.set(r.uri, lines);
    this.decorate(e, lines);
  }

  private decorate(e: vscode.TextEditor, lines: LineResult[]): void {
    const doc = e.document;
    const opts = (ok: boolean) => lines.filter((l) => l.ok === ok && l.line >= 1 && l.line <= doc.lineCount).map((l) => {
      const end = doc.lineAt(l.line - 1).range.end;
      return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: l.text } }, hoverMessage: new vscode.MarkdownString().appendText(l.text) };
    });
    e.setDecorations(this.okType, opts(true));
    e.setDecorations(this.failType, opts(false));
  }

  private clear(uri: string): void {
    this.shown.delete(uri);
    for (const e of vscode.window.visibleTextEditors) {
      if (e.document.uri.toString() !== uri) continue;
      e.setDecorations(this.okType, []);
      e.setDecorations(this.failType, []);
    }
    this.changed.fire({ uri, lines: [] });
  }

  /** "mmscn: step 12/40" while a debug session is stopped in the active file; the run's verdict after a run. */
  updateStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const r = doc && doc.languageId === LANGUAGE_ID ? this.runs.get(doc) : undefined;
    if (!r) {
      this.status.text = '';
      this.status.hide();
      this.statusVisible = false;
      return;
    }
    const failed = r.outcomes.reduce((n, o) => n + o.expectations.filter((e) => !e.ok).length + o.errors.length, 0);
    if (r.step?.debugging) {
      const { position, total } = r.step;
      this.status.text = position >= total ? `$(debug-stackframe) mmscn: step ${total}/${total} (end)` : `$(debug-stackframe) mmscn: step ${position + 1}/${total}`;
      this.status.tooltip = `Stopped before step ${position + 1} of ${total}${r.outcomes[0]?.variant ? ` (variant ${r.outcomes[0].variant})` : ''}. Click to show the debugger.`;
      this.status.command = 'workbench.view.debug';
    } else {
      const ran = r.step ? `step ${Math.min(r.step.position, r.step.total)}/${r.step.total}` : 'run';
      this.status.text = failed ? `$(error) mmscn: ${ran} ✗ ${failed} failed` : `$(check) mmscn: ${ran} ✓`;
      this.status.tooltip = failed ? `${failed} expectation(s) or error(s) failed — click for the output` : 'Every expectation holds — click for the output';
      this.status.command = 'mmscn.showOutput';
    }
    this.status.show();
    this.statusVisible = true;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.okType.dispose();
    this.failType.dispose();
    this.status.dispose();
    this.changed.dispose();
  }
}

/**
 * "▶ Run | ⏵ Debug | Run to here" above each operation (and interleave) line — not above population
 * (`page`, `folio`, `fill`, `pageblock`: an imported machine has thousands). While the file does not analyse
 * (a typo), the last good lenses stay (moved with the edits), so the text does not jump as lenses vanish.
 */
export class SteppingCodeLens implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** the operation lines of the last analysis without errors, by document */
  private readonly lastGood = new Map<string, { line: number }[]>();
  private readonly subscriptions: vscode.Disposable[] = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      const was = this.lastGood.get(e.document.uri.toString());
      if (was && e.contentChanges.length) this.lastGood.set(e.document.uri.toString(), shiftLines(was, lineEdits(e)));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => this.lastGood.delete(d.uri.toString())),
  ];

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!language || !vscode.workspace.getConfiguration('mmscn', doc).get<boolean>('codeLens.enabled', true)) return [];
    const uri = doc.uri.toString();
    let lines: { line: number }[] | undefined;
    try {
      const a = language.analyze(doc.getText());
      if (a.scenario && !a.diagnostics.some((d) => d.severity === 'error')) {
        lines = a.scenario.steps
          .filter((st) => st.kind === 'interleave' || (st.kind === 'op' && !POPULATION_OPS.has(st.op.op)))
          .map((st) => ({ line: st.loc.line }));
        this.lastGood.set(uri, lines);
      }
    } catch {
      lines = undefined;
    }
    lines ??= this.lastGood.get(uri) ?? [];
    const out: vscode.CodeLens[] = [];
    for (const { line } of lines) {
      if (line < 1 || line > doc.lineCount) continue;
      const range = new vscode.Range(line - 1, 0, line - 1, 0);
      out.push(
        new vscode.CodeLens(range, { title: '$(play) Run', command: 'mmscn.runScenario', arguments: [doc.uri], tooltip: 'Run the whole scenario (results inline)' }),
        new vscode.CodeLens(range, { title: '$(debug-alt) Debug', command: 'mmscn.debugScenario', arguments: [doc.uri], tooltip: 'Debug the scenario from its first step' }),
        new vscode.CodeLens(range, { title: 'Run to here', command: 'mmscn.runToLine', arguments: [doc.uri, line], tooltip: `Run (in the debugger) up to line ${line}` }),
      );
    }
    return out;
  }

  refresh(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }
}
