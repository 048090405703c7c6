-- Links from a project to the plan actions it carries out and the challenges it answers (#15), and
-- the accepted challenge response a project was started from (#14).
-- The projects module reads plans and challenges through their faces; these foreign keys only keep
-- the links true when an action or challenge row goes away. Written for PostgreSQL 15 and PGlite.

CREATE TABLE project_plan_actions (
  project_id uuid NOT NULL,
  action_id uuid NOT NULL,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_plan_actions_pk PRIMARY KEY (project_id, action_id),
  CONSTRAINT project_plan_actions_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT project_plan_actions_action_fk FOREIGN KEY (action_id) REFERENCES plan_actions (id) ON DELETE CASCADE
);
CREATE INDEX project_plan_actions_action_idx ON project_plan_actions (action_id);

CREATE TABLE project_challenges (
  project_id uuid NOT NULL,
  challenge_id uuid NOT NULL,
  position integer NOT NULL DEFAULT 0,
  CONSTRAINT project_challenges_pk PRIMARY KEY (project_id, challenge_id),
  CONSTRAINT project_challenges_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT project_challenges_challenge_fk FOREIGN KEY (challenge_id) REFERENCES ch_challenges (id) ON DELETE CASCADE
);
CREATE INDEX project_challenges_challenge_idx ON project_challenges (challenge_id);

-- One project per accepted response: starting again shows the project already started.
ALTER TABLE projects ADD COLUMN started_from_response_id uuid;
ALTER TABLE projects ADD CONSTRAINT projects_started_from_response_fk FOREIGN KEY (started_from_response_id) REFERENCES ch_responses (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX projects_started_from_response_key ON projects (started_from_response_id) WHERE started_from_response_id IS NOT NULL;
