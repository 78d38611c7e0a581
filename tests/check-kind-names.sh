#!/bin/sh
# Nothing outside an instrument's own files names its kind: no kind id in a
# string, no type check of its device class (DESIGN.md "Adding an
# instrument"). An instrument's own files are those that define its kind
# descriptor (".id = "…"") and the files named after them (foo.c, foo.h,
# foo-*.c); the one registration line lives in src/app/cryo-kinds.c.
set -eu
root=${1:-.}
cd "$root"
status=0

for descriptor in $(grep -l '^  \.id = "' src/devices/*.c); do
  id=$(sed -n 's/^  \.id = "\([^"]*\)",/\1/p' "$descriptor" | head -n 1)
  base=$(basename "$descriptor" .c)
  type=$(sed -n 's/^G_DEFINE_FINAL_TYPE (\([A-Za-z]*\),.*/\1/p' "$descriptor" | head -n 1)
  macro=$(printf '%s' "$type" | sed 's/^Cryo//; s/\([a-z0-9]\)\([A-Z]\)/\1_\2/g' | tr 'a-z' 'A-Z')
  own=$(grep -l "^  \.id = \"$id\"" src/devices/*.c src/sim/*.c | sed 's/\.c$//' | tr '\n' ' ')

  for file in $(find src -name '*.c' -o -name '*.h' | sort); do
    stem=$(printf '%s' "$file" | sed 's/\.[ch]$//')
    skip=no
    for o in $own; do
      case "$stem" in "$o"|"$o"-*) skip=yes ;; esac
    done
    case "$file" in src/app/cryo-kinds.c) skip=yes ;; esac
    [ "$skip" = yes ] && continue

    # Comments may give a kind as an example.
    if grep -v '^ *\(\*\|/\*\)' "$file" | grep -q "\"$id[\":]"; then
      echo "$file names the kind \"$id\" of $descriptor"
      status=1
    fi
    if grep -q "CRYO_IS_$macro\b\|CRYO_TYPE_$macro\b" "$file"; then
      echo "$file tests for CRYO_IS_$macro / CRYO_TYPE_$macro"
      status=1
    fi
  done
done

exit "$status"
