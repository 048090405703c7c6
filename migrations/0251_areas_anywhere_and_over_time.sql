-- Areas beyond the Nordics, below municipalities, and over time.
-- Any ISO 3166 country (fi-091 Helsinki, de-09162000 Munich), user-defined districts under a
-- municipality (se-0780-teleborg), and validity dates with predecessor -> successor links, so
-- that Norway's 2020 and 2024 reforms (Viken 2020–2023) resolve by the data's year.
ALTER TABLE areas DROP CONSTRAINT areas_country_check;
ALTER TABLE areas ADD CONSTRAINT areas_country_ck CHECK (country ~ '^[A-Z]{2}$');
ALTER TABLE areas DROP CONSTRAINT areas_level_check;
ALTER TABLE areas ADD CONSTRAINT areas_level_ck CHECK (level IN ('country', 'region', 'municipality', 'district'));
ALTER TABLE areas DROP CONSTRAINT areas_key_check;
ALTER TABLE areas ADD CONSTRAINT areas_key_ck CHECK (key ~ '^[a-z]{2}(-[0-9a-z]+){0,2}$');
ALTER TABLE areas ADD COLUMN valid_from date;
ALTER TABLE areas ADD COLUMN valid_to date;
ALTER TABLE areas ADD CONSTRAINT areas_validity_ck CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);

CREATE TABLE area_changes (
  predecessor_id uuid NOT NULL REFERENCES areas (id),
  successor_id uuid NOT NULL REFERENCES areas (id),
  changed_on date NOT NULL,
  CONSTRAINT area_changes_pk PRIMARY KEY (predecessor_id, successor_id),
  CONSTRAINT area_changes_not_self_ck CHECK (predecessor_id <> successor_id)
);
CREATE INDEX area_changes_successor_idx ON area_changes (successor_id);
