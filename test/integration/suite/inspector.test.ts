// The inspector webview: opened by its command after a run, it says `ready`, receives the run's `state`,
// and answers a hover with the page's PageInfo from the simulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ToWebview, WebviewTraffic } from '../../../src/shared/protocol';
import { open, requireBackend, waitForWebviewMessage } from './helpers';

type State = Extract<ToWebview, { type: 'state' }>['state'];

suite('inspector', () => {
  test('opens beside the editor after a run: ready, then the state of the run', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const { doc } = await open('basic.mmscn');
    await vscode.commands.executeCommand('mmscn.runScenario', doc.uri);
    const ready = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'fromWebview' && m.msg.type === 'ready', 'ready from the webview');
    const stateMsg = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'state', 'state to the webview');
    await vscode.commands.executeCommand('mmscn.openInspector');
    await ready;
    const s = ((await stateMsg).msg as { state: State }).state;
    assert.equal(s.source, 'basic.mmscn');
    assert.equal(s.step, s.of);
    assert.deepEqual(s.zones.map((z) => z.zone), ['DMA32', 'Normal']);
    // alloc_contig_range 0x100000..0x100400 fails on the slab page of line 12, reported on line 14
    const f = s.failing.find((x) => x.pfn === 0x100205);
    assert.ok(f, `no failing pageblock at 0x100205: ${JSON.stringify(s.failing)}`);
    assert.equal(f.line, 14);
    assert.equal(f.pageblock, 0x100200);
    assert.equal(f.errno, 'EBUSY');
    assert.ok(s.map.cells > 0 && s.map.cells <= 4096, `map of ${s.map.cells} cells`);
    assert.match(s.buddyinfo, /Node 0, zone   Normal/);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /mmscn\.inspector/.test((t.input as vscode.TabInputWebview).viewType));
    assert.ok(tab, 'no inspector tab');
  });

  test('a hover asks the host and gets the PageInfo of that pfn', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const reply = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'pageInfo' && m.msg.id === 4242, 'pageInfo reply');
    await api.inspector.receive({ type: 'hoverPage', id: 4242, pfn: 0x100205 });
    const m = (await reply).msg as Extract<ToWebview, { type: 'pageInfo' }>;
    assert.equal(m.pfn, 0x100205);
    assert.ok(m.info, 'no PageInfo');
    assert.equal(m.info.state, 'allocated');
    assert.equal(m.info.kind, 'slab');
    assert.equal(m.info.zone, 'Normal');
    assert.equal(m.info.pageblock, 0x100200);
  });

  test('a map window at page resolution, and reveal of a failing pfn selects the operation line', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const reply = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'map' && m.msg.id === 4243, 'map reply');
    await api.inspector.receive({ type: 'viewMap', id: 4243, start: 0x100200, end: 0x100400, maxCells: 512 });
    const map = ((await reply).msg as Extract<ToWebview, { type: 'map' }>).map;
    assert.equal(map.cellPages, 1);
    assert.equal(map.counts[3]![5], 1, 'pfn 0x100205 is an unmovable (slab) page');
    await api.inspector.receive({ type: 'reveal', pfn: 0x100205 });
    const ed = vscode.window.activeTextEditor;
    assert.ok(ed && ed.document.uri.path.endsWith('basic.mmscn'));
    assert.equal(ed.selection.start.line, 13, 'the alloc_contig_range line (14)');
  });
});

suite('inspector: compare at a step (issue 11 item 1)', () => {
  test('after going back to step 12, both compared variants are at step 12 (maps and hovers too)', async () => {
    const api = await requireBackend('language.analyze', 'sim.runScenario');
    const uri = (await vscode.workspace.findFiles('samples/seed-000-alloc-contig-range/d-unification.mmscn'))[0];
    assert.ok(uri, 'sample d-unification.mmscn not in the workspace');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('mmscn.runScenario', doc.uri);
    await vscode.commands.executeCommand('mmscn.openInspector', doc.uri);
    const moved = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'state' && m.msg.state.step === 12, 'state at step 12');
    await api.inspector.receive({ type: 'gotoStep', step: 12 });
    await moved;
    const cmp = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'compare', 'compare result');
    await api.inspector.receive({ type: 'compare', variantA: 'contig', variantB: 'unified' });
    const r = ((await cmp).msg as Extract<ToWebview, { type: 'compare' }>).result!;
    assert.equal(r.step, 12);
    // block 16 (0x80000..0x88000) is online at step 12 in both variants; it goes offline only at the end
    for (const variant of ['contig', 'unified']) {
      const id = variant === 'contig' ? 5101 : 5102;
      const reply = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'pageInfo' && m.msg.id === id, `pageInfo of ${variant}`);
      await api.inspector.receive({ type: 'hoverPage', id, pfn: 0x80410, variant });
      const info = ((await reply).msg as Extract<ToWebview, { type: 'pageInfo' }>).info;
      assert.ok(info, `no PageInfo for ${variant}`);
      assert.notEqual(info.state, 'offline', `${variant}'s map shows block 16 as it is at the end, not at step 12`);
      assert.equal(info.zone, 'Movable', variant);
      const mid = 5200 + id;
      const mapReply = waitForWebviewMessage(api.onDidWebviewMessage, (m: WebviewTraffic) => m.dir === 'toWebview' && m.msg.type === 'map' && m.msg.id === mid, `map of ${variant}`);
      await api.inspector.receive({ type: 'viewMap', id: mid, start: 0x80000, end: 0x88000, maxCells: 64, variant });
      const map = ((await mapReply).msg as Extract<ToWebview, { type: 'map' }>).map;
      const online = map.online.reduce((x, y) => x + y, 0);
      assert.equal(online, 0x8000, `${variant}'s map window shows ${online} online pages in block 16 (the end state has none)`);
    }
  });
});
