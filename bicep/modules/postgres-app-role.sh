#!/bin/bash
# Run by the deployment script (modules/postgres.bicep) as the server administrator: the app's
# own login role, owner of its own schema and nothing else. Idempotent: a later deployment
# only resets the password. Values come from the script's environment (secure values for the
# passwords); psql's \gexec quotes them (format %I / %L), nothing is pasted into SQL.
set -euo pipefail
command -v psql >/dev/null || tdnf install -y postgresql >/dev/null
# The script talks to the server once, inside Azure; the app itself verifies the certificate.
export PGSSLMODE=require
psql -v ON_ERROR_STOP=1 -v role="$APP_ROLE" -v pw="$APP_PASSWORD" -v db="$PGDATABASE" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role', :'pw') \gexec
SELECT format('GRANT %I TO CURRENT_USER', :'role') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION %I', :'role') \gexec
SELECT format('ALTER ROLE %I SET search_path = app', :'role') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'role') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "database role $APP_ROLE ready"
