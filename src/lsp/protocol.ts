// The mmscn extensions of the Language Server Protocol, shared by the server (src/lsp/server.ts) and its
// clients (the VS Code extension, tests). Plain types and method names only: no runtime dependencies.

/** `mmscn/run` (client → server): runs the document on the simulator and returns what `mmscn run --json` prints. */
export const RUN_METHOD = 'mmscn/run';
export interface RunParams {
  textDocument: { uri: string };
  /** run only this variant (default: every variant) */
  variant?: string;
  /** stop after this many top-level steps */
  until?: number;
  /** the kernel preset for a scenario that names no kernel itself (VS Code's `mmscn.kernelPreset`) */
  kernelPreset?: string;
}
export interface RunResult {
  uri: string;
  version: number;
  /** false when the file has errors (see `diagnostics` published for it) or the run was cancelled */
  ran: boolean;
  /** every expectation held, no run error, no internal error */
  ok: boolean;
  message: string;
  /** one entry per variant run, in the format of `mmscn run --json` (src/app/json.ts toJson) */
  variants: unknown[];
}

/**
 * `mmscn/pageInfo` (server → client): the page state of these pfns from the client's last run of the document
 * (the VS Code extension runs and debugs scenarios itself). The server asks only clients that said
 * `initializationOptions.pageInfoProvider: true`; an answer entry is null when the client has nothing for it.
 */
export const PAGE_INFO_METHOD = 'mmscn/pageInfo';
export interface PageInfoParams { uri: string; version: number; pfns: number[] }
export type PageInfoResult = (Record<string, unknown> | null)[] | null;

/** What a client may pass as `initializationOptions`. */
export interface InitializationOptions {
  /** the client answers `mmscn/pageInfo` */
  pageInfoProvider?: boolean;
  /** debounce of diagnostics after an edit, ms (VS Code's `mmscn.diagnostics.debounceMs`; default 250) */
  debounceMs?: number;
}

/** The semantic token legend: every SemanticTokenType of the language service, in a fixed order. */
export const TOKEN_TYPES = ['keyword', 'function', 'variable', 'number', 'enumMember', 'type', 'string', 'comment', 'operator', 'property'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

/** Characters after which completion opens by itself: member access (`Normal.`), a space after a keyword, `-` for errnos. */
export const TRIGGER_CHARACTERS = ['.', ' ', '-'];
