// Context-aware completion: chevrotain's computeContentAssist says which token or grammar slot comes next;
// the slot (zoneName, labelRef, policyValue …) and the statement decide the candidates.
import type { IToken } from './chevrotain.js';
import type { CompletionItem, CompletionKind } from './types.js';
import type { BlockKind } from './ast.js';
import { KERNEL_PRESETS, ERRNOS, ZONE_FIELDS, type PolicyName } from '../sim/scenario.js';
import { POLICY_VALUES, DEFAULT_POLICIES } from '../sim/policies.js';
import { analyze, type Analysis } from './analyze.js';
import { getParser, placesOf } from './parser.js';
import { cursorContext, offsetOf, operationPart, stmtKindOf } from './context.js';
import {
  STMT_INFO, KEYWORD_DOCS, ZONE_DOCS, MIGRATETYPE_DOCS, KIND_DOCS, ERRNO_DOCS, FIELD_DOCS, KPF_DOCS, PHASE_DOCS, POLICY_DOCS,
  KERNEL_DOCS, PAGE_STATES, ISOLATE_MODES, GFP_FLAGS, EXPECT_CLAUSES,
} from './docs.js';
import { VM_COUNTERS } from '../sim/vmstat.js';
import { KPF_KINDS } from '../sim/kpageflags-kinds.js';
import { SYSCTLS, SYSCTL_NAMES } from '../sim/sysctl-state.js';
import { headName } from './lower.js';
import { Kw, Colon } from './lexer.js';
import SNIPPET_FILE from '../../snippets/mmscn.json';
import { guarded } from './internal.js';
import { hex, ZONE_NAMES, MIGRATETYPE_NAMES } from '../shared/format.js';

const item = (label: string, kind: CompletionKind, detail?: string, documentation?: string): CompletionItem => ({
  label, kind, ...(detail ? { detail } : {}), ...(documentation ? { documentation } : {}),
});

/**
 * Snippets, offered only where their statement may start (snippets/mmscn.json, each with the block it belongs
 * in). The file is not contributed to VS Code as snippets: contributed snippets show up anywhere, even
 * mid-line after an operation, and duplicated these.
 */
const SNIPPETS: { label: string; block: BlockKind; text: string; detail: string }[] = Object.values(
  SNIPPET_FILE as Record<string, { prefix: string; body: string[]; description: string; block: BlockKind }>,
).map((sn) => ({ label: sn.prefix, block: sn.block, text: sn.body.join('\n').replace(/\t/g, '  ').replace(/\n?\$0$/, ''), detail: sn.description }));

/** Statement heads allowed in a block. */
function statementKeywords(block: BlockKind): CompletionItem[] {
  const out: CompletionItem[] = [];
  const heads = new Set<string>();
  for (const [kind, info] of Object.entries(STMT_INFO)) {
    const places = kind === 'expect' ? ['top'] : placesOf(kind);
    if (!places.includes(block) || kind === 'cpu_op') continue;
    const head = headName(kind);
    if (heads.has(head)) continue;
    heads.add(head);
    out.push(item(head, info.op ? 'operation' : 'keyword', info.syntax, info.doc + (info.kernel ? `\n\nModels ${info.kernel}.` : '')));
  }
  if (block === 'interleave') {
    out.push({ label: 'cpu', kind: 'keyword', detail: 'cpu N: OPERATION', documentation: STMT_INFO.cpu_op!.doc, insertText: 'cpu ${1:0}: ', snippet: true });
  }
  for (const s of SNIPPETS) if (s.block === block) out.push({ label: s.label, kind: 'snippet', detail: s.detail, insertText: s.text, snippet: true });
  return out;
}

function operationKeywords(): CompletionItem[] {
  return Object.entries(STMT_INFO).filter(([, i]) => i.op).map(([k, i]) => item(headName(k), 'operation', i.syntax, i.doc));
}

export function complete(text: string, line: number, col: number): CompletionItem[] {
  return guarded('completion', [], () => completeUnsafe(String(text), line, col));
}

function completeUnsafe(text: string, line: number, col: number): CompletionItem[] {
  const a = analyze(text);
  const offset = offsetOf(text, line, col);
  const ctx = cursorContext(text, a.parse.lexed.tokens, a.parse.lexed.comments, offset);
  if (ctx.inert) return [];
  const filter = (items: CompletionItem[]) => {
    const seen = new Set<string>();
    const p = ctx.partial.toLowerCase();
    return items.filter((i) => {
      if (seen.has(i.label + i.kind)) return false;
      seen.add(i.label + i.kind);
      return !p || i.label.toLowerCase().startsWith(p) || i.label.toLowerCase().startsWith('-' + p);
    });
  };
  if (!ctx.prefix.length) return filter(statementKeywords(ctx.block));
  const inInterleaveOp = ctx.block === 'interleave' && ctx.prefix[0]?.image === 'cpu';
  if (inInterleaveOp && ctx.prefix[ctx.prefix.length - 1]!.tokenType === Colon) return filter(operationKeywords());
  // values keep the order the service gives (kernel 6.1 < 6.6 < 6.10, block 2 < 10), not the label's text order
  return filter(slotItems(a, ctx.prefix, ctx.block, line)).map((it, i) => ({ ...it, sortText: String(i).padStart(4, '0') }));
}

