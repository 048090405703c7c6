-- Ownership (issue #8): a record names the organisation (or account) that may change it, so a
-- role held elsewhere (a membership, a signature) never grants rights over someone else's record.

-- The organisation that created the person record; its admins and editors maintain it.
-- Null: not yet claimed; the first organisation to give the person a role claims it.
ALTER TABLE people ADD COLUMN owner_organisation_id uuid
  CONSTRAINT people_owner_organisation_fk REFERENCES organisations(id) ON DELETE SET NULL;
-- The person's own account, when linked: a person may correct their own record.
ALTER TABLE people ADD COLUMN user_id uuid
  CONSTRAINT people_user_fk REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX people_owner_organisation_idx ON people (owner_organisation_id);

-- The organisation whose text a commitment is; signatories only add and end their own signatures.
ALTER TABLE commitments ADD COLUMN owner_organisation_id uuid
  CONSTRAINT commitments_owner_organisation_fk REFERENCES organisations(id) ON DELETE SET NULL;
CREATE INDEX commitments_owner_organisation_idx ON commitments (owner_organisation_id);

-- Existing records: the organisation of the earliest role, and of the earliest signature.
UPDATE people p SET owner_organisation_id = (
  SELECT m.organisation_id FROM memberships m WHERE m.person_id = p.id ORDER BY m.created_at, m.id LIMIT 1);
UPDATE commitments c SET owner_organisation_id = (
  SELECT s.organisation_id FROM commitment_signatures s WHERE s.commitment_id = c.id ORDER BY s.created_at, s.id LIMIT 1);

-- The account that first brought an indicator in; only it (or a platform admin) changes the
-- indicator's metadata afterwards. Null: reference data, changed by platform admins only.
ALTER TABLE ind_indicators ADD COLUMN owner_user_id uuid
  CONSTRAINT ind_indicators_owner_user_fk REFERENCES users(id) ON DELETE SET NULL;

