// Hover of a pfn after a run (issue 11 item 4): the page's zone, memory block state and pageblock type come
// from the run's machine at that step, not from the machine description (a hotplug range onlined to Movable
// is not "absent" or "outside every zone" any more).
import assert from 'node:assert/strict';
import { analyze, hover } from '../../../src/language/index.js';
import { ScenarioRun } from '../../../src/sim/runner.js';

const TEXT = `kernel 6.12
machine {
  cpus 1
  memory_block_size 128M
  node 0 {
    zone DMA32   0x1000..0x40000
    zone Normal  0x40000..0x80000
    hotplug 0x80000..0x90000 offline
  }
}
online block 16 online_movable
page 0x80410 anon
alloc_contig_range 0x80400..0x80600 as r
`;

function runTo(step: number) {
  const run = new ScenarioRun(analyze(TEXT).scenario!, null);
  run.goto(step);
  const m = run.machine;
  return (pfn: number) => {
    const info = m.pageInfo(pfn);
    const b = m.blocks().find((x) => pfn >= x.start && pfn < x.start + x.pages);
    return { ...info, blockState: b?.state, validZones: b?.valid_zones };
  };
}

describe('language: hover of a pfn after a run', () => {
  it('a page in a block onlined to Movable shows ZONE_MOVABLE, the block online and the pageblock type', () => {
    const h = hover(TEXT, 12, 7, runTo(3))!;
    assert.ok(h, 'no hover');
    assert.match(h.contents, /ZONE_MOVABLE/);
    assert.match(h.contents, /memory block 16 \(memory16\)[^\n]*online/);
    assert.match(h.contents, /pageblock 0x80400[^\n]*MIGRATE_MOVABLE/);
    assert.doesNotMatch(h.contents, /absent|outside every zone/, h.contents);
  });
  it('a range in that block starts in ZONE_MOVABLE', () => {
    const h = hover(TEXT, 13, 22, runTo(3))!;
    assert.match(h.contents, /starts in ZONE_MOVABLE/, h.contents);
  });
  it('before the block is onlined (step 0) the same pfn is offline', () => {
    const h = hover(TEXT, 12, 7, runTo(0))!;
    assert.match(h.contents, /memory block 16 \(memory16\)[^\n]*offline/, h.contents);
  });
  it('without a run the description is what the file says', () => {
    const h = hover(TEXT, 12, 7)!;
    assert.match(h.contents, /hotplug/);
  });
  it('the block number of `online block 16` says which zone plain online would pick (before) and where it went (after)', () => {
    const before = hover(TEXT, 11, 14, runTo(0))!;
    assert.match(before.contents, /offline; plain `online` would pick ZONE_(MOVABLE|NORMAL) \(valid_zones: /, before.contents);
    const after = hover(TEXT, 11, 14, runTo(3))!;
    assert.match(after.contents, /after the run: online in ZONE_MOVABLE/, after.contents);
  });
});
