// Real editors driving the language server (docs/editors.md): headless Neovim with its built-in LSP client and
// Emacs in batch mode with eglot, each with the configuration the docs show (test/editors/*). Both must get the
// diagnostics the server publishes and a hover. The editors come from Debian's packages (scripts/setup.sh).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, CLI } from '../support/cli';

const ROOT = join(__dirname, '../..');
// line 6 (0-based) has the unknown zone; the hover is on `alloc_contig_range` (line 5, column 3)
const TEXT = 'machine {\n  node 0 {\n    zone Normal 0x100000..0x140000\n  }\n}\nalloc_contig_range 0x100000..0x100400\nexpect Bogus.free == 1\n';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

describe('editors with the language server', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;

  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'mmscn-editors-'));
    file = join(dir, 'scenario.mmscn');
    writeFileSync(file, TEXT);
    // the configurations start `mmscn lsp --stdio`, as docs/editors.md shows them: put an `mmscn` on PATH
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'mmscn'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(join(dir, 'bin', 'mmscn'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function runEditor(cmd: string, args: string[], name: string): any {
    assert.ok(has(cmd), `${cmd} is not installed (scripts/setup.sh installs neovim, emacs-nox and elpa-eglot from Debian)`);
    const out = join(dir, `${name}.json`);
    const r = spawnSync(cmd, args, {
      cwd: ROOT, encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL',
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, MMSCN_FILE: file, MMSCN_OUT: out, MMSCN_HOVER_LINE: '5', MMSCN_HOVER_COL: '3' },
    });
    assert.equal(r.signal, null, `${name} did not finish within 90 s:\n${r.stdout}\n${r.stderr}`);
    let result: any;
    try {
      result = JSON.parse(readFileSync(out, 'utf8'));
    } catch (e) {
      assert.fail(`${name} wrote no result (exit ${r.status}): ${(e as Error).message}\n${r.stdout}\n${r.stderr}`);
    }
    assert.deepEqual(result.errors ?? [], [], `${name} reported errors`);
    return result;
  }

  it('docs/editors.md shows exactly the configurations these tests use', () => {
    const doc = readFileSync(join(ROOT, 'docs/editors.md'), 'utf8');
    const section = (file: string, mark: string) => {
      const t = readFileSync(join(ROOT, 'test/editors', file), 'utf8');
      const a = t.indexOf(`${mark} ---- configuration (docs/editors.md) ----\n`);
      const b = t.indexOf(`${mark} ---- end of configuration ----`);
      assert.ok(a >= 0 && b > a, `no configuration markers in ${file}`);
      return t.slice(t.indexOf('\n', a) + 1, b);
    };
    for (const [file, mark, lang] of [['nvim-lsp.lua', '--', 'lua'], ['emacs-eglot.el', ';;', 'elisp']] as const) {
      assert.ok(doc.includes('```' + lang + '\n' + section(file, mark) + '```'), `docs/editors.md does not show the configuration of test/editors/${file} as it is`);
    }
  });

  it('Neovim (built-in LSP client, vim.lsp.start_client) gets diagnostics and hover', () => {
    const r = runEditor('nvim', ['--headless', '-u', 'NONE', '-c', 'luafile test/editors/nvim-lsp.lua'], 'nvim');
    const d = r.diagnostics.find((x: any) => /unknown zone `Bogus`/.test(x.message));
    assert.ok(d, `diagnostics: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(d.line, 6);
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'mmscn');
    assert.match(r.hover ?? '', /alloc_contig_range/);
    assert.match(r.run ?? '', /cannot run: the file has 1 error/, 'the mmscn/run answer');
  });

  it('Emacs (eglot, flymake) gets diagnostics and hover', () => {
    const r = runEditor('emacs', ['--batch', '-l', 'test/editors/emacs-eglot.el'], 'emacs');
    const d = r.diagnostics?.find((x: any) => /unknown zone `Bogus`/.test(x.message));
    assert.ok(d, `diagnostics: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(d.line, 6);
    assert.equal(d.type, 'eglot-error');
    assert.match(r.hover ?? '', /alloc_contig_range/);
    assert.match(r.run ?? '', /cannot run: the file has 1 error/, 'the mmscn/run answer');
  });
});
