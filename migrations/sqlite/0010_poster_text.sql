-- The text a poster was painted with (title, benefit, period, shop), so that publishing can
-- tell a poster made before the event was edited. NULL for scripts and older posters.
ALTER TABLE images ADD COLUMN painted_text TEXT;
