/* cryo-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cryo-history"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cryo-history.h"

/* Every sample has an absolute index (0 for the first ever appended).  The
 * stored window is the last @capacity of them.
 *
 * Samples live in chunks of CHUNK_SIZE consecutive indices (chunk k holds
 * indices k × CHUNK_SIZE …), in a ring of chunk pointers.  A chunk keeps its
 * values as float32 and, once the next chunk has started (it is then
 * "sealed"), its times as residuals from the straight line between its first
 * and last sample, less the smallest of them, bit-packed at the smallest
 * width that holds them all:
 * samples polled at a steady rate leave only their jitter, a dozen bits or
 * so, and any time still fits (64 bits: plain offsets).  Every time is
 * exact to the µs and still reached in O(1), so searches stay binary
 * searches.  The chunk being filled keeps its times in a staging array.
 *
 * Summary level k (1 ≤ k ≤ n_levels) holds one entry per block of 64^k
 * samples aligned on the absolute index, so a block never moves when the
 * window slides; its ring is just large enough for every block that
 * overlaps the window.  A block that lies wholly inside a range of present
 * samples therefore only summarises present samples, which is all a query
 * ever combines.
 */
#define CHUNK_SHIFT 10
#define CHUNK_SIZE (1u << CHUNK_SHIFT)
#define CHUNK_MASK (CHUNK_SIZE - 1)
#define LEVEL_SHIFT 6
#define LEVEL_FANOUT (1u << LEVEL_SHIFT)
#define LEVEL_MASK (LEVEL_FANOUT - 1)
#define MAX_LEVELS 10
#define WIDTH_OFFSETS 64    /* residual width meaning plain offsets */

typedef struct
{
  float   min;        /* of the finite values; +inf when none */
  float   max;        /* of the finite values; -inf when none */
  guint32 n_finite : 31;
  guint32 has_nan  : 1;
} CryoSummary;

typedef struct
{
  CryoSummary *blocks;
  guint64      n_blocks;   /* ring capacity */
} CryoLevel;

typedef struct
{
  gint64  t_first;
  guint64 span;            /* t_last − t_first, once sealed */
  gint64  r_min;           /* smallest residual, what the packed ones add to */
  guint   width;           /* bits per packed time; 0 while filling */
  gsize   size;            /* bytes allocated */
  float   values[CHUNK_SIZE];
  guint64 packed[];        /* CHUNK_SIZE × width bits, plus one spare word */
} CryoChunk;

struct _CryoHistory
{
  CryoChunk **chunks;
  guint64     n_chunks;    /* ring capacity */
  gint64     *staging;     /* times of the chunk being filled */
  gsize       chunk_bytes; /* allocated in chunks */
  guint64     capacity;
  guint64     n_total;     /* samples ever appended */
  guint64     n_present;   /* min (n_total, capacity) */
  guint       n_levels;
  CryoLevel   levels[MAX_LEVELS];
};

static inline CryoChunk *
chunk_at (const CryoHistory *self,
          guint64            index)
{
  return self->chunks[(index >> CHUNK_SHIFT) & (self->n_chunks - 1)];
}

static inline gboolean
is_staged (const CryoHistory *self,
           guint64            index)
{
  return (index >> CHUNK_SHIFT) == ((self->n_total - 1) >> CHUNK_SHIFT);
}

/* ⌊span × i / (CHUNK_SIZE − 1)⌋ without overflow, i < CHUNK_SIZE. */
static inline guint64
predicted_offset (guint64 span,
                  guint   i)
{
  return span / CHUNK_MASK * i + span % CHUNK_MASK * i / CHUNK_MASK;
}

static inline guint64
unpack (const guint64 *packed,
        guint          width,
        guint          i)
{
  guint64 pos = (guint64) i * width;
  guint word = pos >> 6, bit = pos & 63;
  guint64 v = packed[word] >> bit;

  if (bit + width > 64)
    v |= packed[word + 1] << (64 - bit);
  if (width < 64)
    v &= (G_GUINT64_CONSTANT (1) << width) - 1;

  return v;
}

