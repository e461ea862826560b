// What each line shows after a run or at the debugger's current step (pure: no vscode, tested in Node).
// Operations: `✓ ok` / `✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain` (src/sim/describe.ts wording);
// expectations: `✓` / `✗ expected …, but …`; run errors: `✗ error: …`. With several variants, each line
// shows every variant's outcome: `drain_once ✗ -EBUSY … · disable ✓ ok`.
import type { OpResult } from '../../sim/api.js';
import { outcomeText } from '../../shared/format.js';

export interface OutcomeForLines {
  variant: string | null;
  ops: { loc: { line: number }; result: OpResult }[];
  expectations: { loc: { line: number }; ok: boolean; message: string }[];
  errors: { loc: { line: number }; message: string }[];
}

export interface LineResult {
  /** 1-based */
  line: number;
  text: string;
  ok: boolean;
}

export function lineResults(outcomes: readonly OutcomeForLines[]): LineResult[] {
  // line → variant → parts
  const byLine = new Map<number, Map<string | null, { texts: string[]; ok: boolean }>>();
  const add = (line: number, variant: string | null, text: string, ok: boolean) => {
    let m = byLine.get(line);
    if (!m) byLine.set(line, (m = new Map()));
    const e = m.get(variant) ?? { texts: [], ok: true };
    e.texts.push(text);
    e.ok &&= ok;
    m.set(variant, e);
  };
  for (const o of outcomes) {
    for (const r of o.ops) add(r.loc.line, o.variant, outcomeText(r.result), r.result.ok);
    for (const e of o.expectations) add(e.loc.line, o.variant, e.ok ? '✓' : `✗ ${e.message}`, e.ok);
    for (const e of o.errors) add(e.loc.line, o.variant, `✗ error: ${e.message}`, false);
  }
  const many = outcomes.length > 1;
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, m]) => {
    const parts = [...m.entries()].map(([v, e]) => `${many && v ? v + ' ' : ''}${e.texts.join(' · ')}`);
    return { line, text: parts.join('  ·  '), ok: [...m.values()].every((e) => e.ok) };
  });
}
