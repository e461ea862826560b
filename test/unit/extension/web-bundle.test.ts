// The browser build (package.json "browser" → dist/web.js, src/extension/web.ts; docs/web.md): it bundles for
// platform browser (a Node built-in in its import graph fails the build), leaves Import This Machine out, and
// its module code loads where Node's globals do not exist. The real thing runs in test/e2e/web.mjs.
import { strict as assert } from 'node:assert';
import * as vm from 'node:vm';
import * as esbuild from 'esbuild';
// @ts-expect-error a plain .mjs script without types
import { optionsFor } from '../../../esbuild.mjs';

describe('web extension bundle', function () {
  this.timeout(60_000);
  let code = '';
  let inputs: string[] = [];

  before(async () => {
    const r = await esbuild.build({ ...optionsFor('dist/web.js'), write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    code = r.outputFiles!.find((f) => f.path.endsWith('web.js'))!.text;
    inputs = Object.keys(r.metafile!.inputs);
  });

  it('carries the language client, the simulator and the debugger, and not the machine import', () => {
    for (const want of ['src/extension/web/languageClient.ts', 'src/sim/runner.ts', 'src/extension/debug/adapter.ts', 'src/extension/inspector.ts']) {
      assert.ok(inputs.includes(want), `${want} is not in the web bundle`);
    }
    const node = inputs.filter((f) => f.startsWith('src/cli/') || f === 'src/extension/importMachine.ts');
    assert.deepEqual(node, [], 'Node-only modules in the web bundle');
    assert.ok(!code.includes('mmscn.importMachine'), 'the web bundle registers mmscn.importMachine');
  });

  it('loads and exports activate() in a context without process, require, Buffer or setImmediate', () => {
    // everything `vscode` offers is a function or a constructor here: module code only declares, activate() calls
    const get = (_t: object, k: string | symbol): unknown => (k === Symbol.toPrimitive || k === 'then' ? undefined : fake());
    const fake = (): unknown => new Proxy(function () { /* any vscode API */ }, { get });
    // esbuild's __toESM(require('vscode')) reads names through the module's prototype
    const vscode = new Proxy({}, { get, getPrototypeOf: () => new Proxy({}, { get }) });
    const required: string[] = [];
    const mod = { exports: {} as Record<string, unknown> };
    const sandbox = vm.createContext({ console, setTimeout, clearTimeout, URL, TextDecoder, TextEncoder, queueMicrotask });
    const fn = vm.runInContext(`(function (module, exports, require) {${code}\n})`, sandbox) as (m: typeof mod, e: unknown, r: (id: string) => unknown) => void;
    fn(mod, mod.exports, (id) => { required.push(id); if (id !== 'vscode') throw new Error(`require('${id}') in a web worker`); return vscode; });
    assert.equal(typeof mod.exports.activate, 'function');
    assert.equal(typeof mod.exports.deactivate, 'function');
    assert.deepEqual([...new Set(required)], ['vscode']);
    assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof setImmediate', sandbox), 'undefinedundefinedundefined');
  });

  it('starts the language server from its own worker bundle, which carries the language service and no Node module', async () => {
    const r = await esbuild.build({ ...optionsFor('dist/lsp-worker.js'), write: false, metafile: true, sourcemap: false, logLevel: 'silent' });
    const worker = Object.keys(r.metafile!.inputs);
    for (const want of ['src/lsp/worker.ts', 'src/lsp/server.ts', 'src/language/index.ts']) assert.ok(worker.includes(want), `${want} is not in the worker bundle`);
    const node = worker.filter((f) => f.startsWith('src/extension/') || f === 'src/cli/main.ts' || /vscode-languageserver\/lib\/node\//.test(f));
    assert.deepEqual(node, [], 'Node-only modules in the worker bundle');
    assert.ok(code.includes('lsp-worker.js'), 'the web build does not start dist/lsp-worker.js');
    // an iife that only needs a worker's globals: it loads with postMessage/onmessage and nothing of Node
    const text = r.outputFiles!.find((f) => f.path.endsWith('lsp-worker.js'))!.text;
    const listeners: string[] = [];
    const sandbox = vm.createContext({
      console, setTimeout, clearTimeout, setInterval, clearInterval, URL, TextDecoder, TextEncoder, queueMicrotask,
      postMessage: () => undefined, addEventListener: (t: string) => listeners.push(t), removeEventListener: () => undefined,
    });
    vm.runInContext(`var self = globalThis;\n${text}`, sandbox);
    assert.equal(typeof vm.runInContext('onmessage', sandbox), 'function', 'the worker does not listen for messages');
    assert.ok(listeners.includes('error'), 'the worker does not listen for errors');
    assert.equal(vm.runInContext('typeof process + typeof require + typeof Buffer', sandbox), 'undefinedundefinedundefined');
  });
});
