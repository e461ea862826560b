// src/shared/format.ts: the one wording for pfns, sizes, names and outcomes.
import { strict as assert } from 'node:assert';
import {
  bytesSize, hex, mibCeil, migratetypeIndex, outcomeText, pagesSize, MIGRATETYPE_NAMES, MIGRATETYPE_PROC_NAMES, PAGE_SIZE, ZONE_NAMES,
} from '../../../src/shared/format.js';
import { CMA, ISOLATE, MIGRATE_TYPES, MAX_NR_ZONES, ZONE_MOVABLE } from '../../../src/sim/consts.js';

describe('shared/format', () => {
  it('hex for numbers and bigints', () => {
    assert.equal(hex(0x50010), '0x50010');
    assert.equal(hex(0), '0x0');
    assert.equal(hex(1n << 52n), '0x10000000000000');
  });
  it('sizes: pages in exact units, bytes in the largest unit, MiB rounded up', () => {
    assert.equal(PAGE_SIZE, 4096);
    assert.deepEqual([1, 3, 256, 512, 262144, 262145].map(pagesSize), ['4 KiB', '12 KiB', '1 MiB', '2 MiB', '1 GiB', '1048580 KiB']);
    assert.deepEqual([100, 4096, 1536 * 1024, 2 ** 30].map(bytesSize), ['100 bytes', '4 KiB', '1.50 MiB', '1 GiB']);
    assert.equal(mibCeil(2 ** 20 + 1), '2 MiB');
  });
  it('names follow the kernel enums (consts.ts indexes)', () => {
    assert.equal(MIGRATETYPE_NAMES.length, MIGRATE_TYPES);
    assert.equal(MIGRATETYPE_PROC_NAMES.length, MIGRATE_TYPES);
    assert.equal(MIGRATETYPE_NAMES[CMA], 'cma');
    assert.equal(MIGRATETYPE_NAMES[ISOLATE], 'isolate');
    assert.equal(ZONE_NAMES.length, MAX_NR_ZONES);
    assert.equal(ZONE_NAMES[ZONE_MOVABLE], 'Movable');
    assert.equal(migratetypeIndex('highatomic'), 3);
    assert.equal(migratetypeIndex('HighAtomic'), -1);
  });
  it('outcomeText: ok, errno with pfn and reason, no errno, migrations, internal errors', () => {
    const base = { ok: false, errno: 'EBUSY', pfn: 0x50010, reason: 'page on a PCP list after drain' };
    assert.equal(outcomeText({ ok: true, errno: null, pfn: null, reason: null }), '✓ ok');
    assert.equal(outcomeText(base), '✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain');
    assert.equal(outcomeText({ ...base, errno: null, pfn: null }), '✗ failed — page on a PCP list after drain');
    const migs = { ...base, migrations: [{ result: 'ok' }, { result: 'EAGAIN' }] };
    assert.equal(outcomeText(migs), '✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain (1/2 migrations)');
    assert.equal(outcomeText(migs, { migrations: false }), '✗ -EBUSY at pfn 0x50010 — page on a PCP list after drain');
    assert.equal(outcomeText({ ...base, internal: { message: 'boom' } }), '‼ internal error — boom');
  });
});
