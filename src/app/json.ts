// A run outcome as `mmscn run --json` prints it, and as the language server's mmscn/run answers it (src/lsp/run.ts).
// Here, not in src/cli (which reads files), so the language server stays free of Node's file system.
import type { RunOutcome } from '../sim/runner.js';

export function toJson(o: RunOutcome) {
  return {
    variant: o.variant,
    policies: o.policies,
    ops: o.ops.map((r) => ({
      line: r.loc.line,
      op: r.op,
      name: r.name,
      cpu: r.cpu,
      ok: r.result.ok,
      errno: r.result.errno ? `-${r.result.errno}` : null,
      internal: r.result.internal ? `internal error: ${r.result.internal.message}` : null,
      pfn: r.result.pfn,
      reason: r.result.reason,
      allocated: r.result.allocated,
      migrations: r.result.migrations,
      // what __alloc_pages_slowpath did (alloc, slab grow), and the operation's notes
      ...(r.result.slowpath ? { slowpath: r.result.slowpath } : {}),
      // the compact_zone runs of compact / kcompactd: scanner start and end, fast searches, skip hints
      ...(r.result.compaction ? { compaction: r.result.compaction } : {}),
      notes: r.result.events.filter((e) => e.type === 'note').map((e) => (e as { text: string }).text),
    })),
    expectations: o.expectations.map((e) => ({ line: e.loc.line, ok: e.ok, message: e.message })),
    errors: o.errors.map((e) => ({ line: e.loc.line, message: e.message })),
    // the simulator failed on an operation: the run stopped before that step (zones/blocks are from before it)
    internal: o.internal && {
      line: o.internal.loc.line, step: o.internal.step + 1, op: o.internal.op, name: o.internal.name, cpu: o.internal.cpu,
      message: o.internal.message, notRun: o.internal.notRun,
    },
    // how each interleave ran: its transitions (phase null: the operation ended) and the lock waits
    ...(o.schedules?.length ? { schedules: o.schedules.map((x) => ({ line: x.loc.line, trace: x.trace, blocks: x.blocks.map((b) => ({ ...b, loc: undefined, line: b.loc.line })) })) } : {}),
    zones: o.machine.zones(),
    blocks: o.machine.blocks(),
  };
}
