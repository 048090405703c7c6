-- The sparkline series is only ever stored and read back whole, never queried inside:
-- json skips jsonb's decomposition on every import (about twice as fast to load).
ALTER TABLE ind_area_summary ALTER COLUMN series TYPE json USING series::json;
