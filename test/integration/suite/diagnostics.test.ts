// Diagnostics: on open, as you type (debounced), and through the Check File command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { analyzed, errorsOf, getApi, open, requireBackend, untitled, waitForDiagnostics } from './helpers';

suite('diagnostics', () => {
  test('a valid scenario has no errors', async () => {
    await requireBackend('language.analyze');
    const { doc } = await open('basic.mmscn');
    const d = await analyzed(doc);
    assert.deepEqual(errorsOf(d).map((x) => `${x.range.start.line + 1}: ${x.message}`), []);
  });

  test('an unknown zone is reported on its line, with source mmscn', async () => {
    await requireBackend('language.analyze');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nexpect Bogus.free == 1\n');
    const d = await waitForDiagnostics(doc.uri, (x) => errorsOf(x).length > 0, 'an error for the unknown zone');
    const e = errorsOf(d)[0]!;
    assert.equal(e.range.start.line, 5, `error on line ${e.range.start.line + 1}: ${e.message}`);
    assert.equal(e.source, 'mmscn');
  });

  test('diagnostics follow edits: an error appears when typed and goes away on undo', async () => {
    await requireBackend('language.analyze');
    const { doc, editor } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc order 0 movable\n');
    await analyzed(doc);
    assert.deepEqual(errorsOf(vscode.languages.getDiagnostics(doc.uri)).map((e) => e.message), []);
    await editor.edit((b) => b.insert(new vscode.Position(6, 0), 'alloc order 0 movable zone Nowhere\n'));
    const d = await waitForDiagnostics(doc.uri, (x) => errorsOf(x).length > 0, 'an error after typing a bad line');
    assert.equal(errorsOf(d)[0]!.range.start.line, 6);
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(doc.uri, (x) => errorsOf(x).length === 0, 'no errors after undo');
  });

  test('a syntax error does not stop the rest of the file being checked (recovery)', async () => {
    await requireBackend('language.analyze');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc order\nexpect Bogus.free == 1\n');
    const d = await waitForDiagnostics(doc.uri, (x) => errorsOf(x).length >= 2, 'errors on both bad lines');
    const lines = new Set(errorsOf(d).map((e) => e.range.start.line));
    assert.ok(lines.has(5) && lines.has(6), `errors on lines ${[...lines].map((l) => l + 1).join(', ')}, expected 6 and 7`);
  });

  test('mmscn.checkFile counts errors', async () => {
    await getApi();
    await requireBackend('language.analyze');
    const { doc } = await untitled('machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nexpect Bogus.free == 1\n');
    const r = await vscode.commands.executeCommand<{ errors: number }>('mmscn.checkFile', doc.uri);
    assert.ok(r && r.errors >= 1, `checkFile returned ${JSON.stringify(r)}`);
    const ok = await vscode.commands.executeCommand<{ errors: number }>('mmscn.checkFile', (await open('basic.mmscn')).doc.uri);
    assert.equal(ok?.errors, 0);
  });
});
