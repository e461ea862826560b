// Bounds on what `mmscn import` accepts from a capture, checked before any work or allocation proportional to
// them (issues 15, 16: a hostile or broken capture must give a clear error, never a hang or a crash).
// docs/import.md lists them for users.
import { MAX_PFN } from '../sim/pfn.js';

/** the most bytes read from one /proc file of a capture (a real /proc/zoneinfo of a 1024-node machine is ~10 MiB) */
export const MAX_PROC_FILE_BYTES = 64 * 2 ** 20;
/** the most bytes read from one sysfs attribute: sysfs_emit() never writes more than PAGE_SIZE (fs/sysfs/file.c) */
export const MAX_SYSFS_FILE_BYTES = 4096;
/** MAX_NUMNODES: 1 << NODES_SHIFT, NODES_SHIFT at most 10 (x86-64 CONFIG_MAXSMP, mm/Kconfig) */
export const MAX_NUMNODES = 1024;
/** MAX_NR_ZONES with every zone configured: DMA DMA32 Normal HighMem Movable Device (include/linux/mmzone.h) */
export const MAX_NR_ZONES = 6;
/** zones in one capture: MAX_NUMNODES × MAX_NR_ZONES */
export const MAX_ZONES = MAX_NUMNODES * MAX_NR_ZONES;
/** the simulator's own pfn limit (src/sim/pfn.ts: MAX_PHYSMEM_BITS 52 − PAGE_SHIFT 12) */
export const IMPORT_MAX_PFN = MAX_PFN;
/**
 * the most pages all zone spans of a capture may add up to (2^32 pages = 16 TiB): the generator and the simulator
 * work per pageblock and per free block, so a bigger capture would not finish in reasonable time.
 */
export const IMPORT_MAX_PAGES = 2 ** 32;
/** the most pageblocks all zone spans may add up to (with 2 MiB pageblocks: 8 TiB) */
export const IMPORT_MAX_PAGEBLOCKS = 2 ** 22;
/** the most free blocks (sum of the buddyinfo counts) a capture may list: each becomes scenario text */
export const IMPORT_MAX_FREE_BLOCKS = 2 ** 22;
/** MAX_PAGE_ORDER: the language accepts at most 20 (x86-64 has 10; ARCH_FORCE_MAX_ORDER allows more elsewhere) */
export const IMPORT_MAX_PAGE_ORDER = 20;
/** memoryN directories read from sys/devices/system/memory (16 TiB in 128 MiB blocks) */
export const MAX_MEMORY_BLOCKS = 2 ** 17;
/** cpu ids are below NR_CPUS, at most 8192 (x86-64 CONFIG_MAXSMP); the language models at most 4096 cpus */
export const MAX_CPU_ID = 8191;
export const MAX_CPUS = 4096;
/** --live: reads until buddyinfo, pagetypeinfo and zoneinfo agree, at most this often and this long */
export const LIVE_MAX_TRIES = 20;
export const LIVE_MAX_MS = 2000;

/** a short excerpt of capture text safe to print: printable ASCII only, at most `n` characters */
export function excerpt(s: string, n = 30): string {
  const clean = s.slice(0, n + 1).replace(/[^\x20-\x7e]/g, '?');
  return clean.length > n ? clean.slice(0, n) + '…' : clean;
}
/** /proc/kpageflags is read in chunks of this many bytes (128 Ki pfns): 8 bytes per pfn is 2 GiB for 1 TiB */
export const KPF_CHUNK_BYTES = 2 ** 20;
/** the most runs of one page kind kept from /proc/kpageflags (each may become a line of the scenario) */
export const KPF_MAX_RUNS = 2 ** 22;
