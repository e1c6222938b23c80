// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libopeniot.h>

#include "openiot-certificate-private.h"

/* The schema as docs/keystore.md describes it, spelled out here on
 * purpose: it is an on-disk contract that the library must not change. */
static const SecretSchema identity_schema = {
  "org.openiot.Identity",
  SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  guint         ticks;
} Wait;

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_tick (gpointer user_data)
{
  Wait *wait = user_data;

  wait->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Main loop iterations during the last load(): more than none shows the
 * key generation and keystore work did not block it. */
static guint last_ticks;

static OpenIotIdentity *
load (const char    *store_dir,
      const char    *name,
      GCancellable  *cancellable,
      GError       **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL, 0 };
  OpenIotIdentity *identity;
  guint tick;

  tick = g_idle_add (on_tick, &wait);
  openiot_identity_load_async (store_dir, name, cancellable, on_loaded, &wait);
  g_main_loop_run (wait.loop);
  g_source_remove (tick);
  last_ticks = wait.ticks;

  identity = openiot_identity_load_finish (wait.result, error);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
  return identity;
}

static gboolean
in_harness (void)
{
  /* Without tests/harness/run-isolated this would use the real keyring
   * and look through the real $HOME. */
  if (g_getenv ("OPENIOT_TEST_TMPDIR") == NULL)
    {
      g_test_skip ("Needs tests/harness/run-isolated (meson test)");
      return FALSE;
    }

  return TRUE;
}

/* Runs with libsecret's file backend (OPENIOT_TEST_SECRET_FILE=1): the
 * backend it uses inside a Flatpak, behind the Secret portal. */
static gboolean
secret_file_backend (void)
{
  return g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0;
}

static gboolean
keyring_wanted (void)
{
  return g_strcmp0 (g_getenv ("OPENIOT_TEST_KEYRING"), "0") != 0 || secret_file_backend ();
}

/* Calls @func on every regular file below @dir. */
static void
walk (const char *dir,
      void      (*func) (const char *path, gpointer user_data),
      gpointer    user_data)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        walk (path, func, user_data);
      else if (S_ISREG (st.st_mode))
        func (path, user_data);
    }
}

static void
check_no_private_key (const char *path,
                      gpointer    user_data)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint *n_files = user_data;
  const char *needle = "PRIVATE KEY";

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* Byte by byte: keyring files are binary and may hold NULs. */
  for (gsize i = 0; i + strlen (needle) <= len; i++)
    {
      if (memcmp (contents + i, needle, strlen (needle)) == 0)
        g_error ("%s holds a private key", path);
    }
  (*n_files)++;
}

static void
count_file (const char *path,
            gpointer    user_data)
{
  guint *n_files = user_data;

  g_test_message ("found %s", path);
  (*n_files)++;
}

