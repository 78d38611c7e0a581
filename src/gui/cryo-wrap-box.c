/* cryo-wrap-box.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Children side by side, wrapping onto more lines when the box is narrow:
 * the layout GtkFlowBox gives, without its selection. A flow box wraps
 * each child in a focusable GtkFlowBoxChild, so Tab stops first on an
 * unnamed grid cell and then on the button inside it; and in GTK 4.8 Tab
 * cannot pass a cell made unfocusable whose child takes no focus. Here
 * the children are the box's own, and Tab goes from control to control.
 * (libadwaita 1.7's AdwWrapBox does the same; Debian 12 has 1.2.)
 */

#include "config.h"

#include "cryo-wrap-box.h"

struct _CryoWrapBox
{
  GtkWidget parent_instance;

  guint     column_spacing;
  guint     row_spacing;
  guint     max_children_per_line;
  int       natural_line_length;
  gboolean  homogeneous;
};

G_DEFINE_FINAL_TYPE (CryoWrapBox, cryo_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLUMN_SPACING,
  PROP_ROW_SPACING,
  PROP_HOMOGENEOUS,
  PROP_MAX_CHILDREN_PER_LINE,
  PROP_NATURAL_LINE_LENGTH,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GtkWidget *
next_shown (GtkWidget *child)
{
  while (child != NULL && !gtk_widget_should_layout (child))
    child = gtk_widget_get_next_sibling (child);
  return child;
}

#define FOR_EACH_SHOWN(self, child) \
  for (GtkWidget *child = next_shown (gtk_widget_get_first_child (GTK_WIDGET (self))); \
       child != NULL; \
       child = next_shown (gtk_widget_get_next_sibling (child)))

/* Homogeneous: the widest child's minimum and natural width. */
static void
measure_cell (CryoWrapBox *self,
              int         *cell_minimum,
              int         *cell_natural,
              guint       *n_shown)
{
  *cell_minimum = *cell_natural = 0;
  *n_shown = 0;

  FOR_EACH_SHOWN (self, child)
    {
      int minimum, natural;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      *cell_minimum = MAX (*cell_minimum, minimum);
      *cell_natural = MAX (*cell_natural, natural);
      (*n_shown)++;
    }
}

/* How many cells of @cell_natural fit in @width, within the limits. */
static guint
homogeneous_columns (CryoWrapBox *self,
                     int          width,
                     int          cell_natural,
                     guint        n_shown)
{
  int columns = (width + (int) self->column_spacing) / MAX (1, cell_natural + (int) self->column_spacing);

  if (self->max_children_per_line > 0)
    columns = MIN (columns, (int) self->max_children_per_line);
  columns = MIN (columns, (int) n_shown);

  return MAX (columns, 1);
}

/* A child's width on a line @width wide, when not homogeneous: its natural
 * width, never less than its minimum, never more than the line. */
static int
child_width (GtkWidget *child,
             int        width)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return MAX (minimum, MIN (natural, width));
}

/* Lays the children out in lines @width wide and returns the height that
 * takes; with @allocate, also gives each child its place. One function for
 * both, so the height measured is the height allocated. */
static int
flow (CryoWrapBox *self,
      int          width,
      gboolean     allocate)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int column_spacing = self->column_spacing;
  int cell_width = 0;
  guint columns = 0;
  int y = 0;
  GtkWidget *line_start;
  g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));

  if (self->homogeneous)
    {
      int cell_minimum, cell_natural;
      guint n_shown;

      measure_cell (self, &cell_minimum, &cell_natural, &n_shown);
      if (n_shown == 0)
        return 0;
      columns = homogeneous_columns (self, width, cell_natural, n_shown);
      cell_width = MAX (cell_minimum, (width - column_spacing * ((int) columns - 1)) / (int) columns);
    }

  line_start = next_shown (gtk_widget_get_first_child (GTK_WIDGET (self)));
  while (line_start != NULL)
    {
      GtkWidget *line_end = line_start;
      int line_height = 0;
      int x = 0;

      /* The children that fit on this line, and its height. */
      g_array_set_size (widths, 0);
      for (GtkWidget *child = line_start; child != NULL; child = next_shown (gtk_widget_get_next_sibling (child)))
        {
          int w = self->homogeneous ? cell_width : child_width (child, width);
          int minimum, natural;

          if (self->homogeneous ? widths->len == columns
                                : widths->len > 0 && x + column_spacing + w > width)
            break;

          x += (widths->len > 0 ? column_spacing : 0) + w;
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &minimum, &natural, NULL, NULL);
          line_height = MAX (line_height, natural);
          g_array_append_val (widths, w);
          line_end = next_shown (gtk_widget_get_next_sibling (child));
        }

      if (allocate)
        {
          GtkWidget *child = line_start;

          x = 0;
          for (guint i = 0; i < widths->len; i++, child = next_shown (gtk_widget_get_next_sibling (child)))
            {
              int w = g_array_index (widths, int, i);
              GtkAllocation allocation = { rtl ? width - x - w : x, y, w, line_height };

              gtk_widget_size_allocate (child, &allocation, -1);
              x += w + column_spacing;
            }
        }

      y += line_height;
      line_start = line_end;
      if (line_start != NULL)
        y += self->row_spacing;
    }

  return y;
}

