// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "openiot-hub-pairing-code.h"

/*
 * A code admits one registration, and only while it is open: the state is
 * checked and changed in one step (claim) when the registration request is
 * handled, not only at the SRP handshake. Between the two a device may
 * take its time, the code may expire, another device may use it, the admin
 * may open another: the handshake proves the peer knew the code, the claim
 * decides whether the code still lets it in.
 */
struct _OpenIotHubPairingCode
{
  char                       *code;
  gint64                      expires_monotonic;
  GDateTime                  *expires;
  OpenIotHubPairingCodeState  state;
};

static char *
generate_code (void)
{
  guint32 value;

  /* Rejection sampling keeps all 10^8 codes equally likely. */
  do
    gnutls_rnd (GNUTLS_RND_KEY, &value, sizeof value);
  while (value >= 4200000000u);

  return g_strdup_printf ("%08u", value % 100000000u);
}

OpenIotHubPairingCode *
openiot_hub_pairing_code_new (guint ttl_seconds)
{
  OpenIotHubPairingCode *self = g_rc_box_new0 (OpenIotHubPairingCode);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->code = generate_code ();
  self->expires_monotonic = g_get_monotonic_time () + (gint64) ttl_seconds * G_USEC_PER_SEC;
  self->expires = g_date_time_add_seconds (now, ttl_seconds);
  self->state = OPENIOT_HUB_PAIRING_CODE_OPEN;
  return self;
}

OpenIotHubPairingCode *
openiot_hub_pairing_code_ref (OpenIotHubPairingCode *self)
{
  return g_rc_box_acquire (self);
}

static void
pairing_code_clear (gpointer data)
{
  OpenIotHubPairingCode *self = data;

  explicit_bzero (self->code, strlen (self->code));
  g_free (self->code);
  g_date_time_unref (self->expires);
}

void
openiot_hub_pairing_code_unref (OpenIotHubPairingCode *self)
{
  g_rc_box_release_full (self, pairing_code_clear);
}

const char *
openiot_hub_pairing_code_get_code (OpenIotHubPairingCode *self)
{
  return self->code;
}

GDateTime *
openiot_hub_pairing_code_get_expires (OpenIotHubPairingCode *self)
{
  return self->expires;
}

gint64
openiot_hub_pairing_code_get_expires_in (OpenIotHubPairingCode *self)
{
  return MAX (0, (self->expires_monotonic - g_get_monotonic_time ()) / G_USEC_PER_SEC);
}

/* An open code that outlived its time is expired from then on; a code in
 * use finishes the registration it started. */
OpenIotHubPairingCodeState
openiot_hub_pairing_code_get_state (OpenIotHubPairingCode *self)
{
  if (self->state == OPENIOT_HUB_PAIRING_CODE_OPEN &&
      g_get_monotonic_time () >= self->expires_monotonic)
    {
      g_message ("The pairing code expired");
      self->state = OPENIOT_HUB_PAIRING_CODE_EXPIRED;
    }

  return self->state;
}

void
openiot_hub_pairing_code_replace (OpenIotHubPairingCode *self)
{
  if (openiot_hub_pairing_code_get_state (self) == OPENIOT_HUB_PAIRING_CODE_OPEN)
    self->state = OPENIOT_HUB_PAIRING_CODE_REPLACED;
}

void
openiot_hub_pairing_code_lock (OpenIotHubPairingCode *self)
{
  if (openiot_hub_pairing_code_get_state (self) == OPENIOT_HUB_PAIRING_CODE_OPEN)
    self->state = OPENIOT_HUB_PAIRING_CODE_LOCKED;
}

/*
 * openiot_hub_pairing_code_claim:
 * @reason: (out): why not, as in docs/protocol.md ("code-used", …)
 *
 * Takes the code for one registration: only one caller ever gets %TRUE
 * until openiot_hub_pairing_code_release() gives it back.
 */
gboolean
openiot_hub_pairing_code_claim (OpenIotHubPairingCode  *self,
                                const char            **reason)
{
  OpenIotHubPairingCodeState state = openiot_hub_pairing_code_get_state (self);

  if (state != OPENIOT_HUB_PAIRING_CODE_OPEN)
    {
      *reason = openiot_hub_pairing_code_state_to_reason (state);
      return FALSE;
    }

  self->state = OPENIOT_HUB_PAIRING_CODE_IN_USE;
  return TRUE;
}

/* @used: the registration went through, the code is spent; else it is
 * open again (a refused name does not cost the owner the code). */
void
openiot_hub_pairing_code_release (OpenIotHubPairingCode *self,
                                  gboolean               used)
{
  g_assert (self->state == OPENIOT_HUB_PAIRING_CODE_IN_USE);

  self->state = used ? OPENIOT_HUB_PAIRING_CODE_USED : OPENIOT_HUB_PAIRING_CODE_OPEN;
}

const char *
openiot_hub_pairing_code_state_to_reason (OpenIotHubPairingCodeState state)
{
  switch (state)
    {
    case OPENIOT_HUB_PAIRING_CODE_OPEN:
      return "code-open";
    case OPENIOT_HUB_PAIRING_CODE_IN_USE:
    case OPENIOT_HUB_PAIRING_CODE_USED:
      return "code-used";
    case OPENIOT_HUB_PAIRING_CODE_EXPIRED:
      return "code-expired";
    case OPENIOT_HUB_PAIRING_CODE_LOCKED:
      return "code-locked";
    case OPENIOT_HUB_PAIRING_CODE_REPLACED:
      return "code-replaced";
    default:
      g_assert_not_reached ();
    }
}
