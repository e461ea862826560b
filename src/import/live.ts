// Verifying a prediction on this machine (`mmscn verify --live`, mmscn: Verify Prediction on This Machine): import
// this machine, predict OPERATION in the simulator, perform it on the machine, measure it, restore the machine.
// The machine is reached only through `MachineFiles` (so the tests run against a fake machine); comparison and
// text are src/import/verify.ts, the command line src/cli/verify.ts.
import { accessSync, constants, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { attachKpageflags, readLive } from './fs.js';
import { CaptureDir } from './captureFs.js';
import { ImportError, parseBuddyinfo } from './parse.js';
import type { Snapshot } from './generate.js';
import { HugeHeadScanner } from './kpageflags.js';
import { KPF_CHUNK_BYTES, MAX_PROC_FILE_BYTES } from './limits.js';
import {
  HUGE, caveats, compare, opText, placement, predict, vmstatDelta, parseVmstat, zoneSpans,
  type Side, type VerifyOp, type VerifyReport, type ZoneSpan,
} from './verify.js';

/** what verify needs of a machine: a few files, read and written, and the capture the import makes */
export interface MachineFiles {
  /** a whole (small) file; throws when it cannot be read */
  read(path: string): string;
  /** writes the file (one write(2) of `text`); throws when the kernel refuses */
  write(path: string, text: string): void;
  exists(path: string): boolean;
  writable(path: string): boolean;
  /** names in a directory ([] when absent) */
  list(dir: string): string[];
  /** /proc/kpageflags words of pfns [start, end), in ascending chunks; false when not readable */
  kpageflags(start: number, end: number, on: (buf: Uint8Array, firstPfn: number) => void): boolean;
  /** what `mmscn import --live` reads (readLive + /proc/kpageflags) */
  capture(): Snapshot;
  /** milliseconds, monotonic */
  now(): number;
  /** runs `restore` if the process is interrupted (SIGINT, SIGTERM, SIGHUP) before the returned function is called */
  onInterrupt(restore: () => void): () => void;
  /** "this machine (host)" and its kernel release, for the report */
  source(): { name: string; release: string | null };
}

/** this machine */
export function liveMachine(): MachineFiles {
  return {
    read: (p) => new CaptureDir('/', false).file(p.replace(/^\//, ''), MAX_PROC_FILE_BYTES, true)!,
    write: (p, t) => writeFileSync(p, t),
    exists: (p) => existsSync(p),
    writable: (p) => { try { accessSync(p, constants.W_OK); return true; } catch { return false; } },
    list: (d) => { try { return readdirSync(d); } catch { return []; } },
    kpageflags: (s, e, on) => {
      try {
        return new CaptureDir('/', false).chunks('proc/kpageflags', s * 8, e * 8, KPF_CHUNK_BYTES, (b, off) => on(b, off / 8)) !== null;
      } catch (err) {
        if (err instanceof ImportError && /EACCES|EPERM/.test(err.message)) return false;
        throw err;
      }
    },
    capture: () => { const s = readLive(); attachKpageflags(s, '/', true); return s; },
    now: () => performance.now(),
    onInterrupt: (restore) => {
      // the operation runs synchronously: a signal waits (instead of killing the process between the grow and the
      // shrink) and, should it still be handled here, the machine is restored before exiting
      const h = (sig: NodeJS.Signals) => { restore(); process.exit(sig === 'SIGINT' ? 130 : 143); };
      const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
      for (const s of sigs) process.on(s, h);
      return () => { for (const s of sigs) process.off(s, h); };
    },
    source: () => ({ name: `this machine (${hostname()})`, release: release() }),
  };
}

export class VerifyError extends Error {}

const hugeDir = (kB: number) => `/sys/kernel/mm/hugepages/hugepages-${kB}kB`;
const COMPACT = '/proc/sys/vm/compact_memory';

/** why verify cannot run OPERATION on this machine, or null */
export function cannotVerify(op: VerifyOp, m: MachineFiles): string | null {
  const f = op.kind === 'compact' ? COMPACT : `${hugeDir(HUGE[op.size].kB)}/nr_hugepages`;
  if (!m.exists(f)) return op.kind === 'compact' ? `${f} does not exist (a kernel without CONFIG_COMPACTION)` : `${f} does not exist (this kernel has no ${op.size} huge pages)`;
  if (!m.writable(f)) return `${f} is not writable (verify changes the machine: run it as root)`;
  return null;
}

function hugeHeads(m: MachineFiles, spans: ZoneSpan[], pages: number): { pfn: number; pages: number }[] | null {
  const sc = new HugeHeadScanner();
  for (const s of [...spans].sort((a, b) => a.start - b.start)) if (!m.kpageflags(s.start, s.end, (b, p) => sc.add(b, p))) return null;
  return sc.heads.filter((h) => h.pages === pages);
}

function perNode(m: MachineFiles, kB: number): { nid: number; folios: number }[] {
  const out: { nid: number; folios: number }[] = [];
  for (const n of m.list('/sys/devices/system/node')) {
    const x = /^node(\d+)$/.exec(n);
    if (!x) continue;
    const f = `/sys/devices/system/node/${n}/hugepages/hugepages-${kB}kB/nr_hugepages`;
    if (m.exists(f)) out.push({ nid: Number(x[1]), folios: Number(m.read(f).trim()) });
  }
  return out.sort((a, b) => a.nid - b.nid);
}

const free = (m: MachineFiles) => parseBuddyinfo(m.read('/proc/buddyinfo'), '/proc/buddyinfo');

/**
 * Captures, predicts, performs, measures, restores. The hugetlb pool is written back to its size before the grow
 * whatever happens after the grow (an error, an interrupt); the report says whether the kernel gave it back.
 */
export function verify(op: VerifyOp, m: MachineFiles): VerifyReport {
  const why = cannotVerify(op, m);
  if (why) throw new VerifyError(why);
  const snap = m.capture();
  const tCapture = m.now();
  const spans = zoneSpans(snap).filter((s) => ['DMA', 'DMA32', 'Normal', 'Movable'].includes(s.zone));
  const predicted = predict(snap, op, () => m.now());
  const src = m.source();
  const kernel: Side = { free: [], migrated: null, counters: {}, ms: 0, notes: [] };
  let restore: VerifyReport['restore'] = null;
  const vm0 = parseVmstat(m.read('/proc/vmstat'));
  const fb = free(m);
  const tOp = m.now();
  // right after the operation (hugetlb: before the shrink): the counters and the free lists
  const measure = () => {
    const vm1 = parseVmstat(m.read('/proc/vmstat'));
    const fa = free(m);
    kernel.counters = vmstatDelta(vm0, vm1);
    kernel.migrated = kernel.counters.pgmigrate_success ?? null;
    kernel.free = fb.map((b) => ({ nid: b.nid, zone: b.zone, before: b.counts, after: fa.find((x) => x.nid === b.nid && x.zone === b.zone)?.counts ?? b.counts }));
  };
  if (op.kind === 'compact') {
    const t = m.now();
    m.write(COMPACT, '1');
    kernel.ms = m.now() - t;
    measure();
  } else {
    const { pages, kB } = HUGE[op.size];
    const nr = `${hugeDir(kB)}/nr_hugepages`;
    const heads0 = hugeHeads(m, spans, pages);
    const before = Number(m.read(nr).trim());
    const nodes0 = perNode(m, kB);
    if (!Number.isInteger(before) || before < 0) throw new VerifyError(`${nr}: not a count: \`${m.read(nr).trim().slice(0, 30)}\``);
    let restored = false;
    const back = () => { if (!restored) { restored = true; m.write(nr, String(before)); } };
    const off = m.onInterrupt(back);
    try {
      const t = m.now();
      m.write(nr, String(before + op.n));
      kernel.ms = m.now() - t;
      measure();
      const after = Number(m.read(nr).trim());
      kernel.pool = { before, after, requested: op.n };
      // per node: what the grow added to each node's pool
      kernel.perNode = perNode(m, kB).map((x) => ({ nid: x.nid, folios: x.folios - (nodes0.find((y) => y.nid === x.nid)?.folios ?? 0) }));
      const heads1 = hugeHeads(m, spans, pages);
      if (heads0 && heads1) {
        const old = new Set(heads0.map((h) => h.pfn));
        kernel.placement = placement(heads1.filter((h) => !old.has(h.pfn)), spans);
      } else {
        kernel.placement = null;
        kernel.notes.push('/proc/kpageflags is not readable: where the kernel put the pages is not known');
      }
      if (after < before + op.n) kernel.notes.push(`nr_hugepages is ${after}, not ${before + op.n}: the kernel found fewer huge pages than asked`);
    } finally {
      let text: string;
      let done = false;
      try {
        back();
        const now = Number(m.read(nr).trim());
        done = now === before;
        text = done ? `nr_hugepages ${op.size} back to ${before}` : `nr_hugepages ${op.size} is ${now}, not ${before}: the kernel could not free every page (in use?); write ${before} to ${nr} again later`;
      } catch (e) {
        text = `could not write ${before} back to ${nr}: ${(e as Error).message}; do it by hand`;
      }
      off();
      restore = { done, text };
    }
  }
  return finish(op, snap, predicted, kernel, restore, fb, tCapture, tOp, src);
}

function finish(op: VerifyOp, snap: Snapshot, predicted: ReturnType<typeof predict>, kernel: Side, restore: VerifyReport['restore'], fb: ReturnType<typeof free>, tCapture: number, tOp: number, src: { name: string; release: string | null }): VerifyReport {
  const drift = (snap.buddyinfo ?? []).map((b) => ({
    nid: b.nid, zone: b.zone,
    atCapture: b.counts.reduce((t, n, o) => t + n * 2 ** o, 0),
    beforeOperation: (fb.find((x) => x.nid === b.nid && x.zone === b.zone)?.counts ?? []).reduce((t, n, o) => t + n * 2 ** o, 0),
  }));
  const r: VerifyReport = {
    operation: opText(op), source: src.name, kernelRelease: src.release, captureToOperationMs: tOp - tCapture, drift,
    predicted, kernel, restore, agreement: compare(op, predicted, kernel), caveats: [],
  };
  r.caveats = caveats(op, r, predicted.importNotes);
  return r;
}

