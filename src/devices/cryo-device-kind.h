/* cryo-device-kind.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cryo-channel.h"
#include "cryo-link.h"
#include "cryo-serial-transport.h"
#include "cryo-units.h"

G_BEGIN_DECLS

/**
 * CryoLinkKind:
 * @CRYO_LINK_KIND_SERIAL: request/reply on a serial line (or a pseudo-terminal,
 *   or a serial device server's raw TCP port written `tcp:HOST:PORT`)
 * @CRYO_LINK_KIND_SERIAL_STREAM: the instrument streams its status on a
 *   serial line (or a device server's, as above); commands are written
 *   between reads
 * @CRYO_LINK_KIND_MODBUS: Modbus RTU on a serial line, or Modbus TCP for a
 *   port written `tcp:HOST[:PORT]`
 *
 * How an instrument of a kind is reached.
 */
typedef enum
{
  CRYO_LINK_KIND_SERIAL,
  CRYO_LINK_KIND_SERIAL_STREAM,
  CRYO_LINK_KIND_MODBUS,
} CryoLinkKind;

/**
 * CryoKindOption:
 * @name: the key in a `--device` string and in `devices.conf` ("address", "unit")
 * @label: translatable label for the Devices dialog ("RS-485 address")
 * @min: smallest value
 * @max: largest value
 * @default_value: the value when not given, on a serial line
 * @default_tcp_value: the value when not given, over TCP (Modbus unit ids
 *   differ: cryomech-cpa-modbus.md "Transports")
 *
 * A whole-number line option of a kind, beyond the serial settings.
 */
typedef struct
{
  const char *name;
  const char *label;
  guint       min;
  guint       max;
  guint       default_value;
  guint       default_tcp_value;
} CryoKindOption;

#define CRYO_KIND_MAX_OPTIONS 8

/**
 * CryoChannelFlags:
 * @CRYO_CHANNEL_FLAG_NONE: an ordinary reading
 * @CRYO_CHANNEL_FLAG_PRIMARY: shown in large type on the device's panel
 * @CRYO_CHANNEL_FLAG_HIDDEN: recorded and exported, not listed on the panel
 * @CRYO_CHANNEL_FLAG_SERVICE_RECORD: a counter of total hours (a
 *   compressor's hours of operation) whose service is counted from what it
 *   read at the last service, recorded in the device's configuration
 *   (#CryoDeviceConfig.service_hours); at most one channel of a kind
 */
typedef enum
{
  CRYO_CHANNEL_FLAG_NONE    = 0,
  CRYO_CHANNEL_FLAG_PRIMARY = 1 << 0,
  CRYO_CHANNEL_FLAG_HIDDEN  = 1 << 1,
  CRYO_CHANNEL_FLAG_SERVICE_RECORD = 1 << 2,
} CryoChannelFlags;

/**
 * CryoChannelInfo:
 * @key: the channel's key within its device ("pressure"); its id is
 *   `<device id>.<key>`
 * @label: translatable label ("Pressure")
 * @csv_name: column name in exports ("pressure"), prefixed with the device
 *   id when an export spans devices
 * @quantity: what it measures
 * @scale: how it is plotted
 * @digits: significant digits the instrument resolves
 * @history_capacity: samples kept in memory
 * @flags: #CryoChannelFlags
 * @service_hours: for a counter of hours since a part was serviced (a tip
 *   seal, a regeneration) or of total hours with
 *   %CRYO_CHANNEL_FLAG_SERVICE_RECORD, the default interval after which
 *   service is due, h; 0 for none
 * @period_s: how often the device reads it when that is less often than
 *   every poll (a counter read hourly), seconds; 0 for every poll. Its
 *   readings are fresh for three periods.
 * @phases: (nullable): for a %CRYO_QUANTITY_STATE channel whose samples are
 *   the phase of a procedure (a temperature program, a regeneration), its
 *   phases; the trend draws them as labelled bands behind the temperature
 *   traces. Codes absent from it draw no band.
 * @service_part: (nullable): for a counter with @service_hours, what is due,
 *   translatable ("Tip seal service"), in the maintenance warning
 * @service_action: (nullable): for a counter with @service_hours that the
 *   instrument resets at a service, the action (without parameters) that
 *   resets it: the panel's Service Done for the counter
 *
 * A reading of a kind, as data: the base class creates the channels.
 */
typedef struct
{
  const char       *key;
  const char       *label;
  const char       *csv_name;
  CryoQuantity      quantity;
  CryoScale         scale;
  guint             digits;
  gsize             history_capacity;
  CryoChannelFlags  flags;
  guint             service_hours;
  guint             period_s;
  const CryoPhaseLabel *phases;
  const char       *service_part;
  const char       *service_action;
} CryoChannelInfo;

/**
 * CryoParamChoice:
 * @value: the parameter's value for the choice
 * @label: translatable name of the choice ("Maintain"), %NULL ends a list
 *
 * One named value of a parameter that takes only a few (a mode).
 */
typedef struct
{
  double      value;
  const char *label;
} CryoParamChoice;

