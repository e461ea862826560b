// `interleave` schedules the kernel cannot run: a schedule item whose CPU needs a sleeping lock another CPU holds
// while a later item still wants that holder stopped (src/sim/interleave.ts scheduleLockProblems, locks.ts rules).
// Checked under every variant's policies (contig_pcp changes which locks alloc_contig_range holds).
import type { Scenario } from '../sim/scenario.js';
import { resolvePolicies } from '../sim/policies.js';
import { scheduleLockProblems } from '../sim/interleave.js';
import type { Diagnostic } from './types.js';

export function lockDiagnostics(s: Scenario): Diagnostic[] {
  const variants = s.variants.length ? s.variants : [null];
  const found = new Map<string, { d: Diagnostic; variants: string[] }>();
  for (const v of variants) {
    const pol = resolvePolicies(v?.kernel ?? s.kernel, s.policies, v?.policies ?? {});
    for (const st of s.steps) {
      if (st.kind !== 'interleave' || !st.schedule.length) continue;
      for (const p of scheduleLockProblems(st.ops, st.schedule, pol)) {
        const key = `${p.loc.line}:${p.loc.col}:${p.message}`;
        const f = found.get(key) ?? { d: { loc: p.loc, severity: 'error', message: p.message, source: 'semantic' }, variants: [] };
        if (v) f.variants.push(v.name);
        found.set(key, f);
      }
    }
  }
  return [...found.values()].map(({ d, variants: vs }) =>
    vs.length && vs.length < variants.length ? { ...d, message: `${d.message} (variant ${vs.join(', ')})` } : d);
}
