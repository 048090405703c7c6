-- Directory lists page through organisations and people in the reader's alphabetical order
-- (Swedish Å Ä Ö after Z; Danish and Norwegian Æ Ø Å after Z). PGlite has no ICU collations,
-- so the application stores one sort key per language (src/web/i18n sortKey), compared
-- byte-wise (COLLATE "C") on both engines. Rows that exist before this migration get their
-- keys from the directory's start-up backfill (directory service backfillSortKeys); until then
-- their keys are empty and they sort first.
ALTER TABLE organisations
  ADD COLUMN sort_sv text NOT NULL DEFAULT '',
  ADD COLUMN sort_nb text NOT NULL DEFAULT '',
  ADD COLUMN sort_da text NOT NULL DEFAULT '',
  ADD COLUMN sort_en text NOT NULL DEFAULT '';
ALTER TABLE people
  ADD COLUMN sort_sv text NOT NULL DEFAULT '',
  ADD COLUMN sort_nb text NOT NULL DEFAULT '',
  ADD COLUMN sort_da text NOT NULL DEFAULT '',
  ADD COLUMN sort_en text NOT NULL DEFAULT '';
CREATE INDEX organisations_sort_sv_idx ON organisations (sort_sv COLLATE "C", id);
CREATE INDEX organisations_sort_nb_idx ON organisations (sort_nb COLLATE "C", id);
CREATE INDEX organisations_sort_da_idx ON organisations (sort_da COLLATE "C", id);
CREATE INDEX organisations_sort_en_idx ON organisations (sort_en COLLATE "C", id);
CREATE INDEX people_sort_sv_idx ON people (sort_sv COLLATE "C", id);
CREATE INDEX people_sort_nb_idx ON people (sort_nb COLLATE "C", id);
CREATE INDEX people_sort_da_idx ON people (sort_da COLLATE "C", id);
CREATE INDEX people_sort_en_idx ON people (sort_en COLLATE "C", id);