/**
 * CryoActionParam:
 * @name: the key on the command line (`rate=120`)
 * @label: translatable label of its field ("Ramp rate")
 * @unit: the unit the value is given in, %CRYO_UNIT_NONE for a count
 * @digits: decimals shown in its field
 * @min: smallest value allowed
 * @max: largest value allowed
 * @step: the field's step
 * @default_value: the value when not given
 * @choices: (nullable): the only values allowed, each with a name, ended
 *   by one whose @label is %NULL: the GUI offers them in a list instead of
 *   a number field; within @min and @max like any value
 *
 * A numeric parameter of an action.
 */
typedef struct
{
  const char            *name;
  const char            *label;
  CryoUnit               unit;
  guint                  digits;
  double                 min;
  double                 max;
  double                 step;
  double                 default_value;
  const CryoParamChoice *choices;
} CryoActionParam;

#define CRYO_ACTION_MAX_PARAMS 4

/**
 * CryoDeviceAction:
 * @name: the action's stable name ("start", "stop"), used on the command
 *   line as DEVICE:NAME
 * @label: translatable label for a button ("Start Pump")
 * @needs_confirmation: the GUI asks before running it
 * @destructive: the GUI styles it as destructive
 * @consequence: (nullable): translatable text of the confirmation: what
 *   happens when it runs
 * @params: its parameters, ended by one whose @name is %NULL
 *
 * A control action of a kind, as data (DESIGN.md "Core types").
 */
typedef struct
{
  const char      *name;
  const char      *label;
  gboolean         needs_confirmation;
  gboolean         destructive;
  const char      *consequence;
  CryoActionParam  params[CRYO_ACTION_MAX_PARAMS + 1];
} CryoDeviceAction;

typedef struct _CryoDeviceKind CryoDeviceKind;

/**
 * CryoDeviceKind:
 * @id: stable id used in `--device` strings and `devices.conf` ("pump-station")
 * @title: translatable default device name ("Pumping station")
 * @model: the instrument model ("Agilent TPS-compact")
 * @summary: translatable one-line description for `--help`
 * @link_kind: how the instrument is reached
 * @default_baud: baud rate on a serial line unless given
 * @default_parity: parity unless given
 * @default_data_bits: data bits unless given; 0 for 8
 * @default_tcp_port: TCP port of `tcp:HOST` unless given (Modbus kinds);
 *   0 when `tcp:HOST:PORT` must give it (serial kinds on a device server)
 * @default_poll_interval_ms: poll interval unless configured (request/reply);
 *   for a stream, how often the instrument sends its status
 * @stream_stale_ms: for a stream, how long without a valid message makes
 *   the device stale, ms; 0 for three status intervals
 * @stream_codec: (nullable): for %CRYO_LINK_KIND_SERIAL_STREAM, the
 *   protocol's incremental decoder (the device's message vfunc gets what it
 *   decodes)
 * @options: its line options, ended by one whose name is %NULL; a Modbus
 *   kind has a "unit" option (the unit id)
 * @channels: its readings, ended by one whose key is %NULL
 * @actions: its control actions, ended by one whose name is %NULL
 * @get_type: the #CryoDevice subclass
 *
 * Everything Cryomon needs to know of an instrument kind outside its own
 * files (DESIGN.md "Adding an instrument"). Each subclass defines one and
 * the app layer registers it.
 */
struct _CryoDeviceKind
{
  const char             *id;
  const char             *title;
  const char             *model;
  const char             *summary;
  CryoLinkKind            link_kind;
  guint                   default_baud;
  CryoParity              default_parity;
  guint                   default_data_bits;
  guint                   default_tcp_port;
  guint                   default_poll_interval_ms;
  guint                   stream_stale_ms;
  const CryoStreamCodec  *stream_codec;
  const CryoKindOption   *options;
  const CryoChannelInfo  *channels;
  const CryoDeviceAction *actions;
  GType                 (*get_type) (void);
};

void                     cryo_device_kind_register        (const CryoDeviceKind    *kind);
const CryoDeviceKind    *cryo_device_kind_lookup          (const char              *id);
const CryoDeviceKind   **cryo_device_kind_list            (guint                   *n_kinds);
char                    *cryo_device_kind_dup_known_ids   (void);
const char              *cryo_device_kind_get_title       (const CryoDeviceKind    *kind);
const CryoKindOption    *cryo_device_kind_lookup_option   (const CryoDeviceKind    *kind,
                                                           const char              *name,
                                                           guint                   *index);
const CryoDeviceAction  *cryo_device_kind_lookup_action   (const CryoDeviceKind    *kind,
                                                           const char              *name);
char                    *cryo_device_kind_dup_usage       (const CryoDeviceKind    *kind);

guint                    cryo_device_action_get_n_params  (const CryoDeviceAction  *action);
void                     cryo_device_action_get_defaults  (const CryoDeviceAction  *action,
                                                           double                  *values);
gboolean                 cryo_device_action_check_params  (const CryoDeviceAction  *action,
                                                           const double            *values,
                                                           GError                 **error);
gboolean                 cryo_device_action_parse_params  (const CryoDeviceAction  *action,
                                                           const char * const      *assignments,
                                                           double                  *values,
                                                           GError                 **error);
char                    *cryo_device_action_format_params (const CryoDeviceAction  *action,
                                                           const double            *values);

G_END_DECLS