static GtkSizeRequestMode
cryo_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cryo_wrap_box_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  CryoWrapBox *self = CRYO_WRAP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least the widest child; at best everything on one line. */
      if (self->homogeneous)
        {
          int cell_minimum, cell_natural;
          guint n_shown, columns;

          measure_cell (self, &cell_minimum, &cell_natural, &n_shown);
          columns = self->max_children_per_line > 0 ? MIN (n_shown, self->max_children_per_line) : n_shown;
          *minimum = cell_minimum;
          *natural = columns == 0 ? 0 : (int) columns * cell_natural + ((int) columns - 1) * (int) self->column_spacing;
        }
      else
        {
          guint n = 0;

          *minimum = *natural = 0;
          FOR_EACH_SHOWN (self, child)
            {
              int child_minimum, child_natural;

              gtk_widget_measure (child, orientation, -1, &child_minimum, &child_natural, NULL, NULL);
              *minimum = MAX (*minimum, child_minimum);
              *natural += (n++ > 0 ? (int) self->column_spacing : 0) + child_natural;
            }
        }

      if (self->natural_line_length >= 0)
        *natural = MAX (*minimum, MIN (*natural, self->natural_line_length));
    }
  else
    {
      int width = for_size;

      if (width < 0)
        {
          int unused;

          cryo_wrap_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &unused, &width, NULL, NULL);
        }
      *minimum = *natural = flow (self, width, FALSE);
    }
}

static void
cryo_wrap_box_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  flow (CRYO_WRAP_BOX (widget), width, TRUE);
}

static void
cryo_wrap_box_dispose (GObject *object)
{
  cryo_wrap_box_remove_all (CRYO_WRAP_BOX (object));

  G_OBJECT_CLASS (cryo_wrap_box_parent_class)->dispose (object);
}

