/* cryo-sim-cti.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model is a cryopump whose stages relax towards cold while the pump
 * runs and towards room temperature while it is off, plus the module's
 * regeneration sequence as a list of timed steps (full: warm-up, extended
 * purge, rough, rate of rise, cool-down; fast: its own shorter steps), each
 * moving the temperatures and the TC pressure towards the step's end
 * values. The server's speed factor compresses the whole thing.
 */

#define G_LOG_DOMAIN "cryo-sim-cti"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cryo-sim-cti.h"

/* What the pump's TC gauge reads at rest, cold and at purge, microns. */
#define AMBIENT_MICRONS 760.0
#define COLD_MICRONS    0.5
#define PURGE_MICRONS   2840.3

typedef struct
{
  char              code;          /* the reply to O */
  CryoCtiRegenPhase phase;
  double            duration_s;    /* simulated seconds */
  double            stage1_k;      /* where the step ends */
  double            stage2_k;
  double            microns;
} RegenStep;

/* The full regen (N1) and the fast regen (N2), then 'P' (complete). */
static const RegenStep full_regen[] = {
  { 'B', CRYO_CTI_REGEN_PHASE_WARMUP, 20 * 60, 300.0, 300.0, PURGE_MICRONS },
  { 'H', CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE, 10 * 60, 305.0, 305.0, PURGE_MICRONS },
  { 'I', CRYO_CTI_REGEN_PHASE_ROUGH, 8 * 60, 300.0, 300.0, 40.0 },
  { 'L', CRYO_CTI_REGEN_PHASE_RATE_OF_RISE, 5 * 60, 300.0, 300.0, 45.0 },
  { 'M', CRYO_CTI_REGEN_PHASE_COOLDOWN, 60 * 60, CRYO_SIM_CTI_COLD_STAGE1_K, CRYO_SIM_CTI_COLD_STAGE2_K,
    COLD_MICRONS },
};

static const RegenStep fast_regen[] = {
  { 'U', CRYO_CTI_REGEN_PHASE_FAST_START, 60, 70.0, 20.0, COLD_MICRONS },
  { 'C', CRYO_CTI_REGEN_PHASE_WARMUP, 10 * 60, 80.0, 110.0, PURGE_MICRONS },
  { 'e', CRYO_CTI_REGEN_PHASE_FAST_REPURGE, 5 * 60, 80.0, 110.0, PURGE_MICRONS },
  { 'J', CRYO_CTI_REGEN_PHASE_ROUGH, 5 * 60, 80.0, 110.0, 40.0 },
  { 'L', CRYO_CTI_REGEN_PHASE_RATE_OF_RISE, 3 * 60, 80.0, 110.0, 45.0 },
  { 'N', CRYO_CTI_REGEN_PHASE_COOLDOWN, 20 * 60, CRYO_SIM_CTI_COLD_STAGE1_K, CRYO_SIM_CTI_COLD_STAGE2_K,
    COLD_MICRONS },
};

/* Commands that only read: absent from the command log, which keeps what
 * changes something (cti-onboard.md; seed "Background Query Commands"). */
static const char * const read_only[] = {
  "@", "J", "K", "L", "M", "O", "S1", "S2", "S3", "W", "Q", "a", "a2", "c", "e", "k", "l", "m",
  "n", "s", "u", "v", "g", "h", "R0", "R1", "R2", "R3",
};

struct _CryoSimCti
{
  GObject          parent_instance;

  CryoCtiDecoder  *decoder;
  int              address;
  GHashTable      *refused;        /* command → itself: answered G */

  gboolean         pump_on;
  gboolean         power_failure;  /* B/F/H until S1 has been read */
  guint            pf_status;      /* t? */
  double           stage1_k;
  double           stage2_k;
  double           microns;
  double           aux_microns;
  double           hours;
  double           hours_full;
  double           hours_fast;
  guint            regen_cycles;
  guint            pfr_mode;       /* i? */

  /* The regen under way: its steps, the current one, time spent in it and
   * where the stages were when it began. */
  const RegenStep *steps;
  guint            n_steps;
  guint            step;
  double           step_elapsed_s;
  double           step_start[3];
  char             regen_code;     /* 'P', 'A', 'V' outside a regen */
  char             regen_error;    /* e */

  guint            params[16];     /* by index in cryo_cti_params */
};

static void responder_iface_init (CryoSimResponderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CryoSimCti, cryo_sim_cti, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRYO_TYPE_SIM_RESPONDER, responder_iface_init))

