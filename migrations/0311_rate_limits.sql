-- Request counters for rate-limited routes (sign-in, password reset), shared by every app server.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  count integer NOT NULL,
  window_start timestamptz NOT NULL
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
