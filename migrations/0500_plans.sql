-- Plans and challenges: priorities (mapping), plans and actions, challenges and their responses,
-- and follow-up items from meetings. Written for PostgreSQL 15 and later (and PGlite).

-- A priority area of an organisation (a municipality, or a cohort): SDG goals or targets, or its own
-- theme, with a rationale and the indicators it will follow. Drafts are seen only by the owner.
CREATE TABLE plan_priorities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  rationale text NOT NULL DEFAULT '',
  -- SDG goal numbers ('13') and target codes ('13.2'); empty for an own theme.
  sdg_goals text[] NOT NULL DEFAULT '{}',
  sdg_targets text[] NOT NULL DEFAULT '{}',
  -- Indicator codes (ind_indicators.code), in the order chosen.
  indicator_codes text[] NOT NULL DEFAULT '{}',
  state text NOT NULL DEFAULT 'draft' CONSTRAINT plan_priorities_state_ck CHECK (state IN ('draft', 'published')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_priorities_org_idx ON plan_priorities (organisation_id);

-- Actor mapping: who can contribute to a priority or is affected by it. Rows with a challenge
-- were added when the owner accepted a response to that challenge (the responder became a partner).
CREATE TABLE plan_priority_actors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  priority_id uuid NOT NULL REFERENCES plan_priorities (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  role text NOT NULL CONSTRAINT plan_priority_actors_role_ck CHECK (role IN ('contributor', 'affected', 'partner')),
  contact text,
  challenge_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_priority_actors_priority_idx ON plan_priority_actors (priority_id);
CREATE INDEX plan_priority_actors_org_idx ON plan_priority_actors (organisation_id);

CREATE TABLE plan_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  description text NOT NULL DEFAULT '',
  period_start date,
  period_end date,
  state text NOT NULL DEFAULT 'draft' CONSTRAINT plan_plans_state_ck CHECK (state IN ('draft', 'adopted', 'revised', 'ended')),
  -- The decision that adopted the plan: a meeting's agenda item where there is one, and/or words.
  adopted_meeting_id uuid REFERENCES meetings (id),
  adopted_item_id uuid REFERENCES agenda_items (id),
  adopted_on date,
  decision_note text NOT NULL DEFAULT '',
  parent_id uuid REFERENCES plan_plans (id),
  -- Links to the plan's documents (title + address), kept as written.
  documents jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_plans_period_ck CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start),
  CONSTRAINT plan_plans_parent_ck CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX plan_plans_org_idx ON plan_plans (organisation_id);
CREATE INDEX plan_plans_parent_idx ON plan_plans (parent_id);

-- An action of a plan. The lists an action carries (collaborators, contacts, milestones, SDG targets,
-- indicators, budget lines) are always read and written with the action as a whole, so they are
-- columns of it rather than tables of their own.
CREATE TABLE plan_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES plan_plans (id),
  identifier text NOT NULL CHECK (length(identifier) BETWEEN 1 AND 40),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  description text NOT NULL DEFAULT '',
  primary_org_id uuid NOT NULL REFERENCES organisations (id),
  collaborator_ids uuid[] NOT NULL DEFAULT '{}',
  contact_ids uuid[] NOT NULL DEFAULT '{}',
  start_date date,
  end_date date,
  -- [{ "title": …, "due": "YYYY-MM-DD", "completedOn": "YYYY-MM-DD" | null }]
  milestones jsonb NOT NULL DEFAULT '[]',
  sdg_targets text[] NOT NULL DEFAULT '{}',
  -- [{ "code": indicator code, "direction": "increase" | "decrease" | "maintain" }]
  indicators jsonb NOT NULL DEFAULT '[]',
  currency char(3),
  -- [{ "year": 2024, "amount": 1500000 }]
  budget jsonb NOT NULL DEFAULT '[]',
  -- Null: computed from milestones (and indicator targets where known); otherwise set by hand.
  manual_status text CONSTRAINT plan_actions_manual_ck CHECK (manual_status IS NULL OR manual_status IN ('not_started', 'on_time', 'late', 'completed', 'postponed', 'cancelled')),
  manual_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_actions_identifier_uq UNIQUE (plan_id, identifier),
  CONSTRAINT plan_actions_dates_ck CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
  CONSTRAINT plan_actions_manual_reason_ck CHECK (manual_status IS NULL OR coalesce(length(manual_reason), 0) > 0)
);
CREATE INDEX plan_actions_plan_idx ON plan_actions (plan_id);
CREATE INDEX plan_actions_org_idx ON plan_actions (primary_org_id);

