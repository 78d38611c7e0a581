#!/bin/sh
# Installs what is missing, builds Cryomon and runs the whole test suite
# (GUI tests under Xvfb with a session bus). Ends with meson's result as
# "N passed, N failed" on a line of its own.
set -eu

cd "$(dirname "$0")/.."
sh build-aux/setup.sh

[ -d _build ] || meson setup _build --buildtype=debugoptimized
meson compile -C _build

status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- meson test -C _build --print-errorlogs --num-processes 2 "$@" || status=$?

log=_build/meson-logs/testlog.json
if [ -f "$log" ]; then
  /usr/bin/python3 - "$log" <<'PYEOF'
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
skipped = counts.get("SKIP", 0)
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
PYEOF
else
  echo "0 passed, 1 failed"
  status=1
fi

exit "$status"
