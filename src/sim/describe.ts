// One wording for an operation's outcome, shared by the CLI, the editor's output and inline results.
import type { OpResult } from './api.js';

export const hex = (n: number) => '0x' + n.toString(16);

/** `✓ ok` or `✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain`, plus `(3/4 migrations)`. */
export function outcomeText(res: Pick<OpResult, 'ok' | 'errno' | 'pfn' | 'reason' | 'migrations'>): string {
  // a failure without an errno (compaction that found no block) says "failed"
  let s = res.ok ? '✓ ok' : `✗ ${res.errno ? '-' + res.errno : 'failed'}${res.pfn !== null ? ` at pfn ${hex(res.pfn)}` : ''}${res.reason ? ` — ${res.reason}` : ''}`;
  if (res.migrations?.length) s += ` (${res.migrations.filter((m) => m.result === 'ok').length}/${res.migrations.length} migrations)`;
  return s;
}

/** `alloc_contig_range r [cpu 1]`: the operation as its line names it. */
export function opTitle(op: string, name: string | null, cpu: number): string {
  return `${op}${name ? ' ' + name : ''}${cpu ? ` [cpu ${cpu}]` : ''}`;
}
