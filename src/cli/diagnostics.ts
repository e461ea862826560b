import type { Diagnostic } from '../language/types.js';

/** `file:line:col: error: message`, the format compilers use and editors link. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.loc.line}:${d.loc.col}: ${d.severity === 'error' ? 'error' : d.severity}: ${d.message}`;
}
