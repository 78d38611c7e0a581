/* test-wrap-box.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wrap box's layout: children at their natural widths, wrapping when
 * the next does not fit; homogeneous columns up to a limit; mirrored
 * right to left; the height it asks for is the height it uses; Tab goes
 * from child to child.
 */

#include "config.h"

#include <gtk/gtk.h>

#include "cryo-wrap-box.h"
#include "test-gui-util.h"

/* A child exactly @width × @height (no CSS padding or margins). */
static GtkWidget *
new_block (int width,
           int height)
{
  GtkWidget *block = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (block), width);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (block), height);
  return block;
}

static graphene_rect_t
bounds_in (GtkWidget *child,
           GtkWidget *box)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child, box, &bounds));
  return bounds;
}

static void
assert_at (GtkWidget *child,
           GtkWidget *box,
           float      x,
           float      y,
           float      width,
           float      height)
{
  graphene_rect_t bounds = bounds_in (child, box);

  g_assert_cmpfloat (bounds.origin.x, ==, x);
  g_assert_cmpfloat (bounds.origin.y, ==, y);
  g_assert_cmpfloat (bounds.size.width, ==, width);
  g_assert_cmpfloat (bounds.size.height, ==, height);
}

/* Measures @box for @width and allocates it that size; returns the height. */
static int
lay_out (GtkWidget *box,
         int        width)
{
  int minimum, natural;

  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, natural);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, width, natural }, -1);
  return natural;
}

static void
test_wrap_box_natural (void)
{
  GtkWidget *box = g_object_ref_sink (cryo_wrap_box_new ());
  GtkWidget *a = new_block (100, 20), *b = new_block (60, 30), *c = new_block (80, 10);
  GtkWidget *hidden = new_block (500, 500);
  int minimum, natural;

  cryo_wrap_box_set_column_spacing (CRYO_WRAP_BOX (box), 10);
  cryo_wrap_box_set_row_spacing (CRYO_WRAP_BOX (box), 5);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), a);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), hidden);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), b);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), c);
  gtk_widget_set_visible (hidden, FALSE);

  /* At least the widest child; at best all on one line. */
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 100);
  g_assert_cmpint (natural, ==, 100 + 10 + 60 + 10 + 80);

  /* Room for all three: one line as high as the highest. */
  g_assert_cmpint (lay_out (box, 400), ==, 30);
  assert_at (a, box, 0, 0, 100, 30);
  assert_at (b, box, 110, 0, 60, 30);
  assert_at (c, box, 180, 0, 80, 30);

  /* 200 px: the third wraps. */
  g_assert_cmpint (lay_out (box, 200), ==, 30 + 5 + 10);
  assert_at (c, box, 0, 35, 80, 10);

  /* 100 px: one each. */
  g_assert_cmpint (lay_out (box, 100), ==, 20 + 5 + 30 + 5 + 10);
  assert_at (b, box, 0, 25, 60, 30);

  /* Right to left: the first at the right edge. */
  gtk_widget_set_direction (box, GTK_TEXT_DIR_RTL);
  lay_out (box, 400);
  assert_at (a, box, 300, 0, 100, 30);
  assert_at (b, box, 230, 0, 60, 30);
  gtk_widget_set_direction (box, GTK_TEXT_DIR_LTR);

  /* A natural line length caps what the box asks for, not its minimum. */
  cryo_wrap_box_set_natural_line_length (CRYO_WRAP_BOX (box), 150);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 150);
  cryo_wrap_box_set_natural_line_length (CRYO_WRAP_BOX (box), 50);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 100);

  cryo_wrap_box_remove_all (CRYO_WRAP_BOX (box));
  g_assert_null (gtk_widget_get_first_child (box));
  g_assert_cmpint (lay_out (box, 100), ==, 0);
  g_assert_finalize_object (box);
}

static void
test_wrap_box_homogeneous (void)
{
  GtkWidget *box = g_object_ref_sink (cryo_wrap_box_new ());
  GtkWidget *blocks[5];
  int minimum, natural;

  cryo_wrap_box_set_homogeneous (CRYO_WRAP_BOX (box), TRUE);
  cryo_wrap_box_set_max_children_per_line (CRYO_WRAP_BOX (box), 4);
  cryo_wrap_box_set_column_spacing (CRYO_WRAP_BOX (box), 10);
  cryo_wrap_box_set_row_spacing (CRYO_WRAP_BOX (box), 10);
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      blocks[i] = new_block (i == 2 ? 90 : 50, 20);
      cryo_wrap_box_append (CRYO_WRAP_BOX (box), blocks[i]);
    }

  /* Cells as wide as the widest child; at most four a line. */
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 90);
  g_assert_cmpint (natural, ==, 4 * 90 + 3 * 10);

  /* 1000 px: four columns sharing the width, the fifth below. */
  g_assert_cmpint (lay_out (box, 1000), ==, 20 + 10 + 20);
  assert_at (blocks[0], box, 0, 0, 242, 20);
  assert_at (blocks[3], box, 3 * 252, 0, 242, 20);
  assert_at (blocks[4], box, 0, 30, 242, 20);

  /* 200 px: two columns (2 × 90 + 10 fits, 3 × 90 + 20 does not). */
  g_assert_cmpint (lay_out (box, 200), ==, 3 * 20 + 2 * 10);
  assert_at (blocks[1], box, 105, 0, 95, 20);
  assert_at (blocks[2], box, 0, 30, 95, 20);

  /* Narrower than a cell: one column at the cell's minimum. */
  g_assert_cmpint (lay_out (box, 90), ==, 5 * 20 + 4 * 10);
  assert_at (blocks[4], box, 0, 120, 90, 20);

  g_assert_finalize_object (box);
}

static void
test_wrap_box_focus (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = cryo_wrap_box_new ();
  GtkWidget *first = gtk_button_new_with_label ("First");
  GtkWidget *label = gtk_label_new ("Not a stop");
  GtkWidget *insensitive = gtk_button_new_with_label ("Refused");
  GtkWidget *last = gtk_button_new_with_label ("Last");

  cryo_wrap_box_append (CRYO_WRAP_BOX (box), first);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), label);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), insensitive);
  cryo_wrap_box_append (CRYO_WRAP_BOX (box), last);
  gtk_widget_set_sensitive (insensitive, FALSE);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  /* Tab: from button to button, past the label and the refused one (no
   * wrapper of its own takes the focus), and round to the first. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == last);
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/wrap-box/natural", test_wrap_box_natural);
  g_test_add_func ("/wrap-box/homogeneous", test_wrap_box_homogeneous);
  g_test_add_func ("/wrap-box/focus", test_wrap_box_focus);

  return g_test_run ();
}
