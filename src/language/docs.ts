// Reference text for hover and completion, and the per-statement tables lowering checks against
// (which clauses and flag words a statement accepts, the phases of multi-phase operations).
import type { PolicyName } from '../sim/scenario.js';

export interface StmtInfo {
  /** one-line syntax */
  syntax: string;
  /** Markdown */
  doc: string;
  /** kernel function(s) modelled, with their file */
  kernel?: string;
  /** clause keywords accepted (`as`, `cpu`, `zone` …) */
  clauses: string[];
  /** bare words accepted (`longterm`, `cma`, a page kind …) */
  flags?: readonly string[];
  /** phases a schedule can name (multi-phase operations) */
  phases?: string[];
  /** operations (steps), as opposed to configuration */
  op?: boolean;
}

export const KINDS = ['anon', 'file', 'thp', 'slab', 'pagetable', 'kernel', 'vmalloc', 'movable_ops', 'reserved', 'offline', 'hwpoison'] as const;
export const MODIFIERS = ['reclaimable', 'pinned', 'longterm', 'dirty', 'writeback', 'unevictable', 'active'] as const;
export const FILL_CLASSES = ['movable', 'anon', 'file', 'slab', 'unmovable', 'pagetable'] as const;
export const ALLOC_MIGRATETYPES = ['movable', 'unmovable', 'reclaimable'] as const;
export const ONLINE_TYPES = ['online', 'online_kernel', 'online_movable'] as const;
export const ISOLATE_MODES = ['other', 'cma', 'offline'] as const;
export const PAGE_STATES = ['free', 'buddy', 'pcp', 'allocated', 'offline', 'vmemmap', 'hugetlb', ...KINDS] as const;
export const BLOCK_STATES = ['online', 'offline', 'absent'] as const;
export const HOTPLUG_STATES = ['offline', 'absent'] as const;
export const GFP_FLAGS = [
  'GFP_KERNEL', 'GFP_ATOMIC', 'GFP_NOWAIT', 'GFP_NOIO', 'GFP_NOFS', 'GFP_USER', 'GFP_HIGHUSER', 'GFP_HIGHUSER_MOVABLE',
  'GFP_TRANSHUGE', 'GFP_TRANSHUGE_LIGHT', '__GFP_MOVABLE', '__GFP_RECLAIMABLE', '__GFP_HIGH', '__GFP_NOWARN', '__GFP_NORETRY',
  '__GFP_RETRY_MAYFAIL', '__GFP_NOFAIL', '__GFP_COMP', '__GFP_ZERO', '__GFP_THISNODE', '__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_ATOMIC',
] as const;

const CONTIG_PHASES = ['isolate', 'drain', 'migrate', 'dissolve', 'test', 'take', 'undo'];

