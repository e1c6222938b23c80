// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * LD_PRELOAD shim for h2load, which cannot present a client certificate
 * (nghttp2 1.52): every OpenSSL SSL_CTX it makes gets the certificate and
 * key named by OPENIOT_BENCH_CERT and OPENIOT_BENCH_KEY. The hub and
 * nginx both refuse the proxied path to a client without a registered
 * certificate. OpenSSL's own configuration cannot do it: its
 * "system_default" section refuses Certificate and PrivateKey.
 *
 * No OpenSSL headers: the few prototypes are declared here, the symbols
 * are the loader's own libssl's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_method_st SSL_METHOD;

#define SSL_FILETYPE_PEM 1

SSL_CTX *SSL_CTX_new (const SSL_METHOD *method);
int SSL_CTX_use_certificate_chain_file (SSL_CTX *ctx, const char *file);
int SSL_CTX_use_PrivateKey_file (SSL_CTX *ctx, const char *file, int type);

typedef SSL_CTX *(*SslCtxNewFunc) (const SSL_METHOD *method);

SSL_CTX *
SSL_CTX_new (const SSL_METHOD *method)
{
  SslCtxNewFunc real = (SslCtxNewFunc) dlsym (RTLD_NEXT, "SSL_CTX_new");
  const char *cert = getenv ("OPENIOT_BENCH_CERT");
  const char *key = getenv ("OPENIOT_BENCH_KEY");
  SSL_CTX *ctx = real (method);

  if (ctx != NULL && cert != NULL && key != NULL &&
      (SSL_CTX_use_certificate_chain_file (ctx, cert) != 1 ||
       SSL_CTX_use_PrivateKey_file (ctx, key, SSL_FILETYPE_PEM) != 1))
    fprintf (stderr, "openiot-bench-client-cert: could not load %s and %s\n", cert, key);
  return ctx;
}
