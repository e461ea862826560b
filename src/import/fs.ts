// Reading a real machine for import: this machine's /proc and /sys (live) or a saved capture directory, through
// CaptureDir (regular files inside the root only, size limits). Used by `mmscn import` and mmscn: Import This Machine.
import { closeSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { cpus as osCpus, hostname, release } from 'node:os';
import { dirname, join } from 'node:path';
import { ImportError, parseBuddyinfo, parseCpuList, parseIomem, parseMemoryBlocks, parsePagetypeinfo, parseZoneinfo, type SysfsBlockFiles } from './parse.js';
import { ZONE_NAMES } from '../shared/format.js';
import { KPF_CHUNK_BYTES, KPF_MAX_RUNS, LIVE_MAX_MS, LIVE_MAX_TRIES, MAX_MEMORY_BLOCKS, MAX_NUMNODES, MAX_PROC_FILE_BYTES, MAX_SYSFS_FILE_BYTES } from './limits.js';
import { CaptureDir } from './captureFs.js';
import type { Snapshot } from './generate.js';
import { validateSnapshot, orders } from './validate.js';
import { KpfSummariser } from './kpageflags.js';

/** the free lists of buddyinfo, pagetypeinfo and zoneinfo agree (a live machine changes between reads) */
export function consistent(s: Snapshot): boolean {
  if (!s.buddyinfo) return true;
  for (const b of s.buddyinfo) {
    const rows = s.pagetypeinfo?.free.filter((r) => r.nid === b.nid && r.zone === b.zone) ?? [];
    if (rows.length && b.counts.some((n, o) => rows.reduce((t, r) => t + r.counts[o]!, 0) !== n && !rows.some((r) => r.capped[o]))) return false;
    // "pages free" is a vmstat counter: each cpu may hold up to its `vm stats threshold` not yet folded in
    // (mm/vmstat.c: __mod_zone_page_state), so it agrees with the free lists only within that drift
    const z = s.zoneinfo.find((x) => x.nid === b.nid && x.zone === b.zone);
    if (z && Math.abs(z.free - b.counts.reduce((t, n, o) => t + n * 2 ** o, 0)) > (z.statThresholdSum ?? 0)) return false;
  }
  return true;
}

/**
 * --live: read until buddyinfo, pagetypeinfo and zoneinfo agree, at most `tries` reads and about `ms` milliseconds
 * (a busy machine's free lists change between reads). When they never agree, the last read is imported and a note
 * says so (the scenario's header and the summary list the differences).
 */
export function readLive(read: () => Snapshot = () => readSnapshot('/', true), o: { tries?: number; ms?: number; now?: () => number } = {}): Snapshot {
  const tries = o.tries ?? LIVE_MAX_TRIES, ms = o.ms ?? LIVE_MAX_MS, now = o.now ?? Date.now;
  const t0 = now();
  let s = read();
  let n = 1;
  while (!consistent(s) && n < tries && now() - t0 < ms) { s = read(); n++; }
  if (!consistent(s)) {
    s.readNotes = [...(s.readNotes ?? []), `buddyinfo, pagetypeinfo and zoneinfo still disagreed after ${n} reads in ${now() - t0} ms (the free lists kept changing): the last read is imported`];
  }
  return s;
}

/** marks a memoryN/nodeM link in Snapshot.raw (only its name is read) */
const NODE_LINK = '\0node-link';

/** writes the files a snapshot was read from under dir (the layout --from reads); node links as links */
export function saveSnapshot(s: Snapshot, dir: string): void {
  for (const [rel, text] of s.raw ?? []) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (text === NODE_LINK) symlinkSync(`../../node/${rel.slice(rel.lastIndexOf('/') + 1)}`, p);
    else writeFileSync(p, text);
  }
}

