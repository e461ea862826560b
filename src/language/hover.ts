// Hover: documentation for keywords and values, and for numbers what they mean on this machine
// (a pfn's physical address, zone, pageblock and memory block; a size in pages and pageblocks; a range).
import type { Loc, MachineSpec, PolicyName } from '../sim/scenario.js';
import type { PageInfo } from '../sim/api.js';
import type { HoverResult } from './types.js';
import type { Arg, NumArg, RangeArg, Stmt } from './ast.js';
import { argNamed, argsOf, contains } from './ast.js';
import { analyze, type Analysis } from './analyze.js';
import { offsetOf, tokenBefore } from './context.js';
import { tokLoc } from './lexer.js';
import { POLICY_VALUES, presetPolicies } from '../sim/policies.js';
import { SYSCTLS } from '../sim/sysctl-state.js';
import {
  STMT_INFO, KEYWORD_DOCS, ZONE_DOCS, MIGRATETYPE_DOCS, KIND_DOCS, ERRNO_DOCS, FIELD_DOCS, PHASE_DOCS, POLICY_DOCS, KERNEL_DOCS,
} from './docs.js';
import { headName } from './lower.js';
import type { Layout } from './validate.js';
import { guarded } from './internal.js';
import { hex, bytesSize, PAGE_SIZE } from '../shared/format.js';


/** A page as a run left it, plus the state of its memory block (what the hover shows after a run). */
export type PageAtStep = PageInfo & {
  blockState?: 'online' | 'offline' | 'absent';
  /** the block's valid_zones at that step (sysfs order: the zone plain `online` picks first) */
  validZones?: string[];
};
type PageLookup = (pfn: number) => PageAtStep | undefined;

const zoneName = (zone: string) => `ZONE_${zone.toUpperCase()}`;

export function hover(text: string, line: number, col: number, pageInfo?: PageLookup): HoverResult | null {
  return guarded('hover', null, () => hoverUnsafe(String(text), line, col, pageInfo));
}

function hoverUnsafe(text: string, line: number, col: number, pageInfo?: PageLookup): HoverResult | null {
  const a = analyze(text);
  const toks = a.parse.lexed.tokens;
  const off = offsetOf(text, line, col);
  const i = tokenBefore(toks, off + 1);
  if (i < 0) return null;
  const t = toks[i]!;
  if (off > (t.endOffset ?? t.startOffset)) {
    // the cursor is right after a token: VS Code hovers the character under it, so nothing
    return null;
  }
  const tl = tokLoc(t);
  const stmt = statementAt(a, tl.line, tl.col);
  const arg = stmt ? argAt(stmt, tl.line, tl.col) : null;
  const range = stmt ? rangeAt(stmt, tl.line, tl.col) : null;
  const m = a.partial.machine;
  if (range && arg && arg.t === 'num' && (arg === range.start || arg === range.end)) {
    const r = rangeInfo(a, range, pageInfo);
    const own = arg === range.start || range.sep === '..' ? pfnInfo(a.layout, m, Number(arg.value ?? 0n), pageInfo) : sizeInfo(arg, m);
    return { contents: r + '\n\n---\n\n' + own, loc: arg.loc };
  }
  if (arg) {
    const c = argHover(a, arg, m, pageInfo, stmt!, text);
    if (c) return { contents: c, loc: arg.loc };
  }
  if (t.tokenType.name.startsWith('Kw_')) {
    const kw = t.image;
    const isHead = !!stmt && stmt.headLoc.line === tl.line && stmt.headLoc.col === tl.col;
    if (isHead && STMT_INFO[stmt.kind]) return { contents: stmtDoc(stmt.kind, STMT_INFO[stmt.kind]!), loc: tl };
    if (KEYWORD_DOCS[kw]) return { contents: `**${kw}**\n\n${KEYWORD_DOCS[kw]}`, loc: tl };
    if (STMT_INFO[kw]) return { contents: stmtDoc(kw, STMT_INFO[kw]!), loc: tl };
  }
  return null;
}

