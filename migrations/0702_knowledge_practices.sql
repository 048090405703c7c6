-- Good practices (issue #16): submitted by the organisations behind them, reviewed and
-- published by the editors of a network; adoptions by others; indicators they meant to move.
CREATE TABLE knowledge_practices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CONSTRAINT knowledge_practices_title_len CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL CONSTRAINT knowledge_practices_lang CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  -- The network whose editors review and publish it.
  reviewer_org_id uuid NOT NULL CONSTRAINT knowledge_practices_reviewer_fk REFERENCES organisations (id),
  -- The municipality (area) it happened in, taken from the leading organisation where it has one.
  area_id uuid CONSTRAINT knowledge_practices_area_fk REFERENCES areas (id),
  country char(2),
  themes text[] NOT NULL DEFAULT '{}',
  sdg_targets text[] NOT NULL DEFAULT '{}',
  starting_point text NOT NULL DEFAULT '',
  what_was_done text NOT NULL DEFAULT '',
  who_was_involved text NOT NULL DEFAULT '',
  period_start int CONSTRAINT knowledge_practices_start CHECK (period_start IS NULL OR period_start BETWEEN 1900 AND 2200),
  period_end int,
  resources text NOT NULL DEFAULT '',
  results text NOT NULL DEFAULT '',
  key_figures text NOT NULL DEFAULT '',
  lessons text NOT NULL DEFAULT '',
  transfer text NOT NULL DEFAULT '',
  contacts text NOT NULL DEFAULT '',
  origin_url text CONSTRAINT knowledge_practices_origin_url CHECK (origin_url IS NULL OR origin_url ~ '^(https?://|/)'),
  status text NOT NULL DEFAULT 'submitted' CONSTRAINT knowledge_practices_status CHECK (status IN ('submitted', 'in_review', 'returned', 'published')),
  review_note text NOT NULL DEFAULT '',
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_practices_period CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);
CREATE INDEX knowledge_practices_reviewer_idx ON knowledge_practices (reviewer_org_id);
CREATE INDEX knowledge_practices_status_idx ON knowledge_practices (status);

CREATE TABLE knowledge_practice_organisations (
  practice_id uuid NOT NULL CONSTRAINT knowledge_practice_orgs_practice_fk REFERENCES knowledge_practices (id),
  organisation_id uuid NOT NULL CONSTRAINT knowledge_practice_orgs_org_fk REFERENCES organisations (id),
  position int NOT NULL DEFAULT 0,
  CONSTRAINT knowledge_practice_organisations_pk PRIMARY KEY (practice_id, organisation_id)
);
CREATE INDEX knowledge_practice_organisations_org_idx ON knowledge_practice_organisations (organisation_id);

-- The indicators the practice meant to move, compared with a group of areas (null: the country's municipalities).
CREATE TABLE knowledge_practice_indicators (
  practice_id uuid NOT NULL CONSTRAINT knowledge_practice_ind_practice_fk REFERENCES knowledge_practices (id),
  indicator_code text NOT NULL,
  comparison_group text,
  position int NOT NULL DEFAULT 0,
  CONSTRAINT knowledge_practice_indicators_pk PRIMARY KEY (practice_id, indicator_code)
);

CREATE TABLE knowledge_practice_adoptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL CONSTRAINT knowledge_practice_adoptions_practice_fk REFERENCES knowledge_practices (id),
  organisation_id uuid NOT NULL CONSTRAINT knowledge_practice_adoptions_org_fk REFERENCES organisations (id),
  adopted_on text,
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_practice_adoptions_uq UNIQUE (practice_id, organisation_id)
);
CREATE INDEX knowledge_practice_adoptions_practice_idx ON knowledge_practice_adoptions (practice_id);
