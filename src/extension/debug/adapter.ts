// The mmscn debug adapter (Debug Adapter Protocol): translates DAP requests into ScenarioRuntime calls and
// runtime stops into DAP events. No `vscode` import: it runs inline in the extension host
// (DebugAdapterInlineImplementation), and in plain Node for the adapter tests (test/adapter).
import {
  Breakpoint as DapBreakpoint, BreakpointEvent, DebugSession, type ErrorDestination, Handles, InitializedEvent, OutputEvent, Response, Scope, Source,
  StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { findVariant, prepareRun, type PreparedRun } from '../../app/run.js';
import { countsText } from '../../app/report.js';
import { buddyinfo, memoryBlocks, pagetypeinfo, zoneinfo } from '../../sim/proc.js';
import type { Variant } from '../../sim/scenario.js';
import {
  ExprError, describe, evaluate, fieldsOf, isCompound, safeParse, zoneLabel, type Value,
} from './expr.js';
import { ScenarioRuntime, type ExceptionFilter, type Slices, type Stop } from './runtime.js';
import { checkRequestArgs } from './requestArgs.js';
import { yieldToHost } from '../slices.js';

/** Reads the scenario text; inline the extension reads open editors first (unsaved edits count). */
export interface FileAccessor {
  readFile(path: string): Promise<string>;
}

export interface MmscnLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** the .mmscn file (a path, or a URI for untitled/virtual documents) */
  program: string;
  stopOnEntry?: boolean;
  /** which variant to run; the first when absent */
  variant?: string;
  /** kernel preset for a file without a `kernel` line */
  kernel?: string;
  /** run to this 1-based line and stop there (CodeLens "Run to here") */
  runToLine?: number;
  /** check the simulator's invariants after every step (slower) */
  checkInvariants?: boolean;
}

/** What the editor side (inline results, status bar, hover) hears after every stop. */
export interface SessionState {
  program: string;
  variant: string | null;
  /** 1-based line of the stop, or null once the session ended */
  line: number | null;
  /** the step about to run (0-based), `total` at the end */
  position: number;
  total: number;
  ended: boolean;
  runtime: ScenarioRuntime;
}

export const THREAD_ID = 1;
/**
 * The adapter runs inline in the extension host: a long continue (thousands of steps on a large machine) must not
 * freeze the editor. Long commands run in slices of about this many milliseconds, with a turn of the event loop
 * between slices, so that `pause`, other requests and every other extension feature are served meanwhile.
 */
export const SLICE_MS = 25;

/** A command running in slices: `pause` asks it to stop at the next step boundary; `cancelled` drops it. */
interface Job { pause: boolean; cancelled: boolean }
export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'failedExpectation', label: 'Failed expectation', description: 'Stop after an `expect` that does not hold (or a run error such as an unknown label).', default: true },
  { filter: 'operationError', label: 'Operation error', description: 'Stop after an operation that returns an error (-EBUSY, -ENOMEM, …), even when a later `expect` wants it.', default: false },
];

type VarNode = { name: string; value: Value; field?: string };
type Container = () => VarNode[];

const REPL_COMMANDS: Record<string, string> = {
  buddyinfo: '/proc/buddyinfo', pagetypeinfo: '/proc/pagetypeinfo', zoneinfo: '/proc/zoneinfo (subset)', blocks: '/sys/devices/system/memory',
};

export class MmscnDebugSession extends DebugSession {
  runtime: ScenarioRuntime | null = null;
  private args: MmscnLaunchArgs | null = null;
  private vars = new Handles<Container>();
  private lastStop: Stop | null = null;
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  private rawBreakpoints: DebugProtocol.SourceBreakpoint[] = [];
  private filters: ExceptionFilter[] = ['failedExpectation'];
  private stateListeners: ((s: SessionState) => void)[] = [];
  private ended = false;
  /** the sliced command running now (continue, run to a line, a forward jump), if any */
  private running: Job | null = null;
  /** responses already sent (an async handler that fails after answering reports on the console instead) */
  private readonly answered = new WeakSet<DebugProtocol.Response>();

