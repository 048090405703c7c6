-- Content versions: one counter per domain, bumped in the transaction of every audited write,
-- so that every app server reading it agrees on what changed (ETags, the anonymous page cache).
-- A counter row under a row lock rather than max(audit_events.id): ids are handed out before
-- commit, so a later-committing write could carry a lower id and be missed.
CREATE TABLE platform_content_versions (
  domain text NOT NULL,
  version bigint NOT NULL DEFAULT 0,
  CONSTRAINT platform_content_versions_pkey PRIMARY KEY (domain)
);

-- Every write records its audit row in its own transaction; the trigger maps the action to the
-- domain whose pages it changes. Imports of indicator data have their own domain: the pages that
-- show indicator data also read the finer data_version of the indicators they show.
CREATE FUNCTION platform_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d text;
  head text := split_part(NEW.action, '.', 1);
BEGIN
  d := CASE
    WHEN NEW.action = 'indicators.import' THEN 'indicator-data'
    WHEN head = 'indicators' THEN 'indicators'
    WHEN head IN ('meeting', 'agenda_item', 'case', 'meetings') THEN 'meetings'
    WHEN head IN ('organisation', 'person', 'membership', 'commitment', 'area', 'directory') THEN 'directory'
    WHEN head IN ('user', 'api_token', 'invitation', 'org_role', 'accounts') THEN 'accounts'
    ELSE 'other'
  END;
  INSERT INTO platform_content_versions (domain, version) VALUES (d, 1)
    ON CONFLICT (domain) DO UPDATE SET version = platform_content_versions.version + 1;
  -- Delivered at commit: an embedded database's one app server keeps the counters in memory.
  PERFORM pg_notify('samverka_content', d);
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_bump_content_version AFTER INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION platform_bump_content_version();
