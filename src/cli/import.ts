// `mmscn import [--live | --from DIR] [-o FILE]`: reads a machine's memory files and writes a scenario.
// The fs side only; parsing and generation are pure (src/import). Exit 0 written, 2 unreadable/malformed input.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus as osCpus, hostname, release } from 'node:os';
import { join } from 'node:path';
import { ImportError, parseBuddyinfo, parseIomem, parseMemoryBlocks, parsePagetypeinfo, parseZoneinfo, type SysfsBlockFiles } from '../import/parse.js';
import { generate, type Snapshot } from '../import/generate.js';

export interface ImportCliOptions { live?: boolean; from?: string; output?: string }

export const LAYOUT_HELP = `Files read (under DIR with --from, under / with --live):
  proc/zoneinfo                                 required: zone spans, present, managed, pages free
  proc/buddyinfo                                required: free blocks per order
  proc/pagetypeinfo                             free blocks per migratetype, pageblock counts (root only)
  proc/iomem                                    System RAM ranges, to place holes (addresses need root)
  sys/devices/system/memory/block_size_bytes    memory block size
  sys/devices/system/memory/memoryN/{state,phys_index,valid_zones,nodeM}
  sys/devices/system/cpu/online                 cpus (else this machine's cpu count)
Save a machine with (as root, so pagetypeinfo and the iomem addresses are readable):
  mkdir -p DIR/proc && cp /proc/{buddyinfo,pagetypeinfo,zoneinfo,iomem} DIR/proc/
  cp -r --parents /sys/devices/system/memory /sys/devices/system/cpu/online DIR 2>/dev/null`;

function read(root: string, rel: string, required: boolean): string | null {
  const f = join(root, rel);
  try {
    return readFileSync(f, 'utf8');
  } catch (e) {
    if (required) throw new ImportError(f, 1, `cannot read: ${(e as Error).message}`);
    return null;
  }
}

function cpuCount(text: string | null, file: string): number | null {
  if (text === null) return null;
  let n = 0;
  for (const part of text.trim().split(',').filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new ImportError(file, 1, `expected a cpu list like 0-3,5, found \`${text.trim().slice(0, 30)}\``);
    n += m[2] ? Number(m[2]) - Number(m[1]) + 1 : 1;
  }
  return n;
}

/** the free lists of buddyinfo, pagetypeinfo and zoneinfo agree (a live machine changes between reads) */
export function consistent(s: Snapshot): boolean {
  if (!s.buddyinfo) return true;
  for (const b of s.buddyinfo) {
    const rows = s.pagetypeinfo?.free.filter((r) => r.nid === b.nid && r.zone === b.zone) ?? [];
    if (rows.length && b.counts.some((n, o) => rows.reduce((t, r) => t + r.counts[o]!, 0) !== n && !rows.some((r) => r.capped[o]))) return false;
    const z = s.zoneinfo.find((x) => x.nid === b.nid && x.zone === b.zone);
    if (z && z.free !== b.counts.reduce((t, n, o) => t + n * 2 ** o, 0)) return false;
  }
  return true;
}

/** --live: read until buddyinfo, pagetypeinfo and zoneinfo agree (at most `tries` times) */
export function readLive(tries = 20): Snapshot {
  let s = readSnapshot('/', true);
  for (let i = 1; i < tries && !consistent(s); i++) s = readSnapshot('/', true);
  return s;
}

export function readSnapshot(root: string, live: boolean): Snapshot {
  const zoneinfo = parseZoneinfo(read(root, 'proc/zoneinfo', true)!, join(root, 'proc/zoneinfo'));
  const buddyinfo = parseBuddyinfo(read(root, 'proc/buddyinfo', true)!, join(root, 'proc/buddyinfo'));
  const ptText = read(root, 'proc/pagetypeinfo', false);
  const pagetypeinfo = ptText === null ? null : parsePagetypeinfo(ptText, join(root, 'proc/pagetypeinfo'));
  const io = read(root, 'proc/iomem', false);
  const iomem = io === null ? null : parseIomem(io, join(root, 'proc/iomem'));
  const memDir = join(root, 'sys/devices/system/memory');
  let memory: Snapshot['memory'] = null;
  const bs = read(root, 'sys/devices/system/memory/block_size_bytes', false);
  if (bs !== null) {
    const dirs: SysfsBlockFiles[] = [];
    for (const name of readdirSync(memDir)) {
      if (!/^memory\d+$/.test(name)) continue;
      const dir = join(memDir, name);
      const rd = (f: string) => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return undefined; } };
      const nodes: number[] = [];
      for (const e of readdirSync(dir)) {
        const m = /^node(\d+)$/.exec(e);
        if (m) nodes.push(Number(m[1]));
      }
      const state = rd('state');
      if (state === undefined) throw new ImportError(join(dir, 'state'), 1, 'cannot read');
      dirs.push({ name, dir, state, phys_index: rd('phys_index'), valid_zones: rd('valid_zones'), nodes });
    }
    memory = parseMemoryBlocks(bs, join(memDir, 'block_size_bytes'), dirs);
  }
  const cpuFile = join(root, 'sys/devices/system/cpu/online');
  const cpus = cpuCount(read(root, 'sys/devices/system/cpu/online', false), cpuFile) ?? (live ? osCpus().length : 1);
  return {
    source: live ? `this machine (${hostname()})` : root,
    date: new Date().toISOString().slice(0, 10),
    buddyinfo, pagetypeinfo, zoneinfo, memory, iomem, cpus,
    kernelRelease: live ? release() : undefined,
  };
}

export function runImport(o: ImportCliOptions, write: (s: string) => void, warn: (s: string) => void): number {
  if (!!o.live === !!o.from) {
    warn('mmscn import: give exactly one of --live or --from DIR');
    return 2;
  }
  const root = o.live ? '/' : o.from!;
  if (!o.live && !existsSync(root)) {
    warn(`${root}:1: error: no such directory`);
    return 2;
  }
  let snap: Snapshot;
  try {
    snap = o.live ? readLive() : readSnapshot(root, false);
  } catch (e) {
    if (e instanceof ImportError) { warn(e.message); return 2; }
    warn(`${root}:1: error: ${(e as Error).message}`);
    return 2;
  }
  const res = generate(snap);
  if (o.output) {
    try {
      writeFileSync(o.output, res.text);
    } catch (e) {
      warn(`${o.output}:1: error: cannot write: ${(e as Error).message}`);
      return 2;
    }
  } else write(res.text.replace(/\n$/, ''));
  const zs = res.zones.map((z) => `node ${z.nid} ${z.zone} ${z.spanned} spanned, ${z.managed} managed`).join('; ');
  warn(`mmscn import: ${snap.source}: ${zs}${o.output ? ` → ${o.output}` : ''}`);
  if (res.notes.length) {
    warn(`mmscn import: not reproduced exactly (${res.notes.length}):`);
    for (const n of res.notes) warn(`  - ${n}`);
  } else warn('mmscn import: the free lists, pageblock counts and zone sizes are reproduced exactly');
  return 0;
}
