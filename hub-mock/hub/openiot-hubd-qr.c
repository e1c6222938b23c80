// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#if HAVE_QRENCODE
# include <qrencode.h>
#endif

#include "openiot-hubd-qr.h"

#define QUIET_ZONE 2

/*
 * openiot_hubd_qr_render_terminal:
 *
 * Draws @text as a QR code with Unicode half blocks, two modules per
 * character cell, for a light-on-dark terminal (as `qrencode -t UTF8`
 * does), so a phone can scan the pairing link off the admin's screen.
 *
 * Returns: (transfer full) (nullable): the drawing, or %NULL without
 *   libqrencode or when @text does not fit a QR code
 */
char *
openiot_hubd_qr_render_terminal (const char *text)
{
#if HAVE_QRENCODE
  g_autoptr(GString) out = g_string_new (NULL);
  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  int size;

  if (qr == NULL)
    return NULL;

  size = qr->width + 2 * QUIET_ZONE;
  for (int y = 0; y < size; y += 2)
    {
      for (int x = 0; x < size; x++)
        {
          gboolean top, bottom;
          int mx = x - QUIET_ZONE;
          int my = y - QUIET_ZONE;

          top = mx >= 0 && mx < qr->width && my >= 0 && my < qr->width &&
                (qr->data[my * qr->width + mx] & 1);
          bottom = mx >= 0 && mx < qr->width && my + 1 >= 0 && my + 1 < qr->width &&
                   (qr->data[(my + 1) * qr->width + mx] & 1);

          /* light cells are drawn, dark ones left as background: invert */
          if (!top && !bottom)
            g_string_append (out, "█");
          else if (!top)
            g_string_append (out, "▀");
          else if (!bottom)
            g_string_append (out, "▄");
          else
            g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
    }

  QRcode_free (qr);
  return g_string_free (g_steal_pointer (&out), FALSE);
#else
  return NULL;
#endif
}
