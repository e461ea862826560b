// Completion: src/language complete() at the cursor, with trigger characters for member access and positions.
import * as vscode from 'vscode';
import * as language from '../language/index.js';
import { fromPosition, toCompletionItem } from './convert.js';

/** Characters after which completion opens by itself: member access (`Normal.`), a space after a keyword, `-` for errnos. */
export const TRIGGER_CHARACTERS = ['.', ' ', '-'];

export class CompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position, _t: vscode.CancellationToken, ctx: vscode.CompletionContext) {
    if (!language?.complete) return undefined;
    const { line, col } = fromPosition(pos);
    const items = language.complete(doc.getText(), line, col);
    // After a space, offer completions only when the service has something positional to say.
    if (ctx.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter && ctx.triggerCharacter === ' ' && items.length === 0) return undefined;
    // `expect r -|` + `-EBUSY`: the word VS Code replaces does not include the dash, so replace from the dash
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    const dash = /-[A-Za-z]*$/.exec(before);
    return items.map((it) => {
      const c = toCompletionItem(it);
      if (dash && it.label.startsWith('-')) {
        c.range = new vscode.Range(pos.line, pos.character - dash[0].length, pos.line, pos.character);
        c.filterText = it.label;
      }
      return c;
    });
  }
}
