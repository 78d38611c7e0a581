#!/bin/sh
# Every language of po/LINGUAS translates every string of today's sources.
#
# Extracts a fresh template from po/POTFILES.in with the keywords and flags
# of meson's i18n 'glib' preset (the `cryomon-pot` target's xgettext call,
# into a temporary folder rather than the source tree), merges each
# catalogue with it there, and fails on an extraction warning (a msgid that
# xgettext cannot read whole, as after G_GSIZE_FORMAT, is never found at run
# time), on a catalogue that does not compile with its format, header and
# mnemonic checks, or on any untranslated or fuzzy message, which it lists.
# Needs gettext (build-aux/setup.sh installs it).
#
# Usage: check-translations.sh SOURCE-ROOT
set -eu
cd "$1"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# meson's i18n module, preset 'glib' (mesonbuild/modules/i18n.py).
if ! xgettext --package-name=cryomon --output="$work/cryomon.pot" \
       --directory=. --files-from=po/POTFILES.in \
       --from-code=UTF-8 --add-comments \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
       --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
       --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
       --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
       --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
       --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
       --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
       --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
       2>"$work/xgettext.log"; then
  cat "$work/xgettext.log"
  exit 1
fi
status=0
if grep -q 'warning:' "$work/xgettext.log"; then
  echo "xgettext warnings (a translatable string it cannot extract whole):"
  cat "$work/xgettext.log"
  status=1
fi

for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  po="po/$lang.po"
  merged="$work/$lang.po"

  # The catalogue as committed: what meson compiles into the .mo.
  if ! msgfmt --check --check-accelerators=_ --output-file=/dev/null "$po"; then
    echo "$po does not compile"
    status=1
    continue
  fi

  msgmerge --quiet --previous --output-file="$merged" "$po" "$work/cryomon.pot"
  if ! stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$merged" 2>&1); then
    echo "$stats"
    echo "$po merged with the template does not compile"
    status=1
    continue
  fi
  echo "$lang: $stats"

  case $stats in
    *untranslated*|*fuzzy*)
      echo "$po lacks these translations (untranslated, or fuzzy: a source string changed):"
      msgattrib --no-obsolete --untranslated --no-wrap "$merged" | grep -A1 -E '^(msgctxt|msgid) '
      msgattrib --no-obsolete --only-fuzzy --no-wrap "$merged" | grep -A1 -E '^(msgctxt|msgid) '
      status=1
      ;;
  esac
done

exit $status
