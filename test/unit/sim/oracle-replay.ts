// Replays an oracle recording (test/fixtures/oracle/*.json, made with the harness of /work/shared/oracle) on the
// simulator: each recorded write to a memory block's `state` is one operation; after each, the errno, the block's
// state and valid_zones, and (at the recorded snapshots) every zone's start/end/spanned/present/managed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runText, resultOf } from './helpers.js';
import type { RunOutcome } from '../../../src/sim/runner.js';

export interface OBlock { state: string; valid_zones: string[] }
export interface OZone { start_pfn: number; end_pfn: number; spanned: number; present: number; managed: number; free: number; node: number }
export interface OAction { block: number; value: string; rc: number; err: string; kmsg: string[]; state_after: string | null; valid_zones_after: string[] | null }
export interface OSnap { zoneinfo?: Record<string, OZone>; blocks?: { blocks: Record<string, OBlock> } }
export interface Recording { snapshots: Record<string, OSnap>; snapshot_order: string[]; block_actions: OAction[]; boot: { dmesg: string[] } }

/** a one-node, one-CPU Debian 6.12 qemu guest with 128 MiB memory blocks: `lines` (zones, holes, reservations) and
 *  the caller's `nodeLines` inside node 0 */
function qemuGuest(lines: string[], nodeLines: string): string {
  const body = [...lines, ...(nodeLines ? [nodeLines] : [])].map((l) => `    ${l}\n`).join('');
  return `kernel 6.12\nmachine {\n  memory_block_size 128M\n  cpus 1\n  node 0 {\n${body}  }\n}\n`;
}

/** The 1 GiB guest of the pressure recordings (qemu -m 1G: DMA and DMA32 only), with `nodeLines` inside node 0. */
export function guest1G(nodeLines = ''): string {
  return qemuGuest(['zone DMA    0x1..0x1000', 'zone DMA32  0x1000..0x3ffe0'], nodeLines);
}

const hex = (n: number): string => '0x' + n.toString(16);
/**
 * The 4 GiB qemu pc machine of f-pci-hole, h-reserved-scan and h-gigantic-pool (Debian 6.12.117, 1 CPU): 3 GiB below
 * the 3–4 GiB PCI hole and 1 GiB at 4 GiB (e820: usable 0x100000-0xbffdffff and 0x100000000-0x13fffffff), with
 * `nodeLines` inside node 0. Managed as the kernel's: DMA 3840 (the low 1 MiB), DMA32 756365 (the kernel image and
 * early allocations from 16 MiB, the 16384-page swiotlb buffer at 0xbbfe0..0xbffe0 — memblock top-down under the
 * hole, where h-reserved-scan's /proc/kpageflags has it), Normal 243400 (18744 memblock pages at the top of 4-5 GiB).
 */
export const PC4G_SWIOTLB = 0xbffe0 - 16384;
export function pc4G(nodeLines = ''): string {
  return qemuGuest([
    'zone DMA    0x1..0x1000',
    'zone DMA32  0x1000..0x100000',
    'zone Normal 0x100000..0x140000',
    'hole 0x9f..0x100',
    'hole 0xbffe0..0x100000',
    'reserved 0x1..0x9f',
    `reserved 0x1000..${hex(0x1000 + (782304 - 756365 - 16384))}`,
    `reserved ${hex(PC4G_SWIOTLB)}..0xbffe0`,
    `reserved ${hex(0x140000 - (262144 - 243400))}..0x140000`,
  ], nodeLines);
}

export function loadRecording(name: string): Recording {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/oracle', `${name}.json`), 'utf8')) as Recording;
}