static inline gint64
time_at (const CryoHistory *self,
         guint64            index)
{
  const CryoChunk *chunk;
  guint i = index & CHUNK_MASK;
  guint64 offset, z;

  if (is_staged (self, index))
    return self->staging[i];

  chunk = chunk_at (self, index);
  if (chunk->width == 0)
    offset = predicted_offset (chunk->span, i) + (guint64) chunk->r_min;
  else if (chunk->width == WIDTH_OFFSETS)
    offset = unpack (chunk->packed, WIDTH_OFFSETS, i);
  else
    {
      z = unpack (chunk->packed, chunk->width, i);
      offset = predicted_offset (chunk->span, i) + (guint64) chunk->r_min + z;
    }

  /* In guint64, where wrapping is defined: the sum lies in gint64 range. */
  return (gint64) ((guint64) chunk->t_first + offset);
}

static inline double
value_at (const CryoHistory *self,
          guint64            index)
{
  return chunk_at (self, index)->values[index & CHUNK_MASK];
}

static inline void
sample_at (const CryoHistory *self,
           guint64            index,
           CryoSample        *sample)
{
  sample->time_us = time_at (self, index);
  sample->value = value_at (self, index);
}

static inline guint64
first_index (const CryoHistory *self)
{
  return self->n_total - self->n_present;
}

static inline CryoSummary *
block_at (const CryoHistory *self,
          guint              level,
          guint64            block)
{
  const CryoLevel *l = &self->levels[level - 1];

  return &l->blocks[block % l->n_blocks];
}

static inline void
summary_reset (CryoSummary *s)
{
  s->min = INFINITY;
  s->max = -INFINITY;
  s->n_finite = 0;
  s->has_nan = 0;
}

/* Packs the staged times of the full chunk @chunk at the narrowest width. */
static CryoChunk *
seal_chunk (CryoHistory *self,
            CryoChunk   *chunk)
{
  const gint64 *t = self->staging;
  guint64 span = (guint64) t[CHUNK_MASK] - (guint64) t[0];
  guint64 zz[CHUNK_SIZE];
  guint64 all = 0;
  gint64 r_min;
  guint width;
  gsize words, size;

  /* Residuals fit a gint64 when the span does with a bit to spare;
   * otherwise the offsets themselves are stored. */
  r_min = 0;
  if (span <= G_GUINT64_CONSTANT (0x3fffffffffffffff))
    {
      gint64 r[CHUNK_SIZE];

      for (guint i = 0; i < CHUNK_SIZE; i++)
        {
          r[i] = (gint64) ((guint64) t[i] - (guint64) t[0] - predicted_offset (span, i));
          r_min = MIN (r_min, r[i]);
        }
      for (guint i = 0; i < CHUNK_SIZE; i++)
        {
          zz[i] = (guint64) (r[i] - r_min);
          all |= zz[i];
        }
      width = all == 0 ? 0 : 64 - __builtin_clzll (all);
    }
  else
    {
      for (guint i = 0; i < CHUNK_SIZE; i++)
        zz[i] = (guint64) t[i] - (guint64) t[0];
      width = WIDTH_OFFSETS;
    }

  words = width == 0 ? 0 : (CHUNK_SIZE * width + 63) / 64 + 1;
  size = sizeof (CryoChunk) + words * sizeof (guint64);
  chunk = g_realloc (chunk, size);
  self->chunk_bytes += size - chunk->size;
  chunk->size = size;
  chunk->t_first = t[0];
  chunk->span = span;
  chunk->width = width;
  chunk->r_min = r_min;
  memset (chunk->packed, 0, words * sizeof (guint64));

  for (guint i = 0; width > 0 && i < CHUNK_SIZE; i++)
    {
      guint64 pos = (guint64) i * width;
      guint word = pos >> 6, bit = pos & 63;

      chunk->packed[word] |= zz[i] << bit;
      if (bit + width > 64)
        chunk->packed[word + 1] |= zz[i] >> (64 - bit);
    }

  return chunk;
}

/**
 * cryo_history_new:
 * @capacity: how many samples to keep, at least 1; when full, each append
 *   drops the oldest sample
 *
 * Creates an empty history.  Values are kept as float32 (about 7
 * significant digits: more than any instrument resolves; values beyond
 * float range become infinite, which is a gap like NaN) and times exact to
 * the µs.  Memory grows with the samples up to the capacity: about 4.3
 * bytes per sample plus an eighth of a byte per bit of timing jitter (5 to
 * 6 for instruments polled at a steady rate with a few ms of jitter), see
 * cryo_history_get_memory_size().
 *
 * Returns: (transfer full): a new history; free with cryo_history_free()
 */
