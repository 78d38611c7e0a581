#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest against the project it builds.

Usage: check-manifest.py SOURCE_ROOT APP_ID

The manifest must be JSON; name the application id and the command that the
desktop file starts; use a GNOME runtime new enough for the GTK and
libadwaita versions meson.build requires; build from a release tarball
pinned by sha256 every library meson.build needs that the runtime lacks;
build Cryomon itself from this source tree with meson; ask for exactly the
permissions flatpak/README.md explains; and clean up headers and static
libraries. Prints every problem found and exits 1 if there is any.
"""

import configparser
import json
import os
import re
import sys

# flatpak/README.md says why each one is needed; nothing more is granted.
FINISH_ARGS = [
    "--device=all",
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
]

CLEANUP = ["/include", "/lib/pkgconfig", "*.la", "*.a"]

# What org.gnome.Platform provides of what meson.build asks for (GLib, GTK,
# libadwaita, cairo; zlib, SQLite and libsoup 3 from its Freedesktop base).
# Anything else meson.build needs must be a module of the manifest.
RUNTIME_PROVIDES = {
    "glib-2.0", "gobject-2.0", "gio-2.0", "gio-unix-2.0", "gmodule-2.0",
    "gtk4", "libadwaita-1", "cairo", "pango", "json-glib-1.0",
    "zlib", "sqlite3", "libsoup-3.0", "threads",
}


def gnome_release_for(gtk_minor, adw_minor):
    """The first GNOME release whose runtime ships GTK 4.gtk_minor and
    libadwaita 1.adw_minor: GNOME 43 has GTK 4.8 and libadwaita 1.2, and
    each release since adds 2 to GTK's minor version and 1 to libadwaita's."""
    return max(43 + (gtk_minor - 8 + 1) // 2, 43 + (adw_minor - 2))


def main():
    source_root, app_id = sys.argv[1], sys.argv[2]
    flatpak_dir = os.path.join(source_root, "flatpak")
    manifest_path = os.path.join(flatpak_dir, app_id + ".json")
    problems = []

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        print(f"{manifest_path}: {error}")
        return 1

    if manifest.get("id", manifest.get("app-id")) != app_id:
        problems.append(f"the id is {manifest.get('id')!r}, not {app_id!r}")

    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(os.path.join(source_root, "data", app_id + ".desktop.in.in"), encoding="utf-8")
    exec_command = desktop["Desktop Entry"]["Exec"].split()[0]
    if manifest.get("command") != exec_command:
        problems.append(f"command is {manifest.get('command')!r}, the desktop file starts {exec_command!r}")

    with open(os.path.join(source_root, "meson.build"), encoding="utf-8") as f:
        meson_build = f.read()

    # The runtime: GNOME's, with the GTK and libadwaita meson.build requires.
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("the runtime and SDK are not org.gnome.Platform and org.gnome.Sdk")
    gtk = re.search(r"dependency\('gtk4',\s*version:\s*'>=\s*4\.(\d+)'", meson_build)
    adw = re.search(r"dependency\('libadwaita-1',\s*version:\s*'>=\s*1\.(\d+)'", meson_build)
    if gtk is None or adw is None:
        problems.append("meson.build names no minimum gtk4 and libadwaita-1 version")
    else:
        needed = gnome_release_for(int(gtk.group(1)), int(adw.group(1)))
        version = str(manifest.get("runtime-version", ""))
        if not version.isdigit() or int(version) < needed:
            problems.append(f"runtime-version {version!r}: GTK 4.{gtk.group(1)} and libadwaita "
                            f"1.{adw.group(1)} need GNOME {needed} or newer")

    finish_args = manifest.get("finish-args", [])
    if sorted(finish_args) != sorted(FINISH_ARGS):
        problems.append(f"finish-args are {finish_args}, not exactly {FINISH_ARGS}")

    cleanup = manifest.get("cleanup", [])
    for pattern in CLEANUP:
        if pattern not in cleanup:
            problems.append(f"cleanup does not remove {pattern}")

    # Every module, nested ones too; every download pinned by sha256.
    modules = []
    pending = list(manifest.get("modules", []))
    while pending:
        module = pending.pop(0)
        if isinstance(module, str):
            problems.append(f"module file {module}: keep every module in the one manifest")
            continue
        modules.append(module)
        pending.extend(module.get("modules", []))

    local_modules = []
    for module in modules:
        name = module.get("name", "?")
        sources = module.get("sources", [])
        if not sources:
            problems.append(f"module {name} has no sources")
        for source in sources:
            kind = source.get("type")
            if kind in ("archive", "file"):
                if not source.get("url", "").startswith("https://"):
                    problems.append(f"module {name}: {kind} source without an https URL")
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    problems.append(f"module {name}: {source.get('url')} has no sha256")
            elif kind == "dir":
                local_modules.append((module, source))
            else:
                problems.append(f"module {name}: a {kind} source is not pinned by sha256")

    # Cryomon itself: meson, from this tree, last, so it links the others.
    if len(local_modules) != 1:
        problems.append("exactly one module must build from the local tree")
    else:
        module, source = local_modules[0]
        tree = os.path.realpath(os.path.join(flatpak_dir, source.get("path", "")))
        if tree != os.path.realpath(source_root):
            problems.append(f"module {module.get('name')} builds {tree}, not this tree")
        if module.get("buildsystem") != "meson":
            problems.append(f"module {module.get('name')} does not build with meson")
        if module is not modules[-1]:
            problems.append(f"module {module.get('name')} is not the last one")

    # The libraries meson.build needs beyond the runtime, each a module.
    dependencies = set(re.findall(r"dependency\('([^']+)'", meson_build))
    built = {module.get("name") for module in modules}
    for dependency in sorted(dependencies - RUNTIME_PROVIDES):
        if dependency not in built:
            problems.append(f"meson.build needs {dependency}, which neither the runtime nor a module provides")
    for library in ("libserialport", "libmodbus"):
        if library not in built:
            problems.append(f"no module builds {library}")

    for problem in problems:
        print(f"{manifest_path}: {problem}")
    if not problems:
        print(f"{manifest_path}: {len(modules)} modules, runtime {manifest['runtime']}//"
              f"{manifest['runtime-version']}, finish-args {' '.join(finish_args)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
