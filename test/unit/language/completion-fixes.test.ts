// Completion as a first-time user meets it (issue 11 item 2).
import assert from 'node:assert/strict';
import { complete } from '../../../src/language/index.js';

const M = `machine {\n  cpus 2\n  memory_block_size 128M\n  node 0 {\n    zone Normal 0x100000..0x140000\n    hotplug 0x140000..0x180000 absent\n  }\n}\n`;
/** completion at the end of the last line of `text` */
const at = (text: string) => {
  const lines = text.split('\n');
  return complete(text, lines.length, lines[lines.length - 1]!.length + 1);
};
const sorted = (items: ReturnType<typeof at>) => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);

describe('language: completion fixes (issue 11 item 2)', () => {
  it('plain `online` after `online block N `', () => {
    const labels = at(M + 'online block 33 ').map((i) => i.label);
    for (const t of ['online', 'online_kernel', 'online_movable']) assert.ok(labels.includes(t), `${t} not in ${labels}`);
  });
  it('kernel versions and block ids sort as numbers, not as text', () => {
    const k = sorted(at('kernel '));
    assert.ok(k.indexOf('6.1') < k.indexOf('6.6') && k.indexOf('6.6') < k.indexOf('6.10'), k.join(' '));
    const b = sorted(at(M.replace('0x100000..0x140000', '0x0..0x140000') + 'online block '));
    assert.ok(b.indexOf('2') < b.indexOf('10'), b.slice(0, 12).join(' '));
  });
  it('`machine` once as a keyword and once as a snippet', () => {
    const m = at('').filter((i) => i.label === 'machine');
    assert.deepEqual(m.map((i) => i.kind).sort(), ['keyword', 'snippet']);
  });
  it('no block snippets mid-line after an operation', () => {
    const items = at(M + 'alloc order 0 movable ');
    assert.deepEqual(items.filter((i) => i.kind === 'snippet').map((i) => i.label), []);
    assert.ok(!items.some((i) => ['cma', 'hotplug', 'machine'].includes(i.label)));
  });
  it('the fill snippet puts the % inside the placeholder (typing 100% gives 100%)', () => {
    const f = at(M + 'f').find((i) => i.kind === 'snippet' && i.label === 'fill')!;
    assert.match(f.insertText!, /\$\{2:60%\}/);
    assert.doesNotMatch(f.insertText!, /\}%/);
  });
  it('after add_memory: the absent hotplug ranges and the block after the machine', () => {
    assert.deepEqual(at(M + 'add_memory ').map((i) => i.label), ['0x140000..0x180000', '0x180000..0x188000']);
  });
  it('after memory_block_size: sizes', () => {
    assert.deepEqual(at('machine {\n  memory_block_size ').map((i) => i.label), ['128M', '256M', '512M', '1G', '2G']);
  });
});
