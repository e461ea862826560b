// "Explore schedules": a CodeLens above each `interleave` and the command mmscn.exploreSchedules, which runs the
// race search (src/sim/explore.ts, as `mmscn explore`) on the file and prints each outcome with a `schedule …`
// line to the mmscn output channel. Returns a summary so tests can assert on it.
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './diagnostics.js';
import { explore, exploreText, interleaveSteps } from '../sim/runner.js';
import { prepareRun, runVariants } from '../app/run.js';
import { kernelPreset } from './commands.js';
import { yieldToHost } from './slices.js';

export interface ExploreSummary { uri: string; ok: boolean; message: string; reports: { line: number; variant: string | null; schedules: number; outcomes: { key: string; line: string | null }[] }[] }

class InterleaveLenses implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const out: vscode.CodeLens[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      if (!/^\s*interleave\b/.test(doc.lineAt(i).text)) continue;
      out.push(new vscode.CodeLens(new vscode.Range(i, 0, i, 0), { title: 'Explore schedules', command: 'mmscn.exploreSchedules', arguments: [doc.uri, i + 1] }));
    }
    return out;
  }
}

export function registerExplore(out: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, new InterleaveLenses()),
    vscode.commands.registerCommand('mmscn.exploreSchedules', (uri?: unknown, line?: unknown) => exploreSchedules(out, uri, typeof line === 'number' ? line : undefined)),
  ];
}

async function exploreSchedules(out: vscode.OutputChannel, uri: unknown, line: number | undefined): Promise<ExploreSummary> {
  const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  const fail = (message: string): ExploreSummary => {
    void vscode.window.showErrorMessage(`mmscn: ${message}`);
    return { uri: doc?.uri.toString() ?? '', ok: false, message, reports: [] };
  };
  if (!doc || doc.languageId !== LANGUAGE_ID) return fail('open an .mmscn file to explore its schedules');
  const prepared = prepareRun(doc.getText(), { kernelPreset: kernelPreset(doc) });
  if (!prepared.ok) return fail('the file has errors: fix them before exploring');
  const scenario = prepared.scenario;
  // the interleave the CodeLens sits on (its block starts on that line), else every one
  const all = interleaveSteps(scenario);
  const steps = line === undefined ? all : all.filter((i) => scenario.steps[i]!.loc.line === line);
  if (!steps.length) return fail(line === undefined ? 'no `interleave` block to explore' : `no interleave block starts on line ${line}`);
  const name = vscode.workspace.asRelativePath(doc.uri, false);
  const summary: ExploreSummary = { uri: doc.uri.toString(), ok: true, message: '', reports: [] };
  out.show(true);
  for (const v of runVariants(scenario)) {
    for (const i of steps) {
      const rep = explore(scenario, v, i);
      for (const l of exploreText(name, rep)) out.appendLine(l);
      summary.reports.push({ line: rep.loc.line, variant: rep.variant, schedules: rep.schedules, outcomes: rep.outcomes.map((o) => ({ key: o.key, line: o.line })) });
      await yieldToHost(); // let the extension host breathe between interleaves
    }
  }
  summary.message = `${summary.reports.reduce((n, x) => n + x.outcomes.length, 0)} outcome(s) over ${summary.reports.length} exploration(s)`;
  return summary;
}
