#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs Cryomon as the Flatpak build does and checks where files land.

Usage: check-install.py MESON SOURCE_ROOT SCRATCH_DIR APP_ID

flatpak-builder configures the manifest's last module with meson and
--prefix=/app, then installs it. This does the same in SCRATCH_DIR/build
(kept between runs, so that later runs only rebuild what changed), installs
it with --destdir SCRATCH_DIR/destdir, and checks that the binaries, desktop
file, metainfo, icons, GSettings schema and translations land where the
manifest and Flathub look for them, under /app and nowhere else, and that
the manifest's cleanup removes none of them. Prints every problem found and
exits 1 if there is any.
"""

import configparser
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

PREFIX = "/app"


def run(*command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise SystemExit(f"{' '.join(command)} failed with status {result.returncode}")
    return result.stdout


def needed_libraries(binary):
    """The sonames the ELF file @binary links (readelf, from binutils)."""
    output = run("readelf", "--dynamic", binary)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", output)


def removed_by_cleanup(path, patterns):
    """Whether flatpak-builder's cleanup @patterns delete @path (relative to
    the prefix, with a leading slash): a pattern with a leading slash names a
    path from the prefix, and everything below it; one without matches the
    file name."""
    for pattern in patterns:
        if pattern.startswith("/"):
            if fnmatch.fnmatch(path, pattern) or path.startswith(pattern.rstrip("/") + "/"):
                return True
        elif fnmatch.fnmatch(os.path.basename(path), pattern):
            return True
    return False


def main():
    meson, source_root, scratch, app_id = sys.argv[1:5]
    build = os.path.join(scratch, "build")
    destdir = os.path.join(scratch, "destdir")
    problems = []

    with open(os.path.join(source_root, "flatpak", app_id + ".json"), encoding="utf-8") as f:
        manifest = json.load(f)

    # As the manifest's meson module, without what only developers build;
    # no optimisation, as nothing here runs the code.
    if not os.path.exists(os.path.join(build, "build.ninja")):
        shutil.rmtree(build, ignore_errors=True)
        run(meson, "setup", "--prefix=" + PREFIX, "--buildtype=plain",
            "-Dtests=false", "-Dbenchmarks=false", build, source_root)
    else:
        options = json.loads(run(meson, "introspect", "--buildoptions", build))
        if [option["value"] for option in options if option["name"] == "prefix"] != [PREFIX]:
            raise SystemExit(f"{build} is not configured with --prefix={PREFIX}")
    shutil.rmtree(destdir, ignore_errors=True)
    run(meson, "install", "-C", build, "--destdir", destdir)

    installed = []
    for directory, _, files in os.walk(destdir):
        for name in files:
            installed.append("/" + os.path.relpath(os.path.join(directory, name), destdir))
    installed.sort()

    # Only /app is writable while flatpak-builder builds the app.
    for path in installed:
        if not path.startswith(PREFIX + "/"):
            problems.append(f"{path} is installed outside {PREFIX}")

    def here(path):
        return os.path.join(destdir, path.lstrip("/"))

    def expect(path):
        if not os.path.isfile(here(path)):
            problems.append(f"{path} is not installed")
            return False
        return True

    # Binaries: the manifest's command, and the simulators.
    binaries = [manifest["command"], "cryomon-sim"]
    for binary in binaries:
        path = f"{PREFIX}/bin/{binary}"
        if expect(path) and not os.access(here(path), os.X_OK):
            problems.append(f"{path} is not executable")

    # The binary looks for translations where they are installed.
    command = here(f"{PREFIX}/bin/{manifest['command']}")
    if os.path.isfile(command):
        with open(command, "rb") as f:
            if (PREFIX + "/share/locale").encode() not in f.read():
                problems.append(f"{manifest['command']} does not look for translations in {PREFIX}/share/locale")

        # The two libraries the manifest builds are the ones Cryomon links.
        needed = " ".join(needed_libraries(command))
        for module in manifest["modules"][:-1]:
            if not re.search(r"\b" + re.escape(module["name"]) + r"\.so", needed):
                problems.append(f"{manifest['command']} does not link {module['name']}, "
                                f"which the manifest builds")

    # The desktop file, named after the app id, starting the command.
    desktop_path = f"{PREFIX}/share/applications/{app_id}.desktop"
    icon = None
    if expect(desktop_path):
        desktop = configparser.ConfigParser(interpolation=None)
        desktop.read(here(desktop_path), encoding="utf-8")
        entry = desktop["Desktop Entry"]
        if entry["Exec"].split()[0] != manifest["command"]:
            problems.append(f"{desktop_path} starts {entry['Exec']}, not {manifest['command']}")
        icon = entry.get("Icon")
        if icon != app_id:
            problems.append(f"{desktop_path} names the icon {icon}, not {app_id}")

    # Icons: scalable and symbolic, in hicolor, named after the app id.
    for path in (f"{PREFIX}/share/icons/hicolor/scalable/apps/{app_id}.svg",
                 f"{PREFIX}/share/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg"):
        if expect(path):
            root = ElementTree.parse(here(path)).getroot()
            if root.tag != "{http://www.w3.org/2000/svg}svg":
                problems.append(f"{path} is not an SVG image")

    # The metainfo: the app id, launching the installed desktop file, the
    # current release first.
    metainfo_path = f"{PREFIX}/share/metainfo/{app_id}.metainfo.xml"
    if expect(metainfo_path):
        component = ElementTree.parse(here(metainfo_path)).getroot()
        if component.findtext("id") != app_id:
            problems.append(f"{metainfo_path} has the id {component.findtext('id')}")
        launchable = component.findtext("launchable")
        if launchable != os.path.basename(desktop_path):
            problems.append(f"{metainfo_path} launches {launchable}")
        version = json.loads(run(meson, "introspect", "--projectinfo", build))["version"]
        release = component.find("releases/release")
        if release is None or release.get("version") != version:
            problems.append(f"{metainfo_path}: the newest release is not {version}, the project's version")

    # The GSettings schema, which the Flatpak compiles as GLib would.
    schemas = f"{PREFIX}/share/glib-2.0/schemas"
    if expect(f"{schemas}/{app_id}.gschema.xml"):
        schema = ElementTree.parse(here(f"{schemas}/{app_id}.gschema.xml")).getroot().find("schema")
        if schema is None or schema.get("id") != app_id:
            problems.append(f"{schemas}/{app_id}.gschema.xml does not hold the schema {app_id}")
        run("glib-compile-schemas", "--strict", "--dry-run", here(schemas))

    # Translations: one catalogue per language in po/LINGUAS, and nothing
    # elsewhere.
    with open(os.path.join(source_root, "po", "LINGUAS"), encoding="utf-8") as f:
        languages = [word for line in f for word in line.split("#")[0].split()]
    catalogues = [f"{PREFIX}/share/locale/{language}/LC_MESSAGES/cryomon.mo" for language in languages]
    for path in catalogues:
        expect(path)
    for path in installed:
        if path.endswith(".mo") and path not in catalogues:
            problems.append(f"{path} is a catalogue of no language in po/LINGUAS")

    # What cleanup deletes never reaches the Flatpak.
    for path in installed:
        if removed_by_cleanup(path[len(PREFIX):], manifest.get("cleanup", [])):
            problems.append(f"{path} is installed but the manifest's cleanup deletes it")

    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(installed)} files under {PREFIX}:")
        for path in installed:
            print("  " + path)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