export const STMT_INFO: Record<string, StmtInfo> = {
  // ---------------------------------------------------------------- configuration
  kernel: { syntax: 'kernel 6.12 | latest', doc: 'Selects a kernel release: every policy switch takes the value that release has. Default `latest`.', clauses: [] },
  policy: { syntax: 'policy NAME = VALUE', doc: 'Overrides one kernel behaviour switch on top of the `kernel` preset.', clauses: [] },
  seed: { syntax: 'seed N', doc: 'Seed of the deterministic random generator used by `fill` and random choices. Default 0.', clauses: [] },
  machine: { syntax: 'machine { … }', doc: 'The memory layout: page and block sizes, CPUs, nodes with their zones, CMA areas, hugetlb pools, virtio-mem devices.', clauses: [] },
  variant: { syntax: 'variant NAME { kernel …; policy … }', doc: 'A named alternative (kernel preset and policy overrides). With variants the scenario runs once per variant; `expect … when NAME` applies to some of them.', clauses: [] },
  interleave: { syntax: 'interleave { cpu N: OP … schedule cpu N PHASE, … }', doc: 'Runs one operation per CPU, stopping between their phases in the order `schedule` gives; afterwards every operation runs to its end in the listed order.', clauses: [] },
  page_size: { syntax: 'page_size 4K', doc: 'PAGE_SIZE. Only 4K is modelled.', clauses: [] },
  pageblock_order: { syntax: 'pageblock_order 9', doc: '`pageblock_order`: a pageblock is 2^order pages (9 = 512 pages = 2 MiB), the unit of migratetype (`get_pageblock_migratetype()`) and of isolation. Default 9; at most MAX_PAGE_ORDER.', clauses: [] },
  max_page_order: { syntax: 'max_page_order 10', doc: '`MAX_PAGE_ORDER` (formerly MAX_ORDER-1): the largest buddy order, 10 = 1024 pages = 4 MiB. Default 10.', clauses: [] },
  memory_block_size: { syntax: 'memory_block_size 128M', doc: 'Size of a sysfs memory block (`/sys/devices/system/memory/memoryN`, `memory_block_size_bytes()`): the unit of onlining, offlining and `add_memory`. Default 128M; a multiple of the section size.', clauses: [] },
  section_size: { syntax: 'section_size 128M', doc: 'SPARSEMEM section size (`1 << SECTION_SIZE_BITS`), the granularity of `pfn_valid()` and of the memmap. Default 128M.', clauses: [] },
  cpus: { syntax: 'cpus 2', doc: 'Number of CPUs; each zone has one per-cpu pageset (PCP list, `struct per_cpu_pages`) per CPU. Default 1.', clauses: [] },
  memmap_on_memory: { syntax: 'memmap_on_memory off | on | force', doc: '`memory_hotplug.memmap_on_memory`: hot-added memory blocks carry their own memmap (vmemmap pages at the start of the block, `mhp_supports_memmap_on_memory()`). Default off.', clauses: [] },
  config_cma: { syntax: 'config_cma on | off', doc: '`CONFIG_CMA`: off = a kernel built without CMA, whose /proc/pagetypeinfo has no CMA rows or column (MIGRATE_CMA does not exist); `cma` areas are then an error. Default on. `mmscn import` writes `off` when the captured pagetypeinfo has no CMA column.', clauses: [] },
  swap: { syntax: 'swap SIZE', doc: 'A swap device of SIZE (default: no swap). Reclaim swaps out anon pages only while it has room (`can_reclaim_anon_pages()`); modelled as a synchronous device (like zram): a swapped-out page is freed in the same reclaim pass; its slot stays in use until `free` of its label (munmap: `free_swap_and_cache_nr()`).', clauses: [] },
  movable_node: { syntax: 'movable_node off | on', doc: '`movable_node` boot option: hotpluggable memory is onlined to ZONE_MOVABLE by `online`. Default off.', clauses: [] },
  node: { syntax: 'node N { zone …; reserved …; hotplug … }', doc: 'A NUMA node (`pg_data_t`) and its zones.', clauses: [] },
  cma: { syntax: 'cma NAME START..END [order_per_bit N]', doc: 'A CMA area (`cma_declare_contiguous_nid()` / `cma_init_reserved_mem()`): its pageblocks are MIGRATE_CMA; it must lie inside one zone and be pageblock-aligned.', kernel: 'mm/cma.c', clauses: ['order_per_bit', 'node'] },
  hugetlb_pool: { syntax: 'hugetlb 2M|1G pool N [node N]', doc: 'A boot-time hugetlb pool (`hugepages=N`): N free huge pages of that size, allocated at boot (`hugetlb_hstate_alloc_pages()`).', kernel: 'mm/hugetlb.c', clauses: ['node'] },
  virtio_decl: { syntax: 'virtio_mem NAME node N START..END block 2M', doc: 'A virtio-mem device: its device range is hotpluggable memory, unplugged at start; it plugs and unplugs in device blocks (`block`, at least a pageblock) within Linux memory blocks.', kernel: 'drivers/virtio/virtio_mem.c', clauses: ['node', 'block'] },
  zone: { syntax: 'zone DMA|DMA32|Normal|Movable START..END', doc: 'A zone span (`zone_start_pfn` … `zone_end_pfn()`): boot memory, online in that zone. Zones of a node are ordered DMA < DMA32 < Normal < Movable and must not overlap.', clauses: [] },
  reserved: { syntax: 'reserved START..END [uninitialised]', doc: 'memblock-reserved pages (`PageReserved`, never given to the buddy allocator, `memblock_reserve()`). `uninitialised`: present pages whose memmap the kernel has not initialised (deferred struct page init not finished, `deferred_init_memmap()`): not managed, and their pageblocks are not counted in /proc/pagetypeinfo\'s "Number of blocks" (`pagetypeinfo_showblockitemcount()` skips pages whose zone is not this one). The simulator does not grow the zone into them (`deferred_grow_zone()`). `mmscn import` writes these from /proc/kpageflags. `initmem`: reserved while the boot watermarks are computed (`init_per_zone_wmark_min()`, khugepaged\'s `set_recommended_min_free_kbytes()`), then freed to the buddy allocator (`free_initrd_mem()`, `free_initmem()` → `free_reserved_area()`: managed grows, the watermarks are not recomputed — dmesg\'s "Freeing unused kernel image (initmem) memory" and "Freeing initrd memory" give the sizes).', clauses: [], flags: ['uninitialised', 'initmem'] },
  hole: { syntax: 'hole START..END', doc: 'A firmware hole inside a zone span (a gap in the e820 map, the PCI hole): spanned but not present, no online struct pages. `mmscn import` writes these from /proc/iomem and the memory blocks.', clauses: [] },
  hotplug: { syntax: 'hotplug START..END offline [imported] | absent', doc: 'Hotpluggable memory: `offline` = added (sections present, memory blocks offline, like a coldplugged DIMM; its memmap is allocated from boot memory unless memmap_on_memory applies); `absent` = not added yet (`add_memory` adds it). `imported`: added before a capture, so its memmap is already among the pages the file lists (not allocated again). Memory-block aligned.', clauses: [], flags: ['imported'] },
  // ---------------------------------------------------------------- population
  page: { syntax: 'page PFN KIND [MODIFIERS…] | page PFN pcp [cpu N] [every STRIDE count N]', doc: 'Puts one free page into a state directly: a page kind (`anon`, `slab` …) with modifiers, or `pcp` (a zero-refcount page on a CPU\'s PCP list). `every STRIDE count N`: the same N times, STRIDE pages apart.', clauses: ['cpu', 'every', 'count'], flags: [...KINDS, ...MODIFIERS, 'pcp'] },
  pages: { syntax: 'pages START..END KIND [MODIFIERS…] [every STRIDE count N]', doc: 'Puts every page of a range into a state (each an order-0 page). `every STRIDE count N`: the same range N times, STRIDE pages apart (`mmscn import` writes a fragmented machine this way).', clauses: ['cpu', 'every', 'count'], flags: [...KINDS, ...MODIFIERS, 'pcp'] },
  folio: { syntax: 'folio PFN order N KIND [MODIFIERS…] [every STRIDE count N]', doc: 'A large folio (one compound page of 2^order pages, `folio_order()`); the pfn must be aligned to the order and the order at most MAX_PAGE_ORDER. `every STRIDE count N`: N folios, STRIDE pages apart.', clauses: ['order', 'every', 'count'], flags: [...KINDS, ...MODIFIERS] },
  pageblock: { syntax: 'pageblock PFN unmovable|movable|reclaimable|highatomic [every STRIDE count N]', doc: 'Sets the migratetype of the pageblock holding PFN and moves its free blocks to that type\'s free lists (`set_pageblock_migratetype()` + `move_freepages_block()`, as when a block is claimed). `highatomic` also counts the block in `nr_reserved_highatomic`. A free block larger than a pageblock is retyped whole (`change_pageblock_range()`). Not for isolated or CMA pageblocks. `every STRIDE count N`: the same for N pageblocks, STRIDE pages apart (a multiple of the pageblock size). `mmscn import` writes these.', kernel: 'mm/page_alloc.c', clauses: ['every', 'count'] },
  pageset: {
    syntax: 'pageset ZONE [node N] [cpu C] high H [batch B]',
    doc: 'Sets a per-cpu pageset of the zone as /proc/zoneinfo shows it (`cpu: C` / `high: H` / `batch: B`): `pcp->high` (how many pages the CPU\'s PCP lists may hold before `free_pcppages_bulk()` returns a batch) and `pcp->batch`; every CPU without `cpu`. The simulator otherwise computes them (`zone_set_pageset_high_and_batch()`: batch from `zone_batchsize()`, high clamped into [high_min, high_max] on use); the kernel\'s `high` also depends on its auto-tuning and decay (`nr_pcp_high()`, `decay_pcp_high()`), which no file shows the history of. Like the kernel\'s, the value is recomputed when the zone\'s managed pages or watermarks change (`zone_pcp_update()`) and clamped into [high_min, high_max] when the pageset is next used. `mmscn import` writes these from zoneinfo.',
    kernel: '`struct per_cpu_pages`, `zoneinfo_show_print()` (mm/vmstat.c), `nr_pcp_high()` (mm/page_alloc.c)',
    clauses: ['node', 'cpu', 'high', 'batch'],
  },
  fill: { syntax: 'fill ZONE N% CLASS [order N] [packed|scattered]', doc: 'Random (seeded) fill of a zone: N% of its pages become CLASS pages of that order; `scattered` (default) picks random free pages, `packed` consecutive ones.', clauses: ['order', 'node'], flags: [...FILL_CLASSES, 'packed', 'scattered'] },
  // ---------------------------------------------------------------- operations
  alloc: {
    syntax: 'alloc order N MIGRATETYPE [gfp FLAGS] [zone Z] [count N]',
    doc: 'Allocates 2^order pages from the buddy allocator (via the PCP lists for small orders), with the migratetype GFP flags imply; falls back to other migratetypes (claim/steal) when its free lists are empty.',
    kernel: '`__alloc_pages()` → `get_page_from_freelist()` → `rmqueue()`, mm/page_alloc.c',
    clauses: ['order', 'gfp', 'zone', 'node', 'count', 'as', 'cpu'], flags: ALLOC_MIGRATETYPES, op: true,
  },
  free: {
    syntax: 'free NAME | PFN [cpu N]', doc: 'Frees what an earlier operation allocated, or the page/folio at a pfn. Orders that fit the PCP lists (≤ 3, and pageblock order for THP) go to the freeing CPU\'s PCP list.',
    kernel: '`free_unref_folios()` / `__free_pages()` → `free_pcppages_bulk()` / `__free_one_page()`, mm/page_alloc.c',
    clauses: ['cpu', 'as'], phases: ['lookup', 'enqueue'], op: true,
  },
  pin: { syntax: 'pin PFN|NAME [longterm]', doc: 'Takes a GUP pin (`pin_user_pages()`); `longterm` = FOLL_LONGTERM. A pinned folio cannot be migrated (refcount mismatch: -EAGAIN).', kernel: 'mm/gup.c', clauses: ['cpu', 'as'], flags: ['longterm'], op: true },
  unpin: { syntax: 'unpin PFN|NAME', doc: 'Drops a GUP pin (`unpin_user_page()`).', kernel: 'mm/gup.c', clauses: ['cpu', 'as'], op: true },
  slab_grow: { syntax: 'slab grow ZONE N [reclaimable]', doc: 'Slab allocates N pages (unmovable, or MIGRATE_RECLAIMABLE with `reclaimable`, i.e. `SLAB_RECLAIM_ACCOUNT`).', kernel: '`allocate_slab()`, mm/slub.c', clauses: ['node', 'cpu', 'as'], flags: ['reclaimable'], op: true },
  slab_shrink: { syntax: 'slab shrink ZONE N%', doc: 'A shrinker run: frees N% of the reclaimable slab pages of the zone.', kernel: '`shrink_slab()`, mm/shrinker.c', clauses: ['node', 'cpu', 'as'], op: true },
  drain: { syntax: 'drain [cpu N] [zone Z]', doc: 'Drains PCP lists back to the buddy: every CPU (`drain_all_pages()`), or one CPU (`drain_local_pages()`).', kernel: 'mm/page_alloc.c', clauses: ['cpu', 'zone', 'node', 'as'], op: true },
  isolate: {
    syntax: 'isolate START..END [mode other|cma|offline]', doc: 'Marks the pageblocks of the range MIGRATE_ISOLATE and moves their free pages to the isolate free list; fails with -EBUSY when a pageblock holds unmovable pages (`has_unmovable_pages()`).',
    kernel: '`start_isolate_page_range()`, mm/page_isolation.c', clauses: ['mode', 'cpu', 'as'], op: true,
  },
  unisolate: { syntax: 'unisolate START..END', doc: 'Restores the migratetype of the isolated pageblocks of the range.', kernel: '`undo_isolate_page_range()`, mm/page_isolation.c', clauses: ['cpu', 'as'], op: true },
  alloc_contig_range: {
    syntax: 'alloc_contig_range START..END [cma] [gfp FLAGS]',
    doc: 'Allocates exactly the range: isolates its pageblocks, drains the PCP lists, migrates every in-use page out (5 passes, then -EBUSY), dissolves free hugetlb pages, checks every page is free and isolated (`test_pages_isolated()`), then takes the pages.',
    kernel: '`alloc_contig_range()`, mm/page_alloc.c', clauses: ['gfp', 'cpu', 'as'], flags: ['cma'], phases: CONTIG_PHASES, op: true,
  },
  alloc_contig_pages: { syntax: 'alloc_contig_pages SIZE [node N] [zone Z]', doc: 'Finds a suitable range (scanning zones for a `pfn_range_valid_contig()` block) and calls alloc_contig_range() on it.', kernel: '`alloc_contig_pages()`, mm/page_alloc.c', clauses: ['node', 'zone', 'cpu', 'as'], op: true },
  cma_alloc: { syntax: 'cma_alloc AREA COUNT [align N]', doc: 'Allocates COUNT pages from a CMA area, aligned to 2^align pages, by alloc_contig_range() on a free bitmap range.', kernel: '`cma_alloc()`, mm/cma.c', clauses: ['align', 'cpu', 'as'], phases: CONTIG_PHASES, op: true },
  cma_release: { syntax: 'cma_release NAME', doc: 'Releases pages allocated by `cma_alloc`.', kernel: '`cma_release()`, mm/cma.c', clauses: ['cpu', 'as'], op: true },
  online: { syntax: 'online block N [online|online_kernel|online_movable]', doc: '`echo online > /sys/devices/system/memory/memoryN/state`: onlines a memory block into a zone chosen by the online policy (`zone_for_pfn_range()`), or the one asked for.', kernel: '`online_pages()`, mm/memory_hotplug.c', clauses: ['cpu', 'as'], flags: ONLINE_TYPES, op: true },
  offline: {
    syntax: 'offline block N', doc: '`echo offline > …/memoryN/state`: disables the PCP lists, isolates the block, migrates every page out (retrying until done or a signal), dissolves free hugetlb pages, checks isolation, offlines.',
    kernel: '`offline_pages()`, mm/memory_hotplug.c', clauses: ['cpu', 'as'], phases: ['pcp_disable', 'isolate', 'migrate', 'dissolve', 'test', 'offline'], op: true,
  },
  add_memory: { syntax: 'add_memory START..END [node N]', doc: 'Hot-adds memory: creates its sections and memory blocks, offline (memmap on the memory itself with memmap_on_memory).', kernel: '`add_memory()` → `add_memory_resource()`, mm/memory_hotplug.c', clauses: ['node', 'cpu', 'as'], op: true },
  eject: { syntax: 'eject START..END', doc: 'ACPI ejection of a memory device (a DIMM `device_del`, or writing 1 to its `eject`): offline every online block (two passes), on failure online them all again (-EBUSY), then remove the memory.', kernel: '`acpi_scan_hot_remove()` → `acpi_scan_try_to_offline()`, drivers/acpi/scan.c; `__remove_memory()`', clauses: ['cpu', 'as'], op: true },
  remove_memory: { syntax: 'remove_memory START..END', doc: 'Hot-removes offline memory blocks (-EBUSY when one is online).', kernel: '`remove_memory()`, mm/memory_hotplug.c', clauses: ['cpu', 'as'], op: true },
  hugetlb_resize: { syntax: 'hugetlb 2M|1G resize N [node N]', doc: 'Sets `nr_hugepages` of that size: grows the pool (gigantic 1G pages via alloc_contig_pages()) or shrinks it.', kernel: '`set_max_huge_pages()`, mm/hugetlb.c', clauses: ['node', 'cpu', 'as'], op: true },
  hugetlb_overcommit: { syntax: 'hugetlb 2M overcommit N', doc: 'Sets `nr_overcommit_hugepages` of that size (default 0): up to N surplus huge pages may be allocated from the buddy allocator beyond the persistent pool when a mapping needs them; gigantic (1G) sizes are refused, as the kernel does.', kernel: '`nr_overcommit_hugepages_store()`, `alloc_surplus_hugetlb_folio()`, mm/hugetlb.c', clauses: ['cpu', 'as'], op: true },
  hugetlb_alloc: { syntax: 'hugetlb 2M|1G alloc N', doc: '`mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB)` of N huge pages and a fault on each: the reservation takes free pool pages, and what they cannot cover is allocated as surplus pages within `overcommit` (all or nothing: -ENOMEM otherwise). The label names the in-use folios; `free NAME` puts them back (`free_huge_folio()`: surplus pages go back to the buddy allocator, others to the pool).', kernel: '`hugetlb_reserve_pages()` → `gather_surplus_pages()`, `alloc_hugetlb_folio()`, mm/hugetlb.c', clauses: ['cpu', 'as'], op: true },
  compact: { syntax: 'compact ZONE [order N]', doc: 'One compaction run on a zone: the migration scanner walks up from the zone start, the free scanner down from the end, until they meet or an order-N page is free.', kernel: '`compact_zone()`, mm/compaction.c', clauses: ['order', 'node', 'cpu', 'as'], phases: ['scan', 'migrate'], op: true },
  migrate: { syntax: 'migrate PFN|NAME [node N]', doc: 'Migrates one folio (to another node with `node`).', kernel: '`migrate_pages()`, mm/migrate.c', clauses: ['node', 'cpu', 'as'], op: true },
  report: { syntax: 'report', doc: 'One free page reporting pass (`page_reporting_process()`), or one hinting cycle with `policy page_reporting = hinting`.', kernel: 'mm/page_reporting.c', clauses: ['cpu', 'as'], phases: ['isolate', 'report', 'putback'], op: true },
  kswapd: { syntax: 'kswapd [node N]', doc: 'Lets the node\'s kswapd run once: if an allocation woke it (`wakeup_kswapd()`, below the low watermark), `balance_pgdat()` reclaims until a zone meets its high watermark for the recorded order; otherwise kswapd is asleep and nothing happens.', kernel: '`kswapd()`, `balance_pgdat()`, mm/vmscan.c', clauses: ['node', 'cpu', 'as'], op: true },
  sysctl: { syntax: 'sysctl vm.NAME [=] VALUE…', doc: 'Writes a vm sysctl (`echo VALUE > /proc/sys/vm/NAME`) and runs its handler: `vm.compaction_proactiveness` (0..100), `vm.watermark_scale_factor` (1..3000, recomputes the watermarks), `vm.min_free_kbytes` (recomputes the watermarks; kept across memory hotplug unless the computed value is larger), `vm.extfrag_threshold` (0..1000), `vm.swappiness` (0..200), `vm.lowmem_reserve_ratio` (up to 4 values, DMA DMA32 Normal Movable; recomputes the lowmem reserves). Only knobs the simulator reads; a value out of range is an error (the kernel\'s write fails with -EINVAL). Put it before the population and operations for a machine booted with that setting (sysctl.conf).', kernel: '`min_free_kbytes_sysctl_handler()`, `watermark_scale_factor_sysctl_handler()`, `lowmem_reserve_ratio_sysctl_handler()` (mm/page_alloc.c), `fragmentation_score_wmark()`, `__compaction_suitable()` (mm/compaction.c), `get_scan_count()` (mm/vmscan.c)', clauses: ['as'], op: true },
  kcompactd: { syntax: 'kcompactd [node N]', doc: 'One wakeup of the node\'s kcompactd, until it would sleep again: if `wakeup_kcompactd()` recorded a request (kswapd going to sleep after a high-order wakeup, or a non-blocking high-order allocation on a balanced node), `kcompactd_do_work()` compacts each zone up to the recorded one for that order (MIGRATE_SYNC_LIGHT, deferral as sync direct compaction); otherwise (its timeout, or a `vm.compaction_proactiveness` write, which skips the request) proactive compaction runs when the node\'s fragmentation score is above the high mark for `vm.compaction_proactiveness` (default 20, `sysctl`) (`compact_node(pgdat, true)` until each zone\'s score is at most the low mark), and then, if a request is pending, `kcompactd_do_work()` without sleeping: the result says both passes.', kernel: '`kcompactd()`, `kcompactd_do_work()`, `compact_node()`, mm/compaction.c', clauses: ['node', 'cpu', 'as'], op: true },
  virtio_op: { syntax: 'virtio_mem NAME plug|unplug SIZE', doc: 'Changes the requested size of a virtio-mem device by SIZE: the driver plugs device blocks (adding and onlining memory blocks) or unplugs them (`alloc_contig_range()` on device blocks, or offlining whole memory blocks).', kernel: 'drivers/virtio/virtio_mem.c', clauses: ['cpu', 'as'], phases: ['run', 'plug', 'online', 'unplug', 'pcp_disable', 'isolate', 'migrate', 'dissolve', 'test', 'offline'], op: true },
  checkpoint: { syntax: 'checkpoint NAME', doc: 'A named point of the run to jump back to when stepping.', clauses: [] },
  cpu_op: { syntax: 'cpu N: OPERATION', doc: 'The operation CPU N runs in this interleaving.', clauses: [] },
  schedule: { syntax: 'schedule cpu N PHASE, cpu M PHASE, …', doc: 'The order of phases: each item runs that CPU\'s operation up to and including the phase.', clauses: [] },
  expect: { syntax: 'expect …', doc: 'An expectation: the run fails (and the line shows an error) when it does not hold. Optional `when VARIANT, …`.', clauses: ['when'] },
};

