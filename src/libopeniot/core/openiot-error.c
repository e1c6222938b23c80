// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include "openiot-error-private.h"

/* Facts an error carries besides its message, for programs to act on
 * (and say in their own words) without reading them back out of it. */
typedef struct
{
  int attempts_left;
} OpenIotErrorPrivate;

/* What G_DEFINE_EXTENDED_ERROR() makes, by hand: the macro would name
 * the domain "OpenIotError", and "openiot-error-quark" is what programs
 * (and the GObject introspection bindings) have always seen. */
static OpenIotErrorPrivate *
openiot_error_get_private (const GError *error)
{
  /* As gerror.h aligns it (STRUCT_ALIGNMENT in gtype.c) */
  const gsize alignment = 2 * sizeof (gsize);
  const gsize size = (sizeof (OpenIotErrorPrivate) + (alignment - 1)) & -alignment;

  g_return_val_if_fail (error != NULL, NULL);
  if (error->domain != OPENIOT_ERROR)
    return NULL;
  return (OpenIotErrorPrivate *) (((guint8 *) error) - size);
}

static void
private_init (GError *error)
{
  openiot_error_get_private (error)->attempts_left = -1;
}

static void
private_copy (const GError *src,
              GError       *dest)
{
  *openiot_error_get_private (dest) = *openiot_error_get_private (src);
}

static void
private_clear (GError *error)
{
}

GQuark
openiot_error_quark (void)
{
  static GQuark quark;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      quark = g_error_domain_register_static ("openiot-error-quark", sizeof (OpenIotErrorPrivate),
                                              private_init, private_copy, private_clear);
      g_once_init_leave (&initialized, 1);
    }
  return quark;
}

/**
 * openiot_error_get_attempts_left:
 * @error: an error
 *
 * After %OPENIOT_ERROR_PAIRING_REJECTED: how many more wrong codes the
 * hub takes from this device's address before it shuts it out.
 *
 * Returns: the count, or -1 when the hub did not say (or @error is of
 *   another kind)
 */
int
openiot_error_get_attempts_left (const GError *error)
{
  OpenIotErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, -1);

  priv = openiot_error_get_private (error);
  return priv != NULL ? priv->attempts_left : -1;
}

void
_openiot_error_set_attempts_left (GError *error,
                                  int     attempts_left)
{
  OpenIotErrorPrivate *priv = openiot_error_get_private (error);

  g_return_if_fail (priv != NULL);
  priv->attempts_left = attempts_left;
}
