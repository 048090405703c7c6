-- Trust (issue #8): consent recorded where one organisation's act would otherwise speak for another.

-- A municipality (or county, region) lets a network it is a member of write its area's figures.
-- The network's admins and editors may then import observations for that area. Revoking deletes
-- the row; the audit trail keeps both acts.
CREATE TABLE area_delegations (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  network_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, network_id),
  CHECK (organisation_id <> network_id)
);
CREATE INDEX area_delegations_network_idx ON area_delegations (network_id);

-- An organiser named by someone who may not act for it waits for its acceptance: until then
-- the meeting does not appear as that organisation's (calendar, pages, OParl).
ALTER TABLE meeting_organisations ADD COLUMN pending boolean NOT NULL DEFAULT false;
ALTER TABLE meeting_organisations ADD COLUMN requested_by uuid REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX meeting_organisations_pending_idx ON meeting_organisations (organisation_id) WHERE pending;

-- "On behalf of" an organisation named by someone who may not act for it waits for that
-- organisation's confirmation: until then the role is not among its representatives.
ALTER TABLE memberships ADD COLUMN on_behalf_pending boolean NOT NULL DEFAULT false;
CREATE INDEX memberships_on_behalf_pending_idx ON memberships (on_behalf_of_id) WHERE on_behalf_pending;
