/* cryo-device.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cryo-channel.h"
#include "cryo-device-config.h"
#include "cryo-device-kind.h"
#include "cryo-event.h"
#include "cryo-link.h"
#include "cryo-service-tracker.h"

G_BEGIN_DECLS

#define CRYO_DEVICE_ERROR (cryo_device_error_quark ())

/**
 * CryoDeviceError:
 * @CRYO_DEVICE_ERROR_REFUSED: an interlock refused the action; the message says why
 * @CRYO_DEVICE_ERROR_UNKNOWN_ACTION: the device has no such action
 * @CRYO_DEVICE_ERROR_BUSY: another action of this device is still running
 * @CRYO_DEVICE_ERROR_NOT_MONITORING: the device is not being monitored, so it has no fresh readings
 * @CRYO_DEVICE_ERROR_FAILED: the instrument did not carry out the action
 * @CRYO_DEVICE_ERROR_INVALID_CONFIG: a device specification or configuration file is wrong
 * @CRYO_DEVICE_ERROR_OUT_OF_RANGE: an action parameter is outside its range; nothing was sent
 * @CRYO_DEVICE_ERROR_INVALID_PARAMETER: an action parameter is unknown or not a number
 * @CRYO_DEVICE_ERROR_UNCONFIRMED: the command was sent but its outcome is unknown (no or a
 *   damaged acknowledgement, or the status did not confirm it)
 * @CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED: the instrument itself refused the command
 * @CRYO_DEVICE_ERROR_IN_EFFECT: what the action would do is already so (a stop
 *   while stopped); nothing was sent
 */
typedef enum
{
  CRYO_DEVICE_ERROR_REFUSED,
  CRYO_DEVICE_ERROR_UNKNOWN_ACTION,
  CRYO_DEVICE_ERROR_BUSY,
  CRYO_DEVICE_ERROR_NOT_MONITORING,
  CRYO_DEVICE_ERROR_FAILED,
  CRYO_DEVICE_ERROR_INVALID_CONFIG,
  CRYO_DEVICE_ERROR_OUT_OF_RANGE,
  CRYO_DEVICE_ERROR_INVALID_PARAMETER,
  CRYO_DEVICE_ERROR_UNCONFIRMED,
  CRYO_DEVICE_ERROR_INSTRUMENT_REFUSED,
  CRYO_DEVICE_ERROR_IN_EFFECT,
} CryoDeviceError;

/**
 * CryoDeviceState:
 * @CRYO_DEVICE_STATE_DISCONNECTED: not monitoring, or the port is closed and a reopen is scheduled
 * @CRYO_DEVICE_STATE_CONNECTING: opening the port, or waiting for the first complete poll
 * @CRYO_DEVICE_STATE_ONLINE: the last poll returned every reading
 * @CRYO_DEVICE_STATE_STALE: the port is open but the last poll missed readings (timeouts, bad frames)
 * @CRYO_DEVICE_STATE_ERROR: the instrument answered with an error or the port cannot be used
 */
typedef enum
{
  CRYO_DEVICE_STATE_DISCONNECTED,
  CRYO_DEVICE_STATE_CONNECTING,
  CRYO_DEVICE_STATE_ONLINE,
  CRYO_DEVICE_STATE_STALE,
  CRYO_DEVICE_STATE_ERROR,
} CryoDeviceState;

/**
 * CryoReadBack:
 * @CRYO_READ_BACK_DONE: the instrument reads back the state the command sets
 * @CRYO_READ_BACK_NOT_DONE: it reads back the state from before the command
 * @CRYO_READ_BACK_FAILED: it could not be read back
 *
 * What reading back the state a command changes says about the command.
 */
typedef enum
{
  CRYO_READ_BACK_DONE,
  CRYO_READ_BACK_NOT_DONE,
  CRYO_READ_BACK_FAILED,
} CryoReadBack;

/**
 * CryoReadBackFunc:
 * @data: what the caller of cryo_device_resolve_write() passed
 * @error: why the state could not be read, with %CRYO_READ_BACK_FAILED
 *
 * Worker thread: reads back the state a command changes (the pumping
 * station's window 000, the compressor's operating state).
 *
 * Returns: what the instrument says
 */
typedef CryoReadBack (*CryoReadBackFunc) (gpointer   data,
                                          GError   **error);

