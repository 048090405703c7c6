-- Progress towards 2030: targets set at four levels, and the statuses, scores and
-- index precomputed from them (never computed in a page request).
-- Written for PostgreSQL 15 and later; runs on PGlite too.

CREATE TABLE prog_targets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  indicator_id uuid NOT NULL REFERENCES ind_indicators (id) ON DELETE CASCADE,
  -- global: an SDG or U4SSC benchmark; national: one country; network: every member of a
  -- network unless the member sets its own; area: one municipality or region.
  level text NOT NULL CONSTRAINT prog_targets_level_ck CHECK (level IN ('global', 'national', 'network', 'area')),
  country char(2) CONSTRAINT prog_targets_country_ck CHECK (country IN ('SE', 'NO', 'DK')),
  organisation_id uuid CONSTRAINT prog_targets_org_fk REFERENCES organisations (id),
  area_id uuid CONSTRAINT prog_targets_area_fk REFERENCES areas (id),
  -- The breakdown the target applies to, in the indicators' canonical form; '' is the total.
  breakdown text NOT NULL DEFAULT '',
  value double precision NOT NULL,
  target_year integer NOT NULL DEFAULT 2030,
  baseline_year integer NOT NULL DEFAULT 2015,
  -- A natural ceiling (or floor, when lower is better) such as 100 %.
  limit_value double precision,
  -- SDSN-style index: the value scoring 0 (the optimum scoring 100 is the target value),
  -- and the dashboard's green and red thresholds (green defaults to the target value).
  bound double precision,
  green double precision,
  red double precision,
  manual_status text CONSTRAINT prog_targets_manual_ck CHECK (manual_status IN ('target_achieved', 'substantial_progress', 'moderate_progress', 'limited_progress', 'deterioration', 'not_available')),
  manual_reason text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT prog_targets_years_ck CHECK (target_year > baseline_year),
  CONSTRAINT prog_targets_scope_ck CHECK (
    (level = 'global' AND country IS NULL AND organisation_id IS NULL AND area_id IS NULL) OR
    (level = 'national' AND country IS NOT NULL AND organisation_id IS NULL AND area_id IS NULL) OR
    (level = 'network' AND country IS NULL AND organisation_id IS NOT NULL AND area_id IS NULL) OR
    (level = 'area' AND country IS NULL AND organisation_id IS NULL AND area_id IS NOT NULL))
);
-- One target per indicator, scope and breakdown.
CREATE UNIQUE INDEX prog_targets_scope_uq ON prog_targets (indicator_id, level, COALESCE(country, ''),
  COALESCE(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), COALESCE(area_id, '00000000-0000-0000-0000-000000000000'::uuid), breakdown);
CREATE INDEX prog_targets_org_idx ON prog_targets (organisation_id);
CREATE INDEX prog_targets_area_idx ON prog_targets (area_id);

-- Which areas each network's targets reach: copied from the directory at each recompute,
-- so the recompute can resolve targets set-wise without reading another module's tables.
CREATE TABLE prog_network_areas (
  organisation_id uuid NOT NULL,
  area_id uuid NOT NULL,
  network_name text NOT NULL,
  CONSTRAINT prog_network_areas_pk PRIMARY KEY (organisation_id, area_id)
);
CREATE INDEX prog_network_areas_area_idx ON prog_network_areas (area_id);

-- One result per indicator × area × breakdown, with the components that explain it.
-- Derived data: rebuilt from targets and observations, so no foreign keys.
CREATE TABLE prog_statuses (
  indicator_id uuid NOT NULL,
  indicator_code text NOT NULL,
  area_id uuid NOT NULL,
  breakdown text NOT NULL DEFAULT '',
  target_id uuid,
  goal text,                 -- the SDG goal the indicator counts for, if any
  u4ssc_dimension text,      -- the U4SSC dimension, for U4SSC KPIs
  status text NOT NULL,
  method text NOT NULL,
  score double precision,    -- SDSN-style rescaled 0–100
  colour text,               -- green, yellow, orange, red
  trend text,                -- on_track, moderately_improving, stagnating, decreasing
  u4ssc_points smallint,     -- 1–4 against the benchmark
  quartile smallint,         -- relative position in the country, 1 = best quarter
  details json NOT NULL,     -- stored and read whole, never queried inside: json skips jsonb's decomposition
  CONSTRAINT prog_statuses_pk PRIMARY KEY (indicator_id, area_id, breakdown)
);
CREATE INDEX prog_statuses_area_idx ON prog_statuses (area_id);

-- Per area × SDG goal: the goal's score, colour and trend.
CREATE TABLE prog_goal_scores (
  area_id uuid NOT NULL,
  goal text NOT NULL,
  score double precision,
  colour text,
  trend text,
  counted integer NOT NULL,
  selected integer NOT NULL,
  CONSTRAINT prog_goal_scores_pk PRIMARY KEY (area_id, goal)
);

-- Per area: the index (null when withheld) and the U4SSC dimension scores.
CREATE TABLE prog_area_index (
  area_id uuid PRIMARY KEY,
  score double precision,
  selected integer NOT NULL,
  missing integer NOT NULL,
  withheld text,
  max_missing_share double precision NOT NULL DEFAULT 0.2,  -- the coverage rule's share used
  u4ssc jsonb NOT NULL DEFAULT '{}'::jsonb,  -- {"Economy": {"score": 0.7, "counted": 3}, ...}
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- The indicators' data_version each indicator's statuses were computed from: an import
-- bumps the version, and the recompute picks up every indicator whose version moved.
CREATE TABLE prog_versions (
  indicator_id uuid PRIMARY KEY,
  data_version integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- Settings per network: the share of missing indicators above which no index is shown.
CREATE TABLE prog_settings (
  organisation_id uuid PRIMARY KEY CONSTRAINT prog_settings_org_fk REFERENCES organisations (id),
  max_missing_share double precision NOT NULL DEFAULT 0.2 CONSTRAINT prog_settings_share_ck CHECK (max_missing_share BETWEEN 0 AND 1)
);
