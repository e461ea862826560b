import { strict as assert } from 'node:assert';
import {
  GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_NOWAIT, GFP_TRANSHUGE, __GFP_COMP, __GFP_NORETRY, __GFP_NOWARN,
  __GFP_RECLAIMABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE, __GFP_ZERO, gfpString,
} from '../../../src/sim/gfp.js';

// gfpString prints a mask the way the kernel's %pGg does (lib/vsprintf.c format_flags() over
// include/trace/events/mmflags.h __def_gfpflag_names): composite names first, in that table's order, each taken
// only when all its bits are set; leftover bits as hex.
describe('gfpString (%pGg)', () => {
  it('names GFP_HIGHUSER_MOVABLE as one flag', () => {
    assert.equal(gfpString(GFP_HIGHUSER_MOVABLE), 'GFP_HIGHUSER_MOVABLE');
    assert.equal(gfpString(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_ZERO), 'GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO');
  });
  it('keeps the retry modifiers that decide a failure', () => {
    assert.equal(gfpString(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN), 'GFP_KERNEL|__GFP_NOWARN|__GFP_RETRY_MAYFAIL');
    assert.equal(gfpString(GFP_KERNEL | __GFP_NORETRY | __GFP_THISNODE), 'GFP_KERNEL|__GFP_NORETRY|__GFP_THISNODE');
  });
  it('follows the table order for the rest', () => {
    assert.equal(gfpString(GFP_KERNEL | __GFP_RECLAIMABLE), 'GFP_KERNEL|__GFP_RECLAIMABLE');
    assert.equal(gfpString(GFP_NOWAIT), 'GFP_NOWAIT');
    assert.equal(gfpString(GFP_ATOMIC), 'GFP_ATOMIC');
    assert.equal(gfpString(GFP_TRANSHUGE), 'GFP_TRANSHUGE');
    assert.equal(gfpString(0), '0x0');
  });
});
