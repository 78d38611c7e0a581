/* cryo-sim-server-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What cryo-sim-server.c (thread, pseudo-terminal, faults, byte streams) and
 * cryo-sim-server-modbus.c (libmodbus framing, TCP) share.
 */

#pragma once

#include <modbus.h>

#include "cryo-sim-server.h"

G_BEGIN_DECLS

/* One peer of the server: the pseudo-terminal's master side, or a TCP
 * client. Reference-counted (g_atomic_rc_box) because a delayed reply may
 * outlive it: it then finds @fd at -1 and is dropped. */
typedef struct
{
  CryoSimServer *server;        /* not a reference: connections end with its thread */
  int            fd;
  gboolean       is_socket;
  modbus_t      *modbus;        /* frames the requests on @fd; NULL for a byte stream */
  gboolean       owns_modbus;   /* RTU: the connection's own context; TCP: the listener's */
  GSource       *read_source;
  GSource       *write_source;
  GByteArray    *output;        /* replies the peer has not taken yet */

  /* A paced line (a pty with a baud rate), see cryo_sim_server_set_baud(). */
  GQueue         paced;         /* CryoSimPacedBytes not yet all sent, oldest first */
  gsize          paced_len;     /* their bytes */
  GSource       *pace_source;   /* wakes when the next of them is due */
  gint64         rx_done_us;    /* when the last byte read has finished arriving */
  gint64         tx_free_us;    /* when the line has sent every byte queued */
} CryoSimConnection;

struct _CryoSimServer
{
  GObject             parent_instance;

  CryoSimResponder   *responder;
  CryoSimCommandLog  *command_log;

  /* Guards the responder (and its model) and everything below it that the
   * server thread and the API share. */
  GMutex              mutex;
  double              speed;
  double              corrupt;
  double              drop;
  guint               delay_ms;
  gboolean            frozen;
  guint               baud;
  guint               n_replies;

  /* Owned by the thread calling start and stop. */
  char               *command_log_path;
  gboolean            command_log_open;
  GMainContext       *context;
  GThread            *thread;
  gint                quit;               /* atomic */
  int                 slave_fd;
  char               *pty_path;
  char               *link_path;
  int                 listen_fd;
  modbus_t           *tcp_modbus;
  char               *tcp_address;
  guint               port;

  /* Set up by start, then used only in the server thread until stop. */
  GRand              *rand;
  CryoSimConnection  *pty;
  GPtrArray          *clients;            /* element-type CryoSimConnection */
  GSource            *listen_source;
  GSource            *tick_source;
  GSource            *stream_source;
  gint64              last_tick_us;
  int                 capture_fds[2];     /* socketpair: libmodbus writes replies into [0] */
};

CryoSimConnection *cryo_sim_connection_new          (CryoSimServer      *server,
                                                     int                 fd,
                                                     gboolean            is_socket);
void               cryo_sim_connection_close        (CryoSimConnection  *connection);
void               cryo_sim_connection_unref        (CryoSimConnection  *connection);

gboolean           cryo_sim_server_open_command_log (CryoSimServer      *self,
                                                     GError            **error);
void               cryo_sim_server_ensure_thread    (CryoSimServer      *self);
void               cryo_sim_server_watch            (CryoSimServer      *self,
                                                     CryoSimConnection  *connection);
void               cryo_sim_server_dispatch         (CryoSimServer      *self,
                                                     CryoSimConnection  *connection,
                                                     GBytes             *reply);
void               cryo_sim_server_received         (CryoSimServer      *self,
                                                     CryoSimConnection  *connection,
                                                     gsize               n_bytes);

/* cryo-sim-server-modbus.c */
gboolean           cryo_sim_server_setup_rtu        (CryoSimServer      *self,
                                                     CryoSimConnection  *connection,
                                                     GError            **error);
gboolean           cryo_sim_server_serve_modbus     (CryoSimServer      *self,
                                                     CryoSimConnection  *connection);
void               cryo_sim_server_close_tcp        (CryoSimServer      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CryoSimConnection, cryo_sim_connection_unref)

G_END_DECLS
