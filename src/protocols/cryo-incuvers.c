/* cryo-incuvers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Incuvers "PiLink" lines, `Len~CRC32$payload\r\n`, both ways
 * (shared/protocols/incuvers-pilink.md). The CRC is zlib's crc32().
 */

#define G_LOG_DOMAIN "cryo-incuvers"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <zlib.h>

#include "cryo-incuvers.h"

/* "Len~" + 8 CRC digits + "$": the header after the length digits. */
#define CRC_DIGITS       8
#define MAX_LEN_DIGITS   4
/* The longest status line with its header and "\r\n". */
#define MAX_STATUS_LINE  (MAX_LEN_DIGITS + 2 + CRC_DIGITS + CRYO_INCUVERS_MAX_STATUS_PAYLOAD + 2)
/* feed() keeps at most this much; the link drains the decoder after each
 * read, so only a caller that never calls next() reaches it. */
#define MAX_BUFFERED     (4 * MAX_STATUS_LINE)

struct _CryoIncuversDecoder
{
  GByteArray *buffer;
  gsize       overflowed;   /* bytes feed() had to drop, reported by next() */
};

static void
field_free (gpointer data)
{
  CryoIncuversField *field = data;

  g_free (field->key);
  g_free (field->value);
  g_free (field);
}

static CryoIncuversField *
field_new (const char *key,
           gsize       key_len,
           const char *value,
           gsize       value_len)
{
  CryoIncuversField *field = g_new0 (CryoIncuversField, 1);

  field->key = g_strndup (key, key_len);
  field->value = g_strndup (value, value_len);
  return field;
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  return text[0] != '\0' && g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

/* "Status lines": `-` off, `*` on, `+` on and stepping; the seed's LCD
 * shows the door's as `#` and `=`. */
static CryoIncuversIndicator
parse_indicator (char c)
{
  switch (c)
    {
    case '-':
      return CRYO_INCUVERS_INDICATOR_OFF;
    case '*':
    case '#':
      return CRYO_INCUVERS_INDICATOR_ON;
    case '+':
    case '=':
      return CRYO_INCUVERS_INDICATOR_STEPPING;
    default:
      return CRYO_INCUVERS_INDICATOR_ABSENT;
    }
}

static gboolean
is_indicators (const char *value)
{
  if (value[0] == '\0')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (parse_indicator (*p) == CRYO_INCUVERS_INDICATOR_ABSENT)
      return FALSE;
  return TRUE;
}

static void
set_int (int        *field,
         const char *value)
{
  gint64 n;

  *field = parse_int (value, G_MININT + 1, G_MAXINT, &n) ? (int) n : CRYO_INCUVERS_ABSENT;
}

/* TA, CA, OA: an indicator on v1.12, a 0..2 setting on newer firmware. */
static void
set_alarm (CryoIncuversAlarm *alarm,
           const char        *value)
{
  gint64 n;

  alarm->indicator = CRYO_INCUVERS_INDICATOR_ABSENT;
  alarm->setting = -1;

  if (value[0] != '\0' && value[1] == '\0' && parse_indicator (value[0]) != CRYO_INCUVERS_INDICATOR_ABSENT)
    alarm->indicator = parse_indicator (value[0]);
  else if (parse_int (value, 0, 2, &n))
    alarm->setting = (int) n;
}

static void
status_clear_values (CryoIncuversStatus *status)
{
  status->millis = -1;
  g_clear_pointer (&status->id, g_free);
  g_clear_pointer (&status->firmware, g_free);
  status->fan_mode = CRYO_INCUVERS_ABSENT;
  status->free_memory = -1;
  status->heat_mode = CRYO_INCUVERS_ABSENT;
  status->temperature_setpoint = CRYO_INCUVERS_ABSENT;
  status->chamber_temperature = CRYO_INCUVERS_ABSENT;
  status->door_temperature = CRYO_INCUVERS_ABSENT;
  status->door_heater = CRYO_INCUVERS_INDICATOR_ABSENT;
  status->chamber_heater = CRYO_INCUVERS_INDICATOR_ABSENT;
  status->heat_alarm = (CryoIncuversAlarm) { CRYO_INCUVERS_INDICATOR_ABSENT, -1 };
  status->co2_mode = CRYO_INCUVERS_ABSENT;
  status->co2_setpoint = CRYO_INCUVERS_ABSENT;
  status->co2 = CRYO_INCUVERS_ABSENT;
  status->co2_alarm = (CryoIncuversAlarm) { CRYO_INCUVERS_INDICATOR_ABSENT, -1 };
  status->o2_mode = CRYO_INCUVERS_ABSENT;
  status->o2_setpoint = CRYO_INCUVERS_ABSENT;
  status->o2 = CRYO_INCUVERS_ABSENT;
  status->o2_alarm = (CryoIncuversAlarm) { CRYO_INCUVERS_INDICATOR_ABSENT, -1 };
  status->light_mode = CRYO_INCUVERS_ABSENT;
  status->light_state = CRYO_INCUVERS_INDICATOR_ABSENT;
  g_ptr_array_set_size (status->fields, 0);
}

/**
 * cryo_incuvers_status_new:
 *
 * Returns: (transfer full): a status with every value absent and no fields
 */
CryoIncuversStatus *
cryo_incuvers_status_new (void)
{
  CryoIncuversStatus *status = g_new0 (CryoIncuversStatus, 1);

  status->fields = g_ptr_array_new_with_free_func (field_free);
  status_clear_values (status);
  return status;
}

/**
 * cryo_incuvers_status_copy:
 * @status: a status
 *
 * Returns: (transfer full): a deep copy of @status
 */
CryoIncuversStatus *
cryo_incuvers_status_copy (const CryoIncuversStatus *status)
{
  CryoIncuversStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_new0 (CryoIncuversStatus, 1);
  *copy = *status;
  copy->id = g_strdup (status->id);
  copy->firmware = g_strdup (status->firmware);
  copy->fields = g_ptr_array_new_full (status->fields->len, field_free);
  for (guint i = 0; i < status->fields->len; i++)
    {
      const CryoIncuversField *field = g_ptr_array_index (status->fields, i);

      g_ptr_array_add (copy->fields, field_new (field->key, strlen (field->key),
                                                field->value, strlen (field->value)));
    }
  return copy;
}

/**
 * cryo_incuvers_status_free:
 * @status: (nullable): a status
 */
void
cryo_incuvers_status_free (CryoIncuversStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->id);
  g_free (status->firmware);
  g_ptr_array_unref (status->fields);
  g_free (status);
}

