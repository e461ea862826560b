// Semantic tokens: keyword, operation (function), number, name, zone (type), enum values, comments.
import type { SemanticToken, SemanticTokenType } from './types.js';
import type { Role } from './ast.js';
import { argsOf } from './ast.js';
import { analyze } from './analyze.js';
import { STMT_INFO } from './docs.js';
import { guarded } from './internal.js';

const ROLE_TYPE: Partial<Record<Role, SemanticTokenType>> = {
  zone: 'type', field: 'property', policy: 'property', migratetype: 'enumMember', kind: 'enumMember', flag: 'enumMember',
  state: 'enumMember', mode: 'enumMember', value: 'enumMember', policyValue: 'enumMember', phase: 'enumMember', gfp: 'enumMember',
  labelDecl: 'variable', labelRef: 'variable', cmaDecl: 'variable', cmaRef: 'variable', deviceDecl: 'variable', deviceRef: 'variable',
  variantDecl: 'variable', variantRef: 'variable', checkpointDecl: 'variable',
};
const PUNCT: Record<string, SemanticTokenType> = { Cmp: 'operator', Tilde: 'operator', Equals: 'operator', DotDot: 'operator', Plus: 'operator', Pipe: 'operator' };
const NUMS = new Set(['Hex', 'Dec', 'Size', 'Percent', 'Version']);

export function semanticTokens(text: string): SemanticToken[] {
  return guarded('semantic tokens', [], () => {
    const p = analyze(String(text)).parse; // the cached analysis of this text, not a new parse
    const roles = new Map<string, Role>();
    const heads = new Set<string>();
    for (const s of p.ast.all) {
      for (const st of s.inner ? [s, s.inner] : [s]) if (STMT_INFO[st.kind]?.op) heads.add(`${st.headLoc.line}:${st.headLoc.col}`);
      for (const a of argsOf(s)) if (a && a.t === 'word') roles.set(`${a.loc.line}:${a.loc.col}`, a.role);
    }
    const out: SemanticToken[] = [];
    const all = [...p.lexed.tokens, ...p.lexed.comments].sort((a, b) => a.startOffset - b.startOffset);
    for (const t of all) {
      const n = t.tokenType.name;
      const line = t.startLine ?? 1;
      const col = t.startColumn ?? 1;
      const key = `${line}:${col}`;
      let type: SemanticTokenType | undefined;
      const modifiers: string[] = [];
      if (n === 'Comment') type = 'comment';
      else if (n === 'String' || n === 'BadString') type = 'string';
      else if (n === 'Errno') type = 'enumMember';
      else if (NUMS.has(n)) type = 'number';
      else if (PUNCT[n]) type = PUNCT[n];
      else if (roles.has(key)) {
        const r = roles.get(key)!;
        type = ROLE_TYPE[r] ?? 'variable';
        if (r.endsWith('Decl')) modifiers.push('declaration');
      } else if (n.startsWith('Kw_')) type = heads.has(key) ? 'function' : 'keyword';
      else if (n === 'Identifier') type = 'variable';
      if (type) out.push({ line, col, length: t.image.length, type, modifiers });
    }
    return out;
  });
}
