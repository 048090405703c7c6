-- The headline series of an indicator: the breakdown that area, compare and progress pages
-- show. '' is the total. Files with no all-blank total row (only breakdowns, an explicit total
-- category such as Kon=TotSa, or several units) get one chosen at their first import
-- (model.ts chooseHeadlines); it can be changed later.
ALTER TABLE ind_indicators ADD COLUMN headline_breakdown text NOT NULL DEFAULT '';

-- Statistics offices' symbols keep their distinct meanings: `.` (not applicable, or not
-- available for the period) is no longer folded into `..` (missing).
ALTER TABLE ind_observations DROP CONSTRAINT ind_observations_status_check;
ALTER TABLE ind_observations ADD CONSTRAINT ind_observations_status_ck
  CHECK (status IN ('', 'provisional', 'estimated', 'missing', 'confidential', 'not_applicable'));
