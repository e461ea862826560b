// The vscode side of the debugger: the `mmscn` debug type runs MmscnDebugSession inline
// (DebugAdapterInlineImplementation), F5 on a .mmscn file works without launch.json
// (DebugConfigurationProvider), commands mmscn.debugScenario and mmscn.runToLine, debug hover of pfns and
// zone fields, and every stop is published to the RunStore (inline results, hover, status bar) and the
// inspector (showRun / endDebugRun; clicks in the inspector move the debugger).
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../diagnostics.js';
import type { RunStore } from '../results.js';
import { endDebugRun, setInspectorStepHandler, showRun } from '../inspector.js';
import { MmscnDebugSession, type FileAccessor, type MmscnLaunchArgs, type SessionState } from './adapter.js';
import { SteppingCodeLens, SteppingUi } from './editor.js';
import * as language from '../../language/index.js';

/**
 * The Run and Debug dropdown's configurations for the open scenarios: one per variant (a file without
 * variants gets one), the active editor's first, then a generic "Debug this scenario" on `${file}`.
 */
export function dynamicConfigurations(): vscode.DebugConfiguration[] {
  const active = vscode.window.activeTextEditor?.document;
  const docs = [active, ...vscode.window.visibleTextEditors.map((e) => e.document)]
    .filter((d): d is vscode.TextDocument => !!d && d.languageId === LANGUAGE_ID)
    .filter((d, i, all) => all.findIndex((x) => x.uri.toString() === d.uri.toString()) === i);
  const out: vscode.DebugConfiguration[] = [];
  for (const doc of docs) {
    const base = doc.uri.path.split('/').pop() || doc.uri.toString();
    const program = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
    let variants: string[];
    try { variants = language?.analyze(doc.getText()).scenario?.variants.map((v) => v.name) ?? []; } catch { variants = []; }
    if (!variants.length) out.push({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${base}`, program, stopOnEntry: true });
    for (const v of variants) out.push({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${base} (variant ${v})`, program, variant: v, stopOnEntry: true });
  }
  out.push({ type: DEBUG_TYPE, request: 'launch', name: 'Debug this scenario', program: '${file}', stopOnEntry: true });
  return out;
}

export const DEBUG_TYPE = 'mmscn';

/** Reads a program: an open document's text first (unsaved edits count), else the file system. */
const accessor: FileAccessor = {
  async readFile(program: string): Promise<string> {
    const doc = findDocument(program);
    if (doc) return doc.getText();
    const uri = /^[a-z][\w+.-]+:/i.test(program) && !/^[a-zA-Z]:[\\/]/.test(program) ? vscode.Uri.parse(program) : vscode.Uri.file(program);
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  },
};

function findDocument(program: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === program || d.uri.toString() === program || (d.isUntitled && d.uri.path === program));
}

function programOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: '${file}', stopOnEntry: true }];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // F5 without a launch.json: debug the active .mmscn file
    if (!config.type && !config.request && !config.name) {
      const ed = vscode.window.activeTextEditor;
      if (ed?.document.languageId === LANGUAGE_ID) {
        config.type = DEBUG_TYPE;
        config.name = 'Debug scenario';
        config.request = 'launch';
        config.program = '${file}';
        config.stopOnEntry = true;
      }
    }
    if (!config.program) {
      return vscode.window.showInformationMessage('mmscn: open a .mmscn file to debug it (or set "program" in launch.json).').then(() => undefined);
    }
    if (config.kernel === undefined) {
      const preset = vscode.workspace.getConfiguration('mmscn', folder?.uri).get<string>('kernelPreset', '');
      if (preset) config.kernel = preset;
    }
    return config;
  }
}

export interface SteppingApi {
  /** what each line of a document shows now (inline results) */
  results(uri: vscode.Uri | string): { line: number; text: string; ok: boolean }[];
  /** the status bar item's text while shown */
  statusText(): string | undefined;
  /** fires after every stop (and the end) of an mmscn debug session */
  onDidStop: vscode.Event<{ program: string; line: number | null; position: number; total: number; ended: boolean }>;
  /** fires after the inline results of a document changed */
  onDidChangeResults: vscode.Event<{ uri: string; lines: { line: number; text: string; ok: boolean }[] }>;
  /** what the Run and Debug dropdown offers (the dynamic debug configurations) */
  debugConfigurations(): vscode.DebugConfiguration[];
}