function stmtDoc(kind: string, info: (typeof STMT_INFO)[string]): string {
  let s = `**${headName(kind)}** — \`${info.syntax}\`\n\n${info.doc}`;
  if (info.kernel) s += `\n\nModels ${info.kernel}.`;
  if (info.phases) s += `\n\nPhases (for \`schedule\`): ${info.phases.map((p) => `\`${p}\``).join(' → ')}`;
  if (info.op) s += '\n\nErrnos: ' + errnosFor(kind);
  return s;
}

function errnosFor(kind: string): string {
  const table: Record<string, string> = {
    alloc_contig_range: '-EBUSY (isolation, migration or `test_pages_isolated()` failed), -ENOMEM, -EINTR',
    alloc_contig_pages: '-ENOMEM (no suitable range), -EBUSY',
    cma_alloc: '-ENOMEM / -EBUSY (no free bitmap range could be allocated)',
    offline: '-EBUSY (unmovable page or `offline_max_passes` exhausted), -EINTR (signal), -EINVAL (block spans zones)',
    online: '-EINVAL (already online, or zone would not be contiguous)',
    isolate: '-EBUSY (unmovable page in a pageblock)',
    add_memory: '-EEXIST/-EINVAL (overlap or misaligned)',
    remove_memory: '-EBUSY (a block is online)',
    eject: '-EBUSY (a block would not go offline: all onlined again), a failure without errno (the kernel would retry forever), -ENOENT (no memory block there)',
    migrate: '-EAGAIN (pinned / refcount), -ENOMEM, -EBUSY',
    alloc: '-ENOMEM (no free block after fallback)',
  };
  return table[kind] ?? '-ENOMEM, -EINVAL';
}

function statementAt(a: Analysis, line: number, col: number): Stmt | null {
  let best: Stmt | null = null;
  for (const s of a.ast.all) {
    if (s.loc.line > line) break;
    if (contains(s.loc, line, col)) best = s.inner && contains(s.inner.loc, line, col) ? s.inner : s;
  }
  return best;
}

function argAt(s: Stmt, line: number, col: number): Arg | null {
  let best: Arg | null = null;
  for (const x of argsOf(s)) {
    if (!x || !x.loc || !contains(x.loc, line, col)) continue;
    if (x.t === 'range' || x.t === 'list' || x.t === 'field') continue;
    best = x;
  }
  return best;
}
function rangeAt(s: Stmt, line: number, col: number): RangeArg | null {
  for (const x of argsOf(s)) if (x && x.t === 'range' && contains(x.loc, line, col)) return x;
  return null;
}

function pfnInfo(layout: Layout, m: MachineSpec, pfn: number, pageInfo?: PageLookup): string {
  const pb = 2 ** m.pageblockOrder;
  const z = layout.zoneOf(pfn);
  const where = layout.where(pfn);
  // after a run the page's zone, block state and pageblock type are the run's (onlining moves a hotplug
  // range into a zone; the file's description only says where it starts)
  const p = pageInfo?.(pfn);
  const zoneLine = p
    ? p.zone ? `node ${p.nid ?? z?.nid ?? 0}, ${zoneName(p.zone)}` : `in no zone (${p.state})`
    : z ? `node ${z.nid}, ${zoneName(z.zone)}` : where ?? 'outside every zone and hotplug range';
  const pbType = p?.migratetype ? `: ${p.isolated ? 'MIGRATE_ISOLATE / ' : ''}MIGRATE_${p.migratetype.toUpperCase()}` : '';
  const lines = [
    `**pfn ${hex(pfn)}** (${pfn})`,
    `- physical address ${hex(pfn * PAGE_SIZE)}`,
    `- ${zoneLine}`,
    `- pageblock ${hex(pfn - (pfn % pb))}${pbType} (pageblock_order ${m.pageblockOrder})`,
    `- memory block ${Math.floor(pfn / m.memoryBlockPages)} (memory${Math.floor(pfn / m.memoryBlockPages)})${p?.blockState ? `: ${p.blockState}` : ''}, section ${Math.floor(pfn / m.sectionPages)}`,
  ];
  const cma = m.cma.find((c) => pfn >= c.start && pfn < c.end);
  if (cma) lines.push(`- in CMA area ${cma.name}`);
  if (p) {
    lines.push('', `**state:** ${p.state}${p.kind ? ` (${p.kind}${p.modifiers.length ? ', ' + p.modifiers.join(', ') : ''})` : ''}` +
      `${p.migratetype ? `, pageblock ${p.isolated ? 'MIGRATE_ISOLATE / ' : ''}MIGRATE_${p.migratetype.toUpperCase()}` : ''}`);
    if (p.head !== null && p.order !== null) lines.push(`- ${p.state === 'buddy' ? 'free buddy' : 'folio'} head ${hex(p.head)}, order ${p.order}`);
    if (p.cpu !== null) lines.push(`- on cpu ${p.cpu}'s PCP list`);
    if (p.owner) lines.push(`- owner: ${p.owner}`);
    if (p.lastMigration) lines.push(`- last migration: ${hex(p.lastMigration.src)} → ${p.lastMigration.dst === null ? 'failed' : hex(p.lastMigration.dst)} (${p.lastMigration.reason})`);
  }
  return lines.join('\n');
}

