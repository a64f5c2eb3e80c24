-- Every instance hears when an owner's sessions end (a logout or a password change moves
-- users.token_version; a removed owner's tokens are void too): NOTIFY at commit, so the
-- instances that keep token versions in memory forget that owner's at once.
CREATE FUNCTION notify_sessions_ended() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('em_sessions_ended', OLD.id::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_sessions_ended
    AFTER UPDATE OF token_version OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_sessions_ended();
