-- The shop's phone for customers (문의처 on the event page); optional.
ALTER TABLE stores ADD COLUMN phone TEXT;
