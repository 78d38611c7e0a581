/* cryo-agilent.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Agilent "Window" serial protocol (TPS-compact, TwisTorr controllers):
 * shared/protocols/agilent-window.md. Pure codec: no I/O.
 */

#pragma once

#include <glib.h>

#include "cryo-protocol-error.h"

G_BEGIN_DECLS

#define CRYO_AGILENT_STX            0x02
#define CRYO_AGILENT_ETX            0x03
#define CRYO_AGILENT_ADDRESS_BASE   0x80
#define CRYO_AGILENT_MAX_ADDRESS    31
#define CRYO_AGILENT_MAX_FRAME      32

/* agilent-window.md "Replies" */
typedef enum
{
  CRYO_AGILENT_CODE_ACK            = 0x06,
  CRYO_AGILENT_CODE_NACK           = 0x15,
  CRYO_AGILENT_CODE_UNKNOWN_WINDOW = 0x32,
  CRYO_AGILENT_CODE_DATA_TYPE      = 0x33,
  CRYO_AGILENT_CODE_OUT_OF_RANGE   = 0x34,
  CRYO_AGILENT_CODE_DISABLED       = 0x35,
} CryoAgilentCode;

/* agilent-window.md "Windows used" */
typedef enum
{
  CRYO_AGILENT_WINDOW_START_STOP       = 0,
  CRYO_AGILENT_WINDOW_REMOTE           = 8,
  CRYO_AGILENT_WINDOW_ACTIVE_STOP      = 107,
  CRYO_AGILENT_WINDOW_BAUD_RATE        = 108,
  CRYO_AGILENT_WINDOW_PRESSURE_UNIT    = 163,
  CRYO_AGILENT_WINDOW_SPEED_AFTER_STOP = 167,
  CRYO_AGILENT_WINDOW_CURRENT          = 200,
  CRYO_AGILENT_WINDOW_VOLTAGE          = 201,
  CRYO_AGILENT_WINDOW_POWER            = 202,
  CRYO_AGILENT_WINDOW_FREQUENCY        = 203,
  CRYO_AGILENT_WINDOW_TEMPERATURE      = 204,
  CRYO_AGILENT_WINDOW_STATUS           = 205,
  CRYO_AGILENT_WINDOW_ERROR_CODE       = 206,
  CRYO_AGILENT_WINDOW_PRESSURE         = 224,
  CRYO_AGILENT_WINDOW_SPEED            = 226,
  CRYO_AGILENT_WINDOW_CYCLE_TIME       = 300,
  CRYO_AGILENT_WINDOW_CYCLE_COUNT      = 301,
  CRYO_AGILENT_WINDOW_PUMP_LIFE        = 302,
  CRYO_AGILENT_WINDOW_TIP_SEAL_HOURS   = 358,
} CryoAgilentWindow;

typedef enum
{
  CRYO_AGILENT_TYPE_UNKNOWN,
  CRYO_AGILENT_TYPE_LOGIC,         /* 1 char '0'/'1' */
  CRYO_AGILENT_TYPE_NUMERIC,       /* 6 digits, zero padded */
  CRYO_AGILENT_TYPE_ALPHANUMERIC,  /* 10 chars */
} CryoAgilentType;

/* window 205 */
typedef enum
{
  CRYO_AGILENT_STATUS_STOP              = 0,
  CRYO_AGILENT_STATUS_WAITING_INTERLOCK = 1,
  CRYO_AGILENT_STATUS_STARTING          = 2,
  CRYO_AGILENT_STATUS_AUTO_TUNING       = 3,
  CRYO_AGILENT_STATUS_BRAKING           = 4,
  CRYO_AGILENT_STATUS_NORMAL            = 5,
  CRYO_AGILENT_STATUS_FAIL              = 6,
} CryoAgilentStatus;

/* window 163 */
typedef enum
{
  CRYO_AGILENT_UNIT_MBAR = 0,
  CRYO_AGILENT_UNIT_PA   = 1,
  CRYO_AGILENT_UNIT_TORR = 2,
} CryoAgilentPressureUnit;