export const EXPECT_CLAUSES: Record<string, string[]> = {
  expect_result: ['at', 'reason', 'when'],
  expect_buddyinfo: ['within', 'when'],
};

/** Documentation of other keywords and sub-keywords. */
export const KEYWORD_DOCS: Record<string, string> = {
  as: '`as NAME`: names the operation so later statements (`free`, `expect`, `cma_release`) can refer to it.',
  cpu: '`cpu N`: the CPU the operation runs on (default 0); its PCP lists are used. Must be below `cpus`.',
  node: '`node N`: a NUMA node id.',
  zone: '`zone Z`: a zone (DMA, DMA32, Normal, Movable).',
  order: '`order N`: 2^N pages, at most MAX_PAGE_ORDER.',
  gfp: '`gfp FLAGS`: GFP flags joined by `|` (GFP_KERNEL, GFP_ATOMIC, __GFP_HIGH …).',
  count: '`count N`: repeat the allocation N times.',
  high: '`high N` (in `pageset`): the pageset\'s `pcp->high`, as /proc/zoneinfo prints it under `cpu: N`.',
  batch: '`batch N` (in `pageset`): the pageset\'s `pcp->batch` (at least 1), as /proc/zoneinfo prints it.',
  mode: '`mode other|cma|offline`: the isolation mode (`PB_ISOLATE_MODE_*`, formerly MEMORY_OFFLINE / REPORT_FAILURE flags).',
  align: '`align N`: alignment order of a CMA allocation (2^N pages).',
  order_per_bit: '`order_per_bit N`: the CMA bitmap tracks 2^N pages per bit.',
  block: '`block N`: a memory block id (`pfn / pages_per_block`, as in /sys/devices/system/memory/memoryN); for virtio-mem the device block size.',
  pool: '`pool N`: number of huge pages in the boot-time pool.',
  resize: '`resize N`: the new `nr_hugepages`.',
  plug: '`plug SIZE`: request SIZE more plugged memory.',
  unplug: '`unplug SIZE`: request SIZE less plugged memory.',
  grow: '`slab grow`: slab allocates pages.',
  shrink: '`slab shrink`: a shrinker frees reclaimable slab pages.',
  at: '`at PFN`: the first failing pfn the operation reports.',
  reason: '`reason "TEXT"`: the failure reason contains TEXT.',
  when: '`when NAME, …`: this expectation only applies to those variants.',
  ok: '`ok`: the operation succeeded.',
  fails: '`fails`: the operation did not succeed, whatever the errno (e.g. `compact` ending in COMPACT_COMPLETE without a free block of the order). May be followed by `at PFN` and `reason "…"`.',
  migrated: '`migrated`: the number of pages the operation migrated.',
  pageblock: '`pageblock PFN MIGRATETYPE` (population): sets the pageblock\'s migratetype and moves its free blocks to that list.\n\n`expect pageblock PFN MIGRATETYPE`: the migratetype of the pageblock holding PFN (`isolated` for MIGRATE_ISOLATE).',
  buddyinfo: '`expect buddyinfo ZONE == N0 N1 …`: free blocks per order, as in /proc/buddyinfo. `expect buddyinfo ZONE ~ N0 N1 … within T` (or `within P%`): each order within T blocks (or P% of its expected count), for recordings of busy machines; a failure names the orders that differ.',
  within: '`within T` / `within P%`: the tolerance of `expect buddyinfo ZONE ~ …`: each order\'s count may differ from the expected one by T blocks, or by P% of the expected count.',
  valid_zones: '`expect block N valid_zones "Normal Movable"`: the text of /sys/devices/system/memory/memoryN/valid_zones (`valid_zones_show()`, drivers/base/memory.c), matched exactly: an online block its zone (`none` if it spans zones); an offline block the zone `online` would pick first, then the other zones it may be onlined to.',
  vmstat: '`expect vmstat COUNTER CMP N`: a /proc/vmstat event counter, counted from the start of the scenario (compare a recording\'s deltas). Counted: compact_stall, compact_fail, compact_success (`__alloc_pages_direct_compact()`), htlb_buddy_alloc_success/fail (`alloc_buddy_hugetlb_folio()`), pgmigrate_success (`migrate_pages()`), compact_migrate_scanned / compact_free_scanned (`compact_zone()`), compact_isolated (`isolate_migratepages_block()`, `isolate_freepages_block()`, `fast_isolate_freepages()`), compact_daemon_wake / _migrate_scanned / _free_scanned (`kcompactd_do_work()`, proactive `compact_node()`), pageoutrun (`balance_pgdat()`), kswapd_high_wmark_hit_quickly (`kswapd_try_to_sleep()` without a nap). The scanners skip as the kernel\'s do (the free scanner\'s stride, async direct compaction\'s skip_on_failure). Others (pgmigrate_fail, thp_migration_*, kswapd_low_wmark_hit_quickly) are not modelled and are an error.',
  kpageflags: '`expect kpageflags START..END FLAG CMP N`: pages of the range with one /proc/kpageflags flag (`stable_page_flags()`, fs/proc/page.c), counted as the oracle harness\'s `pfnscan` counts them: buddy (every page of a free block; pcp pages have no flag), slab, pgtable, lru, anon, thp, huge (hugetlb), head, tail, nopage (offline/absent memory, holes of whole sections), offline (PageOffline), reserved, noflags (no flag at all). A page whose flag the simulator cannot know (e.g. `offline` of a movable_ops page: balloon or zsmalloc?) fails the expectation as not modelled; flags it does not track (dirty, mmap, referenced …) are an error.',
  freelist: '`expect freelist ZONE MIGRATETYPE order N CMP V`: free blocks on one free list, as in /proc/pagetypeinfo.',
  expect: STMT_INFO.expect!.doc,
  page: STMT_INFO.page!.doc + '\n\nIn `expect page PFN STATE`: the state of one page. PFN may be any page the machine has a struct page for, a hole of a present section too (`init_unavailable_range()`: `reserved`, e.g. pfn 0).',
  hugetlb: 'hugetlb pages: `hugetlb 2M pool N` (boot pool, in machine), `hugetlb 2M resize N` (nr_hugepages), `hugetlb 2M overcommit N` (nr_overcommit_hugepages), `hugetlb 2M alloc N` (a MAP_HUGETLB mapping faulted in), `expect hugetlb 2M free|total|surplus CMP N`.',
  overcommit: '`hugetlb 2M overcommit N`: nr_overcommit_hugepages, the most surplus huge pages (`alloc_surplus_hugetlb_folio()`).',
  virtio_mem: 'virtio-mem: `virtio_mem NAME node N RANGE block SIZE` (device, in machine), `virtio_mem NAME plug|unplug SIZE` (operation).',
  slab: 'slab: `slab grow ZONE N [reclaimable]`, `slab shrink ZONE N%`.',
  online: STMT_INFO.online!.doc + '\n\nIn `expect block N online [ZONE]`: the block is online (in that zone).',
  offline: STMT_INFO.offline!.doc + '\n\nAs a value: an offline memory block, a PageOffline page, or the `offline` isolation mode.',
};

