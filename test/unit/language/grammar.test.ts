// The TextMate grammar, language configuration and snippets are valid and cover the language.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KEYWORDS } from '../../../src/language/lexer.js';
import { analyze } from '../../../src/language/index.js';

describe('language: editor contributions', () => {
  const g = JSON.parse(readFileSync('syntaxes/mmscn.tmLanguage.json', 'utf8'));
  it('grammar scope and regexes compile', () => {
    assert.equal(g.scopeName, 'source.mmscn');
    const walk = (o: unknown): void => {
      if (!o || typeof o !== 'object') return;
      for (const [k, v] of Object.entries(o)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') new RegExp(v.replace(/\(\?<!/g, '(?<!'));
        else walk(v);
      }
    };
    walk(g);
  });
  it('every keyword is highlighted', () => {
    const kw = g.repository.keyword.patterns.map((p: { match: string }) => new RegExp(p.match));
    for (const k of KEYWORDS) assert.ok(kw.some((r: RegExp) => r.test(k)), k);
  });
  it('language configuration', () => {
    const c = JSON.parse(readFileSync('language-configuration.json', 'utf8'));
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.brackets, [['{', '}']]);
  });
  it('snippet bodies parse once placeholders are filled', () => {
    const s = JSON.parse(readFileSync('snippets/mmscn.json', 'utf8')) as Record<string, { body: string[] }>;
    for (const [name, sn] of Object.entries(s)) {
      const text = sn.body.join('\n').replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d/g, '');
      const syntax = analyze(text).diagnostics.filter((d) => d.source === 'syntax');
      assert.deepEqual(syntax.map((d) => d.message), [], name);
    }
  });
});
