#!/bin/sh
# Takes the screenshots of the demo at 800×600, 1400×900 and 1920×1080, in
# the light and the dark style, each on an X server of exactly that size
# (Xvfb) with ImageMagick's import, and writes them to DIR (default
# _build/screenshots). With --update it also copies the ones the README
# and the metainfo show into data/screenshots/.
# Needs a build (_build), xvfb-run, dbus-run-session, xdotool, imagemagick.
set -eu

cd "$(dirname "$0")/.."
update=false
if [ "${1:-}" = "--update" ]; then
  update=true
  shift
fi
out="${1:-_build/screenshots}"
mkdir -p "$out"
# Readings and trends need a few polls of the simulators to fill.
settle="${CRYOMON_SCREENSHOT_SETTLE:-20}"

shoot() {
  width=$1 height=$2 style=$3
  file="$out/cryomon-${width}x${height}-$style.png"
  home=$(mktemp -d)
  scheme=default
  [ "$style" = dark ] && scheme=prefer-dark
  # A home of its own: no configured devices (the demo), no saved window size.
  HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
  XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" \
  GSETTINGS_SCHEMA_DIR="$PWD/_build/data" GSETTINGS_BACKEND=keyfile \
  ADW_DEBUG_COLOR_SCHEME="$scheme" LC_ALL=C.UTF-8 \
  xvfb-run -a -s "-screen 0 ${width}x${height}x24" dbus-run-session -- sh -c '
    gsettings set io.github.cryomon.Cryomon window-width "$1"
    gsettings set io.github.cryomon.Cryomon window-height "$2"
    ./_build/src/cryomon --demo --no-history & pid=$!
    xdotool search --sync --name "^Cryomon\$" >/dev/null
    sleep "$3"
    import -window root "$4"
    kill "$pid"
    wait "$pid" || true' sh "$width" "$height" "$settle" "$file" 2>/dev/null
  rm -rf "$home"
  echo "$file"
}

for size in 800x600 1400x900 1920x1080; do
  for style in light dark; do
    shoot "${size%x*}" "${size#*x}" "$style"
  done
done

if $update; then
  cp "$out/cryomon-1400x900-light.png" data/screenshots/main-window.png
  cp "$out/cryomon-1400x900-dark.png" data/screenshots/main-window-dark.png
  cp "$out/cryomon-800x600-light.png" data/screenshots/small-window.png
fi