/**
 * cryo_incuvers_status_lookup:
 * @status: a status
 * @key: a key ("RH")
 *
 * Returns: (nullable): the value of the first field named @key, known or
 *   not, as sent
 */
const char *
cryo_incuvers_status_lookup (const CryoIncuversStatus *status,
                             const char               *key)
{
  g_return_val_if_fail (status != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < status->fields->len; i++)
    {
      const CryoIncuversField *field = g_ptr_array_index (status->fields, i);

      if (g_str_equal (field->key, key))
        return field->value;
    }
  return NULL;
}

/**
 * cryo_incuvers_crc32:
 * @data: bytes
 * @len: how many (at most a line's worth)
 *
 * CRC-32/IEEE as zlib's crc32() computes it ("Line format").
 *
 * Returns: the CRC of @data
 */
guint32
cryo_incuvers_crc32 (const char *data,
                     gsize       len)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  g_return_val_if_fail (len <= G_MAXUINT, 0);

  return (guint32) crc32 (crc, (const Bytef *) data, (uInt) len);
}

/**
 * cryo_incuvers_split_payload:
 * @payload: a payload, `Key|Value&Key|Value`, optionally starting with `&`
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for a field without `|` or with
 *   an empty key
 *
 * Splits a payload into its fields, leaving out empty ones ("Status
 * lines": newer firmware starts with `&`).
 *
 * Returns: (transfer full) (element-type CryoIncuversField): the fields in
 *   order
 */
GPtrArray *
cryo_incuvers_split_payload (const char  *payload,
                             GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (field_free);
  const char *p = payload;

  g_return_val_if_fail (payload != NULL, NULL);

  while (*p != '\0')
    {
      const char *end = strchr (p, '&');
      const char *bar;
      gsize field_len;

      if (end == NULL)
        end = p + strlen (p);
      field_len = end - p;

      if (field_len > 0)
        {
          bar = memchr (p, '|', field_len);
          if (bar == NULL || bar == p)
            {
              g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("Incubator line field “%.*s” is not Key|Value"),
                           (int) MIN (field_len, 32), p);
              return NULL;
            }
          g_ptr_array_add (fields, field_new (p, bar - p, bar + 1, end - bar - 1));
        }

      p = *end == '&' ? end + 1 : end;
    }

  return g_steal_pointer (&fields);
}

/**
 * cryo_incuvers_parse_payload:
 * @payload: the payload of a status line (not nul-terminated)
 * @len: its length
 * @status: where the values go; its previous values are cleared
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for a field that is not Key|Value
 *   or a nul byte
 *
 * Reads a v1.12 (or newer) status payload ("Status lines"): `TS` and `FM`
 * occur twice and are told apart by position (the first `TS` is numeric
 * uptime, the second the heater indicators door then chamber; the first
 * `FM` is the fan mode, the second the free memory); unknown keys are kept
 * in @status's fields; a known key whose value is not a number is left
 * absent.
 *
 * Returns: %TRUE when @payload was read
 */
