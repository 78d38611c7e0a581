#!/bin/sh
# Installs what is missing, builds Cryomon and runs the whole test suite
# (GUI tests under Xvfb with a session bus); then runs the suite again in an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and each fuzz target
# of tests/fuzz for CRYOMON_FUZZ_SECONDS (20) seconds when clang is there.
# CRYOMON_SANITIZERS=no runs the first suite only. Extra arguments go to
# both `meson test` runs. Ends with the results of all of it as
# "N passed, N failed" on a line of its own, and fails when anything did.
set -eu

cd "$(dirname "$0")/.."
sh build-aux/setup.sh

fuzz_seconds=${CRYOMON_FUZZ_SECONDS:-20}
sanitizers=${CRYOMON_SANITIZERS:-yes}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# Adds "PASSED FAILED SKIPPED" to the results.
record() {
  echo "$1 $2 $3" >>"$results"
}

# Records the results of `meson test` in build folder $1.
record_meson() {
  log=$1/meson-logs/testlog.json
  if [ ! -f "$log" ]; then
    record 0 1 0
    return
  fi
  # shellcheck disable=SC2046
  record $(/usr/bin/python3 - "$log" <<'PYEOF'
import json, sys
counts = {}
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if line:
            result = json.loads(line)["result"]
            counts[result] = counts.get(result, 0) + 1
passed = counts.get("OK", 0) + counts.get("EXPECTEDFAIL", 0)
failed = sum(counts.get(k, 0) for k in ("FAIL", "UNEXPECTEDPASS", "TIMEOUT", "ERROR"))
print(passed, failed, counts.get("SKIP", 0))
PYEOF
  )
}

# Runs the suite of build folder $1; further arguments go to `meson test`.
# Four tests at a time although there are two cores: most of them wait on
# instrument timeouts (CRYOMON_TEST_PROCESSES sets another count).
run_suite() {
  build=$1
  shift
  rm -f "$build/meson-logs/testlog.json"
  xvfb-run -a -s "-screen 0 1280x1024x24" \
    dbus-run-session -- meson test -C "$build" --print-errorlogs --num-processes "${CRYOMON_TEST_PROCESSES:-4}" "$@" || true
  record_meson "$build"
}

# 1. The suite.
[ -d _build ] || meson setup _build --buildtype=debugoptimized
if meson compile -C _build; then
  run_suite _build "$@"
else
  record 0 1 0
fi

if [ "$sanitizers" = no ]; then
  fuzz_seconds=0
else
  # 2. The suite under AddressSanitizer (with LeakSanitizer) and
  # UndefinedBehaviorSanitizer, built with clang where there is one: its
  # UBSan also checks float-to-integer conversions. Sanitized programs are
  # slower, hence the longer timeouts. G_SLICE=always-malloc shows GLib's
  # small blocks to ASan. GDK_DEBUG=gl-disable keeps Mesa's GL driver out:
  # it is unloaded before the process ends, and a block it allocated then
  # looks leaked from an unknown module, which no suppression can name
  # (tests/lsan.supp); the first run keeps GL.
  if command -v clang >/dev/null 2>&1; then
    sanitize_cc=clang
  else
    sanitize_cc=cc
  fi
  [ -d _build-asan ] || CC=$sanitize_cc meson setup _build-asan --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbenchmarks=false
  if meson compile -C _build-asan; then
    (
      export ASAN_OPTIONS=detect_leaks=1
      export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
      export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"
      export G_SLICE=always-malloc
      export GDK_DEBUG=gl-disable
      run_suite _build-asan --timeout-multiplier 3 "$@"
    )
  else
    record 0 1 0
  fi

  if ! command -v clang >/dev/null 2>&1; then
    echo "No clang: the fuzz targets are not run"
    fuzz_seconds=0
  fi
fi

# 3. Each fuzz target for a while, starting from its seed corpus; new
# inputs collect in _build-fuzz/fuzz-corpus/, and an input that fails is
# kept in _build-fuzz/fuzz-artifacts/ (replay it with
# _build/tests/fuzz/replay-TARGET FILE). Two run at a time, one per core.
if [ "$fuzz_seconds" -gt 0 ]; then
  targets=$(cd tests/fuzz/corpus && ls)
  [ -d _build-fuzz ] || CC=clang meson setup _build-fuzz --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true -Dbenchmarks=false
  # shellcheck disable=SC2046
  if meson compile -C _build-fuzz $(for t in $targets; do echo "tests/fuzz/fuzz-$t"; done); then
    mkdir -p _build-fuzz/fuzz-artifacts
    rm -f _build-fuzz/fuzz-*.result
    fuzz() {
      mkdir -p "_build-fuzz/fuzz-corpus/$1"
      if ASAN_OPTIONS=detect_leaks=1 \
         UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
         LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
         "_build-fuzz/tests/fuzz/fuzz-$1" -max_total_time="$fuzz_seconds" -timeout=10 \
           -artifact_prefix="_build-fuzz/fuzz-artifacts/$1-" \
           "_build-fuzz/fuzz-corpus/$1" "tests/fuzz/corpus/$1" >"_build-fuzz/fuzz-$1.log" 2>&1; then
        echo ok >"_build-fuzz/fuzz-$1.result"
      else
        echo failed >"_build-fuzz/fuzz-$1.result"
      fi
    }
    # shellcheck disable=SC2086
    set -- $targets
    while [ $# -gt 0 ]; do
      fuzz "$1" &
      if [ $# -gt 1 ]; then
        fuzz "$2" &
        shift
      fi
      shift
      wait
    done
    for target in $targets; do
      log=_build-fuzz/fuzz-$target.log
      if [ "$(cat "_build-fuzz/fuzz-$target.result")" = ok ]; then
        echo "fuzz $target: OK, $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log") inputs"
        record 1 0 0
      else
        tail -n 60 "$log"
        echo "fuzz $target: FAIL (see $log)"
        record 0 1 0
      fi
    done
  else
    record 0 1 0
  fi
fi

awk '{ p += $1; f += $2; s += $3 }
     END { line = p " passed, " f " failed"; if (s) line = line ", " s " skipped"; print line
           exit f > 0 }' "$results"