function sizeInfo(n: NumArg, m: MachineSpec): string {
  if (n.value === null) return `\`${n.raw}\` does not fit in 64 bits`;
  const bytes = n.unit ? Number(n.value) * n.unit : Number(n.value) * PAGE_SIZE;
  const pages = bytes / PAGE_SIZE;
  const pb = 2 ** m.pageblockOrder;
  return [
    `**${n.raw}** = ${Number.isInteger(pages) ? pages : pages.toFixed(2)} pages (${bytesSize(bytes)})`,
    `- ${(pages / pb).toFixed(pages % pb ? 2 : 0)} pageblocks of ${pb} pages`,
    pages >= m.memoryBlockPages ? `- ${(pages / m.memoryBlockPages).toFixed(pages % m.memoryBlockPages ? 2 : 0)} memory blocks` : '',
    Number.isInteger(Math.log2(pages)) ? `- order ${Math.log2(pages)}` : '',
  ].filter(Boolean).join('\n');
}

function rangeInfo(a: Analysis, r: RangeArg, pageInfo?: PageLookup): string {
  const m = a.partial.machine;
  const s = Number(r.start.value ?? 0n);
  let e: number;
  if (r.sep === '..') e = Number(r.end.value ?? 0n);
  else e = s + (r.end.unit ? (Number(r.end.value ?? 0n) * r.end.unit) / PAGE_SIZE : Number(r.end.value ?? 0n));
  const len = Math.max(0, e - s);
  const pb = 2 ** m.pageblockOrder;
  const firstPb = s - (s % pb);
  const nPb = len ? Math.ceil(e / pb) - Math.floor(s / pb) : 0;
  // after a run: the zones the run put these pages in
  const ranZone = (pfn: number) => {
    const p = pageInfo?.(pfn);
    return p ? (p.zone ? { zone: p.zone } : null) : undefined;
  };
  const zs = ranZone(s) ?? (ranZone(s) === null ? null : a.layout.zoneOf(s));
  const ze = len ? ranZone(e - 1) ?? (ranZone(e - 1) === null ? null : a.layout.zoneOf(e - 1)) : null;
  return [
    `**range ${hex(s)}..${hex(e)}** (end exclusive)`,
    `- ${len} pages (${bytesSize(len * PAGE_SIZE)}), physical ${hex(s * PAGE_SIZE)}..${hex(e * PAGE_SIZE)}`,
    `- ${nPb} pageblock${nPb === 1 ? '' : 's'} from ${hex(firstPb)}${s % pb || e % pb ? ' (not pageblock-aligned)' : ''}`,
    `- memory blocks ${Math.floor(s / m.memoryBlockPages)}..${Math.floor(Math.max(s, e - 1) / m.memoryBlockPages)}`,
    `- ${zs ? `starts in ZONE_${zs.zone.toUpperCase()}` : 'starts outside every zone'}${ze && zs && ze.zone !== zs.zone ? `, ends in ZONE_${ze.zone.toUpperCase()}` : ''}`,
  ].join('\n');
}

/** After a run: the block's state and, when offline, the zone plain `online` would pick (valid_zones_show's default, zone_for_pfn_range). */
function blockZoneLine(pageInfo: PageLookup | undefined, start: number): string {
  const p = pageInfo?.(start);
  if (!p?.blockState) return '';
  if (p.blockState === 'online') return `\n- after the run: online${p.zone ? ` in ${zoneName(p.zone)}` : ''}`;
  if (p.blockState === 'absent') return '\n- after the run: absent (not added)';
  const vz = p.validZones ?? [];
  if (!vz.length || vz[0] === 'none') return '\n- after the run: offline';
  return `\n- after the run: offline; plain \`online\` would pick ${zoneName(vz[0]!)} (valid_zones: ${vz.join(' ')}; zone_for_pfn_range under the scenario's online_policy)`;
}

