// One wording for an operation's title and for an internal error, shared by the CLI, the editor's output and the
// debugger (the outcome itself: outcomeText in src/shared/format.ts).

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
