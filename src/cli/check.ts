// `mmscn check FILE…`: syntax and semantic diagnostics as `file:line:col: error: message`.
import { readFileSync } from 'node:fs';
import { analyzeOnce } from '../language/index.js';

/** Prints every problem of every file; returns 2 when a file has errors (or cannot be read), else 0. */
export function runCheck(files: string[], write: (line: string) => void): number {
  let code = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      write(`${file}:1:1: error: cannot read file: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
      code = 2;
      continue;
    }
    // analyze()'s diagnostics without holding the text's tokens and syntax tree (an imported machine is 10^5-10^6 lines)
    const { diagnostics } = analyzeOnce(text);
    for (const d of diagnostics) {
      const sev = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note';
      write(`${file}:${d.loc.line}:${d.loc.col}: ${sev}: ${d.message}`);
      if (d.severity === 'error') code = 2;
    }
  }
  return code;
}
