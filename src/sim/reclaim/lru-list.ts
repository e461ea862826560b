// Which LRU list an extent is on, and whether a slab extent is the shrinker's: the rules both the reclaim view
// (lru.ts NodeLru) and its cache (lru-cache.ts) apply, in one place.
import type { Extent } from '../core.js';
import { MOD_BIT } from '../core.js';

export const LRU_INACTIVE_ANON = 0;
export const LRU_ACTIVE_ANON = 1;
export const LRU_INACTIVE_FILE = 2;
export const LRU_ACTIVE_FILE = 3;
export const LRU_NAMES = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file'] as const;
export const isFileLru = (lru: number) => lru >= LRU_INACTIVE_FILE;
export const isActiveLru = (lru: number) => (lru & 1) === 1;

/** which list an extent is on (folio_lru_list), or -1 (not an LRU page, unevictable, or being freed) */
export function lruOf(e: Extent): number {
  const k = e.kind;
  if ((k !== 'anon' && k !== 'thp' && k !== 'file') || e.freeing >= 0) return -1;
  if (e.mods & MOD_BIT.unevictable) return -1;
  const active = (e.mods & MOD_BIT.active) !== 0 ? 1 : 0;
  return (e.kind === 'file' ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON) + active;
}

/** a reclaimable slab extent not being freed: what the shrinkers can free (NodeLru.slab) */
export function shrinkableSlab(e: Extent): boolean {
  return e.kind === 'slab' && (e.mods & MOD_BIT.reclaimable) !== 0 && e.freeing < 0;
}
