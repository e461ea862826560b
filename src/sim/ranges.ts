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

export const totalPages = (a: Range[]) => a.reduce((n, [s, e]) => n + e - s, 0);