  constructor(private readonly files: FileAccessor) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.resetConfigurationDone();
  }

  /** The editor side subscribes here (inline results, status bar). */
  onDidChangeState(listener: (s: SessionState) => void): { dispose(): void } {
    this.stateListeners.push(listener);
    return { dispose: () => { this.stateListeners = this.stateListeners.filter((l) => l !== listener); } };
  }

  // ------------------------------------------------------------------ every request gets an answer

  /** Checks the arguments before any handler reads them: garbage gets a clear error, never a TypeError. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const problem = checkRequestArgs(request.command, request.arguments);
    if (problem) {
      const showUser = request.command === 'launch' || request.command === 'restart';
      this.sendErrorResponse(new Response(request), { id: 3010, format: escapeFormat(`mmscn: ${problem}`), showUser });
      return;
    }
    // DAP's default path format is 'path'; the base class refuses a missing one
    if (request.command === 'initialize' && request.arguments.pathFormat === undefined) request.arguments.pathFormat = 'path';
    super.dispatchRequest(request);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    this.answered.add(response);
    super.sendResponse(response);
  }

  protected override sendErrorResponse(
    response: DebugProtocol.Response, codeOrMessage: number | DebugProtocol.Message, format?: string, variables?: { _exception?: string; _stack?: string }, dest?: ErrorDestination,
  ): void {
    // the base dispatcher answers a handler's throw with its stack (error 1104): a message is enough for the
    // user; the stack goes to the debug console
    if (codeOrMessage === 1104 && variables && '_exception' in variables) {
      this.out('stderr', `mmscn: internal error in '${response.command}': ${variables._stack ?? variables._exception}\n`);
      super.sendErrorResponse(response, { id: 1104, format: escapeFormat(`mmscn: internal error in '${response.command}': ${variables._exception}`), showUser: false });
      return;
    }
    super.sendErrorResponse(response, codeOrMessage as number, format, variables, dest);
  }

  /** Runs an async handler: a failure answers the request (or, once answered, goes to the console). */
  private guard(response: DebugProtocol.Response, handler: () => Promise<void>): void {
    handler().catch((e: unknown) => {
      const msg = `mmscn: internal error in '${response.command}': ${e instanceof Error ? e.message : String(e)}`;
      if (e instanceof Error && e.stack) this.out('stderr', `${e.stack}\n`);
      if (this.answered.has(response)) this.out('stderr', msg + '\n');
      else this.sendErrorResponse(response, { id: 3099, format: escapeFormat(msg), showUser: true });
    });
  }

  private resetConfigurationDone(): void {
    this.configurationDone = new Promise((r) => { this.resolveConfigurationDone = r; });
  }

  // ------------------------------------------------------------------ setup

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsRestartRequest: true,
      supportsGotoTargetsRequest: true,
      supportsEvaluateForHovers: true,
      supportsExceptionInfoRequest: true,
      supportsBreakpointLocationsRequest: true,
      supportsTerminateRequest: true,
      supportsCompletionsRequest: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: MmscnLaunchArgs): void {
    this.guard(response, () => this.launch(response, args));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: MmscnLaunchArgs): Promise<void> {
    this.args = args;
    const loaded = await this.load(args);
    if (typeof loaded === 'string') {
      this.sendErrorResponse(response, { id: 3001, format: loaded, showUser: true });
      return;
    }
    this.runtime = loaded;
    this.runtime.filters = new Set(this.filters);
    // Breakpoints are set after `initialized`, once the scenario is known (so they verify right away).
    this.sendEvent(new InitializedEvent());
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    this.sendResponse(response);
    this.begin(args);
  }

  private begin(args: MmscnLaunchArgs): void {
    const rt = this.runtime!;
    if (args.noDebug) {
      rt.filters.clear();
      this.runSliced(rt, rt.continueSlices(undefined, true));
      return;
    }
    if (args.runToLine) {
      const k = rt.stepForLine(args.runToLine);
      this.runSliced(rt, rt.continueSlices(k < 0 ? undefined : k, true));
      return;
    }
    if (args.stopOnEntry === false) this.runSliced(rt, rt.continueSlices(undefined, true));
    else this.report({ reason: 'entry' }, rt);
  }

  /** Reads, checks and prepares the scenario; a string is an error for the user. */
  private async load(args: MmscnLaunchArgs): Promise<ScenarioRuntime | string> {
    if (!args.program) return 'mmscn: the launch configuration names no "program" (the .mmscn file to debug)';
    let text: string;
    try {
      text = await this.files.readFile(args.program);
    } catch (e) {
      return `mmscn: cannot read ${args.program}: ${(e as Error).message}`;
    }
    let prepared: PreparedRun;
    try {
      prepared = prepareRun(text, { kernelPreset: args.kernel });
    } catch (e) {
      return `mmscn: the language service failed on ${args.program}: ${(e as Error).message}`;
    }
    if (!prepared.ok) {
      const errors = prepared.errors.map((d) => `line ${d.loc.line}: ${d.message}`);
      return `mmscn: cannot debug ${baseName(args.program)}: it has ${errors.length || 'syntax'} error(s)${errors.length ? ` — ${errors.slice(0, 3).join('; ')}` : ''}`;
    }
    const { scenario } = prepared;
    let variant: Variant | null = null;
    if (scenario.variants.length) {
      const names = scenario.variants.map((v) => v.name);
      if (args.variant) {
        variant = findVariant(scenario, args.variant) ?? null;
        if (!variant) return `mmscn: ${baseName(args.program)} has no variant '${args.variant}' (it has ${names.join(', ')})`;
        this.out('console', `mmscn: debugging variant '${variant.name}' of ${names.join(', ')}\n`);
      } else {
        variant = scenario.variants[0]!;
        this.out('console', `mmscn: debugging variant '${variant.name}' (the first of ${names.join(', ')}); set "variant" in the launch configuration to pick another\n`);
      }
    } else if (args.variant) {
      this.out('console', `mmscn: ${baseName(args.program)} has no variants; ignoring "variant": "${args.variant}"\n`);
    }
    try {
      return new ScenarioRuntime(scenario, variant, { path: args.program, text }, { checkInvariants: args.checkInvariants });
    } catch (e) {
      return `mmscn: the simulator cannot build this machine: ${(e as Error).message}`;
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.resolveConfigurationDone();
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): void {
    this.guard(response, () => this.restart(response, args));
  }

  private async restart(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    // VS Code sends the (possibly edited) launch configuration again; without it, start over like the first launch
    const launch = ((args?.arguments as MmscnLaunchArgs | undefined) ?? this.args ?? {}) as MmscnLaunchArgs;
    const loaded = await this.load(launch);
    if (typeof loaded === 'string') {
      this.sendErrorResponse(response, { id: 3002, format: loaded, showUser: true });
      return;
    }
    this.cancelRunning();
    this.args = launch;
    this.runtime = loaded;
    this.runtime.filters = new Set(this.filters);
    this.ended = false;
    // breakpoints may sit on other steps now (the file may have changed): re-verify and tell the client
    const bps = this.runtime.setBreakpoints(this.rawBreakpoints);
    for (const bp of bps) this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(bp)));
    this.sendResponse(response);
    this.begin(launch);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.finish();
    super.disconnectRequest(response, args);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.finish();
    this.sendEvent(new TerminatedEvent());
  }

  private finish(): void {
    this.cancelRunning();
    if (this.ended) return;
    this.ended = true;
    this.emitState();
  }

  // ------------------------------------------------------------------ breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const rt = this.runtime;
    const path = args.source.path ?? '';
    if (!rt || !samePath(path, rt.source.path)) {
      response.body = { breakpoints: requested.map((b) => ({ verified: false, line: b.line, message: 'not the scenario being debugged' })) };
      this.sendResponse(response);
      return;
    }
    this.rawBreakpoints = requested.map((b) => ({ ...b, line: this.convertClientLineToDebugger(b.line) }));
    const bps = rt.setBreakpoints(this.rawBreakpoints);
    response.body = { breakpoints: bps.map((b) => this.toDapBreakpoint(b)) };
    this.sendResponse(response);
  }

  private toDapBreakpoint(b: { id: number; verified: boolean; line: number; message?: string }): DebugProtocol.Breakpoint {
    const bp = new DapBreakpoint(b.verified, this.convertDebuggerLineToClient(b.line)) as DebugProtocol.Breakpoint;
    bp.id = b.id;
    if (b.message) bp.message = b.message;
    if (this.runtime) bp.source = this.source();
    return bp;
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const rt = this.runtime;
    const from = this.convertClientLineToDebugger(args.line);
    const to = args.endLine !== undefined ? this.convertClientLineToDebugger(args.endLine) : from;
    const lines = rt ? rt.steps.map((s) => s.loc.line).filter((l) => l >= from && l <= to) : [];
    response.body = { breakpoints: [...new Set(lines)].map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const known = new Set(EXCEPTION_FILTERS.map((f) => f.filter));
    const chosen = [...(args.filters ?? []), ...(args.filterOptions ?? []).map((o) => o.filterId)].filter((f) => known.has(f)) as ExceptionFilter[];
    this.filters = chosen;
    if (this.runtime) this.runtime.filters = new Set(chosen);
    response.body = { breakpoints: chosen.map(() => ({ verified: true })) };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ execution

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const v = this.runtime?.variant?.name;
    response.body = { threads: [new Thread(THREAD_ID, v ? `scenario (variant ${v})` : 'scenario')] };
    this.sendResponse(response);
  }

  private withRuntime(response: DebugProtocol.Response, f: (rt: ScenarioRuntime) => Stop | Slices): void {
    const rt = this.runtime;
    if (!rt) {
      this.sendErrorResponse(response, { id: 3003, format: 'mmscn: no scenario is running', showUser: false });
      return;
    }
    if (this.running) {
      this.sendErrorResponse(response, { id: 3011, format: 'mmscn: the scenario is running — pause it first', showUser: false });
      return;
    }
    let stop: Stop | Slices;
    try {
      stop = f(rt);
    } catch (e) {
      this.sendErrorResponse(response, { id: 3004, format: `mmscn: internal error: ${(e as Error).message}`, showUser: true });
      this.out('stderr', `${(e as Error).stack ?? e}\n`);
      return;
    }
    this.sendResponse(response);
    if (isSlices(stop)) this.runSliced(rt, stop);
    else this.report(stop, rt);
  }

  /**
   * Runs a long command in time slices (SLICE_MS), yielding to the event loop between them: the extension host
   * stays responsive, `pause` stops at the next step boundary, and a terminate or restart drops the command.
   */
  private runSliced(rt: ScenarioRuntime, slices: Slices): void {
    this.cancelRunning();
    const job: Job = { pause: false, cancelled: false };
    this.running = job;
    const slice = (): void => {
      if (job.cancelled) return;
      const deadline = Date.now() + SLICE_MS;
      let stop: Stop | null = null;
      try {
        for (;;) {
          const n = slices.next();
          if (n.done) { stop = n.value; break; }
          if (job.pause) { stop = { reason: 'pause' }; break; }
          if (Date.now() >= deadline) break;
        }
      } catch (e) {
        this.out('stderr', `mmscn: internal error: ${(e as Error).stack ?? e}\n`);
        stop = { reason: 'exception', exception: { filter: 'internalError', message: `internal error: ${(e as Error).message}` } };
      }
      if (stop) {
        this.running = null;
        this.report(stop, rt);
        return;
      }
      // long runs print as they go, not all at the end
      for (const o of rt.output) this.out(o.category, o.text);
      rt.output = [];
      // setImmediate in Node, setTimeout in a web worker extension host (the browser build)
      void yieldToHost().then(slice);
    };
    slice();
  }

  private cancelRunning(): void {
    if (this.running) this.running.cancelled = true;
    this.running = null;
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.withRuntime(response, (rt) => rt.continueSlices());
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void { this.withRuntime(response, (rt) => rt.stepOver()); }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void { this.withRuntime(response, (rt) => rt.stepIn()); }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void { this.withRuntime(response, (rt) => rt.stepOut()); }
  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void { this.withRuntime(response, (rt) => rt.stepBack()); }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void { this.withRuntime(response, (rt) => rt.reverseContinue()); }
  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    // a running command stops at the next step boundary (a `stopped` event with reason 'pause');
    // when nothing runs the scenario is already stopped
    if (this.running) this.running.pause = true;
    this.sendResponse(response);
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const rt = this.runtime;
    const line = this.convertClientLineToDebugger(args.line);
    const k = rt && samePath(args.source.path ?? '', rt.source.path) ? rt.stepForLine(line) : -1;
    if (!rt || k < 0) {
      response.body = { targets: [] };
    } else {
      const st = rt.steps[k]!;
      response.body = {
        targets: [{ id: k + 1, label: `step ${k + 1}: ${rt.lineText(st.loc.line)}`, line: this.convertDebuggerLineToClient(st.loc.line) }],
      };
    }
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.withRuntime(response, (rt) => rt.gotoSlices(args.targetId - 1));
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: { line?: unknown; step?: unknown } | undefined): void {
    switch (command) {
      case 'runToLine': {
        // CodeLens "Run to here": forwards runs (honouring breakpoints), backwards jumps
        const line = Number(args?.line);
        this.withRuntime(response, (rt) => {
          const k = rt.stepForLine(line);
          if (k < 0) return { reason: 'step' };
          const here = rt.phase ? rt.run.position : rt.after !== null ? rt.after + 1 : rt.run.position;
          return k < here ? rt.gotoSlices(k) : rt.continueSlices(k);
        });
        return;
      }
      case 'gotoStep': {
        // the inspector moves the debugger (a click in its migration log): 0-based step position
        this.withRuntime(response, (rt) => rt.gotoSlices(Number(args?.step)));
        return;
      }
      case 'mmscnState': {
        const rt = this.runtime;
        response.body = rt ? { line: rt.line, position: rt.run.position, total: rt.total, phase: rt.phase, after: rt.after, variant: rt.variant?.name ?? null, running: this.running !== null } : null;
        this.sendResponse(response);
        return;
      }
      default:
        super.customRequest(command, response, args);
    }
  }

  /** Sends what a runtime command produced: its console output, then the stop (or the end). */
  private report(stop: Stop, rt: ScenarioRuntime): void {
    for (const o of rt.output) this.out(o.category, o.text);
    rt.output = [];
    this.vars.reset();
    this.lastStop = stop;
    if (stop.reason === 'end') {
      const f = rt.run.internal;
      const how = f ? `stopped by an internal error on line ${f.loc.line} (${f.notRun} step(s) not run)` : 'end of scenario';
      this.out('console', `mmscn: ${how} — ${countsText(rt.run.ops.length, rt.run.expectations)}\n`);
      this.finish();
      this.sendEvent(new TerminatedEvent());
      return;
    }
    if (stop.note) this.out('stderr', `mmscn: ${stop.note}\n`);
    const ev = new StoppedEvent(stop.reason, THREAD_ID, stop.exception?.message) as DebugProtocol.StoppedEvent;
    if (stop.reason === 'exception') {
      const filter = stop.exception!.filter;
      ev.body.description = filter === 'failedExpectation' ? 'Paused on a failed expectation' : filter === 'internalError' ? 'Paused on an internal simulator error' : 'Paused on an operation error';
    }
    if (stop.hit?.length) ev.body.hitBreakpointIds = stop.hit;
    this.emitState();
    this.sendEvent(ev);
  }

  private emitState(): void {
    const rt = this.runtime;
    if (!rt) return;
    const state: SessionState = {
      program: rt.source.path, variant: rt.variant?.name ?? null, line: this.ended ? null : rt.line,
      // after a failed step the stop shows that step (its state is already past it)
      position: rt.after ?? rt.run.position, total: rt.total, ended: this.ended, runtime: rt,
    };
    for (const l of this.stateListeners) {
      try { l(state); } catch { /* a listener's failure must not break the session */ }
    }
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const ex = this.lastStop?.exception;
    response.body = {
      exceptionId: ex?.filter ?? 'none',
      description: ex?.message ?? 'no exception',
      breakMode: ex ? (ex.filter === 'internalError' || EXCEPTION_FILTERS.find((f) => f.filter === ex.filter)?.default ? 'always' : 'userUnhandled') : 'never',
    };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ inspection

  private source(): Source {
    const p = this.runtime!.source.path;
    return new Source(baseName(p), this.convertDebuggerPathToClient(p));
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const rt = this.runtime;
    if (!rt) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const frames: StackFrame[] = [];
    const src = this.source();
    const col = this.convertDebuggerColumnToClient(1);
    if (rt.phase) {
      const st = rt.steps[rt.run.position]!;
      const op = st.kind === 'op' ? st : st.kind === 'interleave' ? st.ops.find((o) => o.cpu === rt.phase!.cpu) : undefined;
      const name = `${op?.op.op ?? st.kind} › ${rt.phase.phase} [cpu ${rt.phase.cpu}]`;
      frames.push(new StackFrame(1, name, src, this.convertDebuggerLineToClient(rt.line), col));
      frames.push(new StackFrame(2, `step ${rt.run.position + 1}/${rt.total}: ${rt.lineText(st.loc.line)}`, src, this.convertDebuggerLineToClient(st.loc.line), col));
    } else {
      const i = rt.shownStep;
      const name = i === null
        ? 'end of scenario'
        : `step ${i + 1}/${rt.total}: ${rt.lineText(rt.steps[i]!.loc.line)}${rt.after !== null ? ' (done)' : ''}`;
      frames.push(new StackFrame(1, name, src, this.convertDebuggerLineToClient(rt.line), col));
    }
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const rt = this.runtime;
    if (!rt) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    const s = rt.state();
    const zones: Container = () => s.zones().map((z) => ({ name: zoneLabel(z.nid, z.zone, s.nodes), value: { kind: 'zone', label: zoneLabel(z.nid, z.zone, s.nodes), z } }));
    const blocks: Container = () => s.blocks().map((b) => ({ name: `memory${b.id}`, value: { kind: 'block', b } }));
    const last: Container = () => {
      const r = s.last();
      if (!r) return [{ name: 'last', value: 'no operation has run yet' }];
      return Object.entries(fieldsOf({ kind: 'result', rec: r })).map(([name, value]) => ({ name, value, field: name }));
    };
    const policies: Container = () => [
      { name: 'variant', value: rt.variant?.name ?? null },
      { name: 'kernel', value: rt.variant?.kernel ?? rt.scenario.kernel },
      ...Object.entries(rt.run.policies).map(([name, value]) => ({ name, value: value as Value })),
    ];
    // inside an interleave (stepped into): the sleeping locks each CPU holds and the CPUs waiting for one
    // (src/sim/locks.ts); between steps no operation is half-way, so nothing is held and the scope is not shown
    const lv = rt.phase ? rt.run.lockView() : null;
    const locks: Container = () => (lv?.cpus ?? []).map((c) => ({
      name: `cpu ${c.cpu} (${c.op})`,
      value: c.done ? 'done'
        : [c.held.length ? `holds ${c.held.join(', ')}` : 'holds no sleeping lock',
          c.waitsFor ? `${lv!.blocked.some((b) => b.cpu === c.cpu) ? 'blocked: waits' : 'next phase waits'} for ${c.waitsFor.lock} (held by cpu ${c.waitsFor.holder})` : '',
          c.last ? `after '${c.last}'` : 'not started'].filter(Boolean).join('; '),
    }));
    response.body = {
      scopes: [
        new Scope('Zones', this.vars.create(zones), false),
        new Scope('Memory blocks', this.vars.create(blocks), false),
        new Scope('Last result', this.vars.create(last), false),
        new Scope('Policies', this.vars.create(policies), true),
        ...(lv ? [new Scope('Locks', this.vars.create(locks), false)] : []),
      ],
    };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const c = this.vars.get(args.variablesReference);
    let variables: DebugProtocol.Variable[] = [];
    if (c) {
      try {
        variables = c().map((n) => this.toVariable(n.name, n.value, n.field ?? n.name));
      } catch (e) {
        variables = [{ name: 'error', value: (e as Error).message, variablesReference: 0 }];
      }
    }
    if (args.start !== undefined || args.count !== undefined) variables = variables.slice(args.start ?? 0, args.count ? (args.start ?? 0) + args.count : undefined);
    response.body = { variables };
    this.sendResponse(response);
  }

  private toVariable(name: string, value: Value, field: string): DebugProtocol.Variable {
    return { name, value: describe(value, field), variablesReference: this.refOf(value), type: typeOf(value) };
  }

  private refOf(value: Value): number {
    if (!isCompound(value) || value.kind === 'word') return 0;
    const fields = fieldsOf(value);
    if (!Object.keys(fields).length) return 0;
    return this.vars.create(() => Object.entries(fieldsOf(value)).map(([name, v]) => ({ name, value: v, field: name })));
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const rt = this.runtime;
    const expr = args.expression.trim();
    if (!rt) {
      this.sendErrorResponse(response, { id: 3005, format: 'mmscn: no scenario is running', showUser: false });
      return;
    }
    if (args.context !== 'hover' && expr in REPL_COMMANDS) {
      const m = rt.run.machine;
      const text = expr === 'buddyinfo' ? buddyinfo(m) : expr === 'pagetypeinfo' ? pagetypeinfo(m) : expr === 'zoneinfo' ? zoneinfo(m) : memoryBlocks(m);
      response.body = { result: text.replace(/\n$/, ''), variablesReference: 0 };
      this.sendResponse(response);
      return;
    }
    if (args.context !== 'hover' && expr === 'help') {
      response.body = { result: HELP, variablesReference: 0 };
      this.sendResponse(response);
      return;
    }
    try {
      const node = safeParse(expr);
      // a bare hex number is a pfn: show that page
      const value: Value = node.k === 'num' && node.hexLiteral ? { kind: 'page', info: rt.run.machine.pageInfo(node.v) } : evaluate(node, rt.state());
      if (args.context === 'hover' && isCompound(value) && value.kind === 'word') throw new ExprError(`'${expr}' is not a value`);
      response.body = { result: describe(value), variablesReference: this.refOf(value), type: typeOf(value) };
      this.sendResponse(response);
    } catch (e) {
      const msg = e instanceof ExprError ? e.message : `internal error: ${(e as Error).message}`;
      this.sendErrorResponse(response, { id: 3006, format: msg.replace(/[{}]/g, ''), showUser: false });
    }
  }

  private out(category: string, text: string): void {
    this.sendEvent(new OutputEvent(text, category));
  }
}

const HELP = [
  'Expressions (conditions, watch, console):',
  '  Normal.free < 1000        node 1 Movable.managed == 0      Normal.watermarks.low   Normal.buddyinfo[9]',
  '  Normal.free_lists.movable[10]    Normal.pageblocks.isolate',
  '  page 0x10010 == pcp       page 0x10010.order              0x10010 (a hex number alone: that page)',
  '  pageblock 0x40000 == isolate     block 33 == online      hugetlb 2M.free',
  '  last.errno == EBUSY       last.reason contains "pcp"       r.migrated > 0 (r: a label)   step >= 10',
  '  policy.contig_pcp == disable     combine with && || ! ( )   arithmetic + - * / %',
  'Commands: buddyinfo, pagetypeinfo, zoneinfo, blocks',
].join('\n');

function isSlices(x: Stop | Slices): x is Slices {
  return typeof (x as Slices).next === 'function';
}

function typeOf(v: Value): string | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'object') return typeof v;
  return v.kind;
}

/** DAP error formats substitute `{name}`: a message with braces (an expression, a path) must not be read as one. */
function escapeFormat(s: string): string {
  return s.replace(/[{}]/g, '');
}

function baseName(p: string): string {
  return p.replace(/[?#].*$/, '').split(/[\\/]/).pop() || p;
}

function samePath(a: string, b: string): boolean {
  const n = (p: string) => {
    let s = p;
    if (/^file:\/\//i.test(s)) {
      try { s = decodeURIComponent(new URL(s).pathname); } catch { /* keep */ }
    }
    s = s.replace(/\\/g, '/');
    // Windows drive letters compare case-insensitively
    return /^\/?[a-zA-Z]:/.test(s) ? s.toLowerCase() : s;
  };
  return n(a) === n(b);
}
