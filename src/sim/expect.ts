// Evaluates one `expect` against the machine's current state and the labelled results so far.
// Messages say what was expected and what the simulator has, in kernel terms.
import type { OpResult } from './api.js';
import type { Machine } from './machine.js';
import { type Cmp, type Expectation, type Migratetype, type ZoneField, type ZoneRef } from './scenario.js';
import type { ZoneView } from './api.js';
import { hex, MIGRATETYPE_NAMES, ZONE_NAMES } from '../shared/format.js';
import { countKpageflags } from './kpageflags.js';

export interface Verdict { ok: boolean; message: string }


/** The six comparisons of `expect` (and of the debugger's conditions). */
export function compare(a: number, cmp: Cmp, b: number): boolean {
  switch (cmp) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

function describe(r: OpResult): string {
  if (r.ok) return 'ok';
  let s = r.errno ? `-${r.errno}` : 'a failure';
  if (r.pfn !== null) s += ` at ${hex(r.pfn)}`;
  if (r.reason) s += ` (${r.reason})`;
  return s;
}

function zoneView(m: Machine, z: ZoneRef) {
  return m.zones().find((v) => v.nid === z.nid && v.zone === z.zone);
}

const zoneLabel = (z: ZoneRef) => (z.nid === 0 ? z.zone : `node ${z.nid} ${z.zone}`);

const PROTECTION_FIELDS: readonly ZoneField[] = ['protection_dma', 'protection_dma32', 'protection_normal', 'protection_movable', 'protection_device'];
/** zoneinfo's `protection: (…)` of a zone: lowmem_reserve[] per zone index, ZONE_DEVICE last (zoneinfo() in proc.ts) */
function protection(z: ZoneView): number[] {
  const r = z.lowmem_reserve;
  return [r[0] ?? 0, r[1] ?? 0, r[2] ?? 0, r[3] ?? 0, r[4] ?? (ZONE_NAMES.indexOf(z.zone as never) < 3 ? r[3] ?? 0 : 0)];
}

/** A zone field as /proc/zoneinfo and /proc/pagetypeinfo print it (pcp_*: the sum over cpus for count, cpu 0 for high/batch) */
export function zoneFieldValue(z: ZoneView, f: ZoneField): number {
  switch (f) {
    case 'min': case 'low': case 'high': case 'promo': return z.watermarks[f];
    case 'pcp_count': return z.pcp.reduce((n, p) => n + p.count, 0);
    case 'pcp_high': return z.pcp[0]?.high ?? 0;
    case 'pcp_batch': return z.pcp[0]?.batch ?? 0;
    case 'protection_dma': case 'protection_dma32': case 'protection_normal': case 'protection_movable': case 'protection_device':
      return protection(z)[PROTECTION_FIELDS.indexOf(f)]!;
    case 'blocks_unmovable': case 'blocks_movable': case 'blocks_reclaimable': case 'blocks_highatomic': case 'blocks_cma': case 'blocks_isolate':
      return z.pageblockCounts[f.slice('blocks_'.length) as Migratetype] ?? 0;
    default: { const raw = z[f]; return typeof raw === 'boolean' ? Number(raw) : raw; }
  }
}

/**
 * `expect buddyinfo ZONE ~ N0 N1 … within T|P%`: every order's count within the tolerance of the expected one
 * (one count per order, as the exact form); the failure names the orders that differ.
 */
function buddyinfoWithin(zone: ZoneRef, counts: number[], tol: { abs: number } | { pct: number }, have: number[]): Verdict {
  const tolText = 'abs' in tol ? `${tol.abs}` : `${tol.pct}%`;
  const want = `buddyinfo ${zoneLabel(zone)} ~ ${counts.join(' ')} within ${tolText}`;
  if (!have.length) return { ok: false, message: `expected ${want}, but it is empty` };
  if (have.length !== counts.length) return { ok: false, message: `expected ${want}, but it is ${have.join(' ')} (${have.length} orders, ${counts.length} counts given)` };
  const diffs: string[] = [];
  for (let o = 0; o < counts.length; o++) {
    const w = counts[o]!, h = have[o]!;
    const slack = 'abs' in tol ? tol.abs : (w * tol.pct) / 100;
    if (Math.abs(h - w) > slack) diffs.push(`order ${o}: ${h} (expected ${w}, off by ${h - w > 0 ? '+' : ''}${h - w})`);
  }
  if (!diffs.length) return { ok: true, message: `${want}: holds` };
  return { ok: false, message: `expected ${want}, but it is ${have.join(' ') || 'empty'}; ${diffs.join(', ')}` };
}

export function evaluate(e: Expectation, m: Machine, labelled: Map<string, OpResult>): Verdict {
  const verdict = (ok: boolean, want: string, have: string): Verdict => ({
    ok,
    message: ok ? `${want}: holds` : `expected ${want}, but ${have}`,
  });
  switch (e.what) {
    case 'result': {
      const r = labelled.get(e.name);
      if (!r) return { ok: false, message: `'${e.name}' has not run` };
      let want = e.ok ? 'ok' : `-${e.errno ?? 'E…'}`;
      let ok = e.ok ? r.ok : !r.ok && (e.errno === null || r.errno === e.errno);
      if (e.pfn !== null) {
        want += ` at ${hex(e.pfn)}`;
        ok &&= r.pfn === e.pfn;
      }
      if (e.reason !== null) {
        want += ` reason "${e.reason}"`;
        ok &&= (r.reason ?? '').toLowerCase().includes(e.reason.toLowerCase());
      }
      return verdict(ok, `${e.name} ${want}`, `${e.name} returned ${describe(r)}`);
    }
    case 'migrated': {
      const r = labelled.get(e.name);
      if (!r) return { ok: false, message: `'${e.name}' has not run` };
      const n = r.migrations.filter((x) => x.result === 'ok').length;
      return verdict(compare(n, e.cmp, e.value), `${e.name} migrated ${e.cmp} ${e.value}`, `it migrated ${n}`);
    }
    case 'zone': {
      const z = zoneView(m, e.zone);
      const want = `${zoneLabel(e.zone)}.${e.field} ${e.cmp} ${e.value}`;
      if (!z) return verdict(compare(0, e.cmp, e.value), want, `${zoneLabel(e.zone)} is empty`);
      const v = zoneFieldValue(z, e.field);
      return verdict(compare(v, e.cmp, e.value), want, `it is ${v}`);
    }
    case 'pageblock': {
      const pb = m.pageblock(e.pfn);
      const ok = e.isolated ? pb.isolated : pb.migratetype === e.migratetype && !pb.isolated;
      const have = `pageblock ${hex(e.pfn)} is ${pb.migratetype}${pb.isolated ? ' (isolated)' : ''}`;
      return verdict(ok, `pageblock ${hex(e.pfn)} ${e.isolated ? 'isolated' : e.migratetype}`, have);
    }
    case 'page': {
      const p = m.pageInfo(e.pfn);
      let ok: boolean;
      switch (e.state) {
        case 'free':
        case 'buddy': ok = p.state === 'buddy'; break;
        case 'pcp': ok = p.state === 'pcp'; break;
        case 'allocated': ok = p.state === 'allocated'; break;
        case 'offline': ok = p.state === 'offline' || p.kind === 'offline'; break;
        case 'vmemmap': ok = p.state === 'vmemmap'; break;
        case 'hugetlb': ok = p.state === 'hugetlb_free' || (p.state === 'allocated' && p.kind === null && p.owner?.startsWith('hugetlb') === true); break;
        default: ok = p.kind === e.state;
      }
      const have = `page ${hex(e.pfn)} is ${p.state}${p.kind ? ` (${p.kind})` : ''}`;
      return verdict(ok, `page ${hex(e.pfn)} ${e.state}`, have);
    }
    case 'block': {
      const b = m.blocks().find((x) => x.id === e.block);
      const want = `memory block ${e.block} ${e.state}${e.zone ? ' ' + e.zone : ''}`;
      if (!b) return verdict(e.state === 'absent', want, `there is no memory block ${e.block}`);
      const ok = b.state === e.state && (e.zone === null || b.zone === e.zone);
      return verdict(ok, want, `it is ${b.state}${b.zone ? ' ' + b.zone : ''}`);
    }
    case 'buddyinfo': {
      const z = zoneView(m, e.zone);
      const have = z ? z.buddyinfo : [];
      if (e.tolerance) return buddyinfoWithin(e.zone, e.counts, e.tolerance, have);
      const ok = have.length === e.counts.length && have.every((v, i) => v === e.counts[i]);
      return verdict(ok, `buddyinfo ${zoneLabel(e.zone)} ${e.counts.join(' ')}`, `it is ${have.join(' ') || 'empty'}`);
    }
    case 'valid_zones': {
      // valid_zones_show() (drivers/base/memory.c): the text without its newline; a block that does not exist has no file
      const b = m.blocks().find((x) => x.id === e.block && x.state !== 'absent');
      const want = `memory block ${e.block} valid_zones "${e.text}"`;
      if (!b) return verdict(false, want, `there is no memory block ${e.block}`);
      const text = b.valid_zones.join(' ');
      return verdict(text === e.text, want, `it is "${text}" (${b.state})`);
    }
    case 'vmstat': {
      const v = m.c.vm[e.counter];
      return verdict(compare(v, e.cmp, e.value), `vmstat ${e.counter} ${e.cmp} ${e.value}`, `it is ${v}`);
    }
    case 'freelist': {
      const z = zoneView(m, e.zone);
      const n = z ? (z.freeCounts[MIGRATETYPE_NAMES.indexOf(e.migratetype)]?.[e.order] ?? 0) : 0;
      return verdict(
        compare(n, e.cmp, e.value),
        `free_area[${e.order}].free_list[${e.migratetype}] of ${zoneLabel(e.zone)} ${e.cmp} ${e.value}`,
        `it holds ${n}`,
      );
    }
    case 'kpageflags': {
      // /proc/kpageflags over the range, counted as the oracle harness's pfnscan counts it (fs/proc/page.c stable_page_flags)
      const want = `kpageflags ${hex(e.start)}..${hex(e.end)} ${e.flag} ${e.cmp} ${e.value}`;
      const r = countKpageflags(m.c, e.start, e.end, e.flag, m.spec.sectionPages);
      if ('unknown' in r) return { ok: false, message: `expected ${want}, but the simulator cannot count it: not modelled: ${r.unknown}` };
      return verdict(compare(r.count, e.cmp, e.value), want, `it is ${r.count}`);
    }
    case 'hugetlb': {
      const pool = m.hugetlbPool(e.pages);
      const v = e.field === 'surplus' ? m.hugetlbSurplus(e.pages) : pool[e.field];
      const size = e.pages * 4 >= 1024 * 1024 ? `${(e.pages * 4) / (1024 * 1024)}G` : `${(e.pages * 4) / 1024}M`;
      return verdict(compare(v, e.cmp, e.value), `hugetlb ${size} ${e.field} ${e.cmp} ${e.value}`, `it is ${v}`);
    }
  }
}
