import type { ActionStatus, Milestone } from './schema.js';

/**
 * An action's status, from the facts alone (no database), so it is tested directly.
 *  - Set by hand (with a reason): that status, whatever the milestones say.
 *  - Otherwise: cancelled/postponed are only ever set by hand; "completed" when there are
 *    milestones and all are complete; "not started" before the start date; "late" when a
 *    milestone is past due and not completed, when the end date has passed unfinished, or when
 *    a linked indicator is off track against its target (the progress module's judgement,
 *    passed in as `indicatorSignals`); "on time" otherwise.
 */
export type IndicatorSignal = { code: string; onTrack: boolean };
export type StatusInput = {
  startDate: string | null;
  endDate: string | null;
  milestones: Milestone[];
  manualStatus: ActionStatus | null;
  manualReason: string | null;
};
export type ComputedStatus = { status: ActionStatus; manual: boolean; reason: string | null; lateMilestones: Milestone[]; offTrack: string[] };

export function actionStatus(a: StatusInput, today: string, indicatorSignals: IndicatorSignal[] = []): ComputedStatus {
  const lateMilestones = a.milestones.filter((m) => !m.completedOn && m.due < today);
  const offTrack = indicatorSignals.filter((s) => !s.onTrack).map((s) => s.code);
  if (a.manualStatus) return { status: a.manualStatus, manual: true, reason: a.manualReason, lateMilestones, offTrack };
  const base = { manual: false, reason: null, lateMilestones, offTrack };
  if (a.milestones.length > 0 && a.milestones.every((m) => m.completedOn)) return { status: 'completed', ...base };
  if (a.startDate && today < a.startDate) return { status: 'not_started', ...base };
  if (lateMilestones.length > 0 || offTrack.length > 0) return { status: 'late', ...base };
  if (a.endDate && a.endDate < today) return { status: 'late', ...base };
  return { status: 'on_time', ...base };
}

export const todayIso = (now = new Date()) => now.toISOString().slice(0, 10);