CryoHistory *
cryo_history_new (gsize capacity)
{
  CryoHistory *self;
  guint64 block_size = LEVEL_FANOUT;

  g_return_val_if_fail (capacity > 0, NULL);

  self = g_new0 (CryoHistory, 1);
  self->capacity = capacity;
  /* The window touches at most ⌈capacity / CHUNK_SIZE⌉ + 1 chunks, and a
   * chunk's slot is only taken again once all its samples have left it; a
   * power of two, so that finding a chunk is a mask. */
  self->n_chunks = 2;
  while (self->n_chunks < (capacity + CHUNK_MASK) / CHUNK_SIZE + 1)
    self->n_chunks <<= 1;
  self->chunks = g_new0 (CryoChunk *, self->n_chunks);
  self->staging = g_new (gint64, CHUNK_SIZE);

  /* Levels up to the largest block size not above the capacity: above that
   * a query would combine only a couple of blocks per level anyway. */
  while (block_size <= capacity && self->n_levels < MAX_LEVELS)
    {
      CryoLevel *level = &self->levels[self->n_levels];

      /* A window of @capacity consecutive indices touches at most this many
       * blocks, so they never share a ring slot. */
      level->n_blocks = (capacity - 1) / block_size + 2;
      level->blocks = g_new (CryoSummary, level->n_blocks);
      self->n_levels++;
      block_size <<= LEVEL_SHIFT;
    }

  return self;
}

/**
 * cryo_history_free:
 * @history: (nullable): a history
 *
 * Frees @history and its samples.
 */
void
cryo_history_free (CryoHistory *history)
{
  if (history == NULL)
    return;

  for (guint i = 0; i < history->n_levels; i++)
    g_free (history->levels[i].blocks);
  for (guint64 i = 0; i < history->n_chunks; i++)
    g_free (history->chunks[i]);
  g_free (history->chunks);
  g_free (history->staging);
  g_free (history);
}

/**
 * cryo_history_append:
 * @history: a history
 * @time_us: wall-clock time in µs since the Unix epoch; not earlier than the
 *   last sample's (equal times are kept in append order)
 * @value: the reading, NaN for a gap; stored as float32
 *
 * Appends one sample and updates the summaries, O(log capacity) (and
 * O(1024) once every 1024 samples, to pack a chunk's times).
 * Main thread (or whichever single thread owns @history).
 *
 * Returns: %TRUE if stored; %FALSE, storing nothing, when @time_us is
 *   earlier than the last sample
 */
gboolean
cryo_history_append (CryoHistory *history,
                     gint64       time_us,
                     double       value)
{
  guint64 index;
  gboolean finite;
  float stored;

  g_return_val_if_fail (history != NULL, FALSE);

  if (history->n_total > 0 && time_us < time_at (history, history->n_total - 1))
    return FALSE;

  index = history->n_total;
  if ((index & CHUNK_MASK) == 0)
    {
      guint64 slot = (index >> CHUNK_SHIFT) & (history->n_chunks - 1);
      CryoChunk *chunk;

      if (index > 0)
        {
          guint64 prev = ((index >> CHUNK_SHIFT) - 1) & (history->n_chunks - 1);

          history->chunks[prev] = seal_chunk (history, history->chunks[prev]);
        }

      /* The slot's previous chunk has no present sample left: reuse it. */
      chunk = history->chunks[slot];
      if (chunk != NULL)
        history->chunk_bytes -= chunk->size;
      chunk = g_realloc (chunk, sizeof (CryoChunk));
      chunk->size = sizeof (CryoChunk);
      history->chunk_bytes += chunk->size;
      history->chunks[slot] = chunk;
      chunk->width = 0;
      chunk->span = 0;
      chunk->r_min = 0;
      chunk->t_first = time_us;
    }

  stored = (float) value;
  history->staging[index & CHUNK_MASK] = time_us;
  chunk_at (history, index)->values[index & CHUNK_MASK] = stored;

  /* Infinities are treated as NaN: neither is a plottable reading. */
  finite = isfinite (stored);

  for (guint level = 1; level <= history->n_levels; level++)
    {
      guint shift = level * LEVEL_SHIFT;
      guint64 block = index >> shift;
      CryoSummary *s = block_at (history, level, block);

      if ((index & ((G_GUINT64_CONSTANT (1) << shift) - 1)) == 0)
        summary_reset (s);

      if (finite)
        {
          if (stored < s->min)
            s->min = stored;
          if (stored > s->max)
            s->max = stored;
          s->n_finite++;
        }
      else
        s->has_nan = 1;
    }

  history->n_total++;
  if (history->n_present < history->capacity)
    history->n_present++;

  return TRUE;
}