CREATE TABLE plan_status_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action_id uuid NOT NULL REFERENCES plan_actions (id) ON DELETE CASCADE,
  on_date date NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  author_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_status_updates_action_idx ON plan_status_updates (action_id, on_date);

-- A follow-up item from a meeting's agenda item: what, who, due date, state; linked to an action,
-- a priority or an indicator. Owned by this module; the meeting is reached through meetings' index.
CREATE TABLE plan_followups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id),
  agenda_item_id uuid REFERENCES agenda_items (id),
  what text NOT NULL CHECK (length(what) BETWEEN 1 AND 1000),
  who text NOT NULL DEFAULT '',
  due_date date,
  state text NOT NULL DEFAULT 'open' CONSTRAINT plan_followups_state_ck CHECK (state IN ('open', 'done', 'cancelled')),
  action_id uuid REFERENCES plan_actions (id),
  priority_id uuid REFERENCES plan_priorities (id),
  indicator_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_followups_link_ck CHECK (action_id IS NOT NULL OR priority_id IS NOT NULL OR indicator_code IS NOT NULL)
);
CREATE INDEX plan_followups_meeting_idx ON plan_followups (meeting_id);
CREATE INDEX plan_followups_action_idx ON plan_followups (action_id);
CREATE INDEX plan_followups_priority_idx ON plan_followups (priority_id);

-- Challenges (mobilisation): a problem an organisation lifts "up and out" for others to help solve.
CREATE TABLE ch_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  priority_id uuid REFERENCES plan_priorities (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('sv', 'nb', 'da', 'en')),
  problem text NOT NULL DEFAULT '',
  sdg_targets text[] NOT NULL DEFAULT '{}',
  -- The indicator gap: the indicator and the value aimed for; the current value is read live.
  indicator_code text,
  indicator_target double precision,
  help_kinds text[] NOT NULL DEFAULT '{}',
  deadline date,
  contact_name text NOT NULL DEFAULT '',
  contact_email text NOT NULL,
  state text NOT NULL DEFAULT 'draft' CONSTRAINT ch_challenges_state_ck CHECK (state IN ('draft', 'open', 'in_dialogue', 'matched', 'closed')),
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ch_challenges_org_idx ON ch_challenges (organisation_id);
CREATE INDEX ch_challenges_priority_idx ON ch_challenges (priority_id);
CREATE INDEX ch_challenges_state_idx ON ch_challenges (state);

-- A response: from an organisation in the directory, or from a new one the owner's editor approves
-- into the directory when accepting. Private to the challenge's owner (and its author) until accepted.
CREATE TABLE ch_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  challenge_id uuid NOT NULL REFERENCES ch_challenges (id),
  responder_org_id uuid REFERENCES organisations (id),
  new_org_name text,
  new_org_kind text,
  offer text NOT NULL CHECK (length(offer) BETWEEN 1 AND 5000),
  contact_name text NOT NULL DEFAULT '',
  contact_email text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CONSTRAINT ch_responses_state_ck CHECK (state IN ('pending', 'accepted', 'declined')),
  author_user_id uuid,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ch_responses_who_ck CHECK (responder_org_id IS NOT NULL OR new_org_name IS NOT NULL)
);
CREATE INDEX ch_responses_challenge_idx ON ch_responses (challenge_id);
CREATE INDEX ch_responses_org_idx ON ch_responses (responder_org_id);
