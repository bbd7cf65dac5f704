#!/usr/bin/env bash
# A read-only PostgreSQL role for Grafana's data source (uid tradewatch-history): it may read the
# trade history and nothing else, so an Editor in Grafana's Explore cannot change or drop it.
#
# The postgres image runs this once, at the first start of an empty data volume
# (/docker-entrypoint-initdb.d). The exporter creates its schema and tables later, on its first
# write, as POSTGRES_USER: default privileges of that role give the reader USAGE on every schema
# and SELECT on every table it creates from now on. Run it again by hand on a database that exists
# already (docker compose exec postgres bash /docker-entrypoint-initdb.d/10-grafana-reader.sh): it is
# idempotent, sets the password again and grants on the schemas that exist.
#
# Settings (environment): POSTGRES_USER (the exporter's role, owner of the history),
# POSTGRES_DB, HISTORY_DB_READER_USER (default tradewatch_grafana), HISTORY_DB_READER_PASSWORD
# (required). Connection: psql's own PGHOST/PGPORT (the image's init server: its Unix socket).
set -euo pipefail

owner="${POSTGRES_USER:?POSTGRES_USER is not set: the role the exporter writes the history as}"
db="${POSTGRES_DB:-$owner}"
reader="${HISTORY_DB_READER_USER:-tradewatch_grafana}"
if [ -z "${HISTORY_DB_READER_PASSWORD:-}" ]; then
  echo "grafana-reader: HISTORY_DB_READER_PASSWORD is empty; set it (the Grafana data source logs in with it)" >&2
  exit 1
fi
if [ "$reader" = "$owner" ]; then
  echo "grafana-reader: HISTORY_DB_READER_USER must differ from POSTGRES_USER ($owner)" >&2
  exit 1
fi

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$owner" --dbname "$db" \
  -v owner="$owner" -v db="$db" -v reader="$reader" <<'SQL'
-- The password is read from the environment, never put on a command line (ps would show it).
\getenv password HISTORY_DB_READER_PASSWORD
BEGIN;
SELECT format('CREATE ROLE %I LOGIN', :'reader')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'reader') \gexec
-- Bounds: a few connections (the data source opens at most 10), no statement longer than 30 s,
-- read-only transactions by default (the grants below are what really forbid writing).
ALTER ROLE :"reader" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  CONNECTION LIMIT 20 PASSWORD :'password';
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '30s';
-- No tables of its own, not even temporary ones (older PostgreSQL lets everyone create in public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE TEMPORARY ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"reader";
-- What the exporter creates from now on (its schema is created on its first write).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT ON TABLES TO :"reader";
-- What it created already (this script run again on an existing database).
SELECT format('GRANT USAGE ON SCHEMA %I TO %I', n.nspname, :'reader'),
       format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', n.nspname, :'reader')
  FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
  WHERE r.rolname = :'owner' AND n.nspname NOT LIKE 'pg\_%' AND n.nspname NOT IN ('information_schema', 'public') \gexec
COMMIT;
SQL
echo "grafana-reader: role $reader reads what $owner writes in database $db"
