// Outline (document symbols) and folding ranges.
import type { DocumentSymbol, FoldingRange } from './types.js';
import { argNamed, type Stmt } from './ast.js';
import { analyze } from './analyze.js';
import { headName } from './lower.js';
import { STMT_INFO } from './docs.js';
import { guarded } from './internal.js';

/** the statement's text on its first line; `lines` is the document split once (splitting per statement was
 *  quadratic: minutes for an imported machine's 150k lines) */
function snippet(lines: readonly string[], s: Stmt): string {
  const l = (lines[s.loc.line - 1] ?? '').replace(/\r$/, '');
  const t = l.slice(s.loc.col - 1, s.loc.line === s.loc.endLine ? s.loc.endCol - 1 : undefined).trim();
  return t.length > 60 ? t.slice(0, 59) + '…' : t;
}

function label(s: Stmt): string | null {
  const as = (s.inner ?? s).clauses.find((c) => c.key === 'as');
  return as?.value?.t === 'word' ? as.value.text : null;
}

// symbolOf's helpers are module functions, not closures made per statement (the outline runs on every edit)
function mk(s: Stmt, name: string, detail: string, kind: DocumentSymbol['kind'], children: DocumentSymbol[] = []): DocumentSymbol {
  return { name: name || headName(s.kind), detail, kind, loc: s.block ? s.block.loc : s.loc, selection: s.headLoc, children };
}
function word(s: Stmt, k: string): string {
  const a = argNamed(s, k);
  return a?.t === 'word' ? a.text : '';
}
function kids(text: readonly string[], body: Stmt[]): DocumentSymbol[] {
  return body.map((c) => symbolOf(text, c)).filter((x): x is DocumentSymbol => !!x);
}

function symbolOf(text: readonly string[], s: Stmt): DocumentSymbol | null {
  switch (s.kind) {
    case 'machine': return mk(s, 'machine', 'memory layout', 'machine', s.block ? kids(text, s.block.body) : []);
    case 'node': { const n = s.args.nid; return mk(s, `node ${n?.t === 'num' ? String(n.value) : '?'}`, 'NUMA node', 'node', s.block ? kids(text, s.block.body) : []); }
    case 'zone': return mk(s, word(s, 'zone'), snippet(text, s), 'zone');
    case 'reserved': case 'hole': case 'hotplug': case 'cma': case 'hugetlb_pool': case 'virtio_decl':
      return mk(s, word(s, 'name') || headName(s.kind), snippet(text, s), 'zone');
    case 'variant': return mk(s, word(s, 'name'), 'variant', 'variant', s.block ? kids(text, s.block.body) : []);
    case 'interleave': return mk(s, 'interleave', `${s.block?.body.filter((c) => c.kind === 'cpu_op').length ?? 0} CPUs`, 'interleave', s.block ? kids(text, s.block.body) : []);
    case 'cpu_op': { const l = label(s); return mk(s, l ?? snippet(text, s), snippet(text, s), l ? 'label' : 'operation'); }
    case 'schedule': case 'page_size': case 'pageblock_order': case 'max_page_order': case 'memory_block_size': case 'section_size': case 'swap':
    case 'cpus': case 'memmap_on_memory': case 'movable_node': case 'config_cma': return null;
    case 'kernel': case 'policy': case 'seed': return mk(s, snippet(text, s), 'kernel behaviour', 'policy');
    case 'checkpoint': return mk(s, word(s, 'name'), 'checkpoint', 'checkpoint');
    case 'error': return null;
  }
  if (s.kind.startsWith('expect')) return mk(s, snippet(text, s), 'expectation', 'expect');
  const info = STMT_INFO[s.kind];
  if (!info) return null;
  const l = label(s);
  if (['page', 'pages', 'folio', 'fill', 'pageblock', 'pageset'].includes(s.kind)) return mk(s, snippet(text, s), 'population', 'population');
  return mk(s, l ?? snippet(text, s), l ? snippet(text, s) : info.syntax, l ? 'label' : 'operation');
}

export function documentSymbols(text: string): DocumentSymbol[] {
  return guarded('outline', [], () => {
    const t = String(text);
    const { ast } = analyze(t).parse; // the cached analysis of this text, not a new parse
    const lines = t.split('\n');
    return ast.top.body.map((s) => symbolOf(lines, s)).filter((x): x is DocumentSymbol => !!x);
  });
}

export function foldingRanges(text: string): FoldingRange[] {
  return guarded('folding ranges', [], () => {
    const t = String(text);
    const p = analyze(t).parse;
    const out: FoldingRange[] = [];
    for (const b of p.braces) {
      if (!b.close) continue;
      const start = b.open.startLine ?? 1;
      const end = (b.close.startLine ?? 1) - 1;
      if (end > start) out.push({ startLine: start, endLine: end, kind: 'region' });
    }
    // runs of whole-line comments
    const lines = t.split('\n');
    let runStart = -1;
    for (let i = 0; i <= lines.length; i++) {
      const isComment = i < lines.length && /^\s*(#|\/\/)/.test(lines[i]!);
      if (isComment && runStart < 0) runStart = i;
      if (!isComment && runStart >= 0) {
        if (i - 1 > runStart) out.push({ startLine: runStart + 1, endLine: i, kind: 'comment' });
        runStart = -1;
      }
    }
    return out.sort((a, b) => a.startLine - b.startLine);
  });
}
