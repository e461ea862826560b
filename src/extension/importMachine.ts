// mmscn.importMachine: `mmscn import --live` inside VS Code. Reads this machine's /proc and /sys (the machine the
// extension host runs on — never the workspace), generates the scenario and opens it in an untitled editor.
import * as vscode from 'vscode';
import { readLive } from '../import/fs.js';
import { generate } from '../import/generate.js';
import { ImportError } from '../import/parse.js';
import { LANGUAGE_ID } from './diagnostics.js';

export interface ImportSummary { ok: boolean; uri: string | null; message: string; notes: string[] }

export async function importMachine(out: vscode.OutputChannel): Promise<ImportSummary> {
  let text: string;
  let notes: string[];
  try {
    const res = generate(readLive());
    text = res.text;
    notes = res.notes;
  } catch (e) {
    const message = e instanceof ImportError ? e.message : `cannot read this machine's memory files: ${(e as Error).message}`;
    out.appendLine(`[import] ${message}`);
    void vscode.window.showErrorMessage(`mmscn: ${message}`);
    return { ok: false, uri: null, message, notes: [] };
  }
  const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  out.appendLine(`[import] this machine → ${doc.uri.toString()}: ${notes.length ? `${notes.length} thing(s) not reproduced exactly:` : 'reproduced exactly'}`);
  for (const n of notes) out.appendLine(`  - ${n}`);
  const message = notes.length ? `mmscn: imported this machine; ${notes.length} thing(s) not reproduced exactly (see the file's header)` : 'mmscn: imported this machine';
  void vscode.window.showInformationMessage(message);
  return { ok: true, uri: doc.uri.toString(), message, notes };
}
