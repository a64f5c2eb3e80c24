-- PostgreSQL tells every instance when an owner's sessions end (0011 there). SQLite serves one
-- process, which forgets the owner's token version itself: nothing to add.
SELECT 1;