function slotItems(a: Analysis, prefix: IToken[], block: BlockKind, line: number): CompletionItem[] {
  const parser = getParser();
  let paths: ReturnType<typeof parser.computeContentAssist>;
  try {
    paths = parser.computeContentAssist('statement', prefix);
  } catch {
    paths = [];
  }
  const opToks = operationPart(prefix);
  const kind = stmtKindOf(opToks, block) ?? '';
  const info = STMT_INFO[kind];
  const used = new Set(prefix.map((t) => t.image));
  // words used after the statement's head (`online block 3 online`: the head is not the type)
  const usedAfterHead = new Set(opToks.slice(1).map((t) => t.image));
  const last = prefix[prefix.length - 1];
  // right after a clause keyword that takes a value, only that value fits (not the next clause)
  const wantsValue = !!last && last.tokenType.name.startsWith('Kw_') && VALUE_KEYS.has(last.image) && !(last.image === 'block' && ['online', 'offline'].includes(opToks[0]?.image ?? ''));
  const out: CompletionItem[] = [];
  const m = a.partial.machine;
  const labels = a.names.filter((n) => n.kind === 'label' && n.loc.line < line);
  for (const p of paths) {
    const tt = p.nextTokenType;
    const rule = p.ruleStack[p.ruleStack.length - 1] ?? '';
    const inClause = p.ruleStack.includes('clause');
    const name = tt.name;
    if (wantsValue && (rule === 'flagWord' || (inClause && rule === 'clause'))) continue;
    // `expect vmstat |`: `vmstat` could also be a label (`expect NAME ok`); offer that only when it is one
    if (kind === 'expect_vmstat' && rule === 'expectBody' && !labels.some((l) => l.name === 'vmstat')) continue;
    if (name.startsWith('Kw_')) {
      const kw = name.slice(3);
      if (inClause) {
        const allowed = kind.startsWith('expect') ? EXPECT_CLAUSES[kind] ?? ['when'] : info?.clauses ?? [];
        if (!allowed.includes(kw) || used.has(kw)) continue;
      }
      if (rule === 'flagWord' || rule === 'stateWord' || rule === 'policyValue' || rule === 'migratetypeWord' || rule === 'kernelVersion' || rule === 'fieldName' || rule === 'phaseName' || rule === 'onOff' || rule === 'modeWord' || rule === 'hugetlbField' || rule === 'kpfKind') continue;
      if (rule === 'labelRef' || rule === 'labelDecl' || rule.endsWith('Decl') || rule === 'cmaRef' || rule === 'variantRef' || rule === 'deviceName') continue;
      const sinfo = STMT_INFO[kw];
      out.push(item(kw, sinfo?.op ? 'operation' : 'keyword', sinfo?.syntax, KEYWORD_DOCS[kw] ?? sinfo?.doc));
      continue;
    }
    if (name === 'Errno') { for (const e of ERRNOS) out.push(item('-' + e, 'errno', undefined, ERRNO_DOCS[e])); continue; }
    if (name === 'Cmp') { for (const c of ['==', '!=', '<', '<=', '>', '>=']) out.push(item(c, 'keyword')); continue; }
    if (name === 'Tilde') { out.push(item('~', 'keyword', 'within a tolerance', KEYWORD_DOCS.within)); continue; }
    if (name === 'Size' && rule === 'count' && (kind === 'memory_block_size' || kind === 'section_size')) {
      // a power of two, a multiple of the section size (128M on x86-64)
      for (const sz of ['128M', '256M', '512M', '1G', '2G']) out.push(item(sz, 'number', kind === 'memory_block_size' ? 'memory block size' : 'section size'));
      continue;
    }
    if (name === 'Size' && rule === 'count') continue;
    if (name === 'Size' && rule === 'size') { out.push(item('2M', 'number', '512 pages (PMD)'), item('1G', 'number', '262144 pages (PUD, gigantic)')); continue; }
    if ((name === 'Hex' || name === 'Dec') && (rule === 'number' || rule === 'pfn' || rule === 'count')) {
      const prev = prefix[prefix.length - 1]?.image;
      if (prev === 'block') for (const id of a.layout.blockIds(256)) out.push(item(String(id), 'number', `memory block ${id}`, `pfns ${hex(id * m.memoryBlockPages)}..${hex((id + 1) * m.memoryBlockPages)}`));
      else if (prev === 'cpu') for (let c = 0; c < Math.min(m.cpus, 64); c++) out.push(item(String(c), 'number', `cpu ${c}`));
      else if (prev === 'node') for (const n of m.nodes) out.push(item(String(n.nid), 'number', `node ${n.nid}`));
      else if (prev === 'order' || prev === 'align') for (let o = 0; o <= m.maxPageOrder; o++) out.push(item(String(o), 'number', `${2 ** o} pages`));
      else if (rule === 'pfn' && (prev === 'add_memory' || prev === 'remove_memory')) {
        for (const r of hotplugRanges(a, prev)) out.push(item(`${hex(r.start)}..${hex(r.end)}`, 'number', r.detail));
      } else if (rule === 'pfn' && prev && ['page', 'pages', 'folio', 'isolate', 'alloc_contig_range', 'pageblock', 'zone'].includes(prev)) {
        for (const n of m.nodes) for (const z of n.zones) out.push(item(hex(z.start), 'number', `start of ${z.zone} (node ${n.nid})`));
      }
      continue;
    }
    if (name !== 'Identifier' && name !== 'Word' && name !== 'Name') continue;
    switch (rule) {
      case 'zoneName': {
        const zs = m.nodes.length ? [...new Set(m.nodes.flatMap((n) => n.zones.map((z) => z.zone)))] : [...ZONE_NAMES];
        const all = kind === 'zone' || kind.startsWith('expect') ? [...ZONE_NAMES] : zs;
        for (const z of all) out.push(item(z, 'zone', undefined, ZONE_DOCS[z]));
        break;
      }
      case 'labelRef':
        for (const l of labels) out.push(item(l.name, 'name', `${l.stmt} (line ${l.loc.line})`));
        break;
      case 'cmaRef':
        for (const c of m.cma) out.push(item(c.name, 'name', `CMA area ${hex(c.start)}..${hex(c.end)}`));
        break;
      case 'deviceName':
        if (block !== 'machine') for (const v of m.virtioMem) out.push(item(v.name, 'name', `virtio-mem device ${hex(v.start)}..${hex(v.end)}`));
        break;
      case 'variantRef':
        for (const v of a.partial.variants) out.push(item(v.name, 'name', 'variant'));
        break;
      case 'sysctlName':
        if (prefix.length <= 1) for (const k of SYSCTL_NAMES) out.push(item(`vm.${k}`, 'value', `sysctl ${SYSCTLS[k].min}..${SYSCTLS[k].max}`, SYSCTLS[k].doc));
        break;
      case 'policyName':
        for (const k of Object.keys(POLICY_VALUES)) {
          const v = POLICY_VALUES[k as PolicyName];
          out.push(item(k, 'policy', v === 'number' ? 'number' : v.join(' | '), POLICY_DOCS[k as PolicyName]));
        }
        break;
      case 'policyValue': {
        const pn = prefix[1]?.image as PolicyName | undefined;
        const vals = pn ? POLICY_VALUES[pn] : undefined;
        if (vals === 'number') out.push(item(String(DEFAULT_POLICIES[pn!]), 'value', 'default'));
        else if (vals) for (const v of vals) out.push(item(v, 'value', v === DEFAULT_POLICIES[pn!] ? 'default (latest)' : undefined));
        break;
      }
      case 'kernelVersion':
        for (const k of KERNEL_PRESETS) out.push(item(k, 'value', 'kernel preset', KERNEL_DOCS[k]));
        break;
      case 'fieldName':
        for (const f of ZONE_FIELDS) out.push(item(f, 'value', 'zone field', FIELD_DOCS[f]));
        break;
      case 'hugetlbField':
        out.push(item('free', 'value', 'free huge pages'), item('total', 'value', 'nr_hugepages'), item('surplus', 'value', 'surplus_hugepages'));
        break;
      case 'vmstatCounter':
        for (const v of VM_COUNTERS) out.push(item(v, 'value', '/proc/vmstat', FIELD_DOCS[v]));
        break;
      case 'kpfKind':
        for (const v of KPF_KINDS) out.push(item(v, 'value', '/proc/kpageflags', KPF_DOCS[v]));
        break;
      case 'migratetypeWord':
        for (const t of MIGRATETYPE_NAMES) out.push(item(t, 'migratetype', undefined, MIGRATETYPE_DOCS[t]));
        if (kind === 'expect_pageblock') out.push(item('isolated', 'migratetype', undefined, MIGRATETYPE_DOCS.isolated));
        break;
      case 'stateWord': {
        const vals = kind === 'hotplug' ? ['offline', 'absent'] : kind === 'expect_block' ? ['online', 'offline', 'absent'] : [...PAGE_STATES];
        for (const v of vals) out.push(item(v, 'value', undefined, KIND_DOCS[v]));
        break;
      }
      case 'modeWord':
        for (const v of ISOLATE_MODES) out.push(item(v, 'value', undefined, KIND_DOCS[v]));
        break;
      case 'onOff':
        for (const v of kind === 'memmap_on_memory' ? ['off', 'on', 'force'] : ['off', 'on']) out.push(item(v, 'value'));
        break;
      case 'gfpFlags':
        for (const g of GFP_FLAGS) out.push(item(g, 'value', 'GFP flag'));
        break;
      case 'phaseName': {
        const cpuTok = prefix[prefix.length - 1];
        const cpu = cpuTok ? Number(cpuTok.image) : NaN;
        const phases = phasesFor(a, line, cpu);
        for (const ph of phases) out.push(item(ph, 'value', 'phase', PHASE_DOCS[ph]));
        break;
      }
      case 'flagWord': {
        const flags = kind === 'expect_block' ? [...ZONE_NAMES] : kind === 'expect_pageblock' ? ['isolated'] : [...(info?.flags ?? [])];
        for (const f of flags) {
          if (usedAfterHead.has(f)) continue;
          const k: CompletionKind = (MIGRATETYPE_NAMES as readonly string[]).includes(f) ? 'migratetype' : (ZONE_NAMES as readonly string[]).includes(f) ? 'zone' : 'kind';
          out.push(item(f, k, undefined, KIND_DOCS[f] ?? MIGRATETYPE_DOCS[f] ?? ZONE_DOCS[f]));
        }
        break;
      }
    }
  }
  if (!paths.length) {
    // the statement is already broken before the cursor: offer its options so typing can go on
    for (const c of info?.clauses ?? []) if (!used.has(c)) out.push(item(c, 'keyword', undefined, KEYWORD_DOCS[c]));
    for (const f of info?.flags ?? []) if (!used.has(f)) out.push(item(f, 'kind', undefined, KIND_DOCS[f]));
  }
  void Kw;
  return out;
}