/**
 * CryoActionOutcome:
 * @CRYO_ACTION_OUTCOME_DONE: done, and confirmed where the instrument
 *   confirms by status
 * @CRYO_ACTION_OUTCOME_REFUSED: refused: a parameter out of range, the
 *   interlock, or the instrument's own refusal
 * @CRYO_ACTION_OUTCOME_FAILED: not carried out: the port, the device
 * @CRYO_ACTION_OUTCOME_UNCONFIRMED: sent, but its outcome is unknown
 *
 * How a control action ended, as the event log records it.
 */
typedef enum
{
  CRYO_ACTION_OUTCOME_DONE,
  CRYO_ACTION_OUTCOME_REFUSED,
  CRYO_ACTION_OUTCOME_FAILED,
  CRYO_ACTION_OUTCOME_UNCONFIRMED,
} CryoActionOutcome;

#define CRYO_N_ACTION_OUTCOMES (CRYO_ACTION_OUTCOME_UNCONFIRMED + 1)

/**
 * CRYO_DEVICE_STATE_SEPARATOR:
 *
 * What joins a state text's parts: the state itself first, then its details
 * ("Regen complete · Pump on · Rough valve closed"). The device panel shows
 * the first part large and the rest under it; headless prints all of it.
 */
#define CRYO_DEVICE_STATE_SEPARATOR " · "

#define CRYO_TYPE_DEVICE (cryo_device_get_type ())

G_DECLARE_DERIVABLE_TYPE (CryoDevice, cryo_device, CRYO, DEVICE, GObject)

/**
 * CryoDeviceClass:
 * @poll: start one poll; the subclass calls cryo_device_poll_done() when it
 *   has finished. Request/reply kinds only.
 * @message: a stream kind's decoded status message, in the main thread: the
 *   subclass pushes its samples and calls cryo_device_poll_done()
 * @check_action: evaluate the interlock of @action against the current readings
 * @in_effect: whether what @action would do is already so (a stop while
 *   stopped), from the current readings, with a reason to show
 * @run_action: run @action with its validated parameters (in the order of
 *   the action table) on the link; complete @task with a boolean or an error
 * @connected: the link (re)opened the port; re-read slow-changing settings
 * @dup_state_text: the instrument's own state in words ("Normal", "Running"),
 *   then any details, each after %CRYO_DEVICE_STATE_SEPARATOR; %NULL when
 *   unknown
 * @dup_confirmation: what the operator must confirm before @action runs
 *   with @params, from the current readings, or %NULL when it needs no
 *   confirmation; the default follows the action table
 *   (#CryoDeviceAction.needs_confirmation and its consequence)
 * @dup_value_text: a reading of a %CRYO_QUANTITY_STATE channel in the
 *   instrument's words ("maintain" for a mode of 2), %NULL to show the
 *   number
 */
struct _CryoDeviceClass
{
  GObjectClass parent_class;

  void                    (*poll)         (CryoDevice  *self);
  void                    (*message)      (CryoDevice  *self,
                                           gpointer     message);
  gboolean                (*check_action) (CryoDevice  *self,
                                           const char  *action,
                                           char       **reason);
  gboolean                (*in_effect)    (CryoDevice  *self,
                                           const char  *action,
                                           char       **reason);
  void                    (*run_action)   (CryoDevice    *self,
                                           const char    *action,
                                           const double  *params,
                                           GTask         *task);
  void                    (*connected)    (CryoDevice  *self);
  char                   *(*dup_state_text) (CryoDevice *self);
  char                   *(*dup_confirmation) (CryoDevice    *self,
                                              const char    *action,
                                              const double  *params);
  char                   *(*dup_value_text) (CryoDevice  *self,
                                            CryoChannel *channel,
                                            double       value);

  /*< private >*/
  const CryoDeviceKind *kind;

  gpointer padding[3];
};

GQuark                  cryo_device_error_quark          (void);
CryoDevice             *cryo_device_new_from_config      (const CryoDeviceConfig *config,
                                                          GError             **error);
char                   *cryo_device_make_id              (const char          *name);
const CryoDeviceKind   *cryo_device_get_kind             (CryoDevice          *self);
const CryoDeviceConfig *cryo_device_get_config           (CryoDevice          *self);
void                    cryo_device_set_name             (CryoDevice          *self,
                                                          const char          *name);
const char             *cryo_device_get_id               (CryoDevice          *self);
void                    cryo_device_log_event            (CryoDevice          *self,
                                                          CryoEventKind        kind,
                                                          CryoEventSeverity    severity,
                                                          const char          *text);
