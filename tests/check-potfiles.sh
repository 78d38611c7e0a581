#!/bin/sh
# Every source file with translatable strings must be in po/POTFILES.in,
# or its strings never reach translators.
set -eu
cd "$1"
status=0
for file in $(grep -l -E '(^|[^A-Za-z_])(N?_|C_)\(' src/*.c src/*/*.c) $(grep -l 'translatable="yes"' ui/*.ui); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $file"
    status=1
  fi
done
for file in $(grep -v '^#' po/POTFILES.in); do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in names a missing file: $file"
    status=1
  fi
done
exit $status
