// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "openiot-hubd-pairing-code.h"

/*
 * A code admits one registration, and only while it is open: the state is
 * checked and changed in one step (claim) when the registration request is
 * handled, not only at the SRP handshake. Between the two a device may
 * take its time, the code may expire, another device may use it, the admin
 * may open another: the handshake proves the peer knew the code, the claim
 * decides whether the code still lets it in.
 */
struct _OpenIotHubdPairingCode
{
  char                       *code;
  gint64                      expires_monotonic;
  GDateTime                  *expires;
  OpenIotHubdPairingCodeState  state;
  GHashTable                 *guessers; /* address → Guesser */
  guint                       failures; /* wrong guesses, all addresses */
  guint                       reserved; /* guesses under way */
};

/* A guess is reserved when the peer asks for the SRP verifier, before it
 * proves anything, and counted as a failure or given back when the
 * handshake ends: parallel guesses get no more than the limits. */
typedef struct
{
  guint failures;
  guint reserved;
} Guesser;

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

OpenIotHubdPairingCode *
openiot_hubd_pairing_code_new (guint ttl_seconds)
{
  OpenIotHubdPairingCode *self = g_rc_box_new0 (OpenIotHubdPairingCode);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->code = generate_code ();
  self->expires_monotonic = g_get_monotonic_time () + (gint64) ttl_seconds * G_USEC_PER_SEC;
  self->expires = g_date_time_add_seconds (now, ttl_seconds);
  self->state = OPENIOT_HUBD_PAIRING_CODE_OPEN;
  self->guessers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

OpenIotHubdPairingCode *
openiot_hubd_pairing_code_ref (OpenIotHubdPairingCode *self)
{
  return g_rc_box_acquire (self);
}

static void
pairing_code_clear (gpointer data)
{
  OpenIotHubdPairingCode *self = data;

  explicit_bzero (self->code, strlen (self->code));
  g_free (self->code);
  g_date_time_unref (self->expires);
  g_hash_table_unref (self->guessers);
}

void
openiot_hubd_pairing_code_unref (OpenIotHubdPairingCode *self)
{
  g_rc_box_release_full (self, pairing_code_clear);
}

const char *
openiot_hubd_pairing_code_get_code (OpenIotHubdPairingCode *self)
{
  return self->code;
}

GDateTime *
openiot_hubd_pairing_code_get_expires (OpenIotHubdPairingCode *self)
{
  return self->expires;
}

gint64
openiot_hubd_pairing_code_get_expires_in (OpenIotHubdPairingCode *self)
{
  return MAX (0, (self->expires_monotonic - g_get_monotonic_time ()) / G_USEC_PER_SEC);
}

/* An open code that outlived its time is expired from then on; a code in
 * use finishes the registration it started. */
OpenIotHubdPairingCodeState
openiot_hubd_pairing_code_get_state (OpenIotHubdPairingCode *self)
{
  if (self->state == OPENIOT_HUBD_PAIRING_CODE_OPEN &&
      g_get_monotonic_time () >= self->expires_monotonic)
    {
      g_message ("The pairing code expired");
      self->state = OPENIOT_HUBD_PAIRING_CODE_EXPIRED;
    }

  return self->state;
}

void
openiot_hubd_pairing_code_replace (OpenIotHubdPairingCode *self)
{
  if (openiot_hubd_pairing_code_get_state (self) == OPENIOT_HUBD_PAIRING_CODE_OPEN)
    self->state = OPENIOT_HUBD_PAIRING_CODE_REPLACED;
}

/*
 * openiot_hubd_pairing_code_claim:
 * @reason: (out): why not, as in docs/protocol.md ("code-used", …)
 *
 * Takes the code for one registration: only one caller ever gets %TRUE
 * until openiot_hubd_pairing_code_release() gives it back.
 */
gboolean
openiot_hubd_pairing_code_claim (OpenIotHubdPairingCode  *self,
                                const char            **reason)
{
  OpenIotHubdPairingCodeState state = openiot_hubd_pairing_code_get_state (self);

  if (state != OPENIOT_HUBD_PAIRING_CODE_OPEN)
    {
      *reason = openiot_hubd_pairing_code_state_to_reason (state);
      return FALSE;
    }

  self->state = OPENIOT_HUBD_PAIRING_CODE_IN_USE;
  return TRUE;
}

/* @used: the registration went through, the code is spent; else it is
 * open again (a refused name does not cost the owner the code). */
void
openiot_hubd_pairing_code_release (OpenIotHubdPairingCode *self,
                                  gboolean               used)
{
  g_assert (self->state == OPENIOT_HUBD_PAIRING_CODE_IN_USE);

  self->state = used ? OPENIOT_HUBD_PAIRING_CODE_USED : OPENIOT_HUBD_PAIRING_CODE_OPEN;
}

const char *
openiot_hubd_pairing_code_state_to_reason (OpenIotHubdPairingCodeState state)
{
  switch (state)
    {
    case OPENIOT_HUBD_PAIRING_CODE_OPEN:
      return "code-open";
    case OPENIOT_HUBD_PAIRING_CODE_IN_USE:
    case OPENIOT_HUBD_PAIRING_CODE_USED:
      return "code-used";
    case OPENIOT_HUBD_PAIRING_CODE_EXPIRED:
      return "code-expired";
    case OPENIOT_HUBD_PAIRING_CODE_LOCKED:
      return "code-locked";
    case OPENIOT_HUBD_PAIRING_CODE_REPLACED:
      return "code-replaced";
    default:
      g_assert_not_reached ();
    }
}

/*
 * openiot_hubd_pairing_code_reserve_guess:
 * @address: the peer's address, as a string
 *
 * Whether a peer at @address may try the code now. One address gets
 * %OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS wrong guesses; after that it is shut
 * out of this code, which stays open for everyone else, so a stranger
 * flooding from one address cannot burn the owner's code. All addresses
 * together get %OPENIOT_HUBD_PAIRING_MAX_FAILURES, then the code is locked.
 */
gboolean
openiot_hubd_pairing_code_reserve_guess (OpenIotHubdPairingCode *self,
                                        const char            *address)
{
  Guesser *guesser;

  if (openiot_hubd_pairing_code_get_state (self) != OPENIOT_HUBD_PAIRING_CODE_OPEN ||
      self->failures + self->reserved >= OPENIOT_HUBD_PAIRING_MAX_FAILURES)
    return FALSE;

  if (!(guesser = g_hash_table_lookup (self->guessers, address)))
    {
      guesser = g_new0 (Guesser, 1);
      g_hash_table_insert (self->guessers, g_strdup (address), guesser);
    }

  if (guesser->failures + guesser->reserved >= OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS)
    {
      g_message ("Refused a pairing attempt from %s: it guessed wrong %u times", address,
                 guesser->failures);
      return FALSE;
    }

  guesser->reserved++;
  self->reserved++;
  return TRUE;
}

/* Returns: %TRUE when this wrong guess locked the code. */
gboolean
openiot_hubd_pairing_code_end_guess (OpenIotHubdPairingCode *self,
                                    const char            *address,
                                    gboolean               wrong)
{
  Guesser *guesser = g_hash_table_lookup (self->guessers, address);

  g_assert (guesser != NULL && guesser->reserved > 0 && self->reserved > 0);
  guesser->reserved--;
  self->reserved--;

  if (!wrong)
    return FALSE;

  guesser->failures++;
  self->failures++;
  g_warning ("Wrong pairing code from %s (%u of %d from there, %u of %d in all)", address,
             guesser->failures, OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS, self->failures,
             OPENIOT_HUBD_PAIRING_MAX_FAILURES);

  if (self->failures < OPENIOT_HUBD_PAIRING_MAX_FAILURES ||
      openiot_hubd_pairing_code_get_state (self) != OPENIOT_HUBD_PAIRING_CODE_OPEN)
    return FALSE;

  self->state = OPENIOT_HUBD_PAIRING_CODE_LOCKED;
  return TRUE;
}

/* What the owner's status says: the tries the most-tried address has
 * left, never more than the code has left in all. */
guint
openiot_hubd_pairing_code_get_attempts_left (OpenIotHubdPairingCode *self)
{
  GHashTableIter iter;
  Guesser *guesser;
  guint most = 0;

  g_hash_table_iter_init (&iter, self->guessers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &guesser))
    most = MAX (most, guesser->failures + guesser->reserved);

  return MIN (OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS - MIN (most, OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS),
              OPENIOT_HUBD_PAIRING_MAX_FAILURES - MIN (self->failures + self->reserved,
                                                       OPENIOT_HUBD_PAIRING_MAX_FAILURES));
}

