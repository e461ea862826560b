// The inspector webview host (command mmscn.openInspector, "Open Inspector" beside the editor).
// It shows the state after the last run of the active .mmscn file, or a debug session's current step when
// the debugger calls `showRun(run)`. The webview speaks the typed protocol of src/shared/protocol.ts; every
// message in both directions fires `onDidWebviewMessage` (the API object exposes it for tests).
import * as vscode from 'vscode';
import type { ScenarioRun } from '../sim/runner.js';
import type { Scenario } from '../sim/scenario.js';
import { summarize } from '../sim/mapview.js';
import { isFromWebview, type FromWebview, type ToWebview, type VerifyView, type WebviewTraffic } from '../shared/protocol.js';
import { compareRuns, inspectorState, lineForPfn, type InspectedRun } from './inspectorModel.js';
import { kernelPreset } from './commands.js';
import { prepareRun, startRun } from '../app/run.js';
import { LANGUAGE_ID } from './diagnostics.js';
import type { RunStore, StoredRun } from './results.js';
import { hex } from '../shared/format.js';
import { sourceColumn } from './revealColumn.js';
import { keepEditorFocus } from './revealFocus.js';

export const INSPECTOR_VIEW_TYPE = 'mmscn.inspector';

/** Who moves the inspector to another step (the debugger registers one; else the inspector replays itself). */
export type StepHandler = (step: number, variant: string | null, uri: string) => boolean | Promise<boolean>;

interface Session {
  uri: string;
  origin: 'run' | 'debug';
  /** the run shown, by variant name ('' when the scenario has none) */
  runs: Map<string, InspectedRun>;
  shown: string;
  /** the scenario, for replays (gotoStep, compare at a step); null when the text no longer analyses */
  scenario: Scenario | null;
  /** the debugger's run, when it drives the view */
  live?: ScenarioRun;
  /** other variants replayed to the shown step (compare, its maps and hovers), by `variant@step` */
  replays?: Map<string, InspectedRun>;
}

const key = (v: string | null | undefined) => v ?? '';

