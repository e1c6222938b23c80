// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-age-text.h"

/**
 * openiot_age_text:
 * @when: (nullable): a time in the past
 *
 * How long ago @when was, for "Updated %s" and "last seen %s": one text
 * for the Thing page and the overview, so both say it alike.
 *
 * Returns: "just now", "5 minutes ago", "3 hours ago", "2 days ago"
 */
char *
openiot_age_text (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan age = when ? g_date_time_difference (now, when) / G_TIME_SPAN_SECOND : 0;

  if (age < 60)
    return g_strdup (_("just now"));
  if (age < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         age / 60), (int) (age / 60));
  if (age < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         age / 3600), (int) (age / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", age / 86400),
                          (int) (age / 86400));
}
