#!/bin/sh
# The systemd user unit (data/cryomon.service.in, here with the build
# tree's cryomon) passes `systemd-analyze verify` without a word: no
# unknown key, no command that is not there. Skipped (77) without systemd.
set -eu
unit=$1
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze is not installed (Debian package systemd): not checked"
  exit 77
fi
out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out"; exit 1; }
echo "$out"
[ -z "$out" ]
