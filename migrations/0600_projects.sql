-- Projects and funding: who does what with whose money, and when.
-- Organisations and people live in the directory; they are referenced by id (with foreign keys,
-- since a project pointing at a vanished organisation would be meaningless).
-- Written for PostgreSQL 15 and PGlite.

CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  acronym text,
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  description text NOT NULL DEFAULT '',
  objectives text NOT NULL DEFAULT '',
  target_group text NOT NULL DEFAULT '',
  owner_org_id uuid NOT NULL,
  coordinator_person_id uuid,
  coordinator_org_id uuid,
  state text NOT NULL DEFAULT 'planned',
  -- 'public': anyone may read it; 'partners': only members of the owner and of its partners.
  visibility text NOT NULL DEFAULT 'public',
  start_date date,
  end_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projects_slug_key UNIQUE (slug),
  CONSTRAINT projects_state_check CHECK (state IN ('planned', 'running', 'ended', 'cancelled')),
  CONSTRAINT projects_visibility_check CHECK (visibility IN ('public', 'partners')),
  CONSTRAINT projects_period_check CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date),
  CONSTRAINT projects_owner_fk FOREIGN KEY (owner_org_id) REFERENCES organisations (id),
  CONSTRAINT projects_coordinator_person_fk FOREIGN KEY (coordinator_person_id) REFERENCES people (id),
  CONSTRAINT projects_coordinator_org_fk FOREIGN KEY (coordinator_org_id) REFERENCES organisations (id)
);
CREATE INDEX projects_owner_idx ON projects (owner_org_id);

CREATE TABLE project_partners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  role text NOT NULL,
  start_date date,
  end_date date,
  -- Partners read a project; only those given editing may change it (with their own editors).
  can_edit boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_partners_role_check CHECK (role IN ('partner', 'co_financer', 'steering_group', 'associated')),
  CONSTRAINT project_partners_period_check CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date),
  CONSTRAINT project_partners_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT project_partners_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
);
CREATE INDEX project_partners_project_idx ON project_partners (project_id);
CREATE INDEX project_partners_org_idx ON project_partners (organisation_id);

-- Phases have a start and an end; deadlines only a date (in due_date).
CREATE TABLE project_milestones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  kind text NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  start_date date,
  due_date date NOT NULL,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_milestones_kind_check CHECK (kind IN ('phase', 'deadline')),
  CONSTRAINT project_milestones_period_check CHECK (start_date IS NULL OR due_date >= start_date),
  CONSTRAINT project_milestones_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX project_milestones_project_idx ON project_milestones (project_id);
CREATE INDEX project_milestones_due_idx ON project_milestones (due_date) WHERE kind = 'deadline';

-- One reminder per deadline and date: a deadline moved to another day gets a new reminder.
CREATE TABLE project_reminders_sent (
  milestone_id uuid NOT NULL,
  due_date date NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  recipients integer NOT NULL DEFAULT 0,
  CONSTRAINT project_reminders_sent_pk PRIMARY KEY (milestone_id, due_date),
  CONSTRAINT project_reminders_sent_milestone_fk FOREIGN KEY (milestone_id) REFERENCES project_milestones (id) ON DELETE CASCADE
);

CREATE TABLE project_sdg_targets (
  project_id uuid NOT NULL,
  target_code text NOT NULL,
  CONSTRAINT project_sdg_targets_pk PRIMARY KEY (project_id, target_code),
  CONSTRAINT project_sdg_targets_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX project_sdg_targets_code_idx ON project_sdg_targets (target_code);

-- Indicator codes as the indicators module names them (its public lookup checks they exist).
CREATE TABLE project_indicators (
  project_id uuid NOT NULL,
  indicator_code text NOT NULL,
  CONSTRAINT project_indicators_pk PRIMARY KEY (project_id, indicator_code),
  CONSTRAINT project_indicators_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);

CREATE TABLE project_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  url text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_links_url_check CHECK (url ~ '^(https?://|/)'),
  CONSTRAINT project_links_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX project_links_project_idx ON project_links (project_id);

CREATE TABLE project_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  file_name text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL,
  sha512 text NOT NULL,
  storage_key text NOT NULL,
  text_content text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT project_documents_storage_key_key UNIQUE (storage_key),
  CONSTRAINT project_documents_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX project_documents_project_idx ON project_documents (project_id);

-- A source of money: a funder's grant, or own co-financing (is_own) by the owner or a partner.
CREATE TABLE project_funding_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  funder_org_id uuid NOT NULL,
  is_own boolean NOT NULL DEFAULT false,
  programme text,
  grant_reference text,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_funding_sources_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT project_funding_sources_funder_fk FOREIGN KEY (funder_org_id) REFERENCES organisations (id)
);
CREATE INDEX project_funding_sources_project_idx ON project_funding_sources (project_id);
CREATE INDEX project_funding_sources_funder_idx ON project_funding_sources (funder_org_id);

-- Money is exact: integer minor units (öre, øre, cent) with the currency it was granted in.
CREATE TABLE project_funding_amounts (
  source_id uuid NOT NULL,
  year integer NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL,
  CONSTRAINT project_funding_amounts_pk PRIMARY KEY (source_id, year, currency),
  CONSTRAINT project_funding_amounts_currency_check CHECK (currency IN ('SEK', 'NOK', 'DKK', 'EUR')),
  CONSTRAINT project_funding_amounts_amount_check CHECK (amount_minor >= 0),
  CONSTRAINT project_funding_amounts_year_check CHECK (year BETWEEN 1900 AND 2200),
  CONSTRAINT project_funding_amounts_source_fk FOREIGN KEY (source_id) REFERENCES project_funding_sources (id) ON DELETE CASCADE
);

-- The rates a network uses to show its members' funding in one currency: 1 unit of
-- from_currency = rate_micro / 1 000 000 units of to_currency, for a year.
CREATE TABLE project_exchange_rates (
  network_org_id uuid NOT NULL,
  year integer NOT NULL,
  from_currency char(3) NOT NULL,
  to_currency char(3) NOT NULL,
  rate_micro bigint NOT NULL,
  CONSTRAINT project_exchange_rates_pk PRIMARY KEY (network_org_id, year, from_currency, to_currency),
  CONSTRAINT project_exchange_rates_rate_check CHECK (rate_micro > 0),
  CONSTRAINT project_exchange_rates_currency_check CHECK (from_currency IN ('SEK', 'NOK', 'DKK', 'EUR') AND to_currency IN ('SEK', 'NOK', 'DKK', 'EUR') AND from_currency <> to_currency),
  CONSTRAINT project_exchange_rates_network_fk FOREIGN KEY (network_org_id) REFERENCES organisations (id)
);