gboolean
cryo_incuvers_parse_payload (const char          *payload,
                             gsize                len,
                             CryoIncuversStatus  *status,
                             GError             **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  guint n_ts = 0, n_fm = 0;

  g_return_val_if_fail (payload != NULL || len == 0, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  status_clear_values (status);

  if (len > 0 && memchr (payload, '\0', len) != NULL)
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("Incubator line holds a nul byte"));
      return FALSE;
    }

  text = g_strndup (payload, len);
  fields = cryo_incuvers_split_payload (text, error);
  if (fields == NULL)
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      CryoIncuversField *field = g_ptr_array_index (fields, i);
      const char *key = field->key;
      const char *value = field->value;
      gint64 n;

      if (g_str_equal (key, "TS"))
        {
          if (n_ts++ == 0 && parse_int (value, 0, G_MAXINT64, &n))
            status->millis = n;
          else if (is_indicators (value))
            {
              status->door_heater = parse_indicator (value[0]);
              status->chamber_heater = value[1] != '\0' ? parse_indicator (value[1])
                                                        : CRYO_INCUVERS_INDICATOR_ABSENT;
            }
        }
      else if (g_str_equal (key, "FM"))
        {
          if (n_fm++ == 0)
            set_int (&status->fan_mode, value);
          else if (parse_int (value, 0, G_MAXINT64, &n))
            status->free_memory = n;
        }
      else if (g_str_equal (key, "ID"))
        {
          g_free (status->id);
          status->id = g_strdup (value);
        }
      else if (g_str_equal (key, "IV"))
        {
          g_free (status->firmware);
          status->firmware = g_strdup (value);
        }
      else if (g_str_equal (key, "TM"))
        set_int (&status->heat_mode, value);
      else if (g_str_equal (key, "TP"))
        set_int (&status->temperature_setpoint, value);
      else if (g_str_equal (key, "TC"))
        set_int (&status->chamber_temperature, value);
      else if (g_str_equal (key, "TD"))
        set_int (&status->door_temperature, value);
      else if (g_str_equal (key, "TA"))
        set_alarm (&status->heat_alarm, value);
      else if (g_str_equal (key, "CM"))
        set_int (&status->co2_mode, value);
      else if (g_str_equal (key, "CP"))
        set_int (&status->co2_setpoint, value);
      else if (g_str_equal (key, "CC"))
        set_int (&status->co2, value);
      else if (g_str_equal (key, "CA"))
        set_alarm (&status->co2_alarm, value);
      else if (g_str_equal (key, "OM"))
        set_int (&status->o2_mode, value);
      else if (g_str_equal (key, "OP"))
        set_int (&status->o2_setpoint, value);
      else if (g_str_equal (key, "OC"))
        set_int (&status->o2, value);
      else if (g_str_equal (key, "OA"))
        set_alarm (&status->o2_alarm, value);
      else if (g_str_equal (key, "LM"))
        set_int (&status->light_mode, value);
      else if (g_str_equal (key, "LS"))
        {
          if (value[0] != '\0' && value[1] == '\0' && parse_indicator (value[0]) != CRYO_INCUVERS_INDICATOR_ABSENT)
            status->light_state = parse_indicator (value[0]);
          else if (parse_int (value, 0, 1, &n))
            status->light_state = n ? CRYO_INCUVERS_INDICATOR_ON : CRYO_INCUVERS_INDICATOR_OFF;
        }
    }

  g_ptr_array_extend_and_steal (status->fields, g_steal_pointer (&fields));
  return TRUE;
}

static gboolean
is_hex (char c)
{
  return g_ascii_isxdigit (c);
}

/* `Len~CRC32$` at the start of @line: the length and where the payload
 * starts, or a MALFORMED error. */
static gboolean
parse_header (const char  *line,
              gsize        len,
              guint       *payload_len,
              guint32     *crc,
              gsize       *payload_start,
              gboolean    *lower_case,
              GError     **error)
{
  gsize digits = 0;
  guint64 value = 0;

  while (digits < len && g_ascii_isdigit (line[digits]))
    {
      value = value * 10 + (line[digits] - '0');
      if (++digits > MAX_LEN_DIGITS)
        break;
    }

  if (digits == 0 || digits > MAX_LEN_DIGITS || digits >= len || line[digits] != '~')
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("Incubator line does not start with its length and “~”"));
      return FALSE;
    }

  if (len < digits + 2 + CRC_DIGITS || line[digits + 1 + CRC_DIGITS] != '$')
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("Incubator line has no 8-digit checksum ended by “$”"));
      return FALSE;
    }

  *crc = 0;
  *lower_case = TRUE;
  for (gsize i = digits + 1; i < digits + 1 + CRC_DIGITS; i++)
    {
      if (!is_hex (line[i]))
        {
          g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                               _("Incubator line has no 8-digit checksum ended by “$”"));
          return FALSE;
        }
      if (g_ascii_isupper (line[i]))
        *lower_case = FALSE;
      *crc = (*crc << 4) | (guint32) g_ascii_xdigit_value (line[i]);
    }

  if (value == 0)
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                           _("Incubator line with an empty payload"));
      return FALSE;
    }

  *payload_len = (guint) value;
  *payload_start = digits + 2 + CRC_DIGITS;
  return TRUE;
}

