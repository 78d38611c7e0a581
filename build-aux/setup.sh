#!/bin/sh
# Installs what Cryomon needs to build, run and test on Debian 12, when it
# is missing. Runs as root, or through sudo.
set -eu

packages="
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libserialport-dev libmodbus-dev zlib1g-dev libsqlite3-dev libsoup-3.0-dev
  desktop-file-utils appstream-util appstream
  xvfb xauth dbus dbus-x11 locales
  python3-pymodbus python3-serial python3-serial-asyncio mbpoll socat
  prometheus
  clang libclang-rt-dev
  xdotool imagemagick
"
# prometheus (with promtool) for the metrics endpoint's tests: a real
# Prometheus scrapes a headless Cryomon. clang and its runtimes (libFuzzer,
# the sanitizers) for test.sh's sanitizer and fuzzing runs. xdotool and
# imagemagick (import) for screenshots.sh.

missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $missing
fi

# The CSV tests prove that a German locale (decimal comma) does not leak
# into files, so that locale must exist.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  as_root sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  as_root locale-gen >/dev/null
fi
