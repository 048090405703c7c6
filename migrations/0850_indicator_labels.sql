-- Labels of an indicator's breakdown dimensions and of their categories, as the source wrote them
-- and in the source's language ("Avstand1" is "Avstand til nærmeste …", its category "01" is
-- "Under 1 km"). code '' is the label of the dimension itself. Observations keep the codes; pages
-- and exports show the label next to the code.
CREATE TABLE ind_labels (
  indicator_id uuid NOT NULL REFERENCES ind_indicators (id) ON DELETE CASCADE,
  dimension text NOT NULL,
  code text NOT NULL,
  label text NOT NULL,
  lang text NOT NULL DEFAULT '',
  PRIMARY KEY (indicator_id, dimension, code)
);
