// One wording for an operation's outcome, shared by the CLI, the editor's output and inline results.
import type { OpResult } from './api.js';

export const hex = (n: number) => '0x' + n.toString(16);

/** `✓ ok` or `✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain`, plus `(3/4 migrations)`. */
export function outcomeText(res: Pick<OpResult, 'ok' | 'errno' | 'pfn' | 'reason' | 'migrations' | 'internal'>): string {
  if (res.internal) return `‼ internal error — ${res.internal.message}`;
  // a failure without an errno (compaction that found no block) says "failed"
  let s = res.ok ? '✓ ok' : `✗ ${res.errno ? '-' + res.errno : 'failed'}${res.pfn !== null ? ` at pfn ${hex(res.pfn)}` : ''}${res.reason ? ` — ${res.reason}` : ''}`;
  if (res.migrations?.length) s += ` (${res.migrations.filter((m) => m.result === 'ok').length}/${res.migrations.length} migrations)`;
  return s;
}

/** `alloc_contig_range r [cpu 1]`: the operation as its line names it. */
export function opTitle(op: string, name: string | null, cpu: number): string {
  return `${op}${name ? ' ' + name : ''}${cpu ? ` [cpu ${cpu}]` : ''}`;
}

/** What the user reads when the simulator failed on an operation (CLI, editor, debugger). */
export function internalErrorText(f: { op: string; name: string | null; cpu: number; loc: { line: number }; step: number; message: string; notRun: number }, total: number): string {
  return `internal error in ${opTitle(f.op, f.name, f.cpu)} (line ${f.loc.line}, step ${f.step + 1}/${total}): ${f.message}\n` +
    `  the state shown is from before this step; ${f.notRun === 1 ? 'this step was' : `this step and the ${f.notRun - 1} after it were`} not run.\n` +
    `  This is a bug in mmscn, not the kernel's answer: please report it with the scenario file.`;
}
