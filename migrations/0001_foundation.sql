-- Foundation: audit trail, accounts and the network directory.
-- Written for PostgreSQL 15 and later (PGlite is 18; Debian's server is 15).

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_label text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  -- The organisation whose history page shows this event, when there is one.
  organisation_id uuid,
  summary text NOT NULL DEFAULT '',
  changes jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_org_idx ON audit_events (organisation_id, at DESC);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, at DESC);

-- Directory ----------------------------------------------------------------

-- Dates in the directory are often known only to the year or month ("joined in
-- 2008", "board member 2017-2019", "August 2014"): YYYY, YYYY-MM or YYYY-MM-DD.
-- Text in this form sorts and compares chronologically.
CREATE DOMAIN partial_date AS text
  CHECK (VALUE ~ '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$');

CREATE TABLE areas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stable key used in URLs: country code, dash, official code (se-0780, no-1506, dk-657, se, se-07).
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z]{2}(-[0-9a-z]+)?$'),
  country char(2) NOT NULL CHECK (country IN ('SE', 'NO', 'DK')),
  level text NOT NULL CHECK (level IN ('country', 'region', 'municipality')),
  code text NOT NULL,
  name text NOT NULL,
  parent_id uuid REFERENCES areas (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (country, level, code)
);

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  short_name text,
  -- Accent- and case-folded name, maintained by the application, for name search.
  search_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'municipality', 'county', 'region',
    'network', 'working_group', 'committee', 'political_group', 'steering_group', 'secretariat',
    'agency', 'company', 'ngo', 'university')),
  parent_id uuid REFERENCES organisations (id),
  area_id uuid REFERENCES areas (id),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  description text NOT NULL DEFAULT '',
  website text,
  founded_on partial_date,
  ended_on partial_date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);
CREATE INDEX organisations_area_idx ON organisations (area_id);
CREATE INDEX organisations_search_idx ON organisations (search_name text_pattern_ops);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  search_name text NOT NULL,
  title text,
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  -- Contact details only when the person has given them to be published.
  email text,
  phone text,
  ended_on partial_date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_search_idx ON people (search_name text_pattern_ops);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  person_id uuid REFERENCES people (id),
  member_organisation_id uuid REFERENCES organisations (id),
  role text NOT NULL CHECK (role IN (
    'chair', 'vice_chair', 'board_member', 'member', 'representative', 'coordinator',
    'project_leader', 'secretary', 'advisor', 'partner')),
  label text,
  on_behalf_of_id uuid REFERENCES organisations (id),
  start_date partial_date,
  end_date partial_date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((person_id IS NULL) <> (member_organisation_id IS NULL)),
  CHECK (member_organisation_id IS NULL OR member_organisation_id <> organisation_id),
  CHECK (end_date IS NULL OR start_date IS NULL
    OR end_date || substr('-12-31', length(end_date) - 3) >= start_date || substr('-01-01', length(start_date) - 3))
);
CREATE INDEX memberships_org_idx ON memberships (organisation_id);
CREATE INDEX memberships_person_idx ON memberships (person_id);
CREATE INDEX memberships_member_org_idx ON memberships (member_organisation_id);
CREATE INDEX memberships_behalf_idx ON memberships (on_behalf_of_id);

CREATE TABLE commitments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  search_name text NOT NULL,
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  -- When the commitment was launched or adopted.
  dated_on partial_date,
  body text NOT NULL DEFAULT '',
  url text,
  ended_on partial_date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commitment_signatures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  commitment_id uuid NOT NULL REFERENCES commitments (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  signed_on partial_date,
  ended_on partial_date,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_on IS NULL OR signed_on IS NULL
    OR ended_on || substr('-12-31', length(ended_on) - 3) >= signed_on || substr('-01-01', length(signed_on) - 3))
);
CREATE INDEX commitment_signatures_org_idx ON commitment_signatures (organisation_id);
CREATE UNIQUE INDEX commitment_signatures_current_uq
  ON commitment_signatures (commitment_id, organisation_id) WHERE ended_on IS NULL;

-- Accounts -----------------------------------------------------------------

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  is_platform_admin boolean NOT NULL DEFAULT false,
  locale text CHECK (locale IN ('sv', 'nb', 'da', 'en')),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_uq ON users (lower(email));

CREATE TABLE sessions (
  -- SHA-256 of the cookie value: a stolen database does not yield live sessions.
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  email text NOT NULL,
  invited_by uuid NOT NULL REFERENCES users (id),
  organisation_id uuid REFERENCES organisations (id),
  org_role text CHECK (org_role IN ('admin', 'editor', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_user_id uuid REFERENCES users (id),
  CHECK ((organisation_id IS NULL) = (org_role IS NULL))
);

CREATE TABLE org_roles (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'member')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX org_roles_org_idx ON org_roles (organisation_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  -- The first characters, shown so a user can tell tokens apart.
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