/** reads a capture directory (--from DIR) or this machine (live: `/`); throws ImportError naming the file */
export function readSnapshot(root: string, live: boolean): Snapshot {
  const cap0 = new CaptureDir(root, !live);
  // every text read, by path relative to root: `--save DIR` writes exactly the snapshot that was imported
  const raw = new Map<string, string>();
  const cap = {
    file: (rel: string, max: number, required = false) => { const t = cap0.file(rel, max, required); if (t !== null) raw.set(rel, t); return t; },
    path: (rel: string) => cap0.path(rel), names: (rel: string, max: number) => cap0.names(rel, max), isDir: (rel: string) => cap0.isDir(rel),
  };
  const proc = (rel: string, required: boolean) => cap.file(rel, MAX_PROC_FILE_BYTES, required);
  const zoneinfo = parseZoneinfo(proc('proc/zoneinfo', true)!, cap.path('proc/zoneinfo'));
  const buddyinfo = parseBuddyinfo(proc('proc/buddyinfo', true)!, cap.path('proc/buddyinfo'));
  const ptText = proc('proc/pagetypeinfo', false);
  const pagetypeinfo = ptText === null ? null : parsePagetypeinfo(ptText, cap.path('proc/pagetypeinfo'));
  const io = proc('proc/iomem', false);
  const iomem = io === null ? null : parseIomem(io, cap.path('proc/iomem'));
  const memRel = 'sys/devices/system/memory';
  const memDir = cap.path(memRel);
  let memory: Snapshot['memory'] = null;
  const bs = cap.file(`${memRel}/block_size_bytes`, MAX_SYSFS_FILE_BYTES);
  if (bs !== null) {
    const dirs: SysfsBlockFiles[] = [];
    for (const name of cap.names(memRel, MAX_MEMORY_BLOCKS + 256)) {
      if (!/^memory\d+$/.test(name)) continue;
      if (dirs.length >= MAX_MEMORY_BLOCKS) throw new ImportError(memDir, 1, `more than ${MAX_MEMORY_BLOCKS} memory blocks: too many to import`);
      const rel = `${memRel}/${name}`;
      if (!cap.isDir(rel)) continue;
      const dir = join(memDir, name);
      const rd = (f: string) => cap.file(`${rel}/${f}`, MAX_SYSFS_FILE_BYTES) ?? undefined;
      const nodes: number[] = [];
      // node links are only named (memoryN/nodeM → the node's directory): never followed
      for (const e of cap.names(rel, 256)) {
        const m = /^node(\d{1,4})$/.exec(e);
        if (m && Number(m[1]) < MAX_NUMNODES) { nodes.push(Number(m[1])); raw.set(`${rel}/${e}`, NODE_LINK); }
      }
      const state = rd('state');
      if (state === undefined) throw new ImportError(join(dir, 'state'), 1, 'cannot read: no such file');
      dirs.push({ name, dir, state, phys_index: rd('phys_index'), valid_zones: rd('valid_zones'), nodes });
    }
    memory = parseMemoryBlocks(bs, join(memDir, 'block_size_bytes'), dirs);
  }
  // MGLRU: mm/vmscan.c enabled_show() prints the LRU_GEN_* capability bits as 0x%04x; LRU_GEN_CORE (bit 0) is on
  const lruGenRel = 'sys/kernel/mm/lru_gen/enabled';
  const lruGenText = cap.file(lruGenRel, MAX_SYSFS_FILE_BYTES);
  let lruGen: boolean | undefined;
  if (lruGenText !== null) {
    const m = /^\s*0x([0-9a-f]{1,8})\s*$/i.exec(lruGenText);
    if (!m) throw new ImportError(cap.path(lruGenRel), 1, `expected the LRU_GEN capability bits as 0x%04x, found ${JSON.stringify(lruGenText.trim().slice(0, 40))}`);
    lruGen = (parseInt(m[1]!, 16) & 1) !== 0;
  }
  const cpuText = cap.file('sys/devices/system/cpu/online', MAX_SYSFS_FILE_BYTES);
  const cpus = cpuText !== null ? parseCpuList(cpuText, cap.path('sys/devices/system/cpu/online')) : live ? osCpus().length : 1;
  return {
    source: live ? `this machine (${hostname()})` : root,
    date: new Date().toISOString().slice(0, 10),
    buddyinfo, pagetypeinfo, zoneinfo, memory, iomem, cpus,
    ...(lruGen !== undefined ? { lruGen } : {}),
    kernelRelease: live ? release() : undefined,
    raw,
    files: { zoneinfo: cap.path('proc/zoneinfo'), buddyinfo: cap.path('proc/buddyinfo'), pagetypeinfo: cap.path('proc/pagetypeinfo'), memory: memDir },
  };
}

/**
 * Adds what /proc/kpageflags says about the zones' pages (snap.kpf): read once, after the small files agreed, only
 * the words of the modelled zone spans (validated first: below the pfn limit, at most 2^32 pages), in chunks of
 * KPF_CHUNK_BYTES; `saveTo` receives the same bytes at the same offsets. Absent or unreadable: snap.kpf stays unset.
 */
export function attachKpageflags(snap: Snapshot, root: string, live: boolean, saveTo?: string): void {
  validateSnapshot(snap);
  const cap = new CaptureDir(root, !live);
  const { pbo } = orders(snap);
  const sum = new KpfSummariser(2 ** pbo, KPF_MAX_RUNS);
  const spans = snap.zoneinfo
    .filter((z) => z.spanned && z.startPfn !== null && (ZONE_NAMES as readonly string[]).includes(z.zone))
    .map((z) => [z.startPfn!, z.startPfn! + z.spanned] as const)
    .sort((a, b) => a[0] - b[0]);
  let fd: number | null = null;
  try {
    if (saveTo) { mkdirSync(dirname(saveTo), { recursive: true }); fd = openSync(saveTo, 'w'); }
    let read = 0, wanted = 0;
    for (const [s, e] of spans) {
      wanted += (e - s) * 8;
      const n = cap.chunks('proc/kpageflags', s * 8, e * 8, KPF_CHUNK_BYTES, (buf, off) => {
        if (buf.length % 8) throw new ImportError(cap.path('proc/kpageflags'), 1, `read ${buf.length} bytes at offset ${off}: not whole 8-byte words`);
        sum.add(buf, off / 8);
        if (fd !== null) writeSync(fd, buf, 0, buf.length, off);
      });
      if (n === null) return;
      read += n;
    }
    if (read < wanted) snap.readNotes = [...(snap.readNotes ?? []), `/proc/kpageflags ended before the zones did (${read / 8} of ${wanted / 8} pfns): the rest is not described by it`];
  } catch (e) {
    // not root: the page identity is guessed as before (the small files still import)
    if (e instanceof ImportError && /EACCES|EPERM/.test(e.message)) return;
    throw e;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  snap.kpf = sum.finish();
  if (snap.kpf.truncated) snap.readNotes = [...(snap.readNotes ?? []), `/proc/kpageflags: more than ${KPF_MAX_RUNS} runs of page kinds; pages beyond are guessed by pageblock type`];
}