static gboolean
regen_running (CryoSimCti *self)
{
  return self->steps != NULL;
}

static void
begin_step (CryoSimCti *self,
            guint       step)
{
  self->step = step;
  self->step_elapsed_s = 0;
  self->step_start[0] = self->stage1_k;
  self->step_start[1] = self->stage2_k;
  self->step_start[2] = self->microns;
}

static void
start_regen (CryoSimCti      *self,
             const RegenStep *steps,
             guint            n_steps)
{
  self->steps = steps;
  self->n_steps = n_steps;
  self->regen_error = '@';
  begin_step (self, 0);
}

static void
end_regen (CryoSimCti *self,
           char        code)
{
  if (code == 'P')
    {
      self->regen_cycles++;
      if (self->steps == full_regen)
        self->hours_full = 0;
      else
        self->hours_fast = 0;
      self->pump_on = TRUE;
    }
  self->steps = NULL;
  self->n_steps = 0;
  self->regen_code = code;
}

static double
relax (double value,
       double target,
       double dt_s,
       double tau_s)
{
  return target + (value - target) * exp (-dt_s / tau_s);
}

static void
cryo_sim_cti_tick (CryoSimResponder *responder,
                   double            dt_seconds)
{
  CryoSimCti *self = CRYO_SIM_CTI (responder);
  double dt = dt_seconds;

  if (self->pump_on || regen_running (self))
    self->hours += dt / 3600.0;
  self->hours_full += dt / 3600.0;
  self->hours_fast += dt / 3600.0;

  while (regen_running (self) && dt > 0)
    {
      const RegenStep *step = &self->steps[self->step];
      double left = step->duration_s - self->step_elapsed_s;
      double used = MIN (dt, left);
      double f;

      self->step_elapsed_s += used;
      dt -= used;
      f = step->duration_s > 0 ? self->step_elapsed_s / step->duration_s : 1.0;
      self->stage1_k = self->step_start[0] + (step->stage1_k - self->step_start[0]) * f;
      self->stage2_k = self->step_start[1] + (step->stage2_k - self->step_start[1]) * f;
      /* Pressures move on a log scale. */
      self->microns = exp (log (self->step_start[2]) + (log (step->microns) - log (self->step_start[2])) * f);

      if (self->step_elapsed_s >= step->duration_s)
        {
          if (self->step + 1 < self->n_steps)
            begin_step (self, self->step + 1);
          else
            end_regen (self, 'P');
        }
    }

  if (!regen_running (self) && dt > 0)
    {
      if (self->pump_on)
        {
          self->stage1_k = relax (self->stage1_k, CRYO_SIM_CTI_COLD_STAGE1_K, dt, 600);
          self->stage2_k = relax (self->stage2_k, CRYO_SIM_CTI_COLD_STAGE2_K, dt, 600);
          self->microns = exp (relax (log (self->microns), log (COLD_MICRONS), dt, 300));
        }
      else
        {
          self->stage1_k = relax (self->stage1_k, CRYO_SIM_CTI_AMBIENT_K, dt, 3600);
          self->stage2_k = relax (self->stage2_k, CRYO_SIM_CTI_AMBIENT_K, dt, 3600);
          self->microns = exp (relax (log (self->microns), log (AMBIENT_MICRONS), dt, 3600));
        }
    }

  self->aux_microns = self->microns * 1.1;
}

static guint
status1 (CryoSimCti *self)
{
  guint flags = CRYO_CTI_S1_CRYO_TC | CRYO_CTI_S1_AUX_TC;
  const RegenStep *step = regen_running (self) ? &self->steps[self->step] : NULL;

  if (self->pump_on)
    flags |= CRYO_CTI_S1_PUMP_ON;
  if (step != NULL && (step->phase == CRYO_CTI_REGEN_PHASE_ROUGH ||
                       step->phase == CRYO_CTI_REGEN_PHASE_RATE_OF_RISE))
    flags |= CRYO_CTI_S1_ROUGH_VALVE;
  if (step != NULL && (step->phase == CRYO_CTI_REGEN_PHASE_WARMUP ||
                       step->phase == CRYO_CTI_REGEN_PHASE_EXTENDED_PURGE ||
                       step->phase == CRYO_CTI_REGEN_PHASE_FAST_REPURGE))
    flags |= CRYO_CTI_S1_PURGE_VALVE;
  if (!self->power_failure)
    flags |= CRYO_CTI_S1_POWER_NORMAL;

  return flags;
}

