/* cryo-number-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CRYO_NUMBER_FORMAT_MAX_LEN:
 *
 * Buffer size that always fits cryo_number_format_double()'s output and its
 * NUL (the longest output, "-2.2250738585072014e-308", has 24 bytes).
 */
#define CRYO_NUMBER_FORMAT_MAX_LEN 32

gsize cryo_number_format_double (char   *buf,
                                 gsize   len,
                                 double  value,
                                 guint   digits);

G_END_DECLS