const char             *cryo_device_get_name             (CryoDevice          *self);
const char             *cryo_device_get_model            (CryoDevice          *self);
CryoDeviceState         cryo_device_get_state            (CryoDevice          *self);
const char             *cryo_device_get_last_error       (CryoDevice          *self);
char                   *cryo_device_dup_status_text      (CryoDevice          *self);
char                   *cryo_device_dup_state_text       (CryoDevice          *self);
const char * const     *cryo_device_get_alarms           (CryoDevice          *self);
const char * const     *cryo_device_get_warnings         (CryoDevice          *self);
CryoServiceTracker     *cryo_device_get_service_tracker  (CryoDevice          *self);
void                    cryo_device_set_service_hours    (CryoDevice          *self,
                                                          double               service_hours);
void                    cryo_device_set_service_warnings (CryoDevice          *self,
                                                          const char * const  *warnings);
CryoLink               *cryo_device_get_link             (CryoDevice          *self);
GPtrArray              *cryo_device_get_channels         (CryoDevice          *self);
CryoChannel            *cryo_device_lookup_channel       (CryoDevice          *self,
                                                          const char          *key);
const CryoChannelInfo  *cryo_device_get_channel_info    (CryoDevice          *self,
                                                          CryoChannel         *channel);
guint                   cryo_device_get_poll_interval    (CryoDevice          *self);
void                    cryo_device_set_poll_interval    (CryoDevice          *self,
                                                          guint                poll_interval_ms);
gint64                  cryo_device_get_max_reading_age  (CryoDevice          *self);
gint64                  cryo_device_get_channel_max_age  (CryoDevice          *self,
                                                          CryoChannel         *channel);
gboolean                cryo_device_get_monitoring       (CryoDevice          *self);
void                    cryo_device_set_monitoring       (CryoDevice          *self,
                                                          gboolean             monitoring);
guint64                 cryo_device_get_n_polls          (CryoDevice          *self);
guint64                 cryo_device_get_n_errors         (CryoDevice          *self);
const CryoDeviceAction *cryo_device_get_actions          (CryoDevice          *self);
guint64                 cryo_device_get_n_action_outcomes (CryoDevice         *self,
                                                          const char          *action,
                                                          CryoActionOutcome    outcome);
const CryoDeviceAction *cryo_device_lookup_action        (CryoDevice          *self,
                                                          const char          *action);
gboolean                cryo_device_check_action         (CryoDevice          *self,
                                                          const char          *action,
                                                          char               **reason);
char                   *cryo_device_dup_value_text       (CryoDevice          *self,
                                                          CryoChannel         *channel,
                                                          double               value);
char                   *cryo_device_dup_confirmation     (CryoDevice          *self,
                                                          const char          *action,
                                                          const double        *params);
gboolean                cryo_device_is_action_in_effect  (CryoDevice          *self,
                                                          const char          *action,
                                                          char               **reason);
void                    cryo_device_run_action_async     (CryoDevice          *self,
                                                          const char          *action,
                                                          const double        *params,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean                cryo_device_run_action_finish    (CryoDevice          *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* For subclasses */
void                    cryo_device_class_set_kind       (CryoDeviceClass     *klass,
                                                          const CryoDeviceKind *kind);
void                    cryo_device_run_command          (CryoDevice          *self,
                                                          CryoLinkFunc         func,
                                                          gpointer             request,
                                                          GDestroyNotify       request_destroy,
                                                          GTask               *task);
gboolean                cryo_device_resolve_write        (GError              *write_error,
                                                          const char          *what,
                                                          CryoReadBackFunc     read_back,
                                                          gpointer             data,
                                                          GError             **error);
void                    cryo_device_add_channel          (CryoDevice          *self,
                                                          CryoChannel         *channel);
void                    cryo_device_push_sample          (CryoDevice          *self,
                                                          CryoChannel         *channel,
                                                          gint64               time_us,
                                                          double               value);
void                    cryo_device_poll_done            (CryoDevice          *self,
                                                          gboolean             complete,
                                                          const GError        *error);
void                    cryo_device_set_model            (CryoDevice          *self,
                                                          const char          *model);
void                    cryo_device_set_alarms           (CryoDevice          *self,
                                                          const char * const  *alarms);
void                    cryo_device_set_warnings         (CryoDevice          *self,
                                                          const char * const  *warnings);
void                    cryo_device_count_error          (CryoDevice          *self,
                                                          const GError        *error);

void                    cryo_device_set_history_span     (guint                seconds);

G_END_DECLS