static void
cryo_wrap_box_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CryoWrapBox *self = CRYO_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      g_value_set_uint (value, self->column_spacing);
      break;

    case PROP_ROW_SPACING:
      g_value_set_uint (value, self->row_spacing);
      break;

    case PROP_HOMOGENEOUS:
      g_value_set_boolean (value, self->homogeneous);
      break;

    case PROP_MAX_CHILDREN_PER_LINE:
      g_value_set_uint (value, self->max_children_per_line);
      break;

    case PROP_NATURAL_LINE_LENGTH:
      g_value_set_int (value, self->natural_line_length);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_wrap_box_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CryoWrapBox *self = CRYO_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      cryo_wrap_box_set_column_spacing (self, g_value_get_uint (value));
      break;

    case PROP_ROW_SPACING:
      cryo_wrap_box_set_row_spacing (self, g_value_get_uint (value));
      break;

    case PROP_HOMOGENEOUS:
      cryo_wrap_box_set_homogeneous (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_CHILDREN_PER_LINE:
      cryo_wrap_box_set_max_children_per_line (self, g_value_get_uint (value));
      break;

    case PROP_NATURAL_LINE_LENGTH:
      cryo_wrap_box_set_natural_line_length (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cryo_wrap_box_class_init (CryoWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cryo_wrap_box_dispose;
  object_class->get_property = cryo_wrap_box_get_property;
  object_class->set_property = cryo_wrap_box_set_property;

  widget_class->get_request_mode = cryo_wrap_box_get_request_mode;
  widget_class->measure = cryo_wrap_box_measure;
  widget_class->size_allocate = cryo_wrap_box_size_allocate;

  properties [PROP_COLUMN_SPACING] =
    g_param_spec_uint ("column-spacing", NULL, NULL,
                       0, G_MAXINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_ROW_SPACING] =
    g_param_spec_uint ("row-spacing", NULL, NULL,
                       0, G_MAXINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CryoWrapBox:homogeneous:
   *
   * Whether the children share one width (the widest child's) and fill
   * each line, in columns; otherwise each takes its natural width.
   */
  properties [PROP_HOMOGENEOUS] =
    g_param_spec_boolean ("homogeneous", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CryoWrapBox:max-children-per-line:
   *
   * The most columns a homogeneous box makes, 0 for as many as fit.
   */
  properties [PROP_MAX_CHILDREN_PER_LINE] =
    g_param_spec_uint ("max-children-per-line", NULL, NULL,
                       0, G_MAXINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CryoWrapBox:natural-line-length:
   *
   * The natural width the box asks for, in pixels, -1 for all its
   * children on one line. A box of filters under a plot asks for less, so
   * that it wraps rather than widening the window's content until the
   * sidebar folds away.
   */
  properties [PROP_NATURAL_LINE_LENGTH] =
    g_param_spec_int ("natural-line-length", NULL, NULL,
                      -1, G_MAXINT16, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wrapbox");
}

static void
cryo_wrap_box_init (CryoWrapBox *self)
{
  self->natural_line_length = -1;
}

/**
 * cryo_wrap_box_new:
 *
 * Creates an empty box. Children go in with cryo_wrap_box_append(), or as
 * `<child>` elements in a template.
 *
 * Returns: (transfer full): a new #CryoWrapBox
 */
GtkWidget *
cryo_wrap_box_new (void)
{
  return g_object_new (CRYO_TYPE_WRAP_BOX, NULL);
}

/**
 * cryo_wrap_box_append:
 * @self: a box
 * @child: a widget without a parent
 *
 * Adds @child after the others.
 */
void
cryo_wrap_box_append (CryoWrapBox *self,
                      GtkWidget   *child)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

/**
 * cryo_wrap_box_remove:
 * @self: a box
 * @child: one of its children
 *
 * Removes @child.
 */
void
cryo_wrap_box_remove (CryoWrapBox *self,
                      GtkWidget   *child)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));

  gtk_widget_unparent (child);
}

/**
 * cryo_wrap_box_remove_all:
 * @self: a box
 *
 * Removes every child.
 */
void
cryo_wrap_box_remove_all (CryoWrapBox *self)
{
  GtkWidget *child;

  g_return_if_fail (CRYO_IS_WRAP_BOX (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
}

/**
 * cryo_wrap_box_set_column_spacing:
 * @self: a box
 * @spacing: pixels between children on a line
 *
 * Sets #CryoWrapBox:column-spacing.
 */
void
cryo_wrap_box_set_column_spacing (CryoWrapBox *self,
                                  guint        spacing)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));

  if (self->column_spacing == spacing)
    return;

  self->column_spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLUMN_SPACING]);
}

/**
 * cryo_wrap_box_set_row_spacing:
 * @self: a box
 * @spacing: pixels between lines
 *
 * Sets #CryoWrapBox:row-spacing.
 */
void
cryo_wrap_box_set_row_spacing (CryoWrapBox *self,
                               guint        spacing)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));

  if (self->row_spacing == spacing)
    return;

  self->row_spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROW_SPACING]);
}

/**
 * cryo_wrap_box_set_homogeneous:
 * @self: a box
 * @homogeneous: whether the children share one width, in columns
 *
 * Sets #CryoWrapBox:homogeneous.
 */
void
cryo_wrap_box_set_homogeneous (CryoWrapBox *self,
                               gboolean     homogeneous)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));

  homogeneous = !!homogeneous;
  if (self->homogeneous == homogeneous)
    return;

  self->homogeneous = homogeneous;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HOMOGENEOUS]);
}

/**
 * cryo_wrap_box_set_max_children_per_line:
 * @self: a box
 * @n_children: the most columns of a homogeneous box, 0 for no limit
 *
 * Sets #CryoWrapBox:max-children-per-line.
 */
void
cryo_wrap_box_set_max_children_per_line (CryoWrapBox *self,
                                         guint        n_children)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));

  if (self->max_children_per_line == n_children)
    return;

  self->max_children_per_line = n_children;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_CHILDREN_PER_LINE]);
}

/**
 * cryo_wrap_box_set_natural_line_length:
 * @self: a box
 * @length: the natural width in pixels, -1 for all children on one line
 *
 * Sets #CryoWrapBox:natural-line-length.
 */
void
cryo_wrap_box_set_natural_line_length (CryoWrapBox *self,
                                       int          length)
{
  g_return_if_fail (CRYO_IS_WRAP_BOX (self));
  g_return_if_fail (length >= -1);

  if (self->natural_line_length == length)
    return;

  self->natural_line_length = length;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NATURAL_LINE_LENGTH]);
}