/**
 * cryo_incuvers_parse_status_line:
 * @line: a status line, `Len~CRC32$payload` with or without its `\r\n`
 * @len: its length
 * @error: %CRYO_PROTOCOL_ERROR_MALFORMED for a line without its header or
 *   with a payload longer than Len says, %CRYO_PROTOCOL_ERROR_TRUNCATED
 *   for one shorter than Len says, %CRYO_PROTOCOL_ERROR_CHECKSUM when the
 *   CRC does not match
 *
 * Decodes one controller → host line ("Line format", "Status lines"):
 * the CRC covers the payload only and may be written in either case.
 *
 * Returns: (transfer full) (nullable): the status, %NULL on error
 */
CryoIncuversStatus *
cryo_incuvers_parse_status_line (const char  *line,
                                 gsize        len,
                                 GError     **error)
{
  g_autoptr(CryoIncuversStatus) status = NULL;
  guint payload_len;
  guint32 crc, actual;
  gsize start;
  gboolean lower_case;

  g_return_val_if_fail (line != NULL || len == 0, NULL);

  if (len > 0 && line[len - 1] == '\n')
    len--;
  if (len > 0 && line[len - 1] == '\r')
    len--;

  if (!parse_header (line, len, &payload_len, &crc, &start, &lower_case, error))
    return NULL;

  if (len - start < payload_len)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_TRUNCATED,
                   _("Incubator line cut short: %zu of %u characters"),
                   len - start, payload_len);
      return NULL;
    }
  if (len - start > payload_len)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Incubator line carries %zu characters where its length says %u"),
                   len - start, payload_len);
      return NULL;
    }

  actual = cryo_incuvers_crc32 (line + start, payload_len);
  if (actual != crc)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM,
                   _("Incubator line checksum %08x does not match its contents (%08x)"),
                   crc, actual);
      return NULL;
    }

  status = cryo_incuvers_status_new ();
  if (!cryo_incuvers_parse_payload (line + start, payload_len, status, error))
    return NULL;

  return g_steal_pointer (&status);
}

/**
 * cryo_incuvers_parse_command_line:
 * @line: what the controller received up to its `\n` (which may be
 *   included)
 * @len: its length
 * @error: %CRYO_PROTOCOL_ERROR_OVERLONG for a line over 64 characters,
 *   %CRYO_PROTOCOL_ERROR_MALFORMED for a bad header, Len or length,
 *   %CRYO_PROTOCOL_ERROR_CHECKSUM for a CRC that does not match or is not
 *   lower-case
 *
 * The v1.12 controller's acceptance rule for a host → controller line
 * ("Commands"): 0 < Len ≤ 52, at most 64 characters before `\n`, exactly
 * Len + digits(Len) + 11 of them (the last a `\r`), and a lower-case CRC
 * over the payload and the `\r`. The simulator and the tests use it.
 *
 * Returns: (transfer full) (nullable): the payload of an accepted line
 */
char *
cryo_incuvers_parse_command_line (const char  *line,
                                  gsize        len,
                                  GError     **error)
{
  guint payload_len;
  guint32 crc;
  gsize start;
  gboolean lower_case;

  g_return_val_if_fail (line != NULL || len == 0, NULL);

  if (len > 0 && line[len - 1] == '\n')
    len--;

  if (len > CRYO_INCUVERS_MAX_COMMAND_LINE)
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                   _("Incubator command line of %zu characters, more than %d"),
                   len, CRYO_INCUVERS_MAX_COMMAND_LINE);
      return NULL;
    }

  if (!parse_header (line, len, &payload_len, &crc, &start, &lower_case, error))
    return NULL;

  /* digits(Len): a length written with leading zeros does not add up */
  if (payload_len == 0 || payload_len > CRYO_INCUVERS_MAX_COMMAND_PAYLOAD
      || start != (payload_len < 10 ? 1 : 2) + 2 + CRC_DIGITS
      || len != start + payload_len + 1 || line[len - 1] != '\r')
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                   _("Incubator command line length %u does not match its %zu characters"),
                   payload_len, len);
      return NULL;
    }

  if (!lower_case || cryo_incuvers_crc32 (line + start, payload_len + 1) != crc)
    {
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_CHECKSUM,
                           _("Incubator command line checksum does not match"));
      return NULL;
    }

  return g_strndup (line + start, payload_len);
}