function argHover(a: Analysis, x: Arg, m: MachineSpec, pageInfo: PageLookup | undefined, s: Stmt, text: string): string | null {
  switch (x.t) {
    case 'num': {
      if (x.value === null) return `\`${x.raw}\` does not fit in 64 bits`;
      const v = Number(x.value);
      switch (x.role) {
        case 'pfn': return pfnInfo(a.layout, m, v, pageInfo);
        case 'count': case 'size': return sizeInfo(x, m);
        case 'order': return `**order ${v}**: ${2 ** v} pages (${bytesSize(2 ** v * PAGE_SIZE)})${v > m.maxPageOrder ? ` — above MAX_PAGE_ORDER ${m.maxPageOrder}` : ''}`;
        case 'block': {
          const start = v * m.memoryBlockPages;
          const where = a.layout.where(start) ?? (a.layout.blockExists(v) ? 'partly present' : 'not in the machine');
          return `**memory block ${v}** (/sys/devices/system/memory/memory${v})\n- pfns ${hex(start)}..${hex(start + m.memoryBlockPages)}\n- ${bytesSize(m.memoryBlockPages * PAGE_SIZE)}, ${where}${blockZoneLine(pageInfo, start)}`;
        }
        case 'cpu': case 'nid': case 'seed': case 'number':
          if (s.kind === 'cpus') return `**${v} CPU${v === 1 ? '' : 's'}**: one PCP list per zone and CPU`;
          return null;
      }
      return null;
    }
    case 'word': {
      const w = x.text;
      switch (x.role) {
        case 'zone': {
          const spans = m.nodes.flatMap((n) => n.zones.filter((z) => z.zone === w).map((z) => `node ${n.nid}: ${hex(z.start)}..${hex(z.end)} (${z.end - z.start} pages)`));
          return ZONE_DOCS[w] ? `**${w}** — ${ZONE_DOCS[w]}${spans.length ? '\n\n' + spans.map((l) => '- ' + l).join('\n') : ''}` : null;
        }
        case 'migratetype': return MIGRATETYPE_DOCS[w] ? `**${w}** — ${MIGRATETYPE_DOCS[w]}` : null;
        case 'flag': case 'state': case 'mode': case 'value':
          return KIND_DOCS[w] ?? MIGRATETYPE_DOCS[w] ?? ZONE_DOCS[w] ?? KEYWORD_DOCS[w] ? `**${w}** — ${KIND_DOCS[w] ?? MIGRATETYPE_DOCS[w] ?? ZONE_DOCS[w] ?? KEYWORD_DOCS[w]}` : null;
        case 'policy': {
          const doc = POLICY_DOCS[w as PolicyName];
          if (!doc) return null;
          const vals = POLICY_VALUES[w as PolicyName];
          const def = presetPolicies(a.partial.kernel)[w as PolicyName];
          return `**policy ${w}**\n\n${doc}\n\nValues: ${vals === 'number' ? 'a number' : vals.map((v) => `\`${v}\``).join(', ')}; kernel ${a.partial.kernel}: \`${def}\``;
        }
        case 'policyValue': {
          const name = argNamed(s, 'name');
          return `**${w}**` + (name?.t === 'word' && POLICY_DOCS[name.text as PolicyName] ? `\n\n${POLICY_DOCS[name.text as PolicyName]}` : '');
        }
        case 'sysctl': {
          const d = w.startsWith('vm.') && Object.prototype.hasOwnProperty.call(SYSCTLS, w.slice(3)) ? SYSCTLS[w.slice(3)] : null;
          return d ? `**${w}** (${d.min}..${d.max})\n\n${d.doc}\n\nKernel: ${d.kernel}` : null;
        }
        case 'field': return FIELD_DOCS[w] ? `**${w}** — ${FIELD_DOCS[w]}` : null;
        case 'phase': return PHASE_DOCS[w] ? `**phase ${w}** — ${PHASE_DOCS[w]}` : null;
        case 'gfp': return `**${w}** — GFP flag`;
        case 'labelRef': case 'labelDecl': case 'cmaRef': case 'cmaDecl': case 'deviceRef': case 'deviceDecl': case 'variantRef': case 'variantDecl': case 'checkpointDecl': {
          const d = a.names.find((n) => n.name === w && (x.role.startsWith('label') ? n.kind === 'label' : x.role.startsWith('cma') ? n.kind === 'cma' : x.role.startsWith('device') ? n.kind === 'device' : x.role.startsWith('variant') ? n.kind === 'variant' : n.kind === 'checkpoint'));
          if (!d) return null;
          const line = lineText(text, d.loc);
          return `**${w}** — ${d.kind === 'label' ? `\`${headName(d.stmt)}\` operation` : d.kind} defined on line ${d.loc.line}${line ? `\n\n\`\`\`mmscn\n${line}\n\`\`\`` : ''}`;
        }
      }
      return null;
    }
    case 'errno': { const e = x.text.slice(1); return ERRNO_DOCS[e] ? `**${x.text}** — ${ERRNO_DOCS[e]}` : null; }
    case 'ver': return KERNEL_DOCS[x.text] ? `**kernel ${x.text}** — ${KERNEL_DOCS[x.text]}` : null;
    case 'pct': return `**${x.raw}** of the zone's present pages`;
    default: return null;
  }
}

function lineText(text: string, loc: Loc): string {
  let off = 0;
  for (let l = 1; l < loc.line && off >= 0; l++) off = text.indexOf('\n', off) + (off >= 0 ? 1 : 0) || -1;
  if (off < 0) return '';
  const end = text.indexOf('\n', off);
  return text.slice(off, end < 0 ? text.length : end).trim().slice(0, 200);
}
