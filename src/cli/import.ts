// `mmscn import [--live | --from DIR] [-o FILE]`: reads a machine's memory files and writes a scenario.
// Reading the machine is src/import/fs.ts; parsing and generation are pure (src/import). Exit 0 written, 2 unreadable/malformed input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError } from '../import/parse.js';
import { analyzeOnce } from '../language/index.js';
import { generate, type Snapshot } from '../import/generate.js';
import { attachKpageflags, readLive, readSnapshot, saveSnapshot } from '../import/fs.js';

export interface ImportCliOptions { live?: boolean; from?: string; output?: string; save?: string }

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
  cp -r --parents /sys/devices/system/memory /sys/devices/system/cpu/online DIR 2>/dev/null
Only regular files inside DIR are read (no FIFOs, devices, symbolic links out of DIR), at most 64 MiB per /proc
file and 4096 bytes per sysfs file; zones must lie below pfn 2^40. Limits and errors: docs/import.md.`;

export function runImport(o: ImportCliOptions, write: (s: string) => void, warn: (s: string) => void): number {
  if (!!o.live === !!o.from) {
    warn('mmscn import: give exactly one of --live or --from DIR');
    return 2;
  }
  const root = o.live ? '/' : o.from!;
  let res: ReturnType<typeof generate>;
  let snap: Snapshot;
  try {
    snap = o.live ? readLive() : readSnapshot(root, false);
    attachKpageflags(snap, root, !!o.live, o.save && o.live ? join(o.save, 'proc/kpageflags') : undefined);
    res = generate(snap);
  } catch (e) {
    if (e instanceof ImportError) { warn(e.message); return 2; }
    warn(`${root}:1: error: cannot import: ${(e as Error).message}`);
    return 2;
  }
  // the last guard: a scenario `mmscn check` rejects is never written (validate.ts should have refused the capture)
  const bad = analyzeOnce(res.text).diagnostics.find((d) => d.severity === 'error');
  if (bad) {
    warn(`${root}:1: error: the capture gives a scenario that does not check (line ${bad.loc.line}: ${bad.message}); nothing written. Please report this capture`);
    return 2;
  }
  if (o.save) {
    if (!o.live) { warn('mmscn import: --save DIR saves a --live capture'); return 2; }
    try {
      saveSnapshot(snap, o.save);
    } catch (e) {
      warn(`${o.save}:1: error: cannot save the capture: ${(e as Error).message}`);
      return 2;
    }
  }
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