/* "Commands": Len ≤ 52 and at most 64 characters before "\n", which are
 * Len + digits(Len) + 11: together they allow at most 51 payload
 * characters (the seed's "52 … no longer than 64" leaves out the "\r"). */
static gboolean
command_fits (gsize len)
{
  gsize digits = len < 10 ? 1 : len < 100 ? 2 : 3;

  return len > 0 && len <= CRYO_INCUVERS_MAX_COMMAND_PAYLOAD
         && len + digits + 11 <= CRYO_INCUVERS_MAX_COMMAND_LINE;
}

static char *
frame (const char *payload,
       gboolean    with_cr_in_crc)
{
  gsize len = strlen (payload);
  guint32 crc;

  if (with_cr_in_crc)
    {
      g_autofree char *with_cr = g_strconcat (payload, "\r", NULL);

      crc = cryo_incuvers_crc32 (with_cr, len + 1);
    }
  else
    crc = cryo_incuvers_crc32 (payload, len);

  return g_strdup_printf ("%" G_GSIZE_FORMAT "~%08x$%s\r\n", len, crc, payload);
}

/**
 * cryo_incuvers_frame_status:
 * @payload: a status payload of at most %CRYO_INCUVERS_MAX_STATUS_PAYLOAD
 *   characters
 *
 * Frames a controller → host line: the CRC covers the payload only, in
 * lower-case hex ("Line format"). The simulator sends these.
 *
 * Returns: (transfer full): `Len~crc$payload\r\n`
 */
char *
cryo_incuvers_frame_status (const char *payload)
{
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (strlen (payload) <= CRYO_INCUVERS_MAX_STATUS_PAYLOAD, NULL);

  return frame (payload, FALSE);
}

/**
 * cryo_incuvers_frame_command:
 * @payload: a command payload, `Key|Value&Key|Value`
 * @error: %CRYO_PROTOCOL_ERROR_OVERLONG when @payload is empty or longer
 *   than %CRYO_INCUVERS_MAX_COMMAND_FRAMED characters, %CRYO_PROTOCOL_ERROR_MALFORMED when it holds `~`,
 *   `$` or a control character
 *
 * Frames a host → controller line exactly as the controller checks it
 * ("Commands"): Len, then the CRC over the payload followed by "\r" in
 * lower-case hex.
 *
 * Returns: (transfer full) (nullable): `Len~crc$payload\r\n`
 */
char *
cryo_incuvers_frame_command (const char  *payload,
                             GError     **error)
{
  gsize len;

  g_return_val_if_fail (payload != NULL, NULL);

  len = strlen (payload);
  if (!command_fits (len))
    {
      g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                   _("An incubator command carries 1 to %d characters, not %zu"),
                   CRYO_INCUVERS_MAX_COMMAND_FRAMED, len);
      return NULL;
    }

  for (gsize i = 0; i < len; i++)
    if (payload[i] == '~' || payload[i] == '$' || g_ascii_iscntrl (payload[i]))
      {
        g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
                             _("An incubator command may not hold “~”, “$” or control characters"));
        return NULL;
      }

  return frame (payload, TRUE);
}

/**
 * cryo_incuvers_check_setting:
 * @setting: a key and its value
 * @error: %CRYO_PROTOCOL_ERROR_OUT_OF_RANGE for a value outside the key's
 *   range, %CRYO_PROTOCOL_ERROR_MALFORMED for a key the controller does not
 *   take
 *
 * Checks a setting against the v1.12 controller's ranges ("Commands"; seed
 * "Modes"): TP 500 < v < 7500, CP 10 < v < 2500, OP 0 < v < 2100; TM 0..1;
 * CM, OM 0..2; FM 0..4; SS 1; identity strings (ID, IP4, MWR, MWF) of
 * printable characters other than the separators.
 *
 * Returns: %TRUE when the controller accepts it
 */