export const ZONE_DOCS: Record<string, string> = {
  DMA: 'ZONE_DMA: the first 16 MiB (ISA DMA).',
  DMA32: 'ZONE_DMA32: memory below 4 GiB (32-bit DMA).',
  Normal: 'ZONE_NORMAL: directly mapped kernel memory; unmovable and movable allocations.',
  Movable: 'ZONE_MOVABLE: only movable allocations (and CMA-like guarantees for offlining); kernel allocations never land here.',
};

export const MIGRATETYPE_DOCS: Record<string, string> = {
  unmovable: 'MIGRATE_UNMOVABLE: kernel allocations that cannot move (GFP_KERNEL).',
  movable: 'MIGRATE_MOVABLE: user and pagecache pages that can be migrated (__GFP_MOVABLE).',
  reclaimable: 'MIGRATE_RECLAIMABLE: reclaimable kernel memory such as dentry/inode slab (__GFP_RECLAIMABLE).',
  highatomic: 'MIGRATE_HIGHATOMIC: pageblocks reserved for high-order atomic allocations (`reserve_highatomic_pageblock()`).',
  cma: 'MIGRATE_CMA: pageblocks of a CMA area; only movable allocations may use them.',
  isolate: 'MIGRATE_ISOLATE: an isolated pageblock; its free pages cannot be allocated.',
  isolated: 'The pageblock is isolated (MIGRATE_ISOLATE, or the PB_migrate_isolate bit since 6.17).',
};

