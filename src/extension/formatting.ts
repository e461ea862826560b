// Document formatting: the edits src/language format() proposes.
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { toTextEdit } from './convert.js';

export class FormattingProvider implements vscode.DocumentFormattingEditProvider {
  provideDocumentFormattingEdits(doc: vscode.TextDocument) {
    if (!language?.format) return undefined;
    return language.format(doc.getText()).map(toTextEdit);
  }
}