gboolean
cryo_incuvers_check_setting (const CryoIncuversSetting  *setting,
                             GError                    **error)
{
  static const struct
  {
    const char *key;
    int         min;
    int         max;
    gboolean    exclusive;
  } ranges[] = {
    { "TP", CRYO_INCUVERS_TEMPERATURE_MIN_CENTI, CRYO_INCUVERS_TEMPERATURE_MAX_CENTI, TRUE },
    { "CP", CRYO_INCUVERS_CO2_MIN_CENTI, CRYO_INCUVERS_CO2_MAX_CENTI, TRUE },
    { "OP", CRYO_INCUVERS_O2_MIN_CENTI, CRYO_INCUVERS_O2_MAX_CENTI, TRUE },
    { "TM", 0, 1, FALSE },
    { "CM", 0, 2, FALSE },
    { "OM", 0, 2, FALSE },
    { "FM", 0, CRYO_INCUVERS_MAX_FAN_MODE, FALSE },
    { "SS", 1, 1, FALSE },
  };

  g_return_val_if_fail (setting != NULL && setting->key != NULL, FALSE);

  if (cryo_incuvers_is_text_key (setting->key))
    {
      gsize len = setting->text != NULL ? strlen (setting->text) : 0;

      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isprint (setting->text[i]) || strchr ("&|~$", setting->text[i]) != NULL)
          len = 0;
      if (len == 0 || len > CRYO_INCUVERS_MAX_TEXT)
        {
          g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
                       _("Incubator %s needs 1 to %d printable characters without “&”, “|”, “~” or “$”"),
                       setting->key, CRYO_INCUVERS_MAX_TEXT);
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      gboolean ok;

      if (!g_str_equal (ranges[i].key, setting->key))
        continue;

      ok = ranges[i].exclusive ? setting->value > ranges[i].min && setting->value < ranges[i].max
                               : setting->value >= ranges[i].min && setting->value <= ranges[i].max;
      if (!ok)
        {
          if (ranges[i].exclusive)
            /* Translators: an incubator command key, its value and its range, all ends excluded */
            g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
                         _("Incubator %s %d is out of range: more than %d and less than %d"),
                         setting->key, setting->value, ranges[i].min, ranges[i].max);
          else
            g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OUT_OF_RANGE,
                         _("Incubator %s %d is out of range: %d to %d"),
                         setting->key, setting->value, ranges[i].min, ranges[i].max);
        }
      return ok;
    }

  g_set_error (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_MALFORMED,
               _("The incubator takes no command “%s”"), setting->key);
  return FALSE;
}

/**
 * cryo_incuvers_is_text_key:
 * @key: a command key
 *
 * Returns: whether @key carries an identity string (`ID`, `IP4`, `MWR`,
 *   `MWF`: "Commands") rather than a number
 */
gboolean
cryo_incuvers_is_text_key (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return g_str_equal (key, "ID") || g_str_equal (key, "IP4")
         || g_str_equal (key, "MWR") || g_str_equal (key, "MWF");
}

/**
 * cryo_incuvers_encode_command:
 * @settings: (array length=n_settings): what to set, in order
 * @n_settings: how many (≥ 1)
 * @error: the error of cryo_incuvers_check_setting() for the first setting
 *   out of range (then nothing is encoded)
 *
 * Checks every setting, then packs them in order into as few command lines
 * as keep each line within the controller's limits ("Commands": "Split
 * commands longer than 52 payload characters into several lines"; with
 * the 64-character line limit, at most %CRYO_INCUVERS_MAX_COMMAND_FRAMED).
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the framed
 *   lines, each `Len~crc$payload\r\n`, to be written in order
 */
GPtrArray *
cryo_incuvers_encode_command (const CryoIncuversSetting  *settings,
                              guint                       n_settings,
                              GError                    **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) payload = g_string_new (NULL);

  g_return_val_if_fail (settings != NULL && n_settings > 0, NULL);

  for (guint i = 0; i < n_settings; i++)
    if (!cryo_incuvers_check_setting (&settings[i], error))
      return NULL;

  for (guint i = 0; i < n_settings; i++)
    {
      g_autofree char *pair = NULL;

      if (cryo_incuvers_is_text_key (settings[i].key))
        pair = g_strdup_printf ("%s|%s", settings[i].key, settings[i].text);
      else
        pair = g_strdup_printf ("%s|%d", settings[i].key, settings[i].value);

      if (payload->len > 0 && !command_fits (payload->len + 1 + strlen (pair)))
        {
          g_ptr_array_add (lines, cryo_incuvers_frame_command (payload->str, NULL));
          g_string_truncate (payload, 0);
        }
      if (payload->len > 0)
        g_string_append_c (payload, '&');
      g_string_append (payload, pair);
    }
  g_ptr_array_add (lines, cryo_incuvers_frame_command (payload->str, NULL));

  for (guint i = 0; i < lines->len; i++)
    g_assert (g_ptr_array_index (lines, i) != NULL);

  return g_steal_pointer (&lines);
}

/**
 * cryo_incuvers_decoder_new:
 *
 * A status-line decoder for the stream of a controller: it finds each
 * line by its `Len~CRC32$` header and `\n`, drops and counts what does not
 * check out, and keeps its buffer bounded ("Status lines"; seed "RPi →
 * Arduino": bytes without the special characters go after 80 characters).
 *
 * Returns: (transfer full): a decoder with an empty buffer
 */
CryoIncuversDecoder *
cryo_incuvers_decoder_new (void)
{
  CryoIncuversDecoder *decoder = g_new0 (CryoIncuversDecoder, 1);

  decoder->buffer = g_byte_array_sized_new (MAX_STATUS_LINE);
  return decoder;
}