const VALUE_KEYS = new Set(['as', 'cpu', 'node', 'zone', 'order', 'align', 'order_per_bit', 'gfp', 'count', 'mode', 'at', 'reason', 'when', 'block']);


/**
 * Ranges worth offering after `add_memory` (hotplug ranges declared `absent`, then the memory block just past
 * the end of the machine) or `remove_memory` (hotplug ranges declared `offline`).
 */
function hotplugRanges(a: Analysis, op: 'add_memory' | 'remove_memory'): { start: number; end: number; detail: string }[] {
  const m = a.partial.machine;
  const out: { start: number; end: number; detail: string }[] = [];
  const want = op === 'add_memory' ? 'absent' : 'offline';
  for (const n of m.nodes) for (const h of n.hotplug ?? []) if (h.state === want) out.push({ start: h.start, end: h.end, detail: `hotplug range of node ${n.nid} (${want})` });
  if (op === 'add_memory' && m.memoryBlockPages > 0) {
    let top = 0;
    for (const n of m.nodes) {
      for (const z of n.zones) top = Math.max(top, z.end);
      for (const h of n.hotplug ?? []) top = Math.max(top, h.end);
    }
    const start = Math.ceil(top / m.memoryBlockPages) * m.memoryBlockPages;
    if (top > 0) out.push({ start, end: start + m.memoryBlockPages, detail: 'the memory block after the end of the machine' });
  }
  return out;
}

/** Phases of the operation a CPU runs in the interleave around `line`. */
function phasesFor(a: Analysis, line: number, cpu: number): string[] {
  for (const s of a.ast.top.body) {
    if (s.kind !== 'interleave' || !s.block) continue;
    const b = s.block.loc;
    if (line < b.line || line > b.endLine) continue;
    for (const c of s.block.body) {
      if (c.kind !== 'cpu_op') continue;
      const n = c.args.cpu;
      if (c.inner && n?.t === 'num' && Number(n.value) === cpu) return STMT_INFO[c.inner.kind]?.phases ?? ['run'];
    }
    const all = new Set<string>();
    for (const c of s.block.body) if (c.kind === 'cpu_op' && c.inner) for (const p of STMT_INFO[c.inner.kind]?.phases ?? ['run']) all.add(p);
    return [...all];
  }
  return ['run'];
}