export function registerDebugger(runs: RunStore): { disposables: vscode.Disposable[]; api: SteppingApi } {
  const ui = new SteppingUi(runs);
  const lens = new SteppingCodeLens();
  const stopped = new vscode.EventEmitter<{ program: string; line: number | null; position: number; total: number; ended: boolean }>();
  const sessions = new Map<string, MmscnDebugSession>();

  const publish = (s: SessionState) => {
    const rt = s.runtime;
    const doc = findDocument(s.program);
    if (!s.ended) {
      try { showRun(rt.run, doc?.uri ?? s.program); } catch { /* the inspector is optional */ }
    }
    if (doc) runs.set(doc, [rt.run.outcome()], { position: s.position, total: s.total, line: s.line, debugging: !s.ended });
    if (s.ended) {
      try { endDebugRun(); } catch { /* optional */ }
    }
    stopped.fire({ program: s.program, line: s.line, position: s.position, total: s.total, ended: s.ended });
  };

  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor(session) {
      const adapter = new MmscnDebugSession(accessor);
      sessions.set(session.id, adapter);
      adapter.onDidChangeState(publish);
      return new vscode.DebugAdapterInlineImplementation(adapter);
    },
  };

  const activeSessionFor = (uri: vscode.Uri): vscode.DebugSession | undefined => {
    const s = vscode.debug.activeDebugSession;
    if (s?.type !== DEBUG_TYPE) return undefined;
    const rt = sessions.get(s.id)?.runtime;
    return rt && (rt.source.path === programOf(uri) || rt.source.path === uri.toString()) ? s : undefined;
  };

  const targetUri = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    const doc = vscode.window.activeTextEditor?.document;
    return doc?.languageId === LANGUAGE_ID ? doc.uri : undefined;
  };

  const start = async (uri: vscode.Uri, extra: Partial<MmscnLaunchArgs>): Promise<boolean> => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const config: vscode.DebugConfiguration = {
      type: DEBUG_TYPE, request: 'launch', name: `Debug ${uri.path.split('/').pop()}`, program: programOf(uri), stopOnEntry: true, ...extra,
    };
    return vscode.debug.startDebugging(folder, config);
  };

  const disposables: vscode.Disposable[] = [
    ui,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      provideDebugConfigurations: () => dynamicConfigurations(),
    }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.onDidTerminateDebugSession((s) => { sessions.delete(s.id); ui.updateStatus(); }),
    lens,
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lens),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('mmscn.codeLens')) lens.refresh(); }),
    vscode.languages.registerEvaluatableExpressionProvider({ language: LANGUAGE_ID }, {
      provideEvaluatableExpression(doc, pos) {
        // `node 1 Movable.managed`, `Normal.free`, or a pfn `0x50010`
        const zone = doc.getWordRangeAtPosition(pos, /(node\s+\d+\s+)?(DMA32|DMA|Normal|Movable)(\.[A-Za-z_]+)*/);
        if (zone) return new vscode.EvaluatableExpression(zone);
        const pfn = doc.getWordRangeAtPosition(pos, /0x[0-9a-fA-F_]+/);
        return pfn ? new vscode.EvaluatableExpression(pfn) : undefined;
      },
    }),
    vscode.commands.registerCommand('mmscn.debugScenario', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showWarningMessage('mmscn: open a .mmscn file to debug it.');
        return false;
      }
      return start(uri, {});
    }),
    vscode.commands.registerCommand('mmscn.runToLine', async (arg?: unknown, line?: unknown) => {
      const uri = targetUri(arg);
      const ln = typeof line === 'number' ? line : (vscode.window.activeTextEditor?.selection.active.line ?? 0) + 1;
      if (!uri) return false;
      const s = activeSessionFor(uri);
      if (s) {
        await s.customRequest('runToLine', { line: ln });
        return true;
      }
      return start(uri, { runToLine: ln, stopOnEntry: false });
    }),
    setInspectorStepHandler(async (step, _variant, uri) => {
      const s = activeSessionFor(vscode.Uri.parse(uri));
      if (!s) return false;
      await s.customRequest('gotoStep', { step });
      return true;
    }),
    stopped,
  ];

  return {
    disposables,
    api: {
      results: (uri) => ui.results(uri),
      statusText: () => ui.statusText(),
      onDidStop: stopped.event,
      onDidChangeResults: ui.onDidChangeResults,
      debugConfigurations: () => dynamicConfigurations(),
    },
  };
}
