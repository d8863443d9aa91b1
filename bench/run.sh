#!/usr/bin/env bash
# Load benchmark of the live interview in the production shape (`make bench`):
# Daphne, one Celery worker, PostgreSQL and Redis as separate processes, all on 127.0.0.1.
#
# Parameters (environment): BENCH_STUDENTS (200), BENCH_THINK seconds (5),
# BENCH_QUESTIONS core questions per interview (3), BENCH_RAMP seconds (30).
# Logs go to BENCH_LOG_DIR (default: a fresh /tmp/rehearse-bench.* directory).
# Everything this script starts is stopped on exit, also on failure or Ctrl+C, and the
# database rehearse_bench is dropped.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
HOST=127.0.0.1
PORT=8011
DB=rehearse_bench
REDIS_DB=8

export BENCH_STUDENTS="${BENCH_STUDENTS:-200}"
export BENCH_THINK="${BENCH_THINK:-5}"
export BENCH_QUESTIONS="${BENCH_QUESTIONS:-3}"
export BENCH_RAMP="${BENCH_RAMP:-30}"
export BENCH_PORT="$PORT"
export BENCH_PASSWORD="bench-Rehearse-2025!"
LOG_DIR="${BENCH_LOG_DIR:-$(mktemp -d /tmp/rehearse-bench.XXXXXX)}"
mkdir -p "$LOG_DIR"
export BENCH_RESULTS="$LOG_DIR/results.json"

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- PostgreSQL and Redis: start them if they are not answering (as .ci/run does) -------------
if ! pg_isready -q -h "$HOST" -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 30); do pg_isready -q -h "$HOST" -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h "$HOST" -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind "$HOST" --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do redis-cli -h "$HOST" -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

if curl -s -o /dev/null --max-time 2 "http://$HOST:$PORT/healthz"; then
  echo "bench: something already answers on $HOST:$PORT; stop it first." >&2
  exit 1
fi

# --- Cleanup: stop what we started (by pid), drop the database, flush our Redis db ------------
DAPHNE_PID=""
WORKER_PID=""
CPU_PID=""
LOAD_PID=""
TOP_PID=""

stop_pid() {  # stop_pid PID NAME: TERM, wait up to 20 s, then KILL its process group
  local pid="$1" name="$2"
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop on TERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Started with setsid, so the pid is also its process group: catch any leftover child.
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$LOAD_PID" "load script"
  stop_pid "$TOP_PID" "top"
  stop_pid "$CPU_PID" "cpu sampler"
  stop_pid "$DAPHNE_PID" "daphne"
  stop_pid "$WORKER_PID" "celery worker"
  psql -q -h "$HOST" -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h "$HOST" -p 6379 -n "$REDIS_DB" flushdb >/dev/null 2>&1 || true
  say "stopped everything, dropped $DB; logs in $LOG_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- A fresh database and Redis db ------------------------------------------------------------
say "fresh database $DB, Redis db $REDIS_DB; logs in $LOG_DIR"
psql -q -h "$HOST" -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis-cli -h "$HOST" -p 6379 -n "$REDIS_DB" flushdb >/dev/null

export DATABASE_URL="postgres://postgres@$HOST:5432/$DB"
export REDIS_URL="redis://$HOST:6379/$REDIS_DB"
# Production settings (DEBUG off: no query log, compressed static files), over plain HTTP.
export DEBUG=false
export SECRET_KEY="bench-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export SECURE_SSL_REDIRECT=false
export SECURE_COOKIES=false
export ACCOUNT_EMAIL_VERIFICATION=none
# What a fresh install does: the local model is an optional extra (set EMBEDDINGS=local to bench it).
export EMBEDDINGS="${EMBEDDINGS:-lexical}"

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py collectstatic --noinput -v 0
"$BIN/python" manage.py load_questionbank
"$BIN/python" bench/seed.py "$BENCH_STUDENTS"

# --- Daphne and a Celery worker ---------------------------------------------------------------
say "starting Daphne on $HOST:$PORT and a Celery worker (concurrency 2)"
setsid "$BIN/python" -m config.serve -b "$HOST" -p "$PORT" config.asgi:application >"$LOG_DIR/daphne.log" 2>&1 &
DAPHNE_PID=$!
setsid "$BIN/celery" -A config worker --concurrency 2 --loglevel WARNING -n "bench@%h" \
  >"$LOG_DIR/celery.log" 2>&1 &
WORKER_PID=$!

for i in $(seq 60); do
  kill -0 "$DAPHNE_PID" 2>/dev/null || { tail -n 30 "$LOG_DIR/daphne.log" >&2; say "Daphne exited"; exit 1; }
  curl -sf -o /dev/null --max-time 2 "http://$HOST:$PORT/healthz" && break
  [ "$i" = 60 ] && { tail -n 30 "$LOG_DIR/daphne.log" >&2; say "Daphne did not answer in 60 s"; exit 1; }
  sleep 1
done
for i in $(seq 30); do
  kill -0 "$WORKER_PID" 2>/dev/null || { tail -n 30 "$LOG_DIR/celery.log" >&2; say "the worker exited"; exit 1; }
  "$BIN/celery" -A config inspect ping --timeout 2 >/dev/null 2>&1 && break
  [ "$i" = 30 ] && { tail -n 30 "$LOG_DIR/celery.log" >&2; say "the worker did not answer"; exit 1; }
  sleep 1
done
say "Daphne (pid $DAPHNE_PID) and the worker (pid $WORKER_PID) answer"

# --- The load -----------------------------------------------------------------------------------
setsid "$BIN/python" bench/loadtest.py &
LOAD_PID=$!
setsid "$BIN/python" bench/cpustat.py "$LOG_DIR/cpu.log" \
  "daphne=$DAPHNE_PID" "celery=$WORKER_PID" "loadtest=$LOAD_PID" >"$LOG_DIR/cpu.txt" 2>&1 &
CPU_PID=$!
# One `top` snapshot (its second frame, over 3 s) once every student should be in the room.
setsid bash -c "sleep $(( ${BENCH_RAMP%.*} + 20 )); top -b -n 2 -d 3 -w 200 > '$LOG_DIR/top.txt'" &
TOP_PID=$!

rc=0
wait "$LOAD_PID" || rc=$?
LOAD_PID=""
stop_pid "$TOP_PID" "top"
TOP_PID=""
stop_pid "$CPU_PID" "cpu sampler"
wait "$CPU_PID" 2>/dev/null || true
CPU_PID=""
echo
cat "$LOG_DIR/cpu.txt"
if [ -s "$LOG_DIR/top.txt" ]; then
  echo
  echo "top, ${BENCH_RAMP%.*}+20 s into the load:"
  awk '/^top - /{frame++} frame==2' "$LOG_DIR/top.txt" | head -n 22 || true
fi

echo
for name in daphne celery; do
  count=$(grep -cE 'ERROR|CRITICAL|Traceback' "$LOG_DIR/$name.log" || true)
  echo "server log $name.log: $count ERROR/CRITICAL/Traceback lines"
  if [ "$count" -gt 0 ]; then
    grep -E 'ERROR|CRITICAL|Traceback' "$LOG_DIR/$name.log" | sed -E 's/^\[?[0-9]{4}-[0-9-]+ [0-9:,.]+\]? ?//' | cut -c1-200 | sort | uniq -c | sort -rn | head -n 5 || true
  fi
done
exit "$rc"
