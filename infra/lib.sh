# Shared helpers for infra/ scripts. Sourced, not executed.
# shellcheck shell=bash

log() { printf '[infra] %s\n' "$*" >&2; }

STARTED_PG_CLUSTER=""

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) for: $*"; return 1; fi
}

as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# The toolchain is pinned in rust-toolchain.toml. Machines here cannot download toolchains, so if
# the pinned version is missing but the installed stable one *is* that version, link it.
ensure_toolchain() {
  command -v rustup >/dev/null || { command -v cargo >/dev/null; return; }
  local want
  want=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  if (cd / && rustup toolchain list) | grep -q "^${want}-"; then return 0; fi
  local stable_version host
  stable_version=$(cd / && RUSTUP_TOOLCHAIN=stable rustc --version 2>/dev/null | awk '{print $2}')
  host=$(cd / && RUSTUP_TOOLCHAIN=stable rustc -vV | sed -n 's/^host: //p')
  if [[ "$stable_version" == "$want" ]]; then
    log "linking installed stable ($stable_version) as the pinned toolchain $want"
    (cd / && rustup toolchain link "${want}-${host}" "$(RUSTUP_TOOLCHAIN=stable rustc --print sysroot)")
  else
    log "installing the pinned toolchain $want"
    (cd / && rustup toolchain install "$want" --profile minimal -c rustfmt -c clippy)
  fi
}

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_ready; then
    ensure_test_role; return
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    log "PostgreSQL is not installed: installing it with apt"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || return 1
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [[ -z "$version" ]]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    as_root pg_createcluster "$version" main >/dev/null || return 1
  fi
  if ! pg_ready; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || return 1
    STARTED_PG_CLUSTER="$version"
  fi
  for _ in $(seq 1 120); do pg_ready && break; sleep 0.25; done
  pg_ready || { log "PostgreSQL did not become ready"; return 1; }
  ensure_test_role
}

# A throwaway role with a password (works with both trust and scram-sha-256 auth) that may create
# the per-test databases.
ensure_test_role() {
  local sql="DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'em_test') THEN
      CREATE ROLE em_test LOGIN CREATEDB PASSWORD 'em_test';
    END IF; END \$\$;"
  if psql -h 127.0.0.1 -U postgres -d postgres -qAt -c "$sql" >/dev/null 2>&1; then return 0; fi
  (cd / && as_postgres psql -d postgres -qAt -c "$sql") >/dev/null
}

postgres_test_url() { echo "postgres://em_test:em_test@127.0.0.1:5432/postgres"; }

# Per-test databases are dropped by the tests; this catches any a crashed test left behind.
drop_test_databases() {
  local dbs
  dbs=$(psql "$TEST_DATABASE_URL" -qAt -c \
    "SELECT datname FROM pg_database WHERE datname LIKE 'em\_t\_%'" 2>/dev/null) || return 0
  for db in $dbs; do
    psql "$TEST_DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

stop_started_services() {
  if [[ -n "$STARTED_PG_CLUSTER" ]]; then
    log "stopping the PostgreSQL $STARTED_PG_CLUSTER cluster this run started"
    as_root pg_ctlcluster --skip-systemctl-redirect "$STARTED_PG_CLUSTER" main stop || true
  fi
}
