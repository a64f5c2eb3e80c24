# Shared helpers for infra/ scripts. Sourced, not executed.
# shellcheck shell=bash

log() { printf '[infra] %s\n' "$*" >&2; }

# What this run started or created, so that cleanup undoes exactly that.
STARTED_PG_CLUSTER=""   # "<version> <name>"
CREATED_TEST_ROLE=""
PG_PORT=5432

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

pg_ready() { pg_isready -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null; }

# "<version> <name> <port> <status>" of the newest cluster, if any.
newest_cluster() {
  pg_lsclusters --no-header 2>/dev/null | sort -k1,1V | tail -n 1 | awk '{print $1, $2, $3, $4}'
}

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_ready; then
    ensure_test_role; return
  fi
  local installed=""
  if ! command -v pg_ctlcluster >/dev/null; then
    log "PostgreSQL is not installed: installing it with apt"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || return 1
    installed=1
  fi
  local cluster version name port status
  cluster=$(newest_cluster)
  if [[ -z "$cluster" ]]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_root pg_createcluster "$version" main >/dev/null || return 1
    cluster=$(newest_cluster)
  fi
  read -r version name port status <<<"$cluster"
  PG_PORT=$port
  if [[ "$status" != online* ]]; then
    log "starting PostgreSQL $version/$name on port $port"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || return 1
    STARTED_PG_CLUSTER="$version $name"
  elif [[ -n "$installed" ]]; then
    STARTED_PG_CLUSTER="$version $name"   # apt started it for us: still ours to stop
  fi
  for _ in $(seq 1 120); do pg_ready && break; sleep 0.25; done
  pg_ready || { log "PostgreSQL did not become ready on port $PG_PORT"; return 1; }
  ensure_test_role
}

admin_psql() {
  # Over TCP as postgres where that works without a password (-w: never prompt), else through
  # the socket as the postgres OS user.
  if psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAt -c "select 1" >/dev/null 2>&1; then
    psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAt "$@"
  else
    (cd / && as_postgres psql -w -p "$PG_PORT" -d postgres -qAt "$@")
  fi
}

# A throwaway role with a known password (works with trust and scram-sha-256 auth alike) that may
# create the per-test databases. Its password is reset every run.
ensure_test_role() {
  local exists
  exists=$(admin_psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'em_test'") || return 1
  if [[ "$exists" != 1 ]]; then
    admin_psql -c "CREATE ROLE em_test LOGIN CREATEDB PASSWORD 'em_test'" >/dev/null || return 1
  else
    admin_psql -c "ALTER ROLE em_test LOGIN CREATEDB PASSWORD 'em_test'" >/dev/null || return 1
  fi
  CREATED_TEST_ROLE=1
}

postgres_test_url() { echo "postgres://em_test:em_test@127.0.0.1:${PG_PORT}/postgres"; }

# Per-test databases are dropped by the tests; this catches any a crashed test left behind.
drop_test_databases() {
  local dbs
  dbs=$(psql -w "$TEST_DATABASE_URL" -qAt -c \
    "SELECT datname FROM pg_database WHERE datname LIKE 'em\_t\_%'" 2>/dev/null) || return 0
  for db in $dbs; do
    psql -w "$TEST_DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

drop_test_role() {
  [[ -n "$CREATED_TEST_ROLE" ]] || return 0
  admin_psql -c "DROP ROLE IF EXISTS em_test" >/dev/null 2>&1 || true
}

AZURITE_VERSION=3.37.0
AZURITE_PID=""
AZURITE_DATA=""

# The browser tests' tools: Debian's Chromium, ChromeDriver and a Korean font (installed with apt
# when missing), and axe-core (npm, into .tools/axe-core, ignored by git).
AXE_CORE_VERSION=4.11.0
ensure_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
      || ! fc-list 2>/dev/null | grep -qi nanum; then
    log "installing chromium, chromium-driver and fonts-nanum with apt"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-nanum >/dev/null \
      || { log "apt-get install chromium chromium-driver fonts-nanum failed"; return 1; }
  fi
  local dir=.tools/axe-core
  if [[ ! -f "$dir/node_modules/axe-core/axe.min.js" ]]; then
    command -v npm >/dev/null || { log "npm is needed to install axe-core"; return 1; }
    log "installing axe-core $AXE_CORE_VERSION with npm into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "axe-core@$AXE_CORE_VERSION" >/dev/null 2>&1 \
      || { log "npm install axe-core failed"; return 1; }
  fi
  export AXE_CORE_JS="$ROOT/$dir/node_modules/axe-core/axe.min.js"
}

# Azurite (the official Azure Storage emulator), blob service only, on a free local port.
# Installed with npm into .tools/azurite (ignored by git) on first use.
ensure_azurite() {
  local dir=.tools/azurite
  if [[ ! -x "$dir/node_modules/.bin/azurite-blob" ]]; then
    command -v npm >/dev/null || { log "npm is needed to install Azurite"; return 1; }
    log "installing Azurite $AZURITE_VERSION with npm into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null 2>&1 \
      || { log "npm install azurite failed"; return 1; }
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  AZURITE_DATA=$(mktemp -d)
  "$dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$AZURITE_DATA" --silent --loose --skipApiVersionCheck >"$AZURITE_DATA/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { log "Azurite did not start"; cat "$AZURITE_DATA/azurite.log" >&2; return 1; }
  TEST_AZURITE_BLOB_URL="http://127.0.0.1:$port/devstoreaccount1"
}

stop_started_services() {
  if [[ -n "$AZURITE_PID" ]]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
    rm -rf "$AZURITE_DATA"
  fi
  if [[ -n "$STARTED_PG_CLUSTER" ]]; then
    log "stopping the PostgreSQL cluster this run started ($STARTED_PG_CLUSTER)"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster --skip-systemctl-redirect $STARTED_PG_CLUSTER stop || true
  fi
}