static char
regen_code (CryoSimCti *self)
{
  if (regen_running (self))
    return self->steps[self->step].code;
  if (self->regen_code == 'V')
    return 'V';
  return self->pump_on ? 'P' : 'A';
}

static char *
format_temperature (double k)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  /* "+0295.1", as cti-onboard.md shows. */
  g_ascii_formatd (number, sizeof number, "%06.1f", MAX (0.0, k));
  return g_strdup_printf ("+%s", number);
}

static char *
format_pressure (double microns)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  /* Below a micron in exponent form ("1.2e-5"), as the seed shows it. */
  if (microns < 1.0)
    return g_strdup (g_ascii_formatd (number, sizeof number, "%.1e", microns));
  return g_strdup_printf ("+%s", g_ascii_formatd (number, sizeof number, "%06.1f", microns));
}

static void
append_take (GString *string,
             char    *text)
{
  g_string_append (string, text);
  g_free (text);
}

static gssize
param_index (const char *command)
{
  for (gsize i = 0; i < cryo_cti_n_params; i++)
    if (g_str_equal (cryo_cti_params[i].command, command))
      return (gssize) i;

  return -1;
}

/* A set of a parameter: the command's name, then digits ("P0600", "j30",
 * "H100"). The longest name that matches wins ("PA1" is PA, not P). */
static gboolean
split_param_set (const char *command,
                 gssize     *index,
                 const char **value)
{
  for (gsize len = 2; len >= 1; len--)
    {
      g_autofree char *name = g_strndup (command, len);
      gssize i;

      if (strlen (command) <= len)
        continue;
      i = param_index (name);
      if (i >= 0)
        {
          *index = i;
          *value = command + len;
          return TRUE;
        }
    }

  return FALSE;
}

/* "P0?" → the index of P0; -1 when @command is no parameter's query. */
static gssize
query_param_index (const char *command)
{
  gsize len = strlen (command);
  g_autofree char *name = NULL;

  if (len < 2 || command[len - 1] != '?')
    return -1;

  name = g_strndup (command, len - 1);
  return param_index (name);
}

static gboolean
is_read_only (const char *command)
{
  gsize len = strlen (command);

  if (len > 0 && command[len - 1] == '?')
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (read_only); i++)
    if (g_str_equal (read_only[i], command))
      return TRUE;

  return FALSE;
}

/* Answers one command: the reply code ('A', 'E' or 'G', before the
 * power-failure flag) and the payload in @payload. */