/**
 * cryo_incuvers_decoder_free:
 * @decoder: (nullable): a decoder
 */
void
cryo_incuvers_decoder_free (CryoIncuversDecoder *decoder)
{
  if (decoder == NULL)
    return;

  g_byte_array_unref (decoder->buffer);
  g_free (decoder);
}

/**
 * cryo_incuvers_decoder_feed:
 * @decoder: a decoder
 * @data: (array length=len): bytes received
 * @len: how many
 *
 * Appends bytes. Call cryo_incuvers_decoder_next() until it returns
 * %FALSE without an error before feeding more; a caller that does not is
 * held to a bound, beyond which the oldest bytes are dropped (reported by
 * the next call as %CRYO_PROTOCOL_ERROR_OVERLONG).
 */
void
cryo_incuvers_decoder_feed (CryoIncuversDecoder *decoder,
                            const guint8        *data,
                            gsize                len)
{
  g_return_if_fail (decoder != NULL);
  g_return_if_fail (data != NULL || len == 0);

  g_byte_array_append (decoder->buffer, data, len);
  if (decoder->buffer->len > MAX_BUFFERED)
    {
      gsize excess = decoder->buffer->len - MAX_BUFFERED;

      decoder->overflowed += excess;
      g_byte_array_remove_range (decoder->buffer, 0, excess);
    }
}

static gssize
find_byte (const guint8 *data,
           gsize         from,
           gsize         to,
           guint8        c)
{
  const guint8 *p;

  if (from >= to)
    return -1;
  p = memchr (data + from, c, to - from);
  return p != NULL ? p - data : -1;
}

static gboolean
drop (CryoIncuversDecoder  *decoder,
      gsize                 n,
      CryoProtocolError     code,
      const char           *message,
      GError              **error)
{
  g_byte_array_remove_range (decoder->buffer, 0, MIN (n, decoder->buffer->len));
  g_set_error_literal (error, CRYO_PROTOCOL_ERROR, code, message);
  return FALSE;
}

static gboolean
is_blank (const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != '\r' && data[i] != '\n')
      return FALSE;
  return TRUE;
}

/**
 * cryo_incuvers_decoder_next:
 * @decoder: a decoder
 * @status: (out) (transfer full): the next status line, when one was whole
 *   and valid
 * @error: why bytes were dropped: %CRYO_PROTOCOL_ERROR_CHECKSUM (CRC),
 *   %CRYO_PROTOCOL_ERROR_TRUNCATED (a line shorter than its Len, or cut off
 *   by the next line's header), %CRYO_PROTOCOL_ERROR_MALFORMED (no header,
 *   a line longer than its Len, bytes before a header),
 *   %CRYO_PROTOCOL_ERROR_OVERLONG (80 characters without a header, or no
 *   end where the longest line would end)
 *
 * Takes the next line out of the buffer. Each error drops one line or run
 * of garbage, so the caller can count dropped lines; a blank line between
 * lines is skipped silently. The outcome does not depend on how the bytes
 * were split between feeds.
 *
 * Returns: %TRUE with *@status set for a valid line; %FALSE with @error
 *   set after dropping bytes (call again); %FALSE without an error when
 *   more bytes are needed
 */
