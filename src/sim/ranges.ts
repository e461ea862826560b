// Half-open pfn ranges [start, end): set operations shared by boot (holes, reservations) and import.
export type Range = [number, number];

/** The parts of `ranges` not covered by any of `cut`. */
export function subtract(ranges: Range[], cut: Range[]): Range[] {
  let out = ranges;
  for (const [cs, ce] of cut) {
    const next: Range[] = [];
    for (const [s, e] of out) {
      if (ce <= s || cs >= e) { next.push([s, e]); continue; }
      if (s < cs) next.push([s, cs]);
      if (ce < e) next.push([ce, e]);
    }
    out = next;
  }
  return out;
}

/** The parts covered by both, sorted by start. */
export function intersect(a: Range[], b: Range[]): Range[] {
  const out: Range[] = [];
  for (const [s, e] of a) for (const [t, u] of b) { const x = Math.max(s, t), y = Math.min(e, u); if (x < y) out.push([x, y]); }
  return out.sort((p, q) => p[0] - q[0]);
}

export const totalPages = (a: Range[]) => a.reduce((n, [s, e]) => n + e - s, 0);
