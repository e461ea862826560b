// The kernel's own text formats (mm/vmstat.c, drivers/base/memory.c), so results can be diffed against a
// real machine: /proc/buddyinfo, /proc/pagetypeinfo, the /proc/zoneinfo subset, memory block sysfs.
import type { Machine } from './machine.js';
import { MIGRATE_TYPES } from './consts.js';
import { vmstatText } from './vmstat.js';
import { ZONE_NAMES, MIGRATETYPE_PROC_NAMES, PAGE_SIZE } from '../shared/format.js';

const pad = (s: string | number, w: number): string => String(s).padStart(w);
const padR = (s: string, w: number): string => s.padEnd(w);

/** frag_show_print: "Node %d, zone %8s " + "%6lu " per order */
export function buddyinfo(m: Machine): string {
  let out = '';
  for (const z of m.c.zones) {
    if (!z.populated) continue;
    out += `Node ${z.nid}, zone ${pad(z.name, 8)} ` + z.nrFree.map((n) => pad(n, 6) + ' ').join('') + '\n';
  }
  return out;
}

/** pagetypeinfo_show: per node with memory; free counts capped at 100000 with a '>' prefix */
export function pagetypeinfo(m: Machine): string {
  const c = m.c;
  let out = '';
  // without CONFIG_CMA there is no MIGRATE_CMA: no CMA rows and no CMA column (include/linux/mmzone.h)
  const mts = [...Array(MIGRATE_TYPES).keys()].filter((mt) => m.spec.configCma !== false || MIGRATETYPE_PROC_NAMES[mt] !== 'CMA');
  for (let nid = 0; nid < c.nrNodes; nid++) {
    const zones = c.zones.filter((z) => z.nid === nid && z.populated);
    if (!zones.length) continue;
    out += `Page block order: ${c.pbo}\n`;
    out += `Pages per block:  ${c.pbPages}\n\n`;
    out += padR('Free pages count per migrate type at order', 43) + ' ';
    for (let o = 0; o <= c.maxOrder; o++) out += pad(o, 6) + ' ';
    out += '\n';
    for (const z of zones) {
      for (const mt of mts) {
        out += `Node ${pad(nid, 4)}, zone ${pad(z.name, 8)}, type ${pad(MIGRATETYPE_PROC_NAMES[mt], 12)} `;
        for (let o = 0; o <= c.maxOrder; o++) {
          const n = z.cnt[o * MIGRATE_TYPES + mt];
          out += n >= 100000 ? '>' + pad(100000, 6) + ' ' : pad(n, 6) + ' ';
        }
        out += '\n';
      }
    }
    out += '\n' + padR('Number of blocks type ', 23);
    for (const mt of mts) out += pad(MIGRATETYPE_PROC_NAMES[mt], 12) + ' ';
    out += '\n';
    for (const v of m.zones().filter((x) => x.nid === nid)) {
      out += `Node ${nid}, zone ${pad(v.zone, 8)} `;
      const counts = Object.values(v.pageblockCounts);
      for (const mt of mts) out += pad(counts[mt]!, 12) + ' ';
      out += '\n';
    }
  }
  return out;
}

/** zoneinfo_show_print, the subset the simulator knows (every zone of every node; unpopulated ones stop at protection) */
export function zoneinfo(m: Machine): string {
  const c = m.c;
  let out = '';
  for (let nid = 0; nid < c.nrNodes; nid++) {
    if (!c.zones.some((z) => z.nid === nid && z.populated)) continue;
    for (let zid = 0; zid < ZONE_NAMES.length; zid++) {
      const z = c.zone(nid, zid);
      out += `Node ${nid}, zone ${pad(z.name, 8)}`;
      out += `\n  pages free     ${z.free}`;
      out += `\n        boost    ${z.boost}`;
      out += `\n        min      ${z.wmMin}`;
      out += `\n        low      ${z.wmLow}`;
      out += `\n        high     ${z.wmHigh}`;
      out += `\n        promo    ${z.wmPromo}`;
      out += `\n        spanned  ${z.spanned}`;
      out += `\n        present  ${z.present}`;
      out += `\n        managed  ${z.managed}`;
      out += `\n        cma      ${z.cmaPages}`;
      out += `\n        protection: (${[...z.lowmemReserve, zid < 3 ? z.lowmemReserve[3] : 0].join(', ')})`;
      if (!z.populated) { out += '\n'; continue; }
      out += `\n      ${padR('nr_free_pages', 12)} ${z.free}`;
      out += `\n      ${padR('nr_free_cma', 12)} ${z.freeCma}`;
      out += '\n  pagesets';
      z.pcp.forEach((p, cpu) => {
        out += `\n    cpu: ${cpu}\n              count: ${p.count}\n              high:  ${p.high}\n              batch: ${p.batch}`;
      });
      out += `\n  node_unreclaimable:  0\n  start_pfn:           ${z.start}\n`;
    }
  }
  return out;
}

/** /proc/vmstat (vmstat_show: `name value`), only the event counters the simulator counts (src/sim/vmstat.ts) */
export function vmstat(m: Machine): string {
  return vmstatText(m.c.vm);
}

/** /sys/devices/system/memory as `grep . FILES` prints it (block_size_bytes, phys_index, state, valid_zones, node) */
export function memoryBlocks(m: Machine): string {
  const dir = '/sys/devices/system/memory';
  let out = `${dir}/block_size_bytes:${(m.spec.memoryBlockPages * PAGE_SIZE).toString(16)}\n`;
  for (const b of m.blocks()) {
    if (b.state === 'absent') continue;
    const d = `${dir}/memory${b.id}`;
    out += `${d}/phys_index:${b.id.toString(16).padStart(8, '0')}\n`;
    out += `${d}/state:${b.state}\n`;
    out += `${d}/valid_zones:${b.valid_zones.join(' ')}\n`;
    if (b.nid !== null) out += `${d}/node${b.nid} -> ../../node/node${b.nid}\n`;
  }
  return out;
}