function fromScenarioRun(run: ScenarioRun): InspectedRun {
  return {
    machine: run.machine, ops: run.ops.slice(), variant: run.variant?.name ?? null,
    variants: run.scenario.variants.map((v) => v.name), step: run.position, of: run.scenario.steps.length,
  };
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

export class Inspector implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private session: Session | undefined;
  private stepHandler: StepHandler | undefined;
  /** the last `mmscn verify` report (mmscn.verifyMachine), shown above the map until the panel closes */
  private verify: VerifyView | undefined;
  private readonly traffic = new vscode.EventEmitter<WebviewTraffic>();
  readonly onDidWebviewMessage = this.traffic.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly runs: RunStore) {
    this.disposables.push(
      this.traffic,
      runs.onDidRun((r) => { if (this.session?.origin !== 'debug') this.showStored(r); }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (!ed || ed.document.languageId !== LANGUAGE_ID || this.session?.origin === 'debug') return;
        if (this.session?.uri === ed.document.uri.toString()) return;
        const r = this.runs.get(ed.document);
        if (r) this.showStored(r);
      }),
    );
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('mmscn.openInspector', (uri?: unknown) => this.open(uri instanceof vscode.Uri ? uri : undefined)),
      vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => { this.attach(panel); },
      }),
    ];
  }

  /** Opens (or reveals) the inspector beside the editor, showing the active file's last run. */
  async open(uri?: vscode.Uri): Promise<void> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (doc?.languageId === LANGUAGE_ID && this.session?.origin !== 'debug') {
      const r = this.runs.get(doc);
      if (r && r.uri !== this.session?.uri) this.showStored(r);
      else if (r && this.session?.uri === r.uri && !this.session.runs.size) this.showStored(r);
    }
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, 'mmscn Inspector', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    this.attach(panel);
  }

  /** Shows a prediction checked on this machine (mmscn.verifyMachine), opening the inspector if needed. */
  async showVerify(view: VerifyView): Promise<void> {
    this.verify = view;
    if (!this.panel) await this.open();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    if (this.ready) this.post({ type: 'verify', view });
  }

  /** The debugger's entry point: show this run at its current step (and follow it on every later call). */
  showRun(run: ScenarioRun, opts: { uri?: vscode.Uri | string; origin?: 'run' | 'debug' } = {}): void {
    const uri = opts.uri ? opts.uri.toString() : this.session?.uri ?? '';
    const ir = fromScenarioRun(run);
    const origin = opts.origin ?? 'debug';
    const sameScenario = this.session && this.session.uri === uri && this.session.scenario === run.scenario;
    const runs = sameScenario ? this.session!.runs : new Map<string, InspectedRun>();
    runs.set(key(ir.variant), ir);
    this.session = { uri, origin, runs, shown: key(ir.variant), scenario: run.scenario, live: run };
    this.postState();
  }

  /** The debugger is gone: go back to following runs of the file. */
  endDebug(): void {
    if (this.session?.origin !== 'debug') return;
    this.session = { ...this.session, origin: 'run', live: undefined };
    this.postState();
  }

  /** The debugger moves the inspector between steps (a migration log click) instead of the inspector's replay. */
  setStepHandler(h: StepHandler): vscode.Disposable {
    this.stepHandler = h;
    return new vscode.Disposable(() => { if (this.stepHandler === h) this.stepHandler = undefined; });
  }

  /** The last run of a document (mmscn.runScenario), at its end. */
  showStored(r: StoredRun): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri);
    const scenario: Scenario | null = doc ? prepareRun(doc.getText(), { kernelPreset: kernelPreset(doc) }).scenario : null;
    const outcomes = r.outcomes;
    const variants = outcomes.map((o) => o.variant).filter((v): v is string => v !== null);
    const runs = new Map<string, InspectedRun>();
    for (const o of outcomes) {
      if (!o.machine || typeof (o.machine as { zones?: unknown }).zones !== 'function') continue;
      const of = scenario?.steps.length ?? (o.ops.length ? Math.max(...o.ops.map((x) => x.step)) + 1 : 0);
      runs.set(key(o.variant), { machine: o.machine, ops: o.ops, variant: o.variant, variants, step: of, of });
    }
    const prevShown = this.session?.uri === r.uri ? this.session.shown : undefined;
    const shown = prevShown !== undefined && runs.has(prevShown) ? prevShown : [...runs.keys()][0] ?? '';
    this.session = { uri: r.uri, origin: 'run', runs, shown, scenario };
    this.postState();
  }

  private current(): InspectedRun | undefined {
    return this.session?.runs.get(this.session.shown);
  }

  private sourceName(): string {
    if (!this.session?.uri) return '';
    try { return vscode.workspace.asRelativePath(vscode.Uri.parse(this.session.uri), false); } catch { return this.session.uri; }
  }

  private postState(): void {
    if (!this.panel || !this.ready) return;
    const run = this.current();
    if (!run || !this.session) {
      this.post({ type: 'empty', message: 'Run a .mmscn file (mmscn: Run Scenario) or start debugging one: the inspector shows its machine here.' });
      return;
    }
    this.panel.title = `Inspector: ${this.sourceName().split('/').pop()}`;
    this.post({ type: 'state', state: inspectorState(run, this.sourceName(), this.session.origin) });
  }

  private post(msg: ToWebview): void {
    if (!this.panel) return;
    this.traffic.fire({ dir: 'toWebview', msg });
    void this.panel.webview.postMessage(msg);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    panel.webview.html = this.html(panel.webview);
    const subs: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((m: unknown) => { void this.receive(m); }),
      panel.onDidChangeViewState(() => { if (panel.visible && !this.ready) { /* the webview reloads and says ready */ } }),
    ];
    panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.panel === panel) { this.panel = undefined; this.ready = false; this.verify = undefined; }
    });
  }

  /** A message from the webview (or from a test, as if the webview sent it): checked, recorded, handled. */
  async receive(m: unknown): Promise<void> {
    if (!isFromWebview(m)) return;
    this.traffic.fire({ dir: 'fromWebview', msg: m });
    await this.handle(m);
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.postState();
        if (this.verify) this.post({ type: 'verify', view: this.verify });
        return;
      case 'viewMap': {
        // a compared variant is shown at the step the inspector is at, never at its stored (final) state
        const run = m.variant !== undefined && m.variant !== null ? this.variantRun(m.variant) : this.current();
        if (!run) return;
        const map = summarize(run.machine, { start: m.start, end: m.end, maxCells: Math.min(m.maxCells, 65536) });
        this.post({ type: 'map', id: m.id, map });
        return;
      }
      case 'hoverPage': {
        const run = m.variant ? this.variantRun(m.variant) : this.current();
        let info;
        try { info = run ? run.machine.pageInfo(m.pfn) : null; } catch { info = null; }
        this.post({ type: 'pageInfo', id: m.id, pfn: m.pfn, info });
        return;
      }
      case 'reveal': {
        const run = this.current();
        const line = m.line ?? (run && m.pfn !== undefined ? lineForPfn(run, m.pfn) : null);
        if (line) await this.revealLine(line);
        else void vscode.window.setStatusBarMessage(`mmscn: no operation line explains pfn ${hex(m.pfn ?? 0)}`, 4000);
        return;
      }
      case 'gotoStep':
        await this.gotoStep(m.step);
        return;
      case 'compare': {
        const a = this.variantRun(m.variantA);
        const b = this.variantRun(m.variantB);
        if (!a || !b) {
          this.post({ type: 'compare', result: null, error: `no run of variant ${!a ? m.variantA : m.variantB}` });
          return;
        }
        this.post({ type: 'compare', result: compareRuns(a, b) });
        return;
      }
    }
  }

  /** The run of a variant at the step shown (replayed from the scenario when it is not the shown one). */
  private variantRun(variant: string): InspectedRun | undefined {
    const s = this.session;
    if (!s) return undefined;
    const cur = this.current();
    const have = s.runs.get(key(variant === '(none)' ? null : variant));
    if (have && (!cur || have.step === cur.step)) return have;
    if (!s.scenario) return have;
    const v = s.scenario.variants.find((x) => x.name === variant) ?? null;
    if (!v && s.scenario.variants.length) return have;
    const step = cur?.step ?? s.scenario.steps.length;
    const cacheKey = `${key(v?.name)}@${step}`;
    const cached = s.replays?.get(cacheKey);
    if (cached) return cached;
    const run = this.replay(v?.name ?? null, step);
    if (!run) return have;
    const ir = fromScenarioRun(run);
    // one replay per variant and step: the compare maps ask for many windows and hovers
    s.replays = new Map([...(s.replays ?? [])].filter(([k]) => k.endsWith(`@${step}`)));
    s.replays.set(cacheKey, ir);
    return ir;
  }

  private replay(variant: string | null, step: number): ScenarioRun | undefined {
    const s = this.session?.scenario;
    if (!s) return undefined;
    const v = s.variants.find((x) => x.name === variant) ?? null;
    const run = startRun(s, v);
    run.goto(step);
    return run;
  }

  private async gotoStep(step: number): Promise<void> {
    const s = this.session;
    if (!s) return;
    const variant = s.shown || null;
    if (this.stepHandler && s.origin === 'debug') {
      const handled = await this.stepHandler(step, variant, s.uri);
      if (handled) return;
    }
    const run = this.replay(variant, step);
    if (!run) return;
    s.runs.set(s.shown, fromScenarioRun(run));
    this.postState();
    const line = s.scenario?.steps[Math.max(0, step - 1)]?.loc.line;
    if (line) await this.revealLine(line, true);
  }

  private async revealLine(line: number, preserveFocus = false): Promise<void> {
    const uri = this.session?.uri;
    if (!uri) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    // never over the inspector: with the source tab closed and the inspector alone, column One is the inspector's
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri)?.viewColumn;
    const col = sourceColumn(visible, this.panel?.viewColumn) as vscode.ViewColumn;
    const ed = await vscode.window.showTextDocument(doc, { viewColumn: col, preserveFocus, preview: false });
    const range = doc.lineAt(Math.min(line, doc.lineCount) - 1).range;
    ed.selection = new vscode.Selection(range.start, range.end);
    ed.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (preserveFocus) return;
    // the webview's own focus handling of the click can land after this reveal and make the inspector the active
    // editor again: for a moment, the editor takes the focus back (revealFocus.ts); not awaited, the reveal is done
    const panel = this.panel;
    if (!panel) return;
    // (a panel closed meanwhile is not active, and says so by throwing)
    const active = (): boolean => { try { return panel.active; } catch { return false; } };
    void keepEditorFocus({
      panelActive: () => this.panel === panel && active(),
      onPanelViewState: (fn) => { const d = panel.onDidChangeViewState(fn); return () => d.dispose(); },
      focusEditor: async () => { await vscode.window.showTextDocument(ed.document, { viewColumn: ed.viewColumn, preserveFocus: false, preview: false }); },
      wait: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
  }

  private html(webview: vscode.Webview): string {
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>mmscn Inspector</title>
</head>
<body>
<div id="app" data-state="loading"><p class="empty">Loading the inspector…</p></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

// ------------------------------------------------------------------ for the debugger (src/extension/debug/**)
let instance: Inspector | undefined;

export function setInspector(i: Inspector | undefined): void {
  instance = i;
}

/**
 * Show a ScenarioRun at its current step in the inspector (and keep following it: call again after each
 * step). `uri` is the .mmscn file, so "reveal" clicks open the right editor. No-op before activation.
 */
export function showRun(run: ScenarioRun, uri?: vscode.Uri | string): void {
  instance?.showRun(run, { uri, origin: 'debug' });
}

/** The debug session ended: the inspector goes back to the file's last run. */
export function endDebugRun(): void {
  instance?.endDebug();
}

/** Let the debugger handle migration-log "go to step" clicks (return true when it moved). */
export function setInspectorStepHandler(h: StepHandler): vscode.Disposable {
  return instance?.setStepHandler(h) ?? new vscode.Disposable(() => {});
}
