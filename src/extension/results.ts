// The last run of each document: what hover reads page state from, and what tests and future views
// (inline results, the inspector webview, the debugger) subscribe to through onDidRun.
import * as vscode from 'vscode';
import { pageLookup } from '../app/run.js';
import type { PageAtStep } from '../language/hover.js';
import type { RunOutcome } from '../sim/runner.js';

export interface StoredRun {
  uri: string;
  /** document version the run was made from; a later edit makes it stale */
  version: number;
  outcomes: RunOutcome[];
  /** set while a debug session shows this document: where it is stopped (the run is partial) */
  step?: StepInfo;
}

export interface StepInfo {
  /** the next step to run (0-based); `total` at the end */
  position: number;
  total: number;
  /** 1-based line of the stop, null once the session ended */
  line: number | null;
  debugging: boolean;
}

export class RunStore implements vscode.Disposable {
  private readonly runs = new Map<string, StoredRun>();
  private readonly emitter = new vscode.EventEmitter<StoredRun>();
  readonly onDidRun = this.emitter.event;

  set(doc: vscode.TextDocument, outcomes: RunOutcome[], step?: StepInfo): StoredRun {
    const run: StoredRun = { uri: doc.uri.toString(), version: doc.version, outcomes, ...(step ? { step } : {}) };
    this.runs.set(run.uri, run);
    this.emitter.fire(run);
    return run;
  }

  get(doc: vscode.TextDocument): StoredRun | undefined {
    const r = this.runs.get(doc.uri.toString());
    return r && r.version === doc.version ? r : undefined;
  }

  /** A page-state lookup for hover, from the first variant's final machine (undefined when not run or stale). */
  pageInfoFor(doc: vscode.TextDocument): ((pfn: number) => PageAtStep | undefined) | undefined {
    return pageLookup(this.get(doc)?.outcomes ?? []);
  }

  dispose(): void {
    this.emitter.dispose();
    this.runs.clear();
  }
}