/**
 * CryoAgilentFrame:
 * @address: RS-485 address 0..31 (ADDR byte minus 0x80)
 * @is_code: %TRUE for a code frame (`STX ADDR CODE ETX CRC`: ACK, NACK, 0x32..0x35)
 * @code: the code byte when @is_code
 * @window: window number 0..999 when not @is_code
 * @is_write: COM was '1' (a write request); '0' is a read request or read reply
 * @data: the DATA field, NUL-terminated (empty for a read request)
 * @data_len: length of @data (0, 1, 6 or 10 for well-formed frames)
 *
 * One decoded frame, request or reply.
 */
typedef struct
{
  guint8   address;
  gboolean is_code;
  guint8   code;
  guint    window;
  gboolean is_write;
  char     data[CRYO_AGILENT_MAX_FRAME];
  gsize    data_len;
} CryoAgilentFrame;

typedef enum
{
  CRYO_AGILENT_DECODE_NEED_MORE,
  CRYO_AGILENT_DECODE_FRAME,
  CRYO_AGILENT_DECODE_ERROR,
} CryoAgilentDecodeResult;

typedef struct _CryoAgilentDecoder CryoAgilentDecoder;

CryoAgilentType  cryo_agilent_window_get_type  (guint               window);
const char      *cryo_agilent_status_to_string (guint               status);
const char      *cryo_agilent_code_to_string   (guint8              code);
char            *cryo_agilent_error_bits_to_string (guint           bits);
guint8           cryo_agilent_crc              (const guint8       *bytes,
                                                gsize               len);

GBytes          *cryo_agilent_encode_read      (guint8              address,
                                                guint               window);
GBytes          *cryo_agilent_encode_write     (guint8              address,
                                                guint               window,
                                                const char         *data,
                                                GError            **error);
GBytes          *cryo_agilent_encode_write_logic   (guint8          address,
                                                    guint           window,
                                                    gboolean        value);
GBytes          *cryo_agilent_encode_write_numeric (guint8          address,
                                                    guint           window,
                                                    guint           value,
                                                    GError        **error);
GBytes          *cryo_agilent_encode_reply_data    (guint8          address,
                                                    guint           window,
                                                    const char     *data);
GBytes          *cryo_agilent_encode_reply_code    (guint8          address,
                                                    guint8          code);
GBytes          *cryo_agilent_encode_raw           (guint8          address,
                                                    const guint8   *payload,
                                                    gsize           len);

CryoAgilentDecoder     *cryo_agilent_decoder_new     (void);
void                    cryo_agilent_decoder_free    (CryoAgilentDecoder *decoder);
void                    cryo_agilent_decoder_reset   (CryoAgilentDecoder *decoder);
void                    cryo_agilent_decoder_feed    (CryoAgilentDecoder *decoder,
                                                      const guint8       *bytes,
                                                      gsize               len);
CryoAgilentDecodeResult cryo_agilent_decoder_next    (CryoAgilentDecoder *decoder,
                                                      CryoAgilentFrame   *frame,
                                                      GError            **error);
gsize                   cryo_agilent_decoder_get_n_discarded (CryoAgilentDecoder *decoder);
gsize                   cryo_agilent_decoder_get_n_buffered  (CryoAgilentDecoder *decoder);

gboolean cryo_agilent_reply_check_ack     (const CryoAgilentFrame *frame,
                                           GError                **error);
gboolean cryo_agilent_reply_get_logic     (const CryoAgilentFrame *frame,
                                           guint                   window,
                                           gboolean               *value,
                                           GError                **error);
gboolean cryo_agilent_reply_get_numeric   (const CryoAgilentFrame *frame,
                                           guint                   window,
                                           guint                  *value,
                                           GError                **error);
gboolean cryo_agilent_reply_get_pressure  (const CryoAgilentFrame *frame,
                                           double                 *value,
                                           GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoAgilentDecoder, cryo_agilent_decoder_free)

G_END_DECLS