gboolean
cryo_incuvers_decoder_next (CryoIncuversDecoder  *decoder,
                            CryoIncuversStatus  **status,
                            GError              **error)
{
  g_return_val_if_fail (decoder != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  *status = NULL;

  if (decoder->overflowed > 0)
    {
      decoder->overflowed = 0;
      g_set_error_literal (error, CRYO_PROTOCOL_ERROR, CRYO_PROTOCOL_ERROR_OVERLONG,
                           _("Incubator bytes dropped: more than a line's worth unread"));
      return FALSE;
    }

  for (;;)
    {
      const guint8 *data = decoder->buffer->data;
      gsize n = decoder->buffer->len;
      gsize limit = MIN (n, CRYO_INCUVERS_MAX_GARBAGE);
      gssize newline, tilde, end;
      gsize digits_start, payload_start;

      if (n == 0)
        return FALSE;

      newline = find_byte (data, 0, limit, '\n');
      tilde = find_byte (data, 0, newline >= 0 ? (gsize) newline : limit, '~');

      if (tilde < 0)
        {
          if (newline >= 0 && is_blank (data, newline + 1))
            {
              g_byte_array_remove_range (decoder->buffer, 0, newline + 1);
              continue;
            }
          if (newline >= 0)
            return drop (decoder, newline + 1, CRYO_PROTOCOL_ERROR_MALFORMED,
                         _("Incubator line without its length and checksum dropped"), error);
          if (n >= CRYO_INCUVERS_MAX_GARBAGE)
            {
              /* Digits at the end may be the length of a line to come. */
              gsize keep = 0;

              while (keep < MAX_LEN_DIGITS && g_ascii_isdigit (data[CRYO_INCUVERS_MAX_GARBAGE - 1 - keep]))
                keep++;
              return drop (decoder, CRYO_INCUVERS_MAX_GARBAGE - keep, CRYO_PROTOCOL_ERROR_OVERLONG,
                           _("80 incubator characters without a line header dropped"), error);
            }
          return FALSE;
        }

      digits_start = tilde;
      while (digits_start > 0 && g_ascii_isdigit (data[digits_start - 1])
             && tilde - (gssize) digits_start < MAX_LEN_DIGITS)
        digits_start--;

      if (digits_start > 0)
        {
          if (is_blank (data, digits_start))
            {
              g_byte_array_remove_range (decoder->buffer, 0, digits_start);
              continue;
            }
          return drop (decoder, digits_start, CRYO_PROTOCOL_ERROR_MALFORMED,
                       _("Incubator bytes before a line header dropped"), error);
        }

      if (tilde == 0)
        return drop (decoder, 1, CRYO_PROTOCOL_ERROR_MALFORMED,
                     _("Incubator line without its length dropped"), error);

      /* The CRC digits and "$", as far as they have arrived. */
      payload_start = tilde + 2 + CRC_DIGITS;
      for (gsize i = tilde + 1; i < MIN (n, payload_start); i++)
        {
          gboolean ok = i < payload_start - 1 ? is_hex (data[i]) : data[i] == '$';

          if (ok)
            continue;
          if (data[i] == '\n' || (data[i] == '\r' && i + 1 < n && data[i + 1] == '\n'))
            return drop (decoder, data[i] == '\n' ? i + 1 : i + 2, CRYO_PROTOCOL_ERROR_TRUNCATED,
                         _("Incubator line cut short in its header dropped"), error);
          if (data[i] == '\r' && i + 1 == n)
            return FALSE;
          /* Whatever follows the bad "~" may hold the next header. */
          return drop (decoder, tilde + 1, CRYO_PROTOCOL_ERROR_MALFORMED,
                       _("Incubator line with a damaged header dropped"), error);
        }
      if (n < payload_start)
        return FALSE;

      /* The payload holds no "~": one there starts the next line, and this
       * one was cut short. */
      end = -1;
      for (gsize i = payload_start; i < MIN (n, payload_start + CRYO_INCUVERS_MAX_STATUS_PAYLOAD + 2); i++)
        if (data[i] == '\n' || data[i] == '~')
          {
            end = i;
            break;
          }

      if (end >= 0 && data[end] == '~')
        {
          gsize next_start = end;

          while (next_start > payload_start && g_ascii_isdigit (data[next_start - 1])
                 && end - (gssize) next_start < MAX_LEN_DIGITS)
            next_start--;
          return drop (decoder, next_start, CRYO_PROTOCOL_ERROR_TRUNCATED,
                       _("Incubator line cut short by the next one dropped"), error);
        }

      if (end >= 0)
        {
          g_autoptr(GError) local_error = NULL;

          *status = cryo_incuvers_parse_status_line ((const char *) data, end, &local_error);
          if (*status != NULL)
            {
              g_byte_array_remove_range (decoder->buffer, 0, end + 1);
              return TRUE;
            }

          /* A line cut short in its length or CRC digits runs them into
           * the next line's length ("1" + "180~…" reads "1180~…"): the
           * next line starts at one of the later digits. */
          for (gsize k = 1; k < (gsize) tilde; k++)
            {
              g_autoptr(CryoIncuversStatus) inner = NULL;

              inner = cryo_incuvers_parse_status_line ((const char *) data + k, end - k, NULL);
              if (inner != NULL)
                return drop (decoder, k, CRYO_PROTOCOL_ERROR_TRUNCATED,
                             _("Incubator line cut short by the next one dropped"), error);
            }

          g_byte_array_remove_range (decoder->buffer, 0, end + 1);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (n >= payload_start + CRYO_INCUVERS_MAX_STATUS_PAYLOAD + 2)
        return drop (decoder, payload_start + CRYO_INCUVERS_MAX_STATUS_PAYLOAD + 2,
                     CRYO_PROTOCOL_ERROR_OVERLONG,
                     _("Incubator line longer than any status line dropped"), error);

      return FALSE;
    }
}

/**
 * cryo_incuvers_decoder_get_buffered:
 * @decoder: a decoder
 *
 * Returns: how many bytes the decoder holds, waiting for the rest of a line
 */
gsize
cryo_incuvers_decoder_get_buffered (CryoIncuversDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, 0);

  return decoder->buffer->len;
}
