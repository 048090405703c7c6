-- Knowledge (issue #16): news and events with webinars. Good practices follow in 0702.

CREATE TABLE knowledge_news (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL CONSTRAINT knowledge_news_org_fk REFERENCES organisations (id),
  title text NOT NULL CONSTRAINT knowledge_news_title_len CHECK (length(title) BETWEEN 1 AND 300),
  lead text NOT NULL DEFAULT '',
  -- Sanitised HTML (knowledge/richtext.ts).
  body text NOT NULL DEFAULT '',
  lang text NOT NULL CONSTRAINT knowledge_news_lang CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  author_name text NOT NULL DEFAULT '',
  author_user_id uuid,
  image_key text,
  image_mime text,
  image_alt text,
  sdg_goals int[] NOT NULL DEFAULT '{}',
  topics text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CONSTRAINT knowledge_news_status CHECK (status IN ('draft', 'published')),
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  -- An image never goes out without a text alternative.
  CONSTRAINT knowledge_news_image_alt CHECK (image_key IS NULL OR length(trim(coalesce(image_alt, ''))) > 0),
  CONSTRAINT knowledge_news_published CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX knowledge_news_org_idx ON knowledge_news (organisation_id);
CREATE INDEX knowledge_news_published_idx ON knowledge_news (published_at DESC) WHERE status = 'published' AND deleted_at IS NULL;

CREATE TABLE knowledge_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CONSTRAINT knowledge_events_kind CHECK (kind IN ('webinar', 'gathering', 'conference', 'study_visit', 'course')),
  title text NOT NULL CONSTRAINT knowledge_events_title_len CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  lang text NOT NULL CONSTRAINT knowledge_events_lang CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  time_zone text NOT NULL DEFAULT 'Europe/Stockholm',
  place text,
  online_url text CONSTRAINT knowledge_events_online_url CHECK (online_url IS NULL OR online_url ~ '^https?://'),
  registration_open boolean NOT NULL DEFAULT false,
  capacity int CONSTRAINT knowledge_events_capacity CHECK (capacity IS NULL OR capacity > 0),
  registration_deadline timestamptz,
  recording_url text CONSTRAINT knowledge_events_recording_url CHECK (recording_url IS NULL OR recording_url ~ '^https?://'),
  sdg_goals int[] NOT NULL DEFAULT '{}',
  topics text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CONSTRAINT knowledge_events_status CHECK (status IN ('draft', 'published')),
  published_at timestamptz,
  sequence int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT knowledge_events_ends_after_start CHECK (ends_at > starts_at)
);
CREATE INDEX knowledge_events_starts_idx ON knowledge_events (starts_at);

-- Position 0 is the leading organiser; its members see restricted parts.
CREATE TABLE knowledge_event_organisers (
  event_id uuid NOT NULL CONSTRAINT knowledge_event_organisers_event_fk REFERENCES knowledge_events (id),
  organisation_id uuid NOT NULL CONSTRAINT knowledge_event_organisers_org_fk REFERENCES organisations (id),
  position int NOT NULL DEFAULT 0,
  CONSTRAINT knowledge_event_organisers_pk PRIMARY KEY (event_id, organisation_id)
);
CREATE INDEX knowledge_event_organisers_org_idx ON knowledge_event_organisers (organisation_id);

-- A programme item with its speaker's presentation (one speaker per item; several items may share a time).
CREATE TABLE knowledge_event_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL CONSTRAINT knowledge_event_items_event_fk REFERENCES knowledge_events (id),
  position int NOT NULL DEFAULT 0,
  starts_at timestamptz,
  title text NOT NULL CONSTRAINT knowledge_event_items_title_len CHECK (length(title) BETWEEN 1 AND 300),
  speaker_name text,
  speaker_person_id uuid CONSTRAINT knowledge_event_items_person_fk REFERENCES people (id),
  speaker_organisation_id uuid CONSTRAINT knowledge_event_items_org_fk REFERENCES organisations (id),
  slides_url text CONSTRAINT knowledge_event_items_slides_url CHECK (slides_url IS NULL OR slides_url ~ '^https?://'),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_event_items_event_idx ON knowledge_event_items (event_id);

-- Files: a presentation (item_id set), a recording or material after the event.
CREATE TABLE knowledge_event_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL CONSTRAINT knowledge_event_files_event_fk REFERENCES knowledge_events (id),
  item_id uuid CONSTRAINT knowledge_event_files_item_fk REFERENCES knowledge_event_items (id),
  role text NOT NULL CONSTRAINT knowledge_event_files_role CHECK (role IN ('presentation', 'recording', 'material')),
  title text NOT NULL,
  file_name text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL,
  storage_key text NOT NULL,
  extracted_text text,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX knowledge_event_files_event_idx ON knowledge_event_files (event_id);

-- Sign-ups. Visible only to the organisers; the sign-off link carries a token whose SHA-256 is kept.
CREATE TABLE knowledge_event_registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL CONSTRAINT knowledge_event_registrations_event_fk REFERENCES knowledge_events (id),
  name text NOT NULL,
  email text NOT NULL,
  organisation_name text,
  token_hash text NOT NULL CONSTRAINT knowledge_event_registrations_token_uq UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz
);
CREATE INDEX knowledge_event_registrations_event_idx ON knowledge_event_registrations (event_id);
CREATE UNIQUE INDEX knowledge_event_registrations_active_uq ON knowledge_event_registrations (event_id, lower(email)) WHERE cancelled_at IS NULL;
