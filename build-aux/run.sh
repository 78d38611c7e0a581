#!/bin/sh
# Installs what is missing, builds Cryomon and starts it. With no --device
# and no configured devices it runs on its built-in simulated instruments.
# Extra arguments go to cryomon, e.g. --device pump-station:/dev/ttyUSB0
set -eu

cd "$(dirname "$0")/.."
sh build-aux/setup.sh

[ -d _build ] || meson setup _build --buildtype=debugoptimized
meson compile -C _build

GSETTINGS_SCHEMA_DIR="$PWD/_build/data" CRYOMON_LOCALEDIR="$PWD/_build/po" \
  exec ./_build/src/cryomon "$@"
