// The /proc/kpageflags flags `expect kpageflags` counts (src/sim/kpageflags.ts) and those it refuses. No imports:
// the language and the scenario types read this without the simulator core.

/** the kinds `expect kpageflags` counts: pfnscan's (buddy slab pgtable lru anon huge head tail nopage offline reserved noflags) and thp */
export const KPF_KINDS = ['buddy', 'slab', 'pgtable', 'lru', 'anon', 'thp', 'huge', 'head', 'tail', 'nopage', 'offline', 'reserved', 'noflags'] as const;
export type KpfKind = (typeof KPF_KINDS)[number];

/** other KPF_* flags: the simulator does not track them (an expectation on one is an error, never a count of 0) */
export const KPF_NOT_MODELLED: Readonly<Record<string, string>> = {
  locked: 'page locks are not modelled',
  error: 'I/O errors are not modelled',
  referenced: 'PG_referenced (page accesses) is not modelled',
  uptodate: 'PG_uptodate is not modelled',
  dirty: 'PG_dirty is modelled only as a population modifier, not for every page the kernel dirties',
  active: 'PG_active is modelled only for LRU aging, not as the kernel sets it on every page',
  mmap: 'page mappings (page_mapped) are not modelled',
  ksm: 'KSM is not modelled',
  swapcache: 'the swap cache is not modelled',
  swapbacked: 'PG_swapbacked is not modelled',
  compound_head: 'spelled `head` (KPF_COMPOUND_HEAD)',
  compound_tail: 'spelled `tail` (KPF_COMPOUND_TAIL)',
  hwpoison: 'KPF_HWPOISON is not counted (hwpoison pages are modelled only as unusable pages)',
  unevictable: 'PG_unevictable is modelled only as a population modifier',
  mlocked: 'PG_mlocked is not modelled',
  reclaim: 'PG_reclaim is not modelled',
  mappedtodisk: 'PG_mappedtodisk is not modelled',
  zero_page: 'the zero page is not modelled',
  idle: 'idle page tracking is not modelled',
  private: 'PG_private is not modelled',
  owner_private: 'PG_owner_priv_1 is not modelled',
  arch: 'PG_arch_1 is not modelled',
};