export const KIND_DOCS: Record<string, string> = {
  anon: 'An anonymous page on the LRU (movable).',
  file: 'A pagecache page on the LRU (movable).',
  thp: 'An anonymous transparent huge page (a large folio, movable).',
  slab: 'A slab page (unmovable; `reclaimable` = SLAB_RECLAIM_ACCOUNT, MIGRATE_RECLAIMABLE).',
  pagetable: 'A page-table page (unmovable).',
  kernel: 'Other unmovable kernel memory (alloc_pages(GFP_KERNEL)).',
  vmalloc: 'A vmalloc page (unmovable).',
  movable_ops: 'A non-LRU movable page with movable_operations (zsmalloc, balloon).',
  reserved: 'PageReserved: memblock-reserved, never freed to the buddy.',
  offline: 'PageOffline: logically offline (ballooned or virtio-mem unplugged) inside an online block.',
  hwpoison: 'PageHWPoison: memory failure; never allocated again.',
  pcp: 'A free page with refcount zero sitting on a CPU\'s PCP list (not in the buddy).',
  reclaimable: 'Reclaimable slab (SLAB_RECLAIM_ACCOUNT): a shrinker can free it.',
  pinned: 'Short-term GUP pin (FOLL_PIN): migration fails (-EAGAIN) while the pin is held.',
  longterm: 'FOLL_LONGTERM pin: the page must not be in ZONE_MOVABLE or CMA (it was migrated out before pinning).',
  dirty: 'Dirty pagecache: migration must write it back or use migrate_folio with a dirty mapping. Reclaim does not write it back: it is activated and stays.',
  writeback: 'Under writeback: migration waits or fails (-EBUSY in MIGRATE_ASYNC). Reclaim skips it (activated, PG_reclaim).',
  unevictable: 'Unevictable (mlocked): on LRU_UNEVICTABLE, never reclaimed; still migratable.',
  active: 'On the active LRU list (PG_active). New page cache and anon pages start on the inactive list; reclaim deactivates active pages when the inactive list is low.',
  free: 'Free: in the buddy allocator or on a PCP list.',
  buddy: 'In the buddy allocator (PageBuddy).',
  allocated: 'In use (refcount > 0).',
  vmemmap: 'Holds the memmap of its own memory block (memmap_on_memory).',
  hugetlb: 'Part of a hugetlb folio.',
  packed: 'Fill consecutive free pages.',
  scattered: 'Fill random free pages (default).',
  movable_class: 'Movable pages (anon or pagecache).',
  unmovable: 'Unmovable kernel pages.',
  cma: 'alloc_contig_range with MIGRATE_CMA (the caller is cma_alloc()).',
  online_kernel: 'Online into the kernel zone (ZONE_NORMAL).',
  online_movable: 'Online into ZONE_MOVABLE.',
  other: 'Isolation mode PB_ISOLATE_MODE_OTHER (alloc_contig_range).',
  absent: 'Not present: a hotpluggable range that has not been added.',
};

