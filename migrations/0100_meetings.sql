-- Meetings: agendas, case items, minutes, decisions and documents.
-- Written for PostgreSQL 15 and later.

CREATE TABLE meetings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  -- The zone the times were entered in and are shown in.
  time_zone text NOT NULL DEFAULT 'Europe/Stockholm',
  state text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'invited', 'held', 'cancelled')),
  street_address text,
  postal_code text,
  locality text,
  room text,
  online_url text CHECK (online_url IS NULL OR online_url ~ '^https?://'),
  online_platform text,
  description text NOT NULL DEFAULT '',
  -- General minutes text (attendance remarks, opening, closing); decisions live on the items.
  minutes_notes text NOT NULL DEFAULT '',
  agenda_published_at timestamptz,
  minutes_published_at timestamptz,
  copied_from_id uuid REFERENCES meetings (id),
  -- Bumped on every change; iCalendar clients use it to replace their copy.
  sequence integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX meetings_starts_idx ON meetings (starts_at);
CREATE INDEX meetings_updated_idx ON meetings (updated_at);

-- The organising bodies; position 0 is the leading organiser.
CREATE TABLE meeting_organisations (
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  position integer NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, organisation_id)
);
CREATE INDEX meeting_organisations_org_idx ON meeting_organisations (organisation_id);

CREATE TABLE meeting_participants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  person_id uuid NOT NULL REFERENCES people (id),
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('chair', 'member', 'secretary', 'officer', 'guest')),
  attendance text NOT NULL DEFAULT 'invited' CHECK (attendance IN ('invited', 'present', 'absent', 'excused')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meeting_id, person_id)
);

-- A case (OParl Paper): the matter an agenda item deals with, possibly over several meetings.
CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The body that owns the case file; its editors maintain it.
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  -- Free text: Sagsnr., diarienummer and saksnummer differ by country.
  reference text,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  case_type text,
  case_date date,
  case_officer text,
  other_officers text[] NOT NULL DEFAULT '{}',
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX cases_org_idx ON cases (organisation_id);

-- The bodies a case is referred to (the distribution table), leading body first.
CREATE TABLE case_referrals (
  case_id uuid NOT NULL REFERENCES cases (id),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  position integer NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, organisation_id)
);

CREATE TABLE agenda_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  position integer NOT NULL,
  number text,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  -- Closed items show their title only to those without access.
  is_public boolean NOT NULL DEFAULT true,
  case_id uuid REFERENCES cases (id),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  summary text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  recommendation text NOT NULL DEFAULT '',
  decision text NOT NULL DEFAULT '',
  -- Short categorical result, e.g. "approved", "noted", "postponed".
  result text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX agenda_items_meeting_idx ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_case_idx ON agenda_items (case_id);

CREATE TABLE meeting_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  agenda_item_id uuid REFERENCES agenda_items (id),
  role text NOT NULL CHECK (role IN ('invitation', 'agenda', 'minutes', 'attachment')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  file_name text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  sha512 text NOT NULL CHECK (sha512 ~ '^[0-9a-f]{128}$'),
  storage_key text NOT NULL UNIQUE,
  -- Extracted for the full-text search; never indexed publicly when is_public is false.
  extracted_text text,
  -- Mirrors the item's visibility (true for meeting-level files), kept in step by the service.
  is_public boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX meeting_files_meeting_idx ON meeting_files (meeting_id);
CREATE INDEX meeting_files_item_idx ON meeting_files (agenda_item_id);
