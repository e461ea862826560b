// Editor-facing results of the language service, in plain data (no `vscode` import).
// Positions are 1-based line and column, as in Loc; the extension converts to VS Code's 0-based ones.
import type { Loc } from '../sim/scenario.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Diagnostic {
  loc: Loc;
  severity: Severity;
  message: string;
  /** 'syntax' | 'semantic' | 'expectation' | 'run' — where it came from */
  source: string;
}

export type CompletionKind = 'keyword' | 'operation' | 'zone' | 'migratetype' | 'name' | 'policy' | 'value' | 'snippet' | 'number' | 'errno' | 'kind';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** text to insert; snippet syntax (`${1:name}`) when `snippet` is true */
  insertText?: string;
  snippet?: boolean;
  /** sorts the list (numbers and versions in their order, not as text) */
  sortText?: string;
}

export interface HoverResult {
  /** Markdown */
  contents: string;
  loc: Loc;
}

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: 'machine' | 'node' | 'zone' | 'operation' | 'label' | 'checkpoint' | 'variant' | 'expect' | 'interleave' | 'policy' | 'population';
  loc: Loc;
  selection: Loc;
  children: DocumentSymbol[];
}

export type SemanticTokenType = 'keyword' | 'function' | 'variable' | 'number' | 'enumMember' | 'type' | 'string' | 'comment' | 'operator' | 'property';

export interface SemanticToken {
  line: number;   // 1-based
  col: number;    // 1-based
  length: number;
  type: SemanticTokenType;
  /** e.g. 'declaration' for `as NAME` */
  modifiers: string[];
}

export interface FoldingRange { startLine: number; endLine: number; kind?: 'comment' | 'region' }

export interface TextEdit { loc: Loc; newText: string }