export const ERRNO_DOCS: Record<string, string> = {
  EBUSY: '-EBUSY: a page could not be isolated or migrated (unmovable, pinned, or not free after draining).',
  EINVAL: '-EINVAL: invalid argument (misaligned range, range crossing zones …).',
  ENOMEM: '-ENOMEM: no memory (no free page, or migration target allocation failed).',
  EINTR: '-EINTR: interrupted by a fatal signal (offline_pages retrying).',
  EAGAIN: '-EAGAIN: temporary failure (a pinned page during migration).',
  ENOSPC: '-ENOSPC: no space (CMA bitmap full).',
  ENOENT: '-ENOENT: nothing to act on.',
  EPERM: '-EPERM: not permitted.',
};

/** `expect kpageflags` flags (src/sim/kpageflags.ts; fs/proc/page.c stable_page_flags) */
export const KPF_DOCS: Record<string, string> = {
  buddy: 'KPF_BUDDY: every page of a free buddy block (PageBuddy on the head, is_free_buddy_page() for the tails); not pages on pcp lists',
  slab: 'KPF_SLAB: every page of a slab folio',
  pgtable: 'KPF_PGTABLE: page-table pages',
  lru: 'KPF_LRU: anon and file pages (PG_lru)',
  anon: 'KPF_ANON: anonymous pages and THPs',
  thp: 'KPF_THP: every page of a large anon or file folio (large_rmappable)',
  huge: 'KPF_HUGE: every page of a hugetlb folio, free or in use',
  head: 'KPF_COMPOUND_HEAD: the first page of a compound page (folio of order > 0)',
  tail: 'KPF_COMPOUND_TAIL: the other pages of a compound page',
  nopage: 'KPF_NOPAGE: no online struct page (offline or absent memory blocks, sections without memory)',
  offline: 'KPF_OFFLINE: PageOffline pages (offline pages of online blocks, virtio-mem fake-offline subblocks)',
  reserved: 'KPF_RESERVED: PG_reserved (memblock reservations; holes inside an online section)',
  noflags: 'no flag at all: plain kernel and vmalloc pages, pages on pcp lists',
};