static char
execute (CryoSimCti *self,
         const char *command,
         GString    *payload)
{
  gssize index;
  const char *value;

  if (g_hash_table_contains (self->refused, command))
    return 'G';

  /* Queries of the priority and background sets (seed tables). */
  if (g_str_equal (command, "J"))
    append_take (payload, format_temperature (self->stage1_k));
  else if (g_str_equal (command, "K"))
    append_take (payload, format_temperature (self->stage2_k));
  else if (g_str_equal (command, "L"))
    append_take (payload, format_pressure (self->microns));
  else if (g_str_equal (command, "M"))
    append_take (payload, format_pressure (self->aux_microns));
  else if (g_str_equal (command, "S1"))
    {
      g_string_append_c (payload, (char) (0x40 | status1 (self)));
      /* cti-onboard.md "Power-failure latch": cleared by reading S1. */
      self->power_failure = FALSE;
    }
  else if (g_str_equal (command, "S2"))
    g_string_append_c (payload, (char) (0x40 | (self->params[param_index ("H")] > 0 ? CRYO_CTI_S2_TEMP_CONTROL : 0)));
  else if (g_str_equal (command, "S3"))
    g_string_append_c (payload, (char) 0x40);
  else if (g_str_equal (command, "O"))
    g_string_append_c (payload, regen_code (self));
  else if (g_str_equal (command, "Y?"))
    g_string_append_printf (payload, "+%06u", (guint) self->hours);
  else if (g_str_equal (command, "Z?"))
    g_string_append_printf (payload, "%u", self->regen_cycles);
  else if (g_str_equal (command, "a"))
    g_string_append_printf (payload, "%u", (guint) self->hours_full);
  else if (g_str_equal (command, "a2"))
    g_string_append_printf (payload, "%u", (guint) self->hours_fast);
  else if (g_str_equal (command, "k"))
    {
      guint minutes = 0;

      if (regen_running (self))
        minutes = (guint) ceil ((self->steps[self->step].duration_s - self->step_elapsed_s) / 60.0);
      g_string_append_printf (payload, "%u", minutes);
    }
  else if (g_str_equal (command, "@"))
    g_string_append (payload, "P A2.01");
  else if (g_str_equal (command, "VA?"))
    g_string_append (payload, "SPUMP001");
  else if (g_str_equal (command, "A?"))
    g_string_append_c (payload, self->pump_on ? '1' : '0');
  else if (g_str_equal (command, "W"))
    g_string_append_c (payload, '@');
  else if (g_str_equal (command, "e"))
    g_string_append_c (payload, self->regen_error);
  else if (g_str_equal (command, "t?"))
    g_string_append_printf (payload, "%u", self->pf_status);
  else if (g_str_equal (command, "i?"))
    g_string_append_printf (payload, "%u", self->pfr_mode);
  else if (g_str_equal (command, "u"))
    g_string_append_c (payload, self->pump_on ? '@' : '0');
  else if (g_str_equal (command, "v"))
    g_string_append_c (payload, (char) (0x40 | (self->steps == fast_regen ? CRYO_CTI_REGEN_FLAG_FAST_STARTED : 0)));
  else if (g_str_equal (command, "Q") || g_str_equal (command, "z?"))
    g_string_append_c (payload, '0');
  else if (command[0] != '\0' && command[1] == '?' && command[2] == '\0'
           && strchr ("BCDEFG", command[0]) != NULL)
    {
      guint flags = status1 (self);
      gboolean on;

      switch (command[0])
        {
        case 'B': on = (flags & CRYO_CTI_S1_CRYO_TC) != 0; break;
        case 'C': on = (flags & CRYO_CTI_S1_AUX_TC) != 0; break;
        case 'D': on = (flags & CRYO_CTI_S1_ROUGH_VALVE) != 0; break;
        case 'E': on = (flags & CRYO_CTI_S1_PURGE_VALVE) != 0; break;
        default:  on = regen_running (self) && self->steps[self->step].phase == CRYO_CTI_REGEN_PHASE_WARMUP; break;
        }
      g_string_append_c (payload, on ? '1' : '0');
    }

  /* Parameters: "P0?" and "P0600" (seed "Configuration Commands"). */
  else if ((index = query_param_index (command)) >= 0)
    g_string_append_printf (payload, "%u", self->params[index]);
  else if (split_param_set (command, &index, &value))
    {
      guint v;

      if (!cryo_cti_parse_count (value, &v, NULL) || value[0] == '+' ||
          v < cryo_cti_params[index].min || v > cryo_cti_params[index].max)
        return 'E';
      self->params[index] = v;
    }

  /* Actions (seed "Control Commands"). */
  else if (g_str_equal (command, "A1"))
    {
      if (regen_running (self))
        return 'G';
      self->pump_on = TRUE;
      if (self->regen_code == 'V')
        self->regen_code = 'P';
    }
  else if (g_str_equal (command, "A0"))
    {
      if (regen_running (self))
        return 'G';
      self->pump_on = FALSE;
    }
  else if (g_str_equal (command, "N1") || g_str_equal (command, "N2"))
    {
      gboolean fast = command[1] == '2';

      if (regen_running (self))
        return 'G';
      /* A fast regen needs a cold pump (seed error code I). */
      if (fast && self->stage2_k > 20.0)
        return 'G';
      if (fast)
        start_regen (self, fast_regen, G_N_ELEMENTS (fast_regen));
      else
        start_regen (self, full_regen, G_N_ELEMENTS (full_regen));
    }
  else if (g_str_equal (command, "N0"))
    {
      if (!regen_running (self))
        return 'G';
      end_regen (self, 'V');
      self->regen_error = 'F';
      self->pump_on = FALSE;
    }
  else if (g_str_equal (command, "t="))
    self->pf_status = 0;
  else if (g_str_equal (command, "d"))
    {
      /* Erase regen history: a real module does it, so the simulator does
       * too; the command log shows it reached the wire. */
      self->regen_cycles = 0;
    }
  else
    return 'E';

  return 'A';
}

