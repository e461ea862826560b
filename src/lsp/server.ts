// The mmscn language server: every language feature of src/language over the Language Server Protocol, for any
// editor (Neovim, Emacs, VS Code — the extension is a client of this server). Transport-free: main.ts hands
// it a connection (stdio, node IPC, socket). Positions: LSP is 0-based, src/language is 1-based.
import {
  CompletionTriggerKind, MarkupKind, TextDocumentSyncKind, TextDocuments,
  type CancellationToken, type Connection, type Diagnostic, type Hover, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as language from '../language/index.js';
import type { PageAtStep } from '../language/hover.js';
import type { RunOutcome } from '../sim/runner.js';
import { encodeTokens, toCompletionItem, toDiagnostic, toDocumentSymbol, toFoldingRange, toRange, toTextEdit } from './convert.js';
import {
  PAGE_INFO_METHOD, RUN_METHOD, TOKEN_MODIFIERS, TOKEN_TYPES, TRIGGER_CHARACTERS,
  type InitializationOptions, type PageInfoParams, type PageInfoResult, type RunParams, type RunResult,
} from './protocol.js';
import { findVariant, prepareRun } from '../app/run.js';
import { outcomesJson, runDiagnostics, runInSlices } from './run.js';
import { pageLookup } from '../app/run.js';

/**
 * A document this large (characters) is not analyzed at once when it opens, and edits wait at least
 * LARGE_DEBOUNCE_MS: analyzing tens of thousands of lines takes a good part of a second.
 */
export const LARGE_DOCUMENT = 256 * 1024;
export const LARGE_DEBOUNCE_MS = 1000;
export const DEFAULT_DEBOUNCE_MS = 250;

interface DocState {
  timer?: NodeJS.Timeout;
  /** diagnostics of the last mmscn/run, until the next edit */
  runDiagnostics: Diagnostic[];
  /** the last mmscn/run, for hover's page state (only for the version it was made from) */
  run?: { version: number; outcomes: RunOutcome[] };
}

export function startServer(connection: Connection, version = '0.0.0'): void {
  const documents = new TextDocuments(TextDocument);
  const state = new Map<string, DocState>();
  const justOpened = new Set<string>();
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let clientPages = false;

  const stateOf = (uri: string): DocState => {
    let s = state.get(uri);
    if (!s) state.set(uri, (s = { runDiagnostics: [] }));
    return s;
  };
  const setDebounce = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) debounceMs = Math.max(0, Math.min(5000, v));
  };

  connection.onInitialize((params): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as InitializationOptions;
    clientPages = opts.pageInfoProvider === true;
    setDebounce(opts.debounceMs);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS },
        hoverProvider: true,
        documentSymbolProvider: { label: 'mmscn' },
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
      },
      serverInfo: { name: 'mmscn', version },
    };
  });

  // VS Code sends its `mmscn` settings section (synchronize.configurationSection); other clients may send the same shape
  connection.onDidChangeConfiguration((p) => setDebounce((p.settings as { mmscn?: { diagnostics?: { debounceMs?: unknown } } } | undefined)?.mmscn?.diagnostics?.debounceMs));

  // ------------------------------------------------------------------ diagnostics

  const isLarge = (doc: TextDocument) => doc.getText().length > LARGE_DOCUMENT;

  function publish(doc: TextDocument): void {
    let diagnostics: Diagnostic[];
    try {
      diagnostics = language.analyze(doc.getText()).diagnostics.map(toDiagnostic);
    } catch (e) {
      // a crash in the parser must not take the server down; show it where the user looks
      diagnostics = [{ range: toRange({ line: 1, col: 1, endLine: 1, endCol: 2 }), message: `mmscn internal error while checking: ${(e as Error).message}`, severity: 1, source: 'mmscn' }];
    }
    diagnostics.push(...(state.get(doc.uri)?.runDiagnostics ?? []));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  function schedule(doc: TextDocument): void {
    const s = stateOf(doc.uri);
    clearTimeout(s.timer);
    const ms = isLarge(doc) ? Math.max(debounceMs, LARGE_DEBOUNCE_MS) : debounceMs;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      const now = documents.get(doc.uri);
      if (now) publish(now);
    }, ms);
  }

  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    if (isLarge(e.document)) schedule(e.document);
    else publish(e.document);
  });
  documents.onDidChangeContent((e) => {
    // TextDocuments fires this right after onDidOpen too: that text was just analyzed
    if (justOpened.delete(e.document.uri)) return;
    const s = stateOf(e.document.uri);
    // an edit makes the results of an earlier run stale
    s.runDiagnostics = [];
    s.run = undefined;
    schedule(e.document);
  });
  documents.onDidClose((e) => {
    justOpened.delete(e.document.uri);
    clearTimeout(state.get(e.document.uri)?.timer);
    state.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // ------------------------------------------------------------------ features

  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const items = language.complete(doc.getText(), p.position.line + 1, p.position.character + 1);
    // after a space, completion opens only when the service has something positional to say
    if (p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter && p.context.triggerCharacter === ' ' && items.length === 0) return null;
    const before = doc.getText({ start: { line: p.position.line, character: 0 }, end: p.position });
    const dash = /-[A-Za-z]*$/.exec(before);
    const dashRange = dash ? { start: { line: p.position.line, character: p.position.character - dash[0].length }, end: p.position } : undefined;
    return items.map((it) => toCompletionItem(it, dash && it.label.startsWith('-') ? dashRange : undefined));
  });

  connection.onHover(async (p): Promise<Hover | null> => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const text = doc.getText();
    const line = p.position.line + 1;
    const col = p.position.character + 1;
    const run = state.get(doc.uri)?.run;
    const own = run && run.version === doc.version ? pageLookup(run.outcomes) : undefined;
    const pfns = new Set<number>();
    let h = language.hover(text, line, col, (pfn) => { pfns.add(pfn); return own?.(pfn); });
    const asked = [...pfns];
    // the client (VS Code) may hold a later run or a debug session's stop: its page state wins when it has one
    if (h && asked.length && clientPages) {
      const pages = await askClientPages({ uri: doc.uri, version: doc.version, pfns: asked });
      if (pages && documents.get(doc.uri)?.version === doc.version) {
        const byPfn = new Map(asked.map((pfn, i) => [pfn, pages[i] as PageAtStep | null | undefined]));
        h = language.hover(text, line, col, (pfn) => byPfn.get(pfn) ?? own?.(pfn));
      }
    }
    if (!h) return null;
    return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: toRange(h.loc) };
  });

  async function askClientPages(params: PageInfoParams): Promise<PageInfoResult> {
    try {
      const r = await connection.sendRequest<PageInfoResult>(PAGE_INFO_METHOD, params);
      return Array.isArray(r) ? r : null;
    } catch {
      return null; // the client could not answer: the hover still shows the static part
    }
  }

  connection.onDocumentSymbol((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? language.documentSymbols(doc.getText()).map(toDocumentSymbol) : null;
  });
  connection.onFoldingRanges((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? language.foldingRanges(doc.getText()).filter((f) => f.endLine > f.startLine).map(toFoldingRange) : null;
  });
  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? language.format(doc.getText()).map(toTextEdit) : null;
  });
  connection.languages.semanticTokens.on((p) => {
    const doc = documents.get(p.textDocument.uri);
    return encodeTokens(doc ? language.semanticTokens(doc.getText()) : []);
  });

  // ------------------------------------------------------------------ mmscn/run

  connection.onRequest(RUN_METHOD, async (p: RunParams, token: CancellationToken): Promise<RunResult> => {
    const uri = p?.textDocument?.uri;
    const doc = uri ? documents.get(uri) : undefined;
    if (!doc) return { uri: uri ?? '', version: -1, ran: false, ok: false, message: `mmscn/run: ${uri ?? 'no textDocument.uri'} is not open`, variants: [] };
    const no = (message: string): RunResult => ({ uri: doc.uri, version: doc.version, ran: false, ok: false, message, variants: [] });
    const text = doc.getText();
    // the kernel preset applies to a copy (prepareRun): the cached analysis stays as the text says
    const prepared = prepareRun(text, { kernelPreset: p.kernelPreset });
    if (!prepared.ok) {
      publish(doc);
      return no(`cannot run: the file has ${prepared.errors.length || 'syntax'} error(s)`);
    }
    const s = prepared.scenario;
    if (p.until !== undefined && !(Number.isInteger(p.until) && p.until >= 0)) return no(`until must be a non-negative integer, not ${JSON.stringify(p.until)}`);
    if (p.variant && !findVariant(s, p.variant)) {
      return no(`no variant named '${p.variant}' (variants: ${s.variants.map((v) => v.name).join(', ') || 'none'})`);
    }
    let outcomes: RunOutcome[] | null;
    try {
      outcomes = await runInSlices(s, { variant: p.variant, until: p.until }, token);
    } catch (e) {
      return no(`the simulator refused or failed on this scenario: ${(e as Error).message}`);
    }
    if (!outcomes) return { ...no('run cancelled'), ran: false };
    const current = documents.get(doc.uri);
    if (current && current.version === doc.version) {
      const st = stateOf(doc.uri);
      st.run = { version: doc.version, outcomes };
      st.runDiagnostics = runDiagnostics(outcomes, s.steps.length);
      publish(current);
    }
    const failed = outcomes.some((o) => o.internal || o.errors.length || o.expectations.some((e) => !e.ok));
    return {
      uri: doc.uri, version: doc.version, ran: true, ok: !failed,
      message: failed ? 'some expectations or operations failed (see the diagnostics)' : 'every expectation holds',
      variants: outcomesJson(outcomes),
    };
  });

  documents.listen(connection);
  connection.listen();
}
