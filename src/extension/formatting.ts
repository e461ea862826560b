// Document formatting: the edits src/language format() proposes.
import type * as vscode from 'vscode';
import { language } from './backend.js';
import { toTextEdit } from './convert.js';

export class FormattingProvider implements vscode.DocumentFormattingEditProvider {
  provideDocumentFormattingEdits(doc: vscode.TextDocument) {
    if (!language?.format) return undefined;
    return language.format(doc.getText()).map(toTextEdit);
  }
}