export const FIELD_DOCS: Record<string, string> = {
  start_pfn: '`zone->zone_start_pfn`',
  end_pfn: '`zone_end_pfn(zone)`: start_pfn + spanned_pages',
  spanned: '`zone->spanned_pages`: pages between start and end, holes included',
  present: '`zone->present_pages`: physical pages in the span',
  managed: '`zone_managed_pages(zone)`: pages the buddy allocator manages',
  free: '`zone_page_state(zone, NR_FREE_PAGES)`',
  free_cma: '`NR_FREE_CMA_PAGES`',
  nr_isolate_pageblock: '`zone->nr_isolate_pageblock`',
  contiguous: '`zone->contiguous` (1 when no holes)',
  cma_pages: '`zone->cma_pages`',
  reported: 'free pages in PageReported buddies (page_reporting), or in "Offline" buddies with `page_reporting = hinting`',
  total: 'hugetlb pages in the pool (`nr_hugepages`)',
  min: '`min_wmark_pages(zone)` (zoneinfo `min`)',
  low: '`low_wmark_pages(zone)` (zoneinfo `low`)',
  high: '`high_wmark_pages(zone)` (zoneinfo `high`)',
  promo: '`promo_wmark_pages(zone)` (zoneinfo `promo`)',
  nr_reserved_highatomic: '`zone->nr_reserved_highatomic`: pages in pageblocks reserved for high-order atomic allocations',
  pcp_count: 'pages on the per-cpu lists of every CPU (zoneinfo `count` summed over the pagesets)',
  pcp_high: '`pcp->high` of CPU 0 (zoneinfo `high` in the pageset)',
  pcp_batch: '`pcp->batch` of CPU 0 (zoneinfo `batch`)',
  blocks_unmovable: 'pageblocks of type Unmovable (/proc/pagetypeinfo "Number of blocks type")',
  blocks_movable: 'pageblocks of type Movable (/proc/pagetypeinfo "Number of blocks type")',
  blocks_reclaimable: 'pageblocks of type Reclaimable (/proc/pagetypeinfo "Number of blocks type")',
  blocks_highatomic: 'pageblocks of type HighAtomic (/proc/pagetypeinfo "Number of blocks type")',
  blocks_cma: 'pageblocks of type CMA (/proc/pagetypeinfo "Number of blocks type")',
  blocks_isolate: 'isolated pageblocks (/proc/pagetypeinfo "Number of blocks type" Isolate)',
  protection_dma: 'lowmem protection against a DMA allocation: zone->lowmem_reserve[ZONE_DMA], the 1st value of /proc/zoneinfo\'s `protection: (…)` (setup_per_zone_lowmem_reserve)',
  protection_dma32: 'lowmem protection against a DMA32 allocation: lowmem_reserve[ZONE_DMA32], the 2nd value of zoneinfo\'s `protection: (…)`',
  protection_normal: 'lowmem protection against a Normal allocation: lowmem_reserve[ZONE_NORMAL], the 3rd value of zoneinfo\'s `protection: (…)` (what a GFP_KERNEL request must leave in this zone above the watermark)',
  protection_movable: 'lowmem protection against a Movable allocation: lowmem_reserve[ZONE_MOVABLE], the 4th value of zoneinfo\'s `protection: (…)` (GFP_HIGHUSER_MOVABLE)',
  protection_device: 'lowmem_reserve[ZONE_DEVICE], the 5th value of zoneinfo\'s `protection: (…)` (ZONE_DEVICE is not modelled: the Movable value for the zones below it, 0 above)',
  // /proc/vmstat counters (`expect vmstat`, src/sim/vmstat.ts)
  compact_stall: 'direct compaction runs that were not skipped (`__alloc_pages_direct_compact()`, COMPACTSTALL)',
  compact_fail: 'direct compaction runs after which the allocation still failed (COMPACTFAIL)',
  compact_success: 'direct compaction runs after which the allocation succeeded (COMPACTSUCCESS)',
  htlb_buddy_alloc_success: 'hugetlb folios allocated from the buddy allocator (`alloc_buddy_hugetlb_folio()`, HTLB_BUDDY_PGALLOC)',
  htlb_buddy_alloc_fail: 'failed buddy allocations of hugetlb folios (HTLB_BUDDY_PGALLOC_FAIL)',
  pgmigrate_success: 'base pages migrated by `migrate_pages()` (PGMIGRATE_SUCCESS): compaction, alloc_contig_range, offlining, migrate',
  compact_migrate_scanned: 'pages the migrate scanner looked at (COMPACTMIGRATE_SCANNED, cc->total_migrate_scanned added by `compact_zone()`): isolate_migratepages_block\'s pfns and fast_find_migrateblock\'s free-list entries',
  compact_free_scanned: 'pages the free scanner looked at (COMPACTFREE_SCANNED, cc->total_free_scanned added by `compact_zone()`): isolate_freepages_block\'s pfns and fast_isolate_freepages\' entries and isolated pages',
  compact_isolated: 'pages isolated by compaction\'s scanners (COMPACTISOLATED): migration sources and free targets, also in alloc_contig_range',
  compact_daemon_wake: 'kcompactd runs for a request (KCOMPACTD_WAKE, `kcompactd_do_work()`)',
  compact_daemon_migrate_scanned: 'compact_migrate_scanned of kcompactd\'s compactions (KCOMPACTD_MIGRATE_SCANNED: kcompactd_do_work and proactive compact_node)',
  compact_daemon_free_scanned: 'compact_free_scanned of kcompactd\'s compactions (KCOMPACTD_FREE_SCANNED: kcompactd_do_work and proactive compact_node)',
  pageoutrun: 'kswapd\'s balance_pgdat passes (PAGEOUTRUN, counted at the top of `balance_pgdat()`): `kswapd` operations and kswapd at a hugetlb resize\'s cond_resched()',
  kswapd_high_wmark_hit_quickly: 'passes after which kswapd did not sleep (KSWAPD_HIGH_WMARK_HIT_QUICKLY, `kswapd_try_to_sleep()`: prepare_kswapd_sleep false, so no HZ/10 nap). Not counted after a nap that timed out (the simulator has no clock)',
};

export const PHASE_DOCS: Record<string, string> = {
  isolate: 'isolate the pageblocks (`start_isolate_page_range()`)',
  drain: 'drain the PCP lists (`drain_all_pages()`)',
  migrate: 'migrate in-use pages out (`__alloc_contig_migrate_range()` / `do_migrate_range()`)',
  dissolve: 'dissolve free hugetlb folios (`replace_free_hugepage_folios()` / `dissolve_free_hugetlb_folios()`)',
  test: 'check every page is free and isolated (`test_pages_isolated()`)',
  take: 'take the pages off the free lists (`isolate_freepages_range()`)',
  undo: 'restore the pageblocks (`undo_isolate_page_range()`)',
  pcp_disable: 'disable the PCP lists of the zone (`zone_pcp_disable()`)',
  offline: 'take the pages offline and shrink the zone (`__offline_isolated_pages()`, `remove_pfn_range_from_zone()`)',
  lookup: 'read the pageblock migratetype (`get_pfnblock_migratetype()` in `free_unref_folios()`)',
  enqueue: 'put the page on the PCP list or in the buddy (`free_unref_page_commit()` / `free_one_page()`)',
  scan: 'one migration-scanner round (`isolate_migratepages()`)',
  report: 'the batch is with the device (`prdev->report()`): the zone lock is dropped, the pages are isolated',
  putback: 'the batch goes back to the free-list tails (`page_reporting_drain()`, `__putback_isolated_page()`)',
  run: 'the whole operation',
};

