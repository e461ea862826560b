// mmscn.verifyMachine: `mmscn verify --live OPERATION` inside VS Code. Imports the machine the extension host runs on
// (never the workspace), predicts the operation in the simulator, performs it on the machine, restores it, and shows
// both in the inspector (and the text in the output channel). Desktop only: the command is hidden on the web.
// On this machine it runs `mmscn verify --live … --json` in a child process (cliProcess.ts): the import and the
// simulation are synchronous and take seconds, the extension host stays responsive. Cancel sends SIGTERM: before the
// operation the child ends at once; during it, the child restores the machine first (src/import/live.ts).
import * as vscode from 'vscode';
import { verify, VerifyError, type MachineFiles } from '../import/live.js';
import { ImportError } from '../import/parse.js';
import { formatReport, parseVerifyOp, verifyView, type VerifyOp, type VerifyReport } from '../import/verify.js';
import { errorLine, runCli, type Cancellation } from './cliProcess.js';
import type { Inspector } from './inspector.js';

export interface VerifySummary { ok: boolean; message: string; report: VerifyReport | null }

async function pickOperation(): Promise<string | undefined> {
  const items = [
    { label: 'hugetlb 2M +4', description: 'grow the 2 MiB pool by 4 pages, then shrink it back' },
    { label: 'hugetlb 2M +N…', description: 'grow the 2 MiB pool by N pages, then shrink it back' },
    { label: 'hugetlb 1G +1', description: 'grow the 1 GiB pool by 1 page (migrates pages), then shrink it back' },
    { label: 'compact_memory', description: 'compact every zone (/proc/sys/vm/compact_memory)' },
  ];
  const p = await vscode.window.showQuickPick(items, { title: 'mmscn: verify a prediction on this machine', placeHolder: 'operation (it runs on this machine, which is restored after)' });
  if (!p) return undefined;
  if (p.label !== 'hugetlb 2M +N…') return p.label;
  const n = await vscode.window.showInputBox({ title: 'grow the 2 MiB pool by', value: '16', validateInput: (v) => (typeof parseVerifyOp(['hugetlb', '2M', v]) === 'string' ? (parseVerifyOp(['hugetlb', '2M', v]) as string) : null) });
  return n === undefined ? undefined : `hugetlb 2M +${n}`;
}

class ChildError extends Error {}

/**
 * `mmscn verify --live OP --json` in a child process. 'cancelled' when cancelled before the child printed a report;
 * a cancel that came while the operation ran still gives the report (the child restored the machine first).
 */
async function verifyInChild(op: VerifyOp, cancel: Cancellation): Promise<VerifyReport | 'cancelled'> {
  const words = op.kind === 'compact' ? ['compact_memory'] : ['hugetlb', op.size, `+${op.n}`];
  const r = await runCli(['verify', '--live', '--json', ...words], { cancel });
  if ((r.code === 0 || r.code === 1) && r.stdout.trim().startsWith('{')) {
    try { return JSON.parse(r.stdout) as VerifyReport; } catch { /* below */ }
  }
  if (r.cancelled) return 'cancelled';
  throw new ChildError(errorLine(r).replace(/^mmscn verify: /, ''));
}

/**
 * `operation` (e.g. "hugetlb 2M +2") skips the pick and the confirmation (tests, keybindings); `machine` replaces
 * this machine (tests).
 */
export async function verifyMachine(out: vscode.OutputChannel, inspector: Pick<Inspector, 'showVerify'>, operation?: unknown, machine?: MachineFiles): Promise<VerifySummary> {
  const fail = (message: string): VerifySummary => {
    out.appendLine(`[verify] ${message}`);
    void vscode.window.showErrorMessage(`mmscn: ${message}`);
    return { ok: false, message, report: null };
  };
  if (!machine && process.platform !== 'linux') return fail(`verify needs Linux: the extension host runs on ${process.platform}`);
  const words = typeof operation === 'string' ? operation : await pickOperation();
  if (words === undefined) return { ok: false, message: 'cancelled', report: null };
  const op = parseVerifyOp(words.trim().split(/\s+/));
  if (typeof op === 'string') return fail(op);
  if (typeof operation !== 'string') {
    const go = await vscode.window.showWarningMessage(`mmscn: "${words}" runs on this machine (then the machine is restored). Continue?`, { modal: true }, 'Run on this machine');
    if (go !== 'Run on this machine') return { ok: false, message: 'cancelled', report: null };
  }
  let report: VerifyReport;
  try {
    const got = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `mmscn: verifying ${words} on this machine…`, cancellable: !machine }, async (_p, token) => {
      if (!machine) return verifyInChild(op, token);
      await new Promise((r) => setTimeout(r, 0)); // a fake machine (tests): in this process
      return verify(op, machine);
    });
    if (got === 'cancelled') {
      out.appendLine('[verify] cancelled before the operation: nothing was changed on this machine');
      return { ok: false, message: 'cancelled', report: null };
    }
    report = got;
  } catch (e) {
    return fail(e instanceof VerifyError || e instanceof ImportError || e instanceof ChildError ? (e as Error).message : `cannot verify: ${(e as Error).message}`);
  }
  for (const l of formatReport(report, op).split('\n')) out.appendLine(`[verify] ${l}`);
  await inspector.showVerify(verifyView(report, op));
  const restoreFailed = report.restore !== null && !report.restore.done;
  const message = restoreFailed ? `mmscn: ${report.restore!.text}` : `mmscn: verified ${report.operation} on this machine (see the inspector)`;
  if (restoreFailed) void vscode.window.showErrorMessage(message); else void vscode.window.showInformationMessage(message);
  return { ok: !restoreFailed, message, report };
}
