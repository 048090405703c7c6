-- Indicators: frameworks, indicators, area groups and geometries, observations,
-- import batches and the precomputed summaries pages read.
-- Written for PostgreSQL 15 and later.

CREATE TABLE ind_frameworks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Short stable key: sdg, u4ssc, ks, kolada, or a user-chosen slug.
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  names jsonb NOT NULL DEFAULT '{}'::jsonb,   -- {"en": "...", "sv": "..."}
  source text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Goals, targets, categories: any depth. Indicators hang off nodes through ind_indicator_links.
CREATE TABLE ind_framework_nodes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  framework_id uuid NOT NULL REFERENCES ind_frameworks (id) ON DELETE CASCADE,
  code text NOT NULL,
  level text NOT NULL CHECK (level IN ('goal', 'target', 'category')),
  parent_id uuid REFERENCES ind_framework_nodes (id) ON DELETE CASCADE,
  -- Names per language; short names for goals (e.g. "No poverty").
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  short_names jsonb NOT NULL DEFAULT '{}'::jsonb,
  sort_key text NOT NULL DEFAULT '',
  UNIQUE (framework_id, code)
);
CREATE INDEX ind_framework_nodes_parent_idx ON ind_framework_nodes (parent_id);

CREATE TABLE ind_indicators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Unique code as used in files and URLs: "N01951", "sdg-11-6-2", "EC-ICT-ICT-1C".
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$'),
  framework_id uuid REFERENCES ind_frameworks (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  description text NOT NULL DEFAULT '',
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  unit text NOT NULL DEFAULT '',
  decimals smallint NOT NULL DEFAULT 1 CHECK (decimals BETWEEN 0 AND 6),
  direction text NOT NULL DEFAULT 'neutral' CHECK (direction IN ('higher', 'lower', 'neutral')),
  source text NOT NULL DEFAULT '',
  attribution text NOT NULL DEFAULT '',
  periodicity text NOT NULL DEFAULT 'annual' CHECK (periodicity IN ('annual', 'multi_year', 'quarterly', 'monthly', 'irregular')),
  -- Breakdown dimensions, e.g. ["gender", "age"].
  dimensions jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Bumped whenever its observations change: cached charts key on it.
  data_version integer NOT NULL DEFAULT 0,
  -- How many areas have data (rows in ind_area_summary); kept by the importer for lists.
  area_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The crosswalk: an indicator of any framework may point at any node (e.g. SDG target 11.6).
CREATE TABLE ind_indicator_links (
  indicator_id uuid NOT NULL REFERENCES ind_indicators (id) ON DELETE CASCADE,
  node_id uuid NOT NULL REFERENCES ind_framework_nodes (id) ON DELETE CASCADE,
  PRIMARY KEY (indicator_id, node_id)
);
CREATE INDEX ind_indicator_links_node_idx ON ind_indicator_links (node_id);

CREATE TABLE ind_area_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  kind text NOT NULL DEFAULT 'custom' CHECK (kind IN ('network', 'similar', 'custom', 'kolada')),
  source text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ind_area_group_members (
  group_id uuid NOT NULL REFERENCES ind_area_groups (id) ON DELETE CASCADE,
  area_id uuid NOT NULL REFERENCES areas (id),
  PRIMARY KEY (group_id, area_id)
);
CREATE INDEX ind_area_group_members_area_idx ON ind_area_group_members (area_id);

CREATE TABLE ind_area_geometries (
  area_id uuid PRIMARY KEY REFERENCES areas (id),
  -- A GeoJSON geometry (Polygon or MultiPolygon), simplified for display.
  geojson jsonb NOT NULL,
  source text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ind_import_batches (
  id bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_label text NOT NULL,
  format text NOT NULL CHECK (format IN ('opensdg', 'long', 'jsonstat', 'kolada', 'demo')),
  source text NOT NULL DEFAULT '',
  filename text NOT NULL DEFAULT '',
  rows_total integer NOT NULL DEFAULT 0,
  rows_inserted integer NOT NULL DEFAULT 0,
  rows_updated integer NOT NULL DEFAULT 0,
  rows_unchanged integer NOT NULL DEFAULT 0,
  indicator_ids uuid[] NOT NULL DEFAULT '{}'
);

-- One value per indicator × area × period × breakdown. breakdown is a canonical
-- "dim=value;dim=value" string sorted by dim, '' for the total.
-- This fact table has no foreign keys on purpose: each one costs an index probe
-- per imported row, and together they tripled the merge time of a bulk import.
-- The importer checks every area and indicator before it writes, and neither
-- areas nor indicators are ever deleted (deleting an indicator removes its rows
-- explicitly in the same transaction).
CREATE TABLE ind_observations (
  indicator_id uuid NOT NULL,
  area_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^[0-9]{4}(-[0-9]{4}|-Q[1-4]|-(0[1-9]|1[0-2]))?$'),
  breakdown text NOT NULL DEFAULT '',
  value double precision,
  status text NOT NULL DEFAULT '' CHECK (status IN ('', 'provisional', 'estimated', 'missing', 'confidential')),
  note text NOT NULL DEFAULT '',
  batch_id bigint NOT NULL,
  PRIMARY KEY (indicator_id, area_id, period, breakdown)
);
-- Only the primary key: every read goes by indicator first (series, exports) and the
-- area page reads ind_area_summary. Each extra index would slow every import.

-- Values a later batch replaced: the diff between batches reads from here.
CREATE TABLE ind_observation_history (
  indicator_id uuid NOT NULL,
  area_id uuid NOT NULL,
  period text NOT NULL,
  breakdown text NOT NULL,
  value double precision,
  status text NOT NULL,
  note text NOT NULL,
  batch_id bigint NOT NULL,
  replaced_by bigint NOT NULL
);
CREATE INDEX ind_observation_history_replaced_idx ON ind_observation_history (replaced_by);

-- Precomputed per indicator × area (total breakdown only): what the area page and
-- the compare page read. Refreshed for the touched indicators inside each import.
-- Derived entirely from ind_observations, so it carries no foreign keys either.
CREATE TABLE ind_area_summary (
  indicator_id uuid NOT NULL,
  area_id uuid NOT NULL,
  first_period text NOT NULL,
  first_value double precision,
  latest_period text NOT NULL,
  latest_value double precision,
  latest_status text NOT NULL DEFAULT '',
  n_periods integer NOT NULL,
  -- Compact series for sparklines: [[period, value], ...].
  series jsonb NOT NULL,
  PRIMARY KEY (indicator_id, area_id)
);
CREATE INDEX ind_area_summary_area_idx ON ind_area_summary (area_id);

-- Saved dimension/column mappings, reusable across uploads of the same shape.
CREATE TABLE ind_mappings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  format text NOT NULL,
  mapping jsonb NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (format, name)
);

-- Files uploaded through the web, kept until committed so the user can preview,
-- map and dry-run them; status and result of a running import live here too.
CREATE TABLE ind_uploads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid,
  filename text NOT NULL,
  format text NOT NULL CHECK (format IN ('opensdg', 'long', 'jsonstat', 'kolada')),
  content bytea NOT NULL,
  mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'checked', 'running', 'done', 'failed')),
  report jsonb NOT NULL DEFAULT '{}'::jsonb,
  batch_id bigint REFERENCES ind_import_batches (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
