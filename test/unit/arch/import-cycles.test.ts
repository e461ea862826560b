// No import cycles inside src/: every module graph below src/ must be a DAG (docs/architecture.md).
// Type-only imports count too: a cycle of types still means two modules that cannot be read apart.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../../src');

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** relative imports of one file, resolved to .ts paths under src */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const base = resolve(dirname(file), spec);
    const cands = [base.replace(/\.js$/, '.ts'), base + '.ts', join(base, 'index.ts')];
    const hit = cands.find((c) => c.startsWith(SRC) && existsSync(c) && statSync(c).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

/** every cycle found by a DFS (one per back edge), as lists of src-relative paths */
export function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 1) cycles.push([...stack.slice(stack.indexOf(g)), g].map((p) => relative(SRC, p)));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('architecture: imports inside src/', () => {
  it('finds the imports of a module (self-check of the walker)', () => {
    const deps = importsOf(join(SRC, 'sim/machine.ts')).map((p) => relative(SRC, p));
    assert.ok(deps.length > 3, `machine.ts imports: ${deps.join(', ')}`);
  });

  it('has no import cycles', () => {
    const cycles = findCycles(tsFiles(SRC));
    assert.deepEqual(cycles.map((c) => c.join(' → ')), []);
  });
});
