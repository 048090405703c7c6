-- Indexes on the foreign keys and columns that queries filter and join by, which the first
-- migrations left to sequential scans: deleting or ending a person, listing an
-- organisation's invitations or referred cases, walking the area tree, listing a
-- framework's indicators, removing expired sessions, and the history join of
-- ind_observation_history (indicators/queries.ts), which matches on the observation key.
CREATE INDEX meeting_participants_person_idx ON meeting_participants (person_id);
CREATE INDEX case_referrals_org_idx ON case_referrals (organisation_id);
CREATE INDEX invitations_org_idx ON invitations (organisation_id);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
CREATE INDEX areas_parent_idx ON areas (parent_id);
CREATE INDEX ind_indicators_framework_idx ON ind_indicators (framework_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX ind_observation_history_key_idx ON ind_observation_history (indicator_id, area_id, period, breakdown, batch_id);
