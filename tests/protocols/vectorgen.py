# vectorgen.py
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the gen-*-vectors.py scripts share: reading the JSON vectors of
# tests/vectors/, checking each value as it is turned into C, and writing
# the header. A malformed value fails the build with the script's name, the
# vector and the field, so that no vector is silently dropped or mangled.

import json
import math
import os
import re
import sys


def fail(msg):
    sys.exit('%s: %s' % (os.path.basename(sys.argv[0]), msg))


def c_string(s, where):
    """A C string literal of @s: printable ASCII as it is, the rest octal."""
    if not isinstance(s, str):
        fail('%s: %r is not a string' % (where, s))
    out = ['"']
    for b in s.encode('utf-8'):
        c = chr(b)
        if c in '"\\?':
            out.append('\\' + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return ''.join(out)


def c_double(v, where):
    """A C double of a finite JSON number, written so that it reads back exactly."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        fail('%s: value %r is not a number' % (where, v))
    v = float(v)
    if not math.isfinite(v):
        fail('%s: value is not finite' % where)
    return repr(v)


def c_uint(v, where, maximum):
    """A C unsigned integer of a JSON integer from 0 to @maximum."""
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= maximum:
        fail('%s: %r is not an integer in 0..%d' % (where, v, maximum))
    return '%d' % v


def parse_bytes(text, where):
    """The bytes of "02 80 ..." (two hex digits each, one space between)."""
    if not isinstance(text, str) or not re.fullmatch(r'[0-9A-Fa-f]{2}( [0-9A-Fa-f]{2})*', text):
        fail('%s: bad byte string %r' % (where, text))
    return [int(x, 16) for x in text.split()]


def load_vectors():
    """The "vectors" list of the JSON file named by the first argument."""
    if len(sys.argv) != 3:
        fail('usage: %s INPUT.json OUTPUT.h' % os.path.basename(sys.argv[0]))
    with open(sys.argv[1], encoding='utf-8') as f:
        doc = json.load(f)
    vectors = doc.get('vectors')
    if not isinstance(vectors, list) or not vectors:
        fail('no "vectors" list')
    return vectors


def write_header(lines):
    """Writes @lines to the header named by the second argument."""
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))
