// The extension activates on an mmscn document, registers every contributed command, and runs a scenario.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, getApi, open } from './helpers';

suite('activation and manifest', () => {
  test('activates when an .mmscn file opens and exposes its API', async () => {
    await open('basic.mmscn');
    const api = await getApi();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof api.runScenario, 'function');
  });

  test('the language service and the simulator are bundled', async () => {
    const api = await getApi();
    const { doc } = await open('basic.mmscn');
    const r = await api.runScenario(doc.uri);
    assert.equal(r?.ran, true, `basic.mmscn did not run: ${r?.message}`);
  });

  test('every contributed command is registered', async () => {
    await getApi();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  test('.mmscn files get the mmscn language; grammar, language configuration and snippets exist and parse', async () => {
    const { doc } = await open('basic.mmscn');
    assert.equal(doc.languageId, 'mmscn');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (const rel of ['syntaxes/mmscn.tmLanguage.json', 'language-configuration.json', 'snippets/mmscn.json']) {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, rel)).then(
        (b) => b,
        () => assert.fail(`${rel} is missing from the extension`),
      );
      assert.doesNotThrow(() => JSON.parse(new TextDecoder().decode(bytes)), `${rel} is not valid JSON`);
    }
  });

  test('settings have their defaults', async () => {
    const c = vscode.workspace.getConfiguration('mmscn', null);
    assert.equal(c.get('diagnostics.debounceMs'), 250);
    assert.equal(c.get('kernelPreset'), '');
  });
});