static void
test_identity_keyring (void)
{
  g_autoptr(OpenIotIdentity) first = NULL;
  g_autoptr(OpenIotIdentity) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *tls_fingerprint = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *openiot_data = NULL;
  char *key;
  guint n_files = 0;

  if (!in_harness ())
    return;
  if (!keyring_wanted ())
    {
      g_test_skip ("No keyring in this run");
      return;
    }

  first = load (NULL, "Kitchen Tablet", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last_ticks, >, 0);
  g_assert_true (OPENIOT_IS_IDENTITY (first));
  g_assert_cmpstr (openiot_identity_get_name (first), ==, "Kitchen Tablet");
  g_assert_true (openiot_fingerprint_is_valid (openiot_identity_get_fingerprint (first)));
  g_assert_true (g_str_has_prefix (openiot_identity_get_certificate_pem (first),
                                   "-----BEGIN CERTIFICATE-----"));
  g_assert_true (_openiot_certificate_check_peer (openiot_identity_get_certificate_pem (first),
                                                  &error));
  g_assert_no_error (error);
  cn = _openiot_certificate_common_name (openiot_identity_get_certificate_pem (first));
  g_assert_cmpstr (cn, ==, "Kitchen Tablet");

  tls_fingerprint =
    openiot_fingerprint_from_certificate (openiot_identity_get_tls_certificate (first));
  g_assert_cmpstr (tls_fingerprint, ==, openiot_identity_get_fingerprint (first));

  /* Loaded again (under another name, as after a rename): the same one. */
  second = load (NULL, "Renamed Tablet", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_identity_get_fingerprint (second), ==,
                   openiot_identity_get_fingerprint (first));
  g_assert_cmpstr (openiot_identity_get_name (second), ==, "Kitchen Tablet");

  /* The key is in the keyring, and it is the certificate's key. */
  key = secret_password_lookup_sync (&identity_schema, NULL, &error,
                                     "kind", "client-key",
                                     NULL);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_true (g_str_has_prefix (key, "-----BEGIN PRIVATE KEY-----"));
  signature = _openiot_certificate_sign (key, message, &error);
  secret_password_free (key);
  g_assert_no_error (error);
  g_assert_true (_openiot_certificate_verify (openiot_identity_get_certificate_pem (first),
                                              message, signature, &error));
  g_assert_no_error (error);

  /* And nowhere else: no file below $HOME (the keyring daemon's own files
   * included) holds a key in the clear, and nothing of ours was written. */
  walk (g_get_home_dir (), check_no_private_key, &n_files);
  g_test_message ("%u files below $HOME, none with a private key", n_files);
  openiot_data = g_build_filename (g_get_user_data_dir (), "openiot", NULL);
  g_assert_false (g_file_test (openiot_data, G_FILE_TEST_EXISTS));

  /* The walk above read it: the file backend's keyring, encrypted. */
  if (secret_file_backend ())
    g_assert_true (g_file_test (g_getenv ("SECRET_FILE_TEST_PATH"), G_FILE_TEST_IS_REGULAR));
}

/* Whether this run may lock its keyring. A keyring locked here stays
 * locked for the rest of the process (unlocking needs the prompt, which
 * has no display), so the tests that lock run as processes of their own:
 * test-identity-keyring-locked* in tests/libopeniot/meson.build. */
static gboolean
may_lock_keyring (void)
{
  if (!in_harness ())
    return FALSE;
  if (!keyring_wanted () || secret_file_backend ())
    {
      g_test_skip ("Needs a Secret Service keyring in this run");
      return FALSE;
    }
  if (g_strcmp0 (g_getenv ("OPENIOT_TEST_LOCK_KEYRING"), "1") != 0)
    {
      g_test_skip ("Locks the keyring: runs on its own as test-identity-keyring-locked*");
      return FALSE;
    }

  return TRUE;
}

static void
lock_keyring (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  GList *collections;
  int locked;

  /* The tests are the only users of this API in the tree: the library
   * keeps to the simple one (tests/data/check-libsecret-api). */
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collections = secret_service_get_collections (service);
  locked = secret_service_lock_sync (service, collections, NULL, NULL, &error);
  g_list_free_full (collections, g_object_unref);
  g_assert_no_error (error);
  g_assert_cmpint (locked, >, 0);
}

static guint
count_identity_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  /* Locked items are found as well, without unlocking them. */
  items = secret_password_search_sync (&identity_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "kind", "client-key",
                                       NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

/* First use with the default collection locked: storing the new key asks
 * to unlock it; with no display the keyring's prompter cannot show and the
 * prompt is dismissed. That must come back as a keyring error, not hang
 * and not fall back to a file. */
static void
test_identity_keyring_locked (void)
{
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  if (!may_lock_keyring ())
    return;

  lock_keyring ();
  identity = load (NULL, "Kitchen Tablet", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "The keyring is locked"));

  g_assert_cmpuint (count_identity_items (), ==, 0);
  walk (g_get_home_dir (), check_no_private_key, &n_files);
}

/* An identity made before the keyring was locked: the search finds the
 * item, unlocking it is asked for and refused. A keyring error again, and
 * neither a new identity next to the locked one nor a fallback to a
 * file. */