/**
 * cryo_history_get_n_samples:
 * @history: a history
 *
 * Returns: how many samples are stored, at most the capacity
 */
gsize
cryo_history_get_n_samples (const CryoHistory *history)
{
  g_return_val_if_fail (history != NULL, 0);

  return history->n_present;
}

/**
 * cryo_history_get_capacity:
 * @history: a history
 *
 * Returns: the capacity given to cryo_history_new()
 */
gsize
cryo_history_get_capacity (const CryoHistory *history)
{
  g_return_val_if_fail (history != NULL, 0);

  return history->capacity;
}

/**
 * cryo_history_get_time_range:
 * @history: a history
 * @first_us: (out) (optional): time of the oldest stored sample, µs
 * @last_us: (out) (optional): time of the newest stored sample, µs
 *
 * Returns: %FALSE (outputs set to 0) when the history is empty
 */
gboolean
cryo_history_get_time_range (const CryoHistory *history,
                             gint64            *first_us,
                             gint64            *last_us)
{
  g_return_val_if_fail (history != NULL, FALSE);

  if (history->n_present == 0)
    {
      if (first_us != NULL)
        *first_us = 0;
      if (last_us != NULL)
        *last_us = 0;
      return FALSE;
    }

  if (first_us != NULL)
    *first_us = time_at (history, first_index (history));
  if (last_us != NULL)
    *last_us = time_at (history, history->n_total - 1);

  return TRUE;
}

/**
 * cryo_history_get_last:
 * @history: a history
 * @sample: (out): the newest sample (its value may be NaN)
 *
 * Returns: %FALSE, leaving @sample untouched, when the history is empty
 */
gboolean
cryo_history_get_last (const CryoHistory *history,
                       CryoSample        *sample)
{
  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  if (history->n_present == 0)
    return FALSE;

  sample_at (history, history->n_total - 1, sample);

  return TRUE;
}

static inline gboolean
before_time (gint64   t,
             gint64   time_us,
             gboolean inclusive)
{
  return t < time_us || (inclusive && t == time_us);
}

/* First index in [lo, hi) whose time is ≥ @time_us (with @inclusive FALSE)
 * or > @time_us (with @inclusive TRUE); @hi when none.  The search starts
 * at @lo + @hint and gallops outwards from there, so a good hint (the
 * previous column's sample count: samples come at a steady rate) costs a
 * few probes near each other instead of a cold binary search over the whole
 * ring; a bad one costs at most twice the binary search.  G_MAXUINT64:
 * no hint, a plain binary search. */
