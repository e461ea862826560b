// How the whole project writes numbers, sizes, zones, migratetypes and outcomes: the simulator, the language,
// the CLI, the importer, the extension and the webview all use these (one wording everywhere).
// A leaf module: it imports nothing, so any layer (and the browser-side webview) may import it.

/** PAGE_SIZE: only 4 KiB pages are modelled */
export const PAGE_SIZE = 4096;
/** PAGE_SHIFT */
export const PAGE_SHIFT = 12;

/** zone_type (x86-64) names, in zone index order; ZONE_DEVICE is not modelled */
export const ZONE_NAMES = ['DMA', 'DMA32', 'Normal', 'Movable'] as const;
export type ZoneName = (typeof ZONE_NAMES)[number];

/** enum migratetype names, in kernel order (UNMOVABLE=0 … ISOLATE=5), as the language spells them */
export const MIGRATETYPE_NAMES = ['unmovable', 'movable', 'reclaimable', 'highatomic', 'cma', 'isolate'] as const;
export type Migratetype = (typeof MIGRATETYPE_NAMES)[number];
/** the kernel index of a migratetype name, -1 when it is none (e.g. a type read from another kernel's files) */
export function migratetypeIndex(name: string): number {
  return (MIGRATETYPE_NAMES as readonly string[]).indexOf(name);
}
/** migratetype_names[] as /proc/pagetypeinfo prints them */
export const MIGRATETYPE_PROC_NAMES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate'] as const;

/** `0x1a2b` */
export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

/** pages → `2 MiB`, `1 GiB`, `12 KiB` (the largest unit that divides it exactly; 4 KiB pages) */
export function pagesSize(pages: number): string {
  const kib = pages * (PAGE_SIZE / 1024);
  if (kib >= 1 << 20 && kib % (1 << 20) === 0) return `${kib / (1 << 20)} GiB`;
  if (kib >= 1024 && kib % 1024 === 0) return `${kib / 1024} MiB`;
  return `${kib} KiB`;
}

/** bytes → `1.50 MiB`, `4 KiB`, `100 bytes` (the largest unit not above it, two decimals when not whole) */
export function bytesSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${Number.isInteger(v) ? v : v.toFixed(2)} ${units[u]}`;
}

/** bytes → whole MiB, rounded up: `3 MiB` (limits and estimates) */
export function mibCeil(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

/** The outcome fields every operation result has (sim/api.ts OpResult). */
export interface OutcomeLike {
  ok: boolean;
  errno: string | null;
  pfn: number | null;
  reason: string | null;
  migrations?: readonly { result: string }[];
  internal?: { message: string } | null;
}

/**
 * `✓ ok` or `✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain`, plus `(3/4 migrations)` unless
 * `migrations: false`. A failure without an errno (compaction that found no block) says `failed`.
 */
export function outcomeText(res: OutcomeLike, o: { migrations?: boolean } = {}): string {
  if (res.internal) return `‼ internal error — ${res.internal.message}`;
  let s = res.ok ? '✓ ok' : `✗ ${res.errno ? '-' + res.errno : 'failed'}${res.pfn !== null ? ` at pfn ${hex(res.pfn)}` : ''}${res.reason ? ` — ${res.reason}` : ''}`;
  if (o.migrations !== false && res.migrations?.length) s += ` (${res.migrations.filter((m) => m.result === 'ok').length}/${res.migrations.length} migrations)`;
  return s;
}
