-- Hardening: login lock rounds that grow, a token version every token must match (bumped by a
-- password change and by logout), and at most one running job per event and type. SQLite flavour.

ALTER TABLE login_failures ADD COLUMN lock_rounds INTEGER NOT NULL DEFAULT 0 CHECK (lock_rounds >= 0);

ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 1 CHECK (token_version >= 1);

-- Jobs already running twice (possible before this) keep only the newest.
UPDATE jobs SET status = 'FAILED', error_message = '같은 작업이 다시 요청되어 이 작업은 중단했습니다.',
    finished_at = updated_at
WHERE status IN ('PENDING', 'PROCESSING')
  AND EXISTS (SELECT 1 FROM jobs newer WHERE newer.event_id = jobs.event_id
              AND newer.job_type = jobs.job_type AND newer.status IN ('PENDING', 'PROCESSING')
              AND (newer.created_at > jobs.created_at
                   OR (newer.created_at = jobs.created_at AND newer.id > jobs.id)));
CREATE UNIQUE INDEX jobs_one_running_idx ON jobs (event_id, job_type)
    WHERE status IN ('PENDING', 'PROCESSING');
CREATE INDEX jobs_owner_day_idx ON jobs (user_id, job_type, created_at);