static guint64
search_time (const CryoHistory *self,
             guint64            lo,
             guint64            hi,
             gint64             time_us,
             gboolean           inclusive,
             guint64            hint)
{
  guint64 guess, step;

  if (hint != G_MAXUINT64)
    {
      guess = hint < hi - lo ? lo + hint : hi;
      if (guess < hi && before_time (time_at (self, guess), time_us, inclusive))
        {
          /* The answer is after the guess. */
          lo = guess + 1;
          for (step = 1; ; step <<= 1)
            {
              guint64 probe = lo + step - 1;

              if (probe >= hi)
                break;
              if (!before_time (time_at (self, probe), time_us, inclusive))
                {
                  hi = probe;
                  break;
                }
              lo = probe + 1;
            }
        }
      else
        {
          /* The answer is at or before the guess. */
          hi = guess;
          for (step = 1; ; step <<= 1)
            {
              guint64 probe;

              if (hi - lo <= step)
                break;
              probe = hi - step;
              if (before_time (time_at (self, probe), time_us, inclusive))
                {
                  lo = probe + 1;
                  break;
                }
              hi = probe;
            }
        }
    }

  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;

      if (before_time (time_at (self, mid), time_us, inclusive))
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/**
 * cryo_history_find_before:
 * @history: a history
 * @time_us: a time, µs
 * @sample: (out): the newest stored sample with time < @time_us (its value
 *   may be NaN)
 *
 * What a plot connects its line to beyond the left edge; with
 * @time_us + 1, the reading in force at @time_us (hover readout).
 * O(log capacity).
 *
 * Returns: %FALSE, leaving @sample untouched, when there is none
 */
gboolean
cryo_history_find_before (const CryoHistory *history,
                          gint64             time_us,
                          CryoSample        *sample)
{
  guint64 first, i;

  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  first = first_index (history);
  i = search_time (history, first, history->n_total, time_us, FALSE, G_MAXUINT64);
  if (i == first)
    return FALSE;

  sample_at (history, i - 1, sample);

  return TRUE;
}

/**
 * cryo_history_find_after:
 * @history: a history
 * @time_us: a time, µs
 * @sample: (out): the oldest stored sample with time > @time_us (its value
 *   may be NaN)
 *
 * What a plot connects its line to beyond the right edge.  O(log capacity).
 *
 * Returns: %FALSE, leaving @sample untouched, when there is none
 */
gboolean
cryo_history_find_after (const CryoHistory *history,
                         gint64             time_us,
                         CryoSample        *sample)
{
  guint64 i;

  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  i = search_time (history, first_index (history), history->n_total, time_us, TRUE, G_MAXUINT64);
  if (i == history->n_total)
    return FALSE;

  sample_at (history, i, sample);

  return TRUE;
}

/**
 * cryo_history_get_column_time:
 * @begin_us: start of the span, µs
 * @end_us: end of the span, µs, ≥ @begin_us
 * @n_columns: number of columns, ≥ 1
 * @column: 0 … @n_columns
 *
 * The boundary between columns of cryo_history_get_columns(): column i
 * covers times t with boundary (i) ≤ t < boundary (i + 1), where
 * boundary (i) = @begin_us + ⌊(@end_us − @begin_us) × i / @n_columns⌋; the
 * last column also includes @end_us itself.
 *
 * Returns: boundary (@column), µs
 */
gint64
cryo_history_get_column_time (gint64 begin_us,
                              gint64 end_us,
                              guint  n_columns,
                              guint  column)
{
  guint64 width;
  guint64 offset;

  g_return_val_if_fail (n_columns > 0, begin_us);
  g_return_val_if_fail (end_us >= begin_us, begin_us);

  if (column >= n_columns)
    return end_us;

  /* A span may be wider than G_MAXINT64 µs (G_MININT64 … G_MAXINT64), and
   * width × column wider still: with width = q × n + r, the offset
   * ⌊width × column / n⌋ = q × column + ⌊r × column / n⌋, where neither
   * term overflows a guint64 (column < n, r < n ≤ G_MAXUINT). The offset is
   * at most width, so the sum lies in [begin, end]; it is formed in guint64,
   * where it wraps without undefined behaviour, back into gint64 range. */
  width = (guint64) end_us - (guint64) begin_us;
  offset = width / n_columns * column + width % n_columns * column / n_columns;
  g_assert (offset <= width);

  return (gint64) ((guint64) begin_us + offset);
}

typedef struct
{
  double   min;
  double   max;
  guint64  n_finite;
  gboolean has_gap;
} Accum;

static inline void
accum_value (Accum  *acc,
             double  value)
{
  if (isfinite (value))
    {
      if (value < acc->min)
        acc->min = value;
      if (value > acc->max)
        acc->max = value;
      acc->n_finite++;
    }
  else
    acc->has_gap = TRUE;
}

static inline void
accum_summary (Accum             *acc,
               const CryoSummary *s)
{
  if (s->min < acc->min)
    acc->min = s->min;
  if (s->max > acc->max)
    acc->max = s->max;
  acc->n_finite += s->n_finite;
  if (s->has_nan)
    acc->has_gap = TRUE;
}

static void
accum_raw (const CryoHistory *self,
           Accum             *acc,
           guint64            lo,
           guint64            hi)
{
  while (lo < hi)
    {
      const float *values = chunk_at (self, lo)->values;
      guint64 stop = MIN (hi, (lo | CHUNK_MASK) + 1);
      guint first = lo & CHUNK_MASK, n = stop - lo;
      float mn = INFINITY, mx = -INFINITY;
      guint n_finite = 0;

      /* Without branches, so that it vectorises: v − v is 0 only for a
       * finite v, and a comparison with NaN is false. */
      for (guint i = first; i < first + n; i++)
        {
          float v = values[i];
          gboolean finite = v - v == 0.0f;

          n_finite += finite;
          mn = finite && v < mn ? v : mn;
          mx = finite && v > mx ? v : mx;
        }

      if (mn < acc->min)
        acc->min = mn;
      if (mx > acc->max)
        acc->max = mx;
      acc->n_finite += n_finite;
      if (n_finite < n)
        acc->has_gap = TRUE;
      lo = stop;
    }
}

static void
accum_blocks (const CryoHistory *self,
              Accum             *acc,
              guint              level,
              guint64            lo,
              guint64            hi)
{
  const CryoLevel *l = &self->levels[level - 1];
  guint64 slot;

  if (lo >= hi)
    return;

  slot = lo % l->n_blocks;
  for (guint64 b = lo; b < hi; b++)
    {
      accum_summary (acc, &l->blocks[slot]);
      if (++slot == l->n_blocks)
        slot = 0;
    }
}

/* Combines the present samples [lo, hi): whole blocks at the highest level
 * that fits, partial edges one level down, raw samples at the very edges.
 * At most 2 × 63 items per level. */
static void
accum_range (const CryoHistory *self,
             Accum             *acc,
             guint64            lo,
             guint64            hi)
{
  guint level = 0;

  while (lo < hi)
    {
      guint64 lo_up, hi_down;

      if (level == self->n_levels)
        {
          if (level == 0)
            accum_raw (self, acc, lo, hi);
          else
            accum_blocks (self, acc, level, lo, hi);
          return;
        }

      lo_up = (lo + LEVEL_MASK) & ~(guint64) LEVEL_MASK;
      hi_down = hi & ~(guint64) LEVEL_MASK;

      if (lo_up >= hi_down)
        {
          /* No whole block of the next level inside: finish here. */
          if (level == 0)
            accum_raw (self, acc, lo, hi);
          else
            accum_blocks (self, acc, level, lo, hi);
          return;
        }

      if (level == 0)
        {
          accum_raw (self, acc, lo, lo_up);
          accum_raw (self, acc, hi_down, hi);
        }
      else
        {
          accum_blocks (self, acc, level, lo, lo_up);
          accum_blocks (self, acc, level, hi_down, hi);
        }

      lo = lo_up >> LEVEL_SHIFT;
      hi = hi_down >> LEVEL_SHIFT;
      level++;
    }
}

static inline guint32
block_n_finite (const CryoHistory *self,
                guint              level,
                guint64            block)
{
  if (level == 0)
    return isfinite (value_at (self, block)) ? 1 : 0;

  return block_at (self, level, block)->n_finite;
}

/* Index of the first (@forward) or last finite sample in the present range
 * [lo, hi), or G_MAXUINT64 when there is none.  The range is split as in
 * accum_range() (ragged edges per level around whole top-level blocks) and
 * the pieces are scanned in time order, so long runs of NaN are skipped a
 * whole summary block at a time; the first block holding a finite value is
 * then descended into. */
static guint64
find_finite (const CryoHistory *self,
             guint64            lo,
             guint64            hi,
             gboolean           forward)
{
  guint64 lo_l[MAX_LEVELS + 1], hi_l[MAX_LEVELS + 1];
  guint n = 0;
  guint level = 0;
  guint64 found = G_MAXUINT64;

  lo_l[0] = lo;
  hi_l[0] = hi;
  while (n < self->n_levels)
    {
      guint64 lo_up = (lo_l[n] + LEVEL_MASK) & ~(guint64) LEVEL_MASK;
      guint64 hi_down = hi_l[n] & ~(guint64) LEVEL_MASK;

      if (lo_up >= hi_down)
        break;
      lo_l[n + 1] = lo_up >> LEVEL_SHIFT;
      hi_l[n + 1] = hi_down >> LEVEL_SHIFT;
      n++;
    }

  /* Piece k < n of the left side is [lo_l[k], lo_l[k+1] << 4) at level k,
   * of the right side [hi_l[k+1] << 4, hi_l[k]); the middle is
   * [lo_l[n], hi_l[n]) at level n.  Pieces are walked as 2n+1 steps. */
  for (guint step = 0; step <= 2 * n && found == G_MAXUINT64; step++)
    {
      gboolean left = forward ? step < n : step > n;
      guint64 a, b;

      if (step == n)
        {
          level = n;
          a = lo_l[n];
          b = hi_l[n];
        }
      else if (left)
        {
          level = forward ? step : 2 * n - step;
          a = lo_l[level];
          b = lo_l[level + 1] << LEVEL_SHIFT;
        }
      else
        {
          level = forward ? 2 * n - step : step;
          a = hi_l[level + 1] << LEVEL_SHIFT;
          b = hi_l[level];
        }

      if (forward)
        {
          for (guint64 i = a; i < b; i++)
            if (block_n_finite (self, level, i) > 0)
              {
                found = i;
                break;
              }
        }
      else
        {
          for (guint64 i = b; i > a; i--)
            if (block_n_finite (self, level, i - 1) > 0)
              {
                found = i - 1;
                break;
              }
        }
    }

  if (found == G_MAXUINT64)
    return G_MAXUINT64;

  /* Every child of a block inside the range is inside the range too. */
  while (level > 0)
    {
      guint64 child = found << LEVEL_SHIFT;

      level--;
      if (forward)
        {
          for (guint64 i = child; i < child + LEVEL_FANOUT; i++)
            if (block_n_finite (self, level, i) > 0)
              {
                found = i;
                break;
              }
        }
      else
        {
          for (guint64 i = child + LEVEL_FANOUT; i > child; i--)
            if (block_n_finite (self, level, i - 1) > 0)
              {
                found = i - 1;
                break;
              }
        }
    }

  return found;
}

/**
 * cryo_history_get_columns:
 * @history: a history
 * @begin_us: start of the span, µs since the Unix epoch
 * @end_us: end of the span, µs, ≥ @begin_us
 * @n_columns: number of columns (pixel columns of a plot), ≥ 1
 * @columns: (out caller-allocates) (array length=n_columns): filled with one
 *   summary per column
 *
 * Summarises the samples of [@begin_us, @end_us] in @n_columns equal time
 * columns (boundaries as cryo_history_get_column_time()).  A column without
 * samples has @n_samples 0 and NaN values.  Costs O(@n_columns × log
 * capacity) whatever the span: each column combines whole min/max summary
 * blocks and at most a few raw samples at its edges.
 */
void
cryo_history_get_columns (const CryoHistory *history,
                          gint64             begin_us,
                          gint64             end_us,
                          guint              n_columns,
                          CryoHistoryColumn *columns)
{
  cryo_history_get_columns_from (history, begin_us, end_us, n_columns, 0, columns);
}

/**
 * cryo_history_get_columns_from:
 * @history: a history
 * @begin_us: start of the span, µs since the Unix epoch
 * @end_us: end of the span, µs, ≥ @begin_us
 * @n_columns: number of columns, ≥ 1
 * @first_column: the first column to fill, ≤ @n_columns
 * @columns: (out caller-allocates) (array length=n_columns): its columns
 *   from @first_column on are filled; those before are left as they are
 *
 * Like cryo_history_get_columns(), for the columns from @first_column on
 * only: a plot that keeps its columns refreshes the ones new samples can
 * have reached (see cryo_history_get_n_appended()).
 */
void
cryo_history_get_columns_from (const CryoHistory *history,
                               gint64             begin_us,
                               gint64             end_us,
                               guint              n_columns,
                               guint              first_column,
                               CryoHistoryColumn *columns)
{
  guint64 lo, end;
  guint64 hint = G_MAXUINT64;   /* samples in the previous column */

  g_return_if_fail (history != NULL);
  g_return_if_fail (n_columns == 0 || columns != NULL);
  g_return_if_fail (end_us >= begin_us);
  g_return_if_fail (first_column <= n_columns);

  if (first_column == n_columns)
    return;

  end = history->n_total;
  lo = search_time (history, first_index (history), end,
                    cryo_history_get_column_time (begin_us, end_us, n_columns, first_column),
                    FALSE, G_MAXUINT64);

  for (guint i = first_column; i < n_columns; i++)
    {
      CryoHistoryColumn *col = &columns[i];
      guint64 hi;

      if (i + 1 == n_columns)
        hi = search_time (history, lo, end, end_us, TRUE, hint);
      else
        hi = search_time (history, lo, end,
                          cryo_history_get_column_time (begin_us, end_us, n_columns, i + 1),
                          FALSE, hint);

      col->n_samples = (guint) MIN (hi - lo, G_MAXUINT);
      if (hi == lo)
        {
          col->min = col->max = col->first = col->last = NAN;
          col->has_gap = FALSE;
        }
      else if (hi - lo == 1)
        {
          double v = value_at (history, lo);

          if (isfinite (v))
            {
              col->min = col->max = col->first = col->last = v;
              col->has_gap = FALSE;
            }
          else
            {
              col->min = col->max = col->first = col->last = NAN;
              col->has_gap = TRUE;
            }
        }
      else
        {
          Accum acc = { INFINITY, -INFINITY, 0, FALSE };

          accum_range (history, &acc, lo, hi);
          col->has_gap = acc.has_gap;
          if (acc.n_finite == 0)
            col->min = col->max = col->first = col->last = NAN;
          else
            {
              col->min = acc.min;
              col->max = acc.max;
              /* Usually the edge samples themselves: no search. */
              col->first = value_at (history, lo);
              if (!isfinite (col->first))
                col->first = value_at (history, find_finite (history, lo, hi, TRUE));
              col->last = value_at (history, hi - 1);
              if (!isfinite (col->last))
                col->last = value_at (history, find_finite (history, lo, hi, FALSE));
            }
        }

      hint = hi - lo;
      lo = hi;
    }
}

/**
 * cryo_history_get_n_appended:
 * @history: a history
 *
 * Returns: how many samples were ever appended (those dropped from a full
 *   history included): it changes with every append, so whoever keeps
 *   columns of @history knows when to refresh them
 */
guint64
cryo_history_get_n_appended (const CryoHistory *history)
{
  g_return_val_if_fail (history != NULL, 0);

  return history->n_total;
}

/**
 * cryo_history_get_memory_size:
 * @history: a history
 *
 * Returns: bytes allocated for @history now (chunks of samples, staging,
 *   summaries and the struct): about 4.3 bytes per sample plus an eighth of
 *   a byte per bit of timing jitter once the capacity is reached
 */
gsize
cryo_history_get_memory_size (const CryoHistory *history)
{
  gsize size;

  g_return_val_if_fail (history != NULL, 0);

  size = sizeof *history + history->chunk_bytes + history->n_chunks * sizeof (CryoChunk *) +
         CHUNK_SIZE * sizeof (gint64);
  for (guint i = 0; i < history->n_levels; i++)
    size += history->levels[i].n_blocks * sizeof (CryoSummary);

  return size;
}

/**
 * cryo_history_iter_init:
 * @iter: (out caller-allocates): an iterator
 * @history: a history
 * @begin_us: first time to include, µs
 * @end_us: last time to include, µs (inclusive)
 *
 * Positions @iter on the oldest stored sample with @begin_us ≤ time ≤
 * @end_us.  O(log capacity).
 */
void
cryo_history_iter_init (CryoHistoryIter   *iter,
                        const CryoHistory *history,
                        gint64             begin_us,
                        gint64             end_us)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (history != NULL);

  iter->history = history;
  if (end_us < begin_us)
    {
      iter->pos = iter->end = history->n_total;
      return;
    }
  iter->pos = search_time (history, first_index (history), history->n_total, begin_us, FALSE,
                           G_MAXUINT64);
  iter->end = search_time (history, iter->pos, history->n_total, end_us, TRUE, G_MAXUINT64);
}

/**
 * cryo_history_iter_next:
 * @iter: an iterator from cryo_history_iter_init()
 * @sample: (out): the next sample, oldest first
 *
 * Returns: %FALSE when the range is exhausted
 */
gboolean
cryo_history_iter_next (CryoHistoryIter *iter,
                        CryoSample      *sample)
{
  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  if (iter->pos >= iter->end)
    return FALSE;

  sample_at (iter->history, iter->pos, sample);
  iter->pos++;

  return TRUE;
}
