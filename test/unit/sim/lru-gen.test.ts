import { strict as assert } from 'node:assert';
import { runChecked } from './helpers.js';

// Debian's 6.12 build has CONFIG_LRU_GEN_ENABLED=y: reclaim runs lru_gen_shrink_node (mm/vmscan.c), which the
// simulator does not model. With `policy lru_gen = on` every result that reclaimed says its order is the classic
// LRU's; with the default (off, mainline's defconfig) it is the kernel's and nothing is added.
const text = (lruGen: string) => `kernel 6.12
${lruGen ? `policy lru_gen = ${lruGen}\n` : ''}machine {
  memory_block_size 128M
  cpus 1
  node 0 {
    zone Normal 0x40000..0x48000
  }
}
fill Normal 99% file
alloc order 0 unmovable gfp GFP_KERNEL as a
kswapd as k
`;

describe('policy lru_gen: MGLRU is said, not guessed', () => {
  it('off (default): the classic LRU is the kernel\'s, no caveat', () => {
    const r = runChecked(text('')).byName;
    assert.equal(r.get('a')!.ok, true);
    assert.match(r.get('a')!.slowpath!.text, /direct reclaim/);
    assert.doesNotMatch(r.get('a')!.slowpath!.text, /MGLRU/);
    assert.doesNotMatch(r.get('k')!.reason ?? '', /MGLRU/);
  });
  it('on: direct reclaim and kswapd say their order is not MGLRU\'s', () => {
    const r = runChecked(text('on')).byName;
    assert.equal(r.get('a')!.ok, true);
    assert.match(r.get('a')!.slowpath!.text, /direct reclaim .*\[MGLRU \(lru_gen on\) is not modelled/);
    assert.match(r.get('k')!.reason ?? '', /pages reclaimed .*\[MGLRU \(lru_gen on\) is not modelled/);
  });
});