static GPtrArray *
cryo_sim_cti_feed (CryoSimResponder *responder,
                   const guint8     *bytes,
                   gsize             len)
{
  CryoSimCti *self = CRYO_SIM_CTI (responder);
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  CryoCtiDecodeResult result;

  cryo_cti_decoder_feed (self->decoder, bytes, len);

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) payload = g_string_new (NULL);
      CryoCtiPacket packet;
      const char *command;
      int address;
      char code;
      gboolean flagged;

      result = cryo_cti_decoder_next (self->decoder, &packet, &error);
      if (result == CRYO_CTI_DECODE_ERROR)
        {
          /* cti-onboard.md "Replies": a bad packet gets no reply. */
          g_debug ("Dropped a packet: %s", error->message);
          continue;
        }
      if (result != CRYO_CTI_DECODE_PACKET)
        break;

      cryo_cti_split_address (&packet, &address, &command);
      if (address != self->address)
        continue;

      /* The reply to the S1 that clears the flag still carries it. */
      flagged = self->power_failure;
      code = execute (self, command, payload);

      if (code != 'A' || !is_read_only (command))
        cryo_sim_responder_log_command (responder, "%s %c", command, code);

      /* A set is answered A0 (cti-onboard.md "Replies"); a refusal has no
       * payload. */
      if (code != 'A')
        g_string_truncate (payload, 0);
      else if (payload->len == 0)
        g_string_append_c (payload, '0');
      if (flagged)
        code = code == 'A' ? 'B' : code == 'E' ? 'F' : 'H';

      g_ptr_array_add (replies, cryo_cti_encode_reply (code, payload->str, NULL));
    }
  while (result != CRYO_CTI_DECODE_NEED_MORE);

  return replies;
}

static void
responder_iface_init (CryoSimResponderInterface *iface)
{
  iface->tick = cryo_sim_cti_tick;
  iface->feed = cryo_sim_cti_feed;
}

static void
cryo_sim_cti_finalize (GObject *object)
{
  CryoSimCti *self = CRYO_SIM_CTI (object);

  g_clear_pointer (&self->decoder, cryo_cti_decoder_free);
  g_clear_pointer (&self->refused, g_hash_table_unref);

  G_OBJECT_CLASS (cryo_sim_cti_parent_class)->finalize (object);
}

static void
cryo_sim_cti_class_init (CryoSimCtiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cryo_sim_cti_finalize;
}

static void
cryo_sim_cti_init (CryoSimCti *self)
{
  /* Factory settings of the parameters (within the seed's ranges). */
  static const struct { const char *command; guint value; } defaults[] = {
    { "P0", 600 }, { "P1", 600 }, { "P2", 10 }, { "P3", 50 }, { "P4", 10 }, { "P5", 5 },
    { "P6", 20 }, { "PA", 1 }, { "PC", 1 }, { "PG", 120 }, { "j", 0 }, { "H", 0 }, { "I", 0 },
  };

  g_assert (cryo_cti_n_params <= G_N_ELEMENTS (self->params));

  self->decoder = cryo_cti_decoder_new ();
  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->regen_error = '@';
  self->hours = 2330;
  self->hours_full = 1234;
  self->hours_fast = 42;
  self->regen_cycles = 127;
  self->pfr_mode = 1;

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    self->params[param_index (defaults[i].command)] = defaults[i].value;
}

/**
 * cryo_sim_cti_new:
 * @pump_on: %TRUE for a running, cold pump; %FALSE for one off at room
 *   temperature
 * @power_failure: start as after a power failure: replies carry the flag
 *   (B/F/H) and S1 reads 0x20 clear until S1 has been read once
 * @address: the Network Terminal address answered (0…19), or
 *   %CRYO_CTI_NO_ADDRESS for a pump on its own line
 *
 * Creates a simulated On-Board module (cti-onboard.md). Its command log
 * has one line per command that is not a plain query, or that was not
 * answered A: the command and the reply code before the power-failure
 * flag ("N1 A", "A0 G").
 *
 * Returns: (transfer full): a new responder
 */
CryoSimCti *
cryo_sim_cti_new (gboolean pump_on,
                  gboolean power_failure,
                  int      address)
{
  CryoSimCti *self;

  g_return_val_if_fail (address == CRYO_CTI_NO_ADDRESS || (address >= 0 && address <= CRYO_CTI_MAX_ADDRESS),
                        NULL);

  self = g_object_new (CRYO_TYPE_SIM_CTI, NULL);
  self->address = address;
  self->pump_on = pump_on;
  self->regen_code = pump_on ? 'P' : 'A';
  self->stage1_k = pump_on ? CRYO_SIM_CTI_COLD_STAGE1_K : CRYO_SIM_CTI_AMBIENT_K;
  self->stage2_k = pump_on ? CRYO_SIM_CTI_COLD_STAGE2_K : CRYO_SIM_CTI_AMBIENT_K;
  self->microns = pump_on ? COLD_MICRONS : AMBIENT_MICRONS;
  self->aux_microns = self->microns * 1.1;
  if (power_failure)
    cryo_sim_cti_power_failure (self);

  return self;
}

