// `mmscn verify --live OPERATION`: the command line of src/import/live.ts (which imports this machine, predicts,
// performs, measures and restores); this file only parses the words and prints the report.
import { ImportError } from '../import/parse.js';
import { formatReport, parseVerifyOp, type VerifyReport } from '../import/verify.js';
import { liveMachine, verify, VerifyError, type MachineFiles } from '../import/live.js';

export { liveMachine, verify, VerifyError, cannotVerify, type MachineFiles } from '../import/live.js';

export interface VerifyCliOptions { live?: boolean; json?: boolean }

export function runVerify(o: VerifyCliOptions, words: string[], write: (s: string) => void, warn: (s: string) => void, m: MachineFiles = liveMachine()): number {
  if (!o.live) { warn('mmscn verify: give --live (verify performs the operation on this machine)'); return 2; }
  const op = parseVerifyOp(words);
  if (typeof op === 'string') { warn(`mmscn verify: ${op}`); return 2; }
  let r: VerifyReport;
  try {
    r = verify(op, m);
  } catch (e) {
    warn(`mmscn verify: ${e instanceof VerifyError || e instanceof ImportError ? '' : 'cannot verify: '}${(e as Error).message}`);
    return 2;
  }
  write(o.json ? JSON.stringify(r, null, 2) : formatReport(r, op));
  return r.restore && !r.restore.done ? 1 : 0;
}