/** the errno a failed sysfs write printed ("sh: write error: Invalid argument"), 'ok' for rc 0 */
export function errnoOf(a: OAction): string {
  if (a.rc === 0) return 'ok';
  // 128 + SIGTERM: the case script signalled a write that did not return (offline_pages loops until
  // signal_pending() → -EINTR; the shell died of the signal before it could print the error)
  if (a.rc === 143) return 'EINTR';
  if (/Invalid argument/.test(a.err)) return 'EINVAL';
  if (/Device or resource busy/.test(a.err)) return 'EBUSY';
  if (/Interrupted/.test(a.err)) return 'EINTR';
  if (/nonexistent directory|No such file/.test(a.err)) return 'ENOENT';
  throw new Error(`unknown error text: ${a.err}`);
}
/** the pfn of the page the kernel dumped ("page dumped because: unmovable page") */
export function dumpedPfn(a: OAction): number | null {
  const m = a.kmsg.map((l) => /pfn:0x([0-9a-f]+)/.exec(l)).find((x) => x);
  return m ? parseInt(m[1]!, 16) : null;
}

/** the zone key of a recording ("Normal", "Normal@1") for a simulator zone */
const key = (nid: number, zone: string) => (nid === 0 ? zone : `${zone}@${nid}`);

/** zones with memory as [start_pfn, end_pfn, spanned, present, managed]: the simulator's and the recording's */
export function spans(out: RunOutcome, rec: Record<string, OZone>): { got: Record<string, number[]>; want: Record<string, number[]> } {
  const got: Record<string, number[]> = {};
  const want: Record<string, number[]> = {};
  for (const [k, z] of Object.entries(rec)) if (z.spanned !== 0) want[k] = [z.start_pfn, z.end_pfn, z.spanned, z.present, z.managed];
  for (const v of out.machine.zones()) if (v.spanned !== 0) got[key(v.nid, v.zone)] = [v.start_pfn, v.end_pfn, v.spanned, v.present, v.managed];
  return { got, want };
}

/** every block of the machine as "id:state:valid_zones" (absent blocks left out) */
export function blockText(out: RunOutcome): string {
  return out.machine.blocks().filter((b) => b.state !== 'absent').map((b) => `${b.id}:${b.state}:${b.valid_zones.join(',')}`).join(' ');
}
export function recordedBlockText(s: OSnap): string {
  return Object.entries(s.blocks!.blocks).map(([n, b]) => `${n.replace('memory', '')}:${b.state}:${b.valid_zones.join(',')}`)
    .sort((a, b) => parseInt(a) - parseInt(b)).join(' ');
}

/**
 * Runs `machine` followed by one `online block N TYPE` / `offline block N` per recorded action; `snapAfter[i]` names
 * the snapshot taken after action i. Checks every action's outcome and every named snapshot.
 */
export function replay(rec: Recording, machine: string, snapAfter: Record<number, string>, o: { before?: string; insert?: Record<number, string> } = {}): void {
  const before = o.before ?? 'before';
  const ops = rec.block_actions.map((a, i) => (o.insert?.[i] ? o.insert[i] + '\n' : '') +
    (a.value === 'offline' ? `offline block ${a.block} as a${i}` : `online block ${a.block} ${a.value} as a${i}`));
  const at = (n: number) => runText(machine + ops.slice(0, n).join('\n') + '\n');
  const b0 = at(0);
  assert.deepEqual(spans(b0, rec.snapshots[before]!.zoneinfo!).got, spans(b0, rec.snapshots[before]!.zoneinfo!).want, `zones at ${before}`);
  if (rec.snapshots[before]!.blocks) assert.equal(blockText(b0), recordedBlockText(rec.snapshots[before]!), `blocks at ${before}`);
  const all = at(ops.length);
  rec.block_actions.forEach((a, i) => {
    const r = resultOf(all, `a${i}`);
    const what = `action ${i}: ${a.value} > memory${a.block}`;
    assert.equal(r.ok ? 'ok' : r.errno, errnoOf(a), `${what}: ${r.reason ?? ''}`);
    const dumped = dumpedPfn(a);
    if (dumped !== null && /unmovable page/.test(a.kmsg.join('\n'))) assert.equal(r.pfn, dumped, `${what}: the page the kernel dumped`);
  });
  for (const [i, label] of Object.entries(snapAfter)) {
    const out = at(Number(i) + 1);
    const s = rec.snapshots[label]!;
    const sp = spans(out, s.zoneinfo!);
    assert.deepEqual(sp.got, sp.want, `zones at ${label}`);
    if (s.blocks) assert.equal(blockText(out), recordedBlockText(s), `blocks at ${label}`);
  }
}