/**
 * cryo_sim_cti_power_failure:
 * @self: a #CryoSimCti
 *
 * The module loses and regains power: the power-failure flag is latched
 * (B/F/H, S1 bit 0x20 clear) and t? tells how it recovered: 1 in a regen
 * (which goes on), 4 when the pump was on, 6 when it was off (seed "Power
 * Failure Status").
 */
void
cryo_sim_cti_power_failure (CryoSimCti *self)
{
  g_return_if_fail (CRYO_IS_SIM_CTI (self));

  self->power_failure = TRUE;
  self->pf_status = regen_running (self) ? 1 : self->pump_on ? 4 : 6;
}

/**
 * cryo_sim_cti_set_refused:
 * @self: a #CryoSimCti
 * @command: a command ("A1", "N1")
 * @refused: %TRUE to answer it G (refused by an interlock) from now on
 *
 * Fault injection: the pump's own interlock refuses @command.
 */
void
cryo_sim_cti_set_refused (CryoSimCti *self,
                          const char *command,
                          gboolean    refused)
{
  g_return_if_fail (CRYO_IS_SIM_CTI (self));
  g_return_if_fail (command != NULL);

  if (refused)
    g_hash_table_add (self->refused, g_strdup (command));
  else
    g_hash_table_remove (self->refused, command);
}

/**
 * cryo_sim_cti_get_pump_on:
 * @self: a #CryoSimCti
 *
 * Returns: whether the cryopump motor runs
 */
gboolean
cryo_sim_cti_get_pump_on (CryoSimCti *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), FALSE);

  return self->pump_on;
}

/**
 * cryo_sim_cti_get_regen_code:
 * @self: a #CryoSimCti
 *
 * Returns: what O answers now
 */
char
cryo_sim_cti_get_regen_code (CryoSimCti *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), 'A');

  return regen_code (self);
}

/**
 * cryo_sim_cti_get_regen_phase:
 * @self: a #CryoSimCti
 *
 * Returns: the regen step O reports now
 */
CryoCtiRegenPhase
cryo_sim_cti_get_regen_phase (CryoSimCti *self)
{
  char payload[2] = { 0 };
  CryoCtiRegenPhase phase = CRYO_CTI_REGEN_PHASE_PUMP_OFF;

  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), CRYO_CTI_REGEN_PHASE_PUMP_OFF);

  payload[0] = regen_code (self);
  cryo_cti_parse_regen_step (payload, NULL, &phase, NULL);
  return phase;
}

/**
 * cryo_sim_cti_get_power_failure:
 * @self: a #CryoSimCti
 *
 * Returns: whether the power-failure flag is latched
 */
gboolean
cryo_sim_cti_get_power_failure (CryoSimCti *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), FALSE);

  return self->power_failure;
}

/**
 * cryo_sim_cti_get_stage2_k:
 * @self: a #CryoSimCti
 *
 * Returns: the second stage's true temperature, K
 */
double
cryo_sim_cti_get_stage2_k (CryoSimCti *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), NAN);

  return self->stage2_k;
}

/**
 * cryo_sim_cti_get_regen_cycles:
 * @self: a #CryoSimCti
 *
 * Returns: completed regens (Z?)
 */
guint
cryo_sim_cti_get_regen_cycles (CryoSimCti *self)
{
  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), 0);

  return self->regen_cycles;
}

/**
 * cryo_sim_cti_get_param:
 * @self: a #CryoSimCti
 * @command: a parameter's command ("P0", "j", "H")
 *
 * Returns: its value, or 0 for an unknown parameter
 */
guint
cryo_sim_cti_get_param (CryoSimCti *self,
                        const char *command)
{
  gssize index;

  g_return_val_if_fail (CRYO_IS_SIM_CTI (self), 0);
  g_return_val_if_fail (command != NULL, 0);

  index = param_index (command);
  return index >= 0 ? self->params[index] : 0;
}
