// mmscn.importMachine: `mmscn import --live` inside VS Code. Reads this machine's /proc and /sys (the machine the
// extension host runs on — never the workspace), generates the scenario and opens it in an untitled editor.
// The import (seconds on a big or busy machine, /proc/kpageflags included) runs in a child process (cliProcess.ts),
// so the extension host stays responsive; the progress notification's Cancel stops it.
import * as vscode from 'vscode';
import { errorLine, importNotes, runCli, type CliResult } from './cliProcess.js';
import { LANGUAGE_ID } from './diagnostics.js';

export interface ImportSummary { ok: boolean; uri: string | null; message: string; notes: string[] }

export async function importMachine(out: vscode.OutputChannel): Promise<ImportSummary> {
  let r: CliResult;
  try {
    r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'mmscn: importing this machine…', cancellable: true },
      (_p, token) => runCli(['import', '--live'], { cancel: token }));
  } catch (e) {
    r = { code: null, signal: null, stdout: '', stderr: `cannot start the import: ${(e as Error).message}`, cancelled: false };
  }
  if (r.cancelled) {
    out.appendLine('[import] cancelled');
    return { ok: false, uri: null, message: 'cancelled', notes: [] };
  }
  if (r.code !== 0) {
    const message = r.code === 2 ? errorLine(r) : `cannot read this machine's memory files: ${errorLine(r)}`;
    out.appendLine(`[import] ${message}`);
    void vscode.window.showErrorMessage(`mmscn: ${message}`);
    return { ok: false, uri: null, message, notes: [] };
  }
  const notes = importNotes(r.stderr);
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n` });
  await vscode.window.showTextDocument(doc, { preview: false });
  out.appendLine(`[import] this machine → ${doc.uri.toString()}: ${notes.length ? `${notes.length} thing(s) not reproduced exactly:` : 'reproduced exactly'}`);
  for (const n of notes) out.appendLine(`  - ${n}`);
  const message = notes.length ? `mmscn: imported this machine; ${notes.length} thing(s) not reproduced exactly (see the file's header)` : 'mmscn: imported this machine';
  void vscode.window.showInformationMessage(message);
  return { ok: true, uri: doc.uri.toString(), message, notes };
}
