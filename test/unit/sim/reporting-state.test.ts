// Free page reporting: the prdev state machine, budget, watermark and the hinting trigger (pure parts).
import assert from 'node:assert/strict';
import {
  hintingBatchBlocks,
  hintingTriggered,
  PageReportingDevice,
  reportingBudget,
  reportingOrder,
  reportingWatermark,
} from '../../../src/sim/reporting/state.js';

describe('reporting: prdev->state (__page_reporting_request, page_reporting_process)', () => {
  it('IDLE → REQUESTED schedules the work; a second notify does nothing', () => {
    const d = new PageReportingDevice();
    d.notify();
    assert.equal(d.state, 'REQUESTED');
    assert.equal(d.scheduled, true);
    d.scheduled = false;
    d.notify();
    assert.equal(d.scheduled, false);
  });
  it('ACTIVE → IDLE at the end when nothing was freed meanwhile', () => {
    const d = new PageReportingDevice();
    d.register();
    d.begin();
    assert.equal(d.state, 'ACTIVE');
    assert.equal(d.end(), false);
    assert.equal(d.state, 'IDLE');
  });
  it('a free during the pass (ACTIVE → REQUESTED) does not schedule, the end reschedules', () => {
    const d = new PageReportingDevice();
    d.begin();
    d.notify();
    assert.equal(d.state, 'REQUESTED');
    assert.equal(d.scheduled, false);
    assert.equal(d.end(), true);
    assert.equal(d.scheduled, true);
  });
  it('an exhausted budget leaves the device REQUESTED and reschedules', () => {
    const d = new PageReportingDevice();
    d.begin();
    d.budgetExhausted();
    assert.equal(d.end(), true);
    assert.equal(d.state, 'REQUESTED');
  });
});

describe('reporting: constants of page_reporting_cycle / _process_zone', () => {
  it('page_reporting_order 0 means pageblock_order', () => {
    assert.equal(reportingOrder(0, 9, 10), 9);
    assert.equal(reportingOrder(5, 9, 10), 5);
    assert.equal(reportingOrder(11, 9, 10), 9);
  });
  it('watermark gate: low + 32 << order', () => {
    assert.equal(reportingWatermark(1000, 9), 1000 + 16384);
  });
  it('budget = DIV_ROUND_UP(nr_free, 512)', () => {
    assert.equal(reportingBudget(1), 1);
    assert.equal(reportingBudget(512), 1);
    assert.equal(reportingBudget(513), 2);
    assert.equal(reportingBudget(0), 0);
  });
  it('hinting: HWM of 32 blocks above the hinted count; 64 MiB batches', () => {
    assert.equal(hintingTriggered(31, 0), false);
    assert.equal(hintingTriggered(32, 0), true);
    assert.equal(hintingTriggered(40, 10), false);
    assert.equal(hintingBatchBlocks(9), 32);
    assert.equal(hintingBatchBlocks(10), 16);
    assert.equal(hintingBatchBlocks(0), 16384);
  });
});
