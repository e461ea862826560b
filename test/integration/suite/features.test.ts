// Completion, hover, outline, folding, semantic tokens and formatting through the vscode command API
// (the same path the editor takes), on the basic.mmscn fixture.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, open, posOf, requireBackend, untitled } from './helpers';

async function completionLabels(uri: vscode.Uri, pos: vscode.Position, trigger?: string): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos, trigger);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

function flatten(symbols: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

suite('language features', () => {
  test('completion at the start of a statement offers operations', async () => {
    await requireBackend('language.complete');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\n\n');
    const labels = await completionLabels(doc.uri, new vscode.Position(5, 0));
    for (const l of ['alloc', 'alloc_contig_range', 'expect']) assert.ok(labels.includes(l), `'${l}' not in ${labels.slice(0, 40).join(' ')}`);
  });

  test('completion after "alloc order 0 " offers migratetypes', async () => {
    await requireBackend('language.complete');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc order 0 \n');
    const labels = await completionLabels(doc.uri, new vscode.Position(5, 14), ' ');
    assert.ok(labels.includes('movable'), `'movable' not in ${labels.join(' ')}`);
  });

  test('completion after "Normal." offers zone fields', async () => {
    await requireBackend('language.complete');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nexpect Normal.\n');
    const labels = await completionLabels(doc.uri, new vscode.Position(5, 14), '.');
    assert.ok(labels.includes('free') && labels.includes('spanned'), `zone fields not in ${labels.join(' ')}`);
  });

  test('completion offers the labels defined earlier (as NAME)', async () => {
    await requireBackend('language.complete');
    const { doc } = await open('basic.mmscn');
    // line 15: "expect r -EBUSY …": right after "expect " the names p and r are in scope
    const at = await completionLabels(doc.uri, posOf(doc, 15, ' r', 1));
    assert.ok(at.includes('r') && at.includes('p'), `labels not offered after 'expect ': ${at.join(' ')}`);
  });

  test('hover on a keyword shows its documentation', async () => {
    await requireBackend('language.hover');
    const { doc } = await open('basic.mmscn');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 14, 'alloc_contig_range', 3));
    const text = hoverText(hovers);
    assert.ok(text.includes('alloc_contig_range'), `hover text: ${JSON.stringify(text)}`);
  });

  test('hover on a pfn shows where it is', async () => {
    await requireBackend('language.hover');
    const { doc } = await open('basic.mmscn');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, posOf(doc, 12, '0x100205', 4));
    const text = hoverText(hovers);
    assert.match(text, /0x100205/i, `hover text: ${JSON.stringify(text)}`);
  });

  test('outline lists the machine, its zones and the labelled operations', async () => {
    await requireBackend('language.documentSymbols');
    const { doc } = await open('basic.mmscn');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols?.length, 'no document symbols');
    const all = flatten(symbols);
    const names = all.map((s) => `${s.name} ${s.detail}`);
    assert.ok(all.some((s) => /machine/i.test(s.name)), `no machine symbol in ${names.join(' | ')}`);
    assert.ok(all.some((s) => /Normal/.test(s.name + s.detail)), `no Normal zone in ${names.join(' | ')}`);
    assert.ok(all.some((s) => /\br\b/.test(s.name) || /alloc_contig_range/.test(s.name)), `no alloc_contig_range r in ${names.join(' | ')}`);
    const machine = all.find((s) => /machine/i.test(s.name))!;
    assert.equal(machine.range.start.line, 3, 'machine symbol should start on line 4');
  });

  test('the machine block folds', async () => {
    await requireBackend('language.foldingRanges');
    const { doc } = await open('basic.mmscn');
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    assert.ok(ranges?.some((r) => r.start === 3 && r.end >= 8), `folding ranges: ${JSON.stringify(ranges)}`);
  });

  test('semantic tokens cover the document', async () => {
    await requireBackend('language.semanticTokens');
    const { doc } = await open('basic.mmscn');
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    assert.ok(legend?.tokenTypes.includes('keyword'), `legend: ${JSON.stringify(legend)}`);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.ok(tokens && tokens.data.length >= 5 * 10, `only ${(tokens?.data.length ?? 0) / 5} tokens`);
  });

  test('formatting re-indents blocks and is idempotent', async () => {
    await requireBackend('language.format');
    const { doc } = await open('messy.mmscn');
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits?.length, 'the messy fixture produced no formatting edits');
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    const text = doc.getText();
    assert.match(text, /^ {2}cpus 1$/m, `after formatting:\n${text}`);
    assert.match(text, /^ {4}zone Normal/m, `after formatting:\n${text}`);
    const again = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    const changed = (again ?? []).filter((e) => doc.getText(e.range) !== e.newText);
    assert.deepEqual(changed.map((e) => e.newText), [], 'formatting twice changed the text again');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('completion as a first-time user meets it (issue 11 item 2)', async () => {
    await requireBackend('language.complete');
    const text = 'machine {\n  cpus 1\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc order 0 movable as k\nexpect k -\n\n';
    const { doc } = await untitled(text);
    // choosing -EBUSY after `expect k -` replaces the typed dash
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(7, 10));
    const ebusy = list.items.find((i) => i.label === '-EBUSY');
    assert.ok(ebusy, 'no -EBUSY');
    const range = ebusy.range instanceof vscode.Range ? ebusy.range : ebusy.range?.replacing;
    assert.ok(range, '-EBUSY has no range: VS Code replaces only the word after the dash (--EBUSY)');
    assert.equal(range.start.character, 9, 'the replaced range starts at the dash');
    // one `machine` keyword and one snippet at the start of an empty line — no duplicates from contributed snippets
    const top = await completionLabels(doc.uri, new vscode.Position(8, 0));
    const machines = top.filter((l) => l === 'machine').length;
    assert.ok(machines <= 2, `machine offered ${machines} times`);
    // no word-based suggestions where the language has nothing to say
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'mmscn' }).get('wordBasedSuggestions'), 'off');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
