#ifndef COPENSSL_H
#define COPENSSL_H

// SHA256_Transform (one compression) is deprecated in OpenSSL 3 but kept; framecrypt's PBKDF2
// needs it to run an HMAC iteration as two compressions.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/opensslv.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#endif
