// `mmscn dap` driven from real editors (docs/editors.md, "Debugging (DAP)"):
// - Neovim's own Lua as a DAP client (vim.loop, no plugin): runs wherever `nvim` is installed (CI: scripts/setup.sh);
// - nvim-dap (the plugin) when MMSCN_NVIM_DAP names a checkout of it (0.6.0 is the last release for nvim 0.7);
// - dape (Emacs) when MMSCN_DAPE names a checkout of it (0.3.0 is the last release that runs on Emacs 28).
// Each script writes a JSON object of what it saw; the assertions are here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, CLI } from '../support/cli.js';
import { fixture } from './support.js';

const SMALL = fixture('small.mmscn');
const SCRIPTS = join(__dirname, 'editors');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Runs an editor script with the MMSCN_* environment and returns what it wrote to MMSCN_OUT. */
function runEditor(cmd: string, args: string[], env: Record<string, string>): Record<string, any> {
  const out = join(mkdtempSync(join(tmpdir(), 'mmscn-editor-')), 'out.json');
  const r = spawnSync(cmd, args, {
    env: { ...process.env, ...env, MMSCN_CLI: CLI, MMSCN_FILE: SMALL, MMSCN_OUT: out, HOME: tmpdir() },
    encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL',
  });
  assert.equal(r.signal, null, `${cmd} did not finish within 60 s:\n${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(out), `${cmd} wrote no result (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

const STEP3 = { name: 'step 3/7: alloc_contig_range 0x10400..0x10800 as c', line: 13 };
const ISOLATE = { name: 'alloc_contig_range › isolate [cpu 0]', line: 13 };
const DRAIN = { name: 'alloc_contig_range › drain [cpu 0]', line: 13 };
const BUDDY = /Node 0, zone   Normal      2      1      2      2      2      2      2      2      2      0     15/;

describe('mmscn dap from real editors', function () {
  this.timeout(90_000);
  before(() => buildOnce());

  it('Neovim (headless, its own Lua as the DAP client): launch, breakpoint, step into a phase, step back, reverse continue, variables, evaluate, disconnect', function () {
    if (!has('nvim')) this.skip();
    const r = runEditor('nvim', ['--headless', '--clean', '-c', `luafile ${join(SCRIPTS, 'nvim-raw.lua')}`], {});
    assert.deepEqual(r.errors, []);
    assert.equal(r.supportsStepBack, true);
    assert.match(r.bad_launch, /cannot read .*small\.mmscn\.missing: no such file/);
    assert.equal(r.breakpoint_verified, true);
    assert.deepEqual(r.entry, { reason: 'entry', frame: { name: 'step 1/7: alloc order 0 movable as p', line: 11 } });
    assert.deepEqual(r.breakpoint, { reason: 'breakpoint', frame: STEP3 });
    assert.deepEqual(r.phase, DRAIN);
    assert.deepEqual(r.after_step_back, ISOLATE);
    assert.deepEqual(r.after_reverse_continue, { reason: 'breakpoint', frame: STEP3 });
    assert.equal(r.normal_free, '16380');
    assert.match(r.buddyinfo, BUDDY);
    assert.equal(r.exit_code, 0, 'the adapter exits by itself after disconnect');
  });

  it('Neovim + nvim-dap: the documented configuration debugs a scenario', function () {
    const plugin = process.env.MMSCN_NVIM_DAP;
    if (!plugin || !has('nvim')) this.skip();
    const r = runEditor('nvim', ['--headless', '--clean', '-c', `luafile ${join(SCRIPTS, 'nvim-dap.lua')}`], { MMSCN_NVIM_DAP: plugin! });
    assert.deepEqual(r.errors, []);
    assert.equal(r.filetype, 'mmscn');
    assert.deepEqual(r.stops, ['entry', 'breakpoint', 'step', 'step', 'step', 'breakpoint']);
    assert.deepEqual(r.entry, { name: 'step 1/7: alloc order 0 movable as p', line: 11 });
    assert.deepEqual(r.at_breakpoint, STEP3, 'the conditional breakpoint on line 12 does not hold');
    assert.deepEqual([r.phase1, r.phase2, r.after_step_back, r.after_reverse_continue], [ISOLATE, DRAIN, ISOLATE, STEP3]);
    assert.deepEqual(r.scopes, ['Zones', 'Memory blocks', 'Last result', 'Policies']);
    assert.equal(r.normal_free, '16380');
    assert.equal(r.evaluate_free, '16380');
    assert.match((r.repl as string[]).join('\n'), BUDDY);
    assert.equal(r.disconnected, true);
    assert.equal(r.session_after, 'none');
  });

  it('Emacs + dape: the documented configuration debugs a scenario', function () {
    const plugin = process.env.MMSCN_DAPE;
    if (!plugin || !has('emacs')) this.skip();
    const r = runEditor('emacs', ['--batch', '-Q', '-l', join(SCRIPTS, 'dape.el')], { MMSCN_DAPE: plugin! });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.entry, { name: 'step 1/7: alloc order 0 movable as p', line: 11 });
    assert.deepEqual(r.at_breakpoint, STEP3, 'the conditional breakpoint on line 12 does not hold');
    assert.deepEqual([r.phase, r.after_step_back, r.after_reverse_continue], [DRAIN, ISOLATE, STEP3]);
    assert.match(r.repl, /> buddyinfo\nNode 0, zone   Normal /);
    assert.match(r.repl, BUDDY);
    assert.equal(r.adapter_alive, null, 'the adapter process ended');
  });
});