static void
test_identity_keyring_locked_item (void)
{
  g_autoptr(OpenIotIdentity) first = NULL;
  g_autoptr(OpenIotIdentity) second = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  if (!may_lock_keyring ())
    return;

  first = load (NULL, "Kitchen Tablet", NULL, &error);
  g_assert_no_error (error);
  lock_keyring ();

  second = load (NULL, "Kitchen Tablet", NULL, &error);
  g_assert_null (second);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "The keyring is locked"));

  g_assert_cmpuint (count_identity_items (), ==, 1);
  walk (g_get_home_dir (), check_no_private_key, &n_files);
}

static void
test_identity_no_keyring (void)
{
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  if (!in_harness ())
    return;
  if (keyring_wanted ())
    {
      g_test_skip ("Runs as test-identity-no-keyring (OPENIOT_TEST_KEYRING=0)");
      return;
    }

  identity = load (NULL, "Kitchen Tablet", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "No keyring (Secret Service) is running"));
  g_assert_nonnull (strstr (error->message, "--store DIR"));

  /* No silent fallback: not a single file was written. */
  walk (g_get_home_dir (), count_file, &n_files);
  g_assert_cmpuint (n_files, ==, 0);
}

/* File keystore */

static char *
make_scratch_dir (void)
{
  const char *base = g_getenv ("OPENIOT_TEST_TMPDIR");
  g_autofree char *tmpl = NULL;
  g_autoptr(GError) error = NULL;

  /* Not below $HOME: the keyring test proves no key lands there. */
  if (base != NULL)
    {
      g_autofree char *work = g_build_filename (base, "work", NULL);
      tmpl = g_build_filename (work, "identity-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (tmpl));
      return g_steal_pointer (&tmpl);
    }

  tmpl = g_dir_make_tmp ("openiot-identity-XXXXXX", &error);
  g_assert_no_error (error);
  return g_steal_pointer (&tmpl);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_chmod (path, 0700);
  if ((dir = g_dir_open (path, 0, NULL)))
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_identity_file_store (void)
{
  g_autofree char *scratch = make_scratch_dir ();
  g_autofree char *store = g_build_filename (scratch, "a", "store", NULL);
  g_autofree char *key_path = g_build_filename (store, "key.pem", NULL);
  g_autofree char *cert_path = g_build_filename (store, "cert.pem", NULL);
  g_autoptr(OpenIotIdentity) first = NULL;
  g_autoptr(OpenIotIdentity) second = NULL;
  g_autoptr(OpenIotIdentity) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *cert = NULL;
  const char *name;
  guint n_entries = 0;
  mode_t old_umask;

  /* Even with a umask that lets everything through, the key and its
   * directory are private from the moment they exist. */
  old_umask = umask (0);
  first = load (store, "Boiler Pi", NULL, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpuint (last_ticks, >, 0);
  g_assert_cmpstr (openiot_identity_get_name (first), ==, "Boiler Pi");

  g_assert_cmphex (file_mode (store), ==, 0700);
  g_assert_cmphex (file_mode (key_path), ==, 0600);
  g_assert_true (g_file_get_contents (cert_path, &cert, NULL, NULL));
  g_assert_cmpstr (cert, ==, openiot_identity_get_certificate_pem (first));

  /* No temporary files left behind. */
  dir = g_dir_open (store, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      g_assert_true (g_str_equal (name, "key.pem") || g_str_equal (name, "cert.pem"));
      n_entries++;
    }
  g_assert_cmpuint (n_entries, ==, 2);

  second = load (store, "Boiler Pi", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_identity_get_fingerprint (second), ==,
                   openiot_identity_get_fingerprint (first));

  /* A cert.pem without key.pem is an interrupted creation: start again. */
  g_assert_cmpint (g_unlink (key_path), ==, 0);
  third = load (store, "Boiler Pi", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_identity_get_fingerprint (third), !=,
                   openiot_identity_get_fingerprint (first));
  g_assert_cmphex (file_mode (key_path), ==, 0600);

  remove_tree (scratch);
}

static void
test_identity_file_store_refuses (void)
{
  g_autofree char *scratch = make_scratch_dir ();
  g_autofree char *store = g_build_filename (scratch, "store", NULL);
  g_autofree char *other = g_build_filename (scratch, "other", NULL);
  g_autofree char *open_dir = g_build_filename (scratch, "open", NULL);
  g_autofree char *key_path = g_build_filename (store, "key.pem", NULL);
  g_autofree char *cert_path = g_build_filename (store, "cert.pem", NULL);
  g_autofree char *other_cert_path = g_build_filename (other, "cert.pem", NULL);
  g_autofree char *key_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *other_cert = NULL;
  g_autofree char *own_cert = NULL;
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotIdentity) other_identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&identity);
  g_assert_true (g_file_get_contents (key_path, &key_before, NULL, NULL));

  /* A key others may read is refused, and neither repaired nor replaced. */
  g_assert_cmpint (g_chmod (key_path, 0644), ==, 0);
  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);
  g_assert_cmphex (file_mode (key_path), ==, 0644);
  g_assert_true (g_file_get_contents (key_path, &key_after, NULL, NULL));
  g_assert_cmpstr (key_after, ==, key_before);

  g_assert_cmpint (g_chmod (key_path, 0640), ==, 0);
  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);

  /* So is a directory others may look into; nothing is created in it. */
  g_assert_cmpint (g_mkdir (open_dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (open_dir, 0755), ==, 0);
  identity = load (open_dir, "Boiler Pi", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "chmod 700"));
  g_clear_error (&error);
  {
    g_autoptr(GDir) dir = g_dir_open (open_dir, 0, NULL);
    g_assert_null (g_dir_read_name (dir));
  }

  /* Another identity's certificate next to this key. */
  other_identity = load (other, "Other", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (cert_path, &own_cert, NULL, NULL));
  g_assert_true (g_file_get_contents (other_cert_path, &other_cert, NULL, NULL));
  g_assert_true (g_file_set_contents (cert_path, other_cert, -1, NULL));
  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* A key without its certificate. */
  g_assert_cmpint (g_unlink (cert_path), ==, 0);
  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_null (identity);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Put back, it loads again. */
  g_assert_true (g_file_set_contents (cert_path, own_cert, -1, NULL));
  identity = load (store, "Boiler Pi", NULL, &error);
  g_assert_no_error (error);

  remove_tree (scratch);
}

