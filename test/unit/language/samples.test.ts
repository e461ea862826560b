// Every sample scenario (samples/**/*.mmscn) and every mmscn example of docs/language.md parses cleanly.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/language/index.js';

function samples(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? samples(p) : p.endsWith('.mmscn') ? [p] : [];
  });
}

describe('language: samples parse without errors', () => {
  for (const file of samples('samples')) {
    it(file, () => {
      const a = analyze(readFileSync(file, 'utf8'));
      const errors = a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
      assert.deepEqual(errors, []);
      assert.ok(a.scenario);
    });
  }
});

describe('language: docs/language.md examples have no syntax errors', () => {
  const doc = readFileSync('docs/language.md', 'utf8');
  const blocks = [...doc.matchAll(/```mmscn\n([\s\S]*?)```/g)].map((m) => m[1]!);
  it('has examples', () => assert.ok(blocks.length >= 5));
  blocks.forEach((b, i) => {
    it(`example ${i + 1}: ${b.split('\n')[0]!.slice(0, 50)}`, () => {
      const a = analyze(b);
      const syntax = a.diagnostics.filter((d) => d.source === 'syntax').map((d) => `${d.loc.line}:${d.loc.col} ${d.message}`);
      assert.deepEqual(syntax, []);
    });
  });
});