/* What the public status tells @address after it guessed wrong: the
 * tries it has left, never more than the code has left in all. */
guint
openiot_hubd_pairing_code_get_attempts_left_for (OpenIotHubdPairingCode *self,
                                                const char            *address)
{
  Guesser *guesser = g_hash_table_lookup (self->guessers, address);
  guint used = guesser ? guesser->failures + guesser->reserved : 0;

  return MIN (OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS - MIN (used, OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS),
              OPENIOT_HUBD_PAIRING_MAX_FAILURES - MIN (self->failures + self->reserved,
                                                       OPENIOT_HUBD_PAIRING_MAX_FAILURES));
}

/* For the owner (the admin socket): why the code is dead, who tried it. */
void
openiot_hubd_pairing_code_describe (OpenIotHubdPairingCode *self,
                                   JsonBuilder           *builder)
{
  OpenIotHubdPairingCodeState state = openiot_hubd_pairing_code_get_state (self);
  GHashTableIter iter;
  const char *address;
  Guesser *guesser;

  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, openiot_hubd_pairing_code_state_to_reason (state));
  json_builder_set_member_name (builder, "failures");
  json_builder_add_int_value (builder, self->failures);
  json_builder_set_member_name (builder, "guessers");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->guessers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &address, (gpointer *) &guesser))
    {
      if (guesser->failures == 0)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address);
      json_builder_set_member_name (builder, "failures");
      json_builder_add_int_value (builder, guesser->failures);
      json_builder_set_member_name (builder, "shut_out");
      json_builder_add_boolean_value (builder,
                                      guesser->failures >= OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}