static void
test_identity_bad_input (void)
{
  g_autofree char *scratch = make_scratch_dir ();
  g_autofree char *store = g_build_filename (scratch, "store", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (65, 'n');

  identity = load (store, "", NULL, &error);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  identity = load (store, long_name, NULL, &error);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  identity = load (store, "tab\there", NULL, &error);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  identity = load (store, "Boiler Pi", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* None of that left anything behind. */
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));

  remove_tree (scratch);
}

int
main (int   argc,
      char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: run-isolated already gives a throwaway
   * $HOME, and that $HOME (where the keyring daemon keeps its files) is the
   * one the keyring test must search for stray keys. */
  g_test_init (&argc, &argv, NULL);

  /* libsecret's file backend, set up as the Secret portal sets it up in a
   * Flatpak (~/.local/share/keyrings/default.keyring in the sandbox), with
   * a fixed master password instead of the portal's. Run in a session
   * without any Secret Service, an identity that loads can only have gone
   * through the simple API's backend-aware path. */
  if (g_strcmp0 (g_getenv ("OPENIOT_TEST_SECRET_FILE"), "1") == 0 &&
      g_getenv ("OPENIOT_TEST_TMPDIR") != NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
      g_autofree char *path = g_build_filename (dir, "default.keyring", NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
    }

  g_test_add_func ("/identity/keyring", test_identity_keyring);
  g_test_add_func ("/identity/keyring-locked", test_identity_keyring_locked);
  g_test_add_func ("/identity/keyring-locked-item", test_identity_keyring_locked_item);
  g_test_add_func ("/identity/no-keyring", test_identity_no_keyring);
  g_test_add_func ("/identity/file-store", test_identity_file_store);
  g_test_add_func ("/identity/file-store-refuses", test_identity_file_store_refuses);
  g_test_add_func ("/identity/bad-input", test_identity_bad_input);

  return g_test_run ();
}
