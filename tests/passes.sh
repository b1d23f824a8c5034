#!/usr/bin/env bash
# `make test`'s passes of the suite, run side by side (ruff has run before):
#   sqlite      the suite on SQLite, browser tests included;
#   shifted     the same, with the whole process (pytest, the browser tests' live server and
#               import worker) seeing 23:30 UTC on 31 December of this year: Beijing is already
#               in the next month and year, so a test or a page that takes the server's date
#               for today fails here, whatever the hour CI runs (libfaketime);
#   postgresql  the suite on TEST_DATABASE_URL when it is set (the browser tests always serve
#               their own SQLite file, so this pass leaves them out).
# One after another they would take longer than CI's 30 minutes (some 660 s and 790 s before the
# shifted pass was added); side by side the wall time is the slowest pass's, stretched by what
# the passes take from each other's cores, and each spends part of its time waiting on its
# database, browser or subprocesses. Each writes artifacts/test-<pass>.log; when all are done
# their tails are printed, and this fails if any pass failed.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
LOGS=artifacts
mkdir -p "$LOGS"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passes=(sqlite shifted)
[ -n "${TEST_DATABASE_URL:-}" ] && passes+=(postgresql)

# A Redis answering on 127.0.0.1:6379 adds the test of two app servers sharing one cache; each
# pass gets a database of its own (15, 14, 13), since the test empties it. A TEST_REDIS_URL
# given from outside names one database: the SQLite pass alone uses it.
redis_for() {
    if [ -n "${TEST_REDIS_URL:-}" ]; then
        [ "$1" = sqlite ] && echo "$TEST_REDIS_URL"
    elif [ -n "$redis_answers" ]; then
        echo "redis://127.0.0.1:6379/$2"
    fi
}
redis_answers=""
[ -z "${TEST_REDIS_URL:-}" ] && "$BIN/python" -c "import socket; socket.create_connection(('127.0.0.1', 6379), 0.5)" \
    2>/dev/null && redis_answers=1

# The shifted instant is computed from today's date, so the pass never goes stale: an offset
# from the real clock (not a fixed start), so that every process started during the pass sees
# the same clock, running at the normal pace. The monotonic clock stays real, and every Python
# process sleeps without clock_nanosleep (tests/shifted/sitecustomize.py says why).
shifted_to="$(date -u +%Y)-12-31 23:30:00"
offset=$(printf '%+d' $(( $(date -u -d "$shifted_to UTC" +%s) - $(date -u +%s) )))
seen=$(faketime -f "$offset" date -u +%Y-%m-%d) || exit 1
if [ "$seen" != "${shifted_to% *}" ]; then  # a pass that silently kept the real clock proves nothing
    echo "libfaketime did not shift the clock (date says $seen, not ${shifted_to% *})" >&2
    exit 1
fi

declare -A pids
n=15
for pass in "${passes[@]}"; do
    redis=$(redis_for "$pass" "$n"); n=$((n - 1))
    env=(env -u TEST_REDIS_URL)
    case $pass in
        sqlite)     cmd=("${env[@]}" -u TEST_DATABASE_URL ${redis:+"TEST_REDIS_URL=$redis"}
                         SCREENSHOTS=artifacts/screenshots "$BIN/pytest" -q) ;;
        shifted)    cmd=("${env[@]}" -u TEST_DATABASE_URL ${redis:+"TEST_REDIS_URL=$redis"}
                         SCREENSHOTS=artifacts/screenshots-shifted
                         PYTHONPATH=tests/shifted FAKETIME_DONT_FAKE_MONOTONIC=1
                         faketime -m -f "$offset" "$BIN/pytest" -q) ;;
        postgresql) cmd=("${env[@]}" ${redis:+"TEST_REDIS_URL=$redis"} "$BIN/pytest" -q --ignore=tests/e2e) ;;
    esac
    label="== $pass${redis:+ (Redis: $redis)}"
    [ "$pass" = shifted ] && label="$label (the clock seen as $shifted_to UTC)"
    [ "$pass" = postgresql ] && label="$label ($TEST_DATABASE_URL)"
    echo "$label: $LOGS/test-$pass.log"
    # Its own temporary folder: pytest's shared one is cleaned by age, and the shifted pass's
    # clock would take the other passes' folders for weeks old.
    ( start=$SECONDS
      "${cmd[@]}" --basetemp "$tmp/$pass" > "$LOGS/test-$pass.log" 2>&1; status=$?
      echo $((SECONDS - start)) > "$tmp/$pass.seconds"
      exit $status ) &
    pids[$pass]=$!
done

failed=()
for pass in "${passes[@]}"; do
    wait "${pids[$pass]}"; status=$?
    took=$(cat "$tmp/$pass.seconds")
    echo ""
    echo "== $pass: $([ $status = 0 ] && echo passed || echo "FAILED ($status)") in ${took}s; the end of $LOGS/test-$pass.log:"
    tail -n 25 "$LOGS/test-$pass.log"
    [ $status = 0 ] || failed+=("$pass")
done
echo ""
if [ ${#failed[@]} -gt 0 ]; then
    echo "== failed: ${failed[*]} (whole logs in $LOGS/)" >&2
    exit 1
fi
echo "== all passes passed: ${passes[*]} (${SECONDS}s)"