export const POLICY_DOCS: Record<PolicyName, string> = {
  isolation_granularity: 'What `start_isolate_page_range()` isolates: single pageblocks (`pageblock`, since 5.19, Zi Yan) or whole MAX_ORDER-1 blocks (`max_order`, before).',
  isolate_migratetype: 'Whether a pageblock remembers its migratetype while isolated: `kept` (6.17, separate PB_migrate_isolate bit) or `lost` (before: undo writes MIGRATE_MOVABLE).',
  contig_pcp: 'PCP handling in alloc_contig_range(): `drain_once` (mainline `drain_all_pages()` after isolation) or `disable` (`zone_pcp_disable()` like offline_pages, a proposal).',
  contig_slab_shrink: '`on`: shrink reclaimable slab in the range before isolating (proposal); `off`: mainline.',
  contig_retry: '`contig`: alloc_contig_range gives up after 5 migration passes (-EBUSY); `offline`: retry until a signal like offline_pages (proposal).',
  freelist_hygiene: '`on` (6.10): every free block sits on its pageblock\'s free list and merging retypes buddies; `off`: before.',
  fallback: '`claim_steal` (6.15: `__rmqueue_claim()` / `__rmqueue_steal()`) or `legacy` (`__rmqueue_fallback()`).',
  cma_alignment: 'CMA area alignment: `pageblock` (5.19, CMA_MIN_ALIGNMENT_PAGES) or `max_order` (MAX_ORDER-1, 4 MiB).',
  online_policy: '`memory_hotplug.online_policy`: `contig-zones` (keep zones contiguous) or `auto-movable` (ZONE_MOVABLE up to `auto_movable_ratio`).',
  auto_movable_ratio: '`memory_hotplug.auto_movable_ratio`: max MOVABLE:KERNEL ratio in percent for auto-movable onlining (default 301).',
  auto_movable_numa_aware: '`memory_hotplug.auto_movable_numa_aware`: `on` (default, Y) makes auto-movable onlining check the MOVABLE:KERNEL ratio for the block\'s node as well as system-wide (`auto_movable_zone_for_pfn()`); `off` checks it system-wide only.',
  movable_kernel_fallback: '`harvest`: convert a MOVABLE pageblock to a kernel one when kernel allocations run out (proposal); `off`: mainline.',
  vmemmap_accounting: 'Where memmap_on_memory vmemmap pages are accounted: `online` (mainline, in the zone) or `reserve` (outside the zone, proposal).',
  compaction_freelist: 'The compaction free scanner keeps `multi_order` free lists (6.9, compacting large folios) or `order0` pages only (before).',
  page_reporting: '`reporting` (page_reporting, 5.7) or `hinting` (watermark on nr_free with "Offline" buddy pages, proposal).',
  page_reporting_order: 'Smallest order reported (`page_reporting_order`); 0 = pageblock_order.',
  offline_max_passes: 'offline_pages() migration passes before -EBUSY; 0 = retry until a signal (mainline).',
  offline_signal_after: 'The simulated user sends a fatal signal after this many migration passes without progress: `offline_pages()` and `alloc_contig_range()` (whose own limit is 5 tries) then return -EINTR. Default 1000.',
  highatomic_reserve: 'Cap of the MIGRATE_HIGHATOMIC reserve (`reserve_highatomic_pageblock()`). `aligned` (6.8+): ALIGN(managed/100, pageblock), and no reserve at all when 1% of the zone is less than a pageblock. `legacy`: managed/100 + one pageblock, no minimum.',
  memhp_default_state: 'The `memhp_default_state=` kernel parameter (`/sys/devices/system/memory/auto_online_blocks`): `offline` (default here) leaves added memory blocks offline for user space (udev) to online; `online`, `online_kernel`, `online_movable` make `add_memory_resource()` online every block it adds (`online_memory_block()`), coldplugged DIMMs at boot included. An auto-online that fails leaves the block offline; the add still succeeds.',
  atomic_reserves: 'Which requests may use the reserves (`gfp_to_alloc_flags()`). `gfp_high` (6.3+, also later 6.1.y stable kernels such as Debian\'s 6.1.192): every non-blocking request gets ALLOC_NON_BLOCK (order-0 may fall back to the HIGHATOMIC list); ALLOC_HIGHATOMIC (order > 0) and the extra min/4 need `__GFP_HIGH` as well, so GFP_NOWAIT gets neither. `gfp_atomic` (before): ALLOC_HARDER for `__GFP_ATOMIC` (GFP_ATOMIC) only: min/4 below the min watermark (min/2 more with `__GFP_HIGH`), the HIGHATOMIC list first and a new reserve for order > 0.',
  lru_gen: 'Which LRU reclaim uses (CONFIG_LRU_GEN_ENABLED, `/sys/kernel/mm/lru_gen/enabled`). `off` (mainline\'s default): the classic two-list LRU (inactive/active × anon/file), which the simulator models. `on` (Debian\'s 6.12 build and others enable it): MGLRU generations, which the simulator does not model: reclaim still takes pages in the classic order and every result that reclaimed says so. Which pages go first may differ; whether clean page cache (and anon with swap) can be reclaimed does not.',
  memmap_on_memory_size: 'Which hot-adds get memmap_on_memory. `per_block` (6.6+, create_altmaps_and_memory_blocks): any add of whole memory blocks, one altmap per block. `single_block` (before): mhp_supports_memmap_on_memory(size) requires size == memory_block_size_bytes(), so a DIMM of several blocks gets its memmap from the page allocator.',
  hugetlb_pool_enqueue: 'Where the folios of one `hugetlb SIZE resize` grow join the pool\'s freelist, which decides which folios a later shrink gives back (remove_pool_hugetlb_folio takes the head). `batch` (6.7+): set_max_huge_pages collects them on a page_list and prep_and_add_allocated_folios enqueues them together, the oldest at the head — a shrink frees the first allocated of the last grow first. `each` (before): each folio is enqueued as it is allocated — a shrink frees the last allocated first.',
  gigantic_free: 'How a gigantic (order > MAX_PAGE_ORDER) hugetlb folio is freed. `folio` (6.12): allocated with `__GFP_COMP`, freed by `folio_put` → `__free_pages_ok` → `split_large_buddy` straight into the buddy in pageblock chunks, never the pcp. `pages` (before): `free_contig_range` page by page, through the pcp lists.',
  isolate_straddle: 'A compound page across an `alloc_contig_range`/offline isolation boundary (`isolate_single_pageblock()`). `skip_huge` (6.10+): a hugetlb folio is stepped over (the migration phase meets it: a gigantic one is -ENOMEM), any other fails -EBUSY. `migrate` (5.19–6.9): hugetlb, LRU and movable_ops compound pages are migrated right there; a gigantic hugetlb folio cannot be (-ENOMEM inside), and any failure is -EBUSY — which virtio-mem skips where it stops on -ENOMEM.',
  highatomic_watermark: 'What `__zone_watermark_unusable_free()` holds back from non-reserve allocations. `free` (6.12.y stable and later): the free highatomic pages (`nr_free_highatomic`). `reserved` (before): the whole reserve (`nr_reserved_highatomic`), free or not.',
  compaction_cma_check: 'Whether `compaction_suit_allocation_order()` also checks the free memory outside CMA. `async_costly` (mainline, by 6.15): for async compaction of a costly order without ALLOC_CMA (an unmovable or reclaimable request), compaction is skipped (COMPACT_SKIPPED) unless the free pages outside CMA pass the order-0 mark + compact_gap(order): it could only form the page in CMA pageblocks the request cannot use. `off` (6.12 and before): no such check.',
  hotplug_contiguous: 'Where `set_zone_contiguous()` runs on hotplug. `move_pfn_range` (≤6.17): inside `move_pfn_range_to_zone()`, before the new sections are online, so a zone that just grew reads `contiguous = false`. `memory_block` (mm tree, `latest`): around `memory_block_online()`/`memory_block_offline()`.',
};

export const KERNEL_DOCS: Record<string, string> = {
  '5.10': 'LTS 5.10: MAX_ORDER-1 isolation, migratetype lost on undo, legacy fallback, order-0 compaction free lists.',
  '5.15': 'LTS 5.15: as 5.10.',
  '5.18': 'Last release with MAX_ORDER-1 isolation granularity and MAX_ORDER-1 CMA alignment.',
  '5.19': 'Pageblock-granular isolation (Zi Yan), CMA_MIN_ALIGNMENT_PAGES = pageblock.',
  '6.1': 'LTS 6.1.',
  '6.6': 'LTS 6.6.',
  '6.9': 'Compaction of large folios (multi-order free lists in the free scanner).',
  '6.10': 'Free-list hygiene (Johannes Weiner): free blocks always on their pageblock\'s list.',
  '6.12': 'LTS 6.12.',
  '6.15': 'Fallback split into claim (`__rmqueue_claim`) and steal (`__rmqueue_steal`).',
  '6.17': 'PB_migrate_isolate: isolation keeps the pageblock migratetype.',
  latest: 'Mainline as of the newest preset (default).',
};
