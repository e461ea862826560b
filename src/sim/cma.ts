// CMA (mm/cma.c): areas (bitmap with order_per_bit, available_count), cma_alloc retrying at the next aligned
// position after -EBUSY, cma_release. Activation at boot is in boot.ts (cma_activate_area).
import type { Core, CmaAreaState } from './core.js';
import { allocContigRange } from './contig.js';
import { GFP_KERNEL, __GFP_NOWARN } from './gfp.js';
import { freeNow } from './free.js';
import { pushAll } from './arrays.js';
import { hex } from '../shared/format.js';
import { opErr, type Verdict, type OpOutcome } from './api.js';
import { pow2 } from './pfn.js';

export class CmaArea implements CmaAreaState {
  bitmap: Uint8Array;
  available: number;
  zone = -1;
  failed = false;
  constructor(public name: string, public start: number, public end: number, public orderPerBit: number) {
    this.bitmap = new Uint8Array(Math.ceil((end - start) / pow2(orderPerBit)));
    this.available = end - start;
  }
}

/** bitmap_find_next_zero_area_off() */
function findNextZeroAreaOff(map: Uint8Array, size: number, start: number, nr: number, mask: number, offset: number): number {
  for (;;) {
    let index = start;
    while (index < size && map[index]) index++;
    index = ((index + offset + mask) & ~mask) - offset;
    if (index < start) index += mask + 1;
    const end = index + nr;
    if (end > size) return end;
    let i = index;
    while (i < end && !map[i]) i++;
    if (i < end) { start = i + 1; continue; }
    return index;
  }
}

/** cma_alloc(cma, count, align): yields the phases of every alloc_contig_range attempt */
export function* cmaAlloc(c: Core, a: CmaAreaState, count: number, align: number, cpu: number, owner: string | null): Generator<string, OpOutcome, void> {
  const opb = a.orderPerBit;
  const none = (errno: 'ENOMEM' | 'EINVAL' | 'EBUSY', pfn: number | null, reason: string): OpOutcome => opErr(errno, reason, pfn);
  if (count <= 0) return none('EINVAL', null, 'cma_alloc of 0 pages');
  const mask = align > opb ? pow2(align - opb) - 1 : 0;
  const offset = Math.floor((a.start % pow2(align)) / pow2(opb));
  const maxno = a.bitmap.length;
  const nbits = Math.ceil(count / pow2(opb));
  let start = 0;
  let attempts = 0;
  let last: OpOutcome | null = null;
  const migrations: OpOutcome['migrations'] = [];
  for (;;) {
    if (count > a.available) break;
    const bitno = findNextZeroAreaOff(a.bitmap, maxno, start, nbits, mask, offset);
    if (bitno >= maxno || bitno + nbits > maxno) break;
    a.bitmap.fill(1, bitno, bitno + nbits);
    a.available -= count;
    const pfn = a.start + bitno * pow2(opb);
    attempts++;
    const r = yield* allocContigRange(c, pfn, pfn + count, { cma: true, gfp: GFP_KERNEL | __GFP_NOWARN, cpu, owner });
    pushAll(migrations, r.migrations);
    if (r.ok) return { ...r, migrations };
    a.bitmap.fill(0, bitno, bitno + nbits);
    a.available += count;
    last = r;
    if (r.errno !== 'EBUSY') return { ...r, migrations };
    c.note(`cma_alloc ${a.name}: -EBUSY at ${hex(pfn)} (${r.reason}), trying the next position`);
    start = bitno + mask + 1;
  }
  if (last) return { ok: false, errno: last.errno, pfn: last.pfn, reason: `cma_alloc ${a.name}: no range of ${count} pages could be allocated after ${attempts} attempt(s); last: ${last.reason}`, allocated: [], migrations };
  return { ...none('ENOMEM', null, `cma_alloc ${a.name}: no free ${count}-page area aligned to order ${align} in the bitmap (available ${a.available})`), migrations };
}

/** cma_release(): free_contig_range and clear the bitmap */
export function cmaRelease(c: Core, pfn: number, pages: number, cpu: number): Verdict {
  const a = c.cma.find((x) => pfn >= x.start && pfn + pages <= x.end);
  if (!a) return { ok: false, pfn, reason: `${hex(pfn)}+${pages} is not inside a CMA area` };
  const b0 = Math.floor((pfn - a.start) / pow2(a.orderPerBit));
  const nb = Math.ceil(pages / pow2(a.orderPerBit));
  for (let i = b0; i < b0 + nb; i++) if (!a.bitmap[i]) return { ok: false, pfn, reason: `${hex(pfn)} was not allocated from ${a.name}` };
  freeNow(c, pfn, pages, cpu);
  a.bitmap.fill(0, b0, b0 + nb);
  a.available += pages;
  return { ok: true, pfn: null, reason: null };
}
