import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionStatus } from './status.js';

const base = { startDate: '2024-01-01', endDate: '2026-12-31', manualStatus: null, manualReason: null };
const m = (due: string, completedOn: string | null = null) => ({ title: `M ${due}`, due, completedOn });

test('a milestone past due and not completed makes the action late', () => {
  const s = actionStatus({ ...base, milestones: [m('2025-01-31', '2025-01-20'), m('2025-06-30')] }, '2025-07-01');
  assert.equal(s.status, 'late');
  assert.deepEqual(s.lateMilestones.map((x) => x.due), ['2025-06-30']);
  assert.equal(actionStatus({ ...base, milestones: [m('2025-06-30')] }, '2025-06-30').status, 'on_time', 'due today is not yet late');
});

test('before the start date the action has not started; all milestones done means completed', () => {
  assert.equal(actionStatus({ ...base, milestones: [m('2024-06-30')] }, '2023-12-31').status, 'not_started');
  assert.equal(actionStatus({ ...base, milestones: [m('2024-06-30', '2024-06-01'), m('2025-06-30', '2025-05-01')] }, '2025-07-01').status, 'completed');
  assert.equal(actionStatus({ ...base, milestones: [] }, '2025-07-01').status, 'on_time');
  assert.equal(actionStatus({ ...base, milestones: [] }, '2027-01-01').status, 'late', 'the end date passed unfinished');
});

test('a status set by hand wins, and carries its reason', () => {
  const s = actionStatus({ ...base, milestones: [m('2025-06-30')], manualStatus: 'postponed', manualReason: 'Waiting for funding' }, '2025-07-01');
  assert.equal(s.status, 'postponed');
  assert.equal(s.manual, true);
  assert.equal(s.reason, 'Waiting for funding');
  assert.equal(s.lateMilestones.length, 1, 'the late milestone is still reported');
});

test('a linked indicator off track against its target (from the progress module) makes the action late', () => {
  const s = actionStatus({ ...base, milestones: [m('2026-06-30')] }, '2025-07-01', [{ code: 'a', onTrack: true }, { code: 'b', onTrack: false }]);
  assert.equal(s.status, 'late');
  assert.deepEqual(s.offTrack, ['b']);
  assert.equal(actionStatus({ ...base, milestones: [m('2026-06-30')] }, '2025-07-01', [{ code: 'a', onTrack: true }]).status, 'on_time');
});
