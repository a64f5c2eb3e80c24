-- A channel that reviews a post after accepting it (KT's partner: RECEIVED, REVIEWING,
-- SCHEDULED, ON_AIR, ENDED): the last status read, so the sweep reads it again until it is final.
ALTER TABLE distribution_posts ADD COLUMN review TEXT;
