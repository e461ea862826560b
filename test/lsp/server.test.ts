// The language server over a real stdio child process (`node dist/cli.js lsp --stdio`): every feature the VS Code
// extension gets from it, at the protocol level.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import { buildOnce } from '../support/cli';
import { startServer, type TestClient } from './client';

const BASIC = readFileSync(join(__dirname, '../integration/fixtures/basic.mmscn'), 'utf8');
const MACHINE = 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\n';
const errors = <T extends { severity?: number }>(d: T[]): T[] => d.filter((x) => x.severity === 1);
const hoverText = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h?.contents ?? null));

let n = 0;
const uri = () => `file:///tmp/lsp-test-${process.pid}-${++n}.mmscn`;

describe('language server (stdio)', function () {
  this.timeout(30_000);
  let c: TestClient;

  before(async () => {
    buildOnce();
    c = await startServer();
  });
  after(async () => { await c?.close(); });

  async function open(text: string, u = uri()): Promise<string> {
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'mmscn', version: 1, text } });
    return u;
  }

  it('initialize: announces every feature, incremental sync and the semantic token legend', () => {
    const caps = c.init.capabilities;
    assert.equal(c.init.serverInfo?.name, 'mmscn');
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['.', ' ', '-']);
    assert.ok(caps.hoverProvider && caps.documentSymbolProvider && caps.foldingRangeProvider && caps.documentFormattingProvider);
    assert.deepEqual(caps.semanticTokensProvider?.legend.tokenTypes, ['keyword', 'function', 'variable', 'number', 'enumMember', 'type', 'string', 'comment', 'operator', 'property']);
    assert.deepEqual(caps.semanticTokensProvider?.legend.tokenModifiers, ['declaration', 'readonly', 'defaultLibrary']);
  });

  it('didOpen publishes diagnostics: an unknown zone on its line, with source mmscn', async () => {
    const u = await open(MACHINE + 'expect Bogus.free == 1\n');
    const d = await c.diagnostics(u, (x) => errors(x).length > 0);
    assert.equal(errors(d)[0]!.range.start.line, 5);
    assert.equal(d[0]!.source, 'mmscn');
  });

  it('didOpen of a valid file publishes an empty list (version 1)', async () => {
    const u = await open(BASIC);
    const d = await c.diagnostics(u, () => true);
    assert.deepEqual(errors(d), []);
    assert.equal(c.published.find((p) => p.uri === u)!.version, 1);
  });

  it('didChange (incremental) updates the diagnostics: an error appears when typed and goes away when deleted', async () => {
    const u = await open(MACHINE + 'alloc order 0 movable\n');
    await c.diagnostics(u, (x, p) => p.version === 1 && errors(x).length === 0);
    const line = 'alloc order 0 movable zone Nowhere\n';
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: u, version: 2 },
      contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: line }],
    });
    const d = await c.diagnostics(u, (x, p) => p.version === 2);
    assert.equal(errors(d).length, 1, JSON.stringify(d));
    assert.equal(errors(d)[0]!.range.start.line, 6);
    assert.match(String(errors(d)[0]!.message), /Nowhere/);
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: u, version: 3 },
      contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } }, text: '' }],
    });
    assert.deepEqual(errors(await c.diagnostics(u, (_x, p) => p.version === 3)), []);
  });

  it('completion: zone names after `zone`, errnos replacing from the dash', async () => {
    const u = await open(MACHINE + 'alloc order 0 movable zone \n');
    await c.diagnostics(u, () => true);
    const r = await c.conn.sendRequest<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: u }, position: { line: 5, character: 27 } });
    const items = Array.isArray(r) ? r : r.items;
    assert.ok(items.some((i) => i.label === 'Normal'), `labels: ${items.map((i) => i.label).join(', ')}`);

    const u2 = await open(MACHINE + 'alloc order 0 movable as k\nexpect k -\n');
    const r2 = await c.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u2 }, position: { line: 6, character: 10 } });
    const busy = r2.find((i) => i.label === '-EBUSY');
    assert.ok(busy, `labels: ${r2.map((i) => i.label).join(', ')}`);
    assert.deepEqual(busy.textEdit && 'range' in busy.textEdit ? busy.textEdit.range : null, { start: { line: 6, character: 9 }, end: { line: 6, character: 10 } });
  });

  it('completion after a space with nothing positional to offer is null', async () => {
    const u = await open('# a comment \n');
    const r = await c.conn.sendRequest('textDocument/completion', { textDocument: { uri: u }, position: { line: 0, character: 12 }, context: { triggerKind: 2, triggerCharacter: ' ' } });
    assert.equal(r, null);
  });

  it('hover: keyword documentation, and a pfn shows where it is', async () => {
    const u = await open(BASIC);
    const h = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 13, character: 3 } });
    assert.match(hoverText(h), /alloc_contig_range/);
    assert.equal(typeof h.contents === 'object' && 'kind' in h.contents && h.contents.kind, 'markdown');
    const p = await c.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 11, character: 9 } });
    assert.match(hoverText(p), /0x100205/i);
    assert.ok(p.range, 'the hover has the range of the pfn');
  });

  it('documentSymbol: the machine with its node and zones, and the operations', async () => {
    const u = await open(BASIC);
    const s = await c.conn.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    const names = (xs: DocumentSymbol[]): string[] => xs.flatMap((x) => [x.name, ...names(x.children ?? [])]);
    const all = names(s);
    assert.ok(all.some((x) => /machine/.test(x)), all.join(', '));
    assert.ok(all.some((x) => /Normal/.test(x)), all.join(', '));
    assert.ok(all.some((x) => /alloc_contig_range|\br\b/.test(x)), all.join(', '));
    for (const x of s) assert.ok(x.range && x.selectionRange);
  });

  it('foldingRange: the machine block folds', async () => {
    const u = await open(BASIC);
    const f = await c.conn.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: u } });
    assert.ok(f.some((x) => x.startLine === 3 && x.endLine >= 8), JSON.stringify(f));
  });

  it('semanticTokens/full: encoded against the legend, keywords first on their lines', async () => {
    const u = await open(BASIC);
    const t = await c.conn.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: u } });
    assert.ok(t.data.length > 0 && t.data.length % 5 === 0);
    // decode: the token at line 1 (`kernel`) is a keyword
    let line = 0, ch = 0;
    const decoded: { line: number; ch: number; len: number; type: number }[] = [];
    for (let i = 0; i < t.data.length; i += 5) {
      line += t.data[i]!;
      ch = t.data[i]! ? t.data[i + 1]! : ch + t.data[i + 1]!;
      decoded.push({ line, ch, len: t.data[i + 2]!, type: t.data[i + 3]! });
    }
    const kernel = decoded.find((d) => d.line === 1 && d.ch === 0);
    assert.deepEqual(kernel && { len: kernel.len, type: kernel.type }, { len: 6, type: 0 });
  });

  it('formatting: returns edits that indent a messy block', async () => {
    const u = await open('machine {\nnode 0 {\n      zone Normal 0x100000..0x140000\n}\n}\n');
    const e = await c.conn.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(e.length > 0, 'no edits');
    assert.ok(e.some((x) => x.newText.includes('    zone Normal') || (x.range.start.line === 2 && x.newText === '    ')), JSON.stringify(e));
  });

  it('mmscn/run: runs the document, returns the outcomes and publishes failed expectations', async () => {
    const text = BASIC.replace('expect r -EBUSY at 0x100205', 'expect r ok');
    const u = await open(text);
    const r = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u } });
    assert.equal(r.ran, true);
    assert.equal(r.ok, false);
    assert.equal(r.variants.length, 1);
    assert.ok(r.variants[0].ops.some((o: any) => o.op === 'alloc_contig_range' && o.errno === '-EBUSY'), JSON.stringify(r.variants[0].ops));
    const d = await c.diagnostics(u, (x) => x.some((e) => e.code === 'expectation'));
    assert.equal(d.find((e) => e.code === 'expectation')!.range.start.line, 14);
  });

  it('mmscn/run: until stops after that many steps; a bad until or variant is a clear refusal', async () => {
    const u = await open(BASIC);
    const r = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u }, until: 2 });
    assert.equal(r.ran, true);
    assert.equal(r.variants[0].ops.length, 2, JSON.stringify(r.variants[0].ops.map((o: any) => o.op)));
    const bad = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u }, until: -1 });
    assert.deepEqual([bad.ran, bad.message], [false, 'until must be a non-negative integer, not -1']);
    const v = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u }, variant: 'nope' });
    assert.deepEqual([v.ran, v.message], [false, "no variant named 'nope' (variants: none)"]);
    const closed = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: 'file:///not/open.mmscn' } });
    assert.equal(closed.ran, false);
    assert.match(closed.message, /is not open/);
  });

  it('mmscn/run on a file with errors does not run', async () => {
    const u = await open(MACHINE + 'expect Bogus.free == 1\n');
    const r = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u } });
    assert.equal(r.ran, false);
    assert.match(r.message, /error/);
  });

  it('hover after mmscn/run shows the page state from the run; an edit makes it stale', async () => {
    const u = await open(BASIC);
    const at = { textDocument: { uri: u }, position: { line: 11, character: 9 } };
    const before = hoverText(await c.conn.sendRequest<Hover>('textDocument/hover', at));
    const r = await c.conn.sendRequest<any>('mmscn/run', { textDocument: { uri: u } });
    assert.equal(r.ok, true, r.message);
    const after = hoverText(await c.conn.sendRequest<Hover>('textDocument/hover', at));
    assert.notEqual(after, before);
    assert.match(after, /slab/i);
    assert.match(after, /allocated/i, after);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: 2 }, contentChanges: [{ range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } }, text: '# edited\n' }] });
    assert.equal(hoverText(await c.conn.sendRequest<Hover>('textDocument/hover', at)), before);
  });

  it('a pageInfo-providing client is asked for the page state of the pfns a hover shows', async () => {
    const c2 = await startServer({ pageInfoProvider: true });
    try {
      const asked: any[] = [];
      c2.conn.onRequest('mmscn/pageInfo', (p: any) => {
        asked.push(p);
        return p.pfns.map((pfn: number) => ({ pfn, nid: 0, zone: 'Normal', block: 0, pageblock: pfn & ~511, migratetype: 'Unmovable', isolated: false, state: 'allocated', head: pfn, order: 0, kind: 'pagetable', modifiers: [], owner: 'from the client', cpu: null, lastMigration: null }));
      });
      const u = `file:///tmp/lsp-pages-${process.pid}.mmscn`;
      await c2.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'mmscn', version: 7, text: BASIC } });
      const h = await c2.conn.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line: 11, character: 9 } });
      assert.deepEqual(asked.map((a) => [a.uri, a.version]), [[u, 7]]);
      assert.ok(asked[0].pfns.includes(0x100205));
      assert.match(hoverText(h), /pagetable/i);
    } finally {
      await c2.close();
    }
  });

  it('didClose clears the diagnostics', async () => {
    const u = await open(MACHINE + 'expect Bogus.free == 1\n');
    await c.diagnostics(u, (x) => x.length > 0);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    await c.diagnostics(u, (x) => x.length === 0);
  });

  it('shutdown and exit end the process with code 0, and nothing but LSP was written', async () => {
    const c3 = await startServer();
    const exited = new Promise<number | null>((r) => c3.child.once('exit', (code) => r(code)));
    await c3.close();
    assert.equal(await exited, 0);
    assert.equal(c3.stderr(), '');
  });
});
