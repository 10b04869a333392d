/*
 * core/jwt.h - our tokens: JWTs signed with HS256 (libjwt, reference/libs.md
 * 4.2), only through this wrapper. Verification pins the algorithm (an
 * HS512, RS256 or "none" token is refused even when libjwt would accept it),
 * never calls libjwt without a key (with a NULL key libjwt accepts anything
 * unverified), refuses secrets shorter than JWT_SECRET_MIN bytes, and checks
 * what libjwt does not: the expiry and the presence of every claim we rely
 * on. Revocation (the token id) is the caller's check. Reentrant.
 */
#ifndef CORE_JWT_H
#define CORE_JWT_H

#include "core/compat.h"
#include "core/err.h"

#define JWT_SECRET_MIN 32 /* bytes */
#define JWT_ID_MAX     64

struct jwt_claims {
    char sub[JWT_ID_MAX]; /* the user id */
    char ws[JWT_ID_MAX];  /* the workspace id */
    char jti[JWT_ID_MAX]; /* the token's own id (for revocation) */
    int64_t iat, exp;     /* issued at, expires at: seconds since the epoch */
};

/*
 * Signs claims into a compact token (malloc'd, *token). ERR_INTERNAL for a
 * secret under JWT_SECRET_MIN bytes or a claim that does not fit.
 */
enum err_code jwt_sign(const struct jwt_claims *claims, const char *secret, size_t secret_len,
                       char **token, struct err *err);

/*
 * Verifies token at time now (seconds) into *out. ERR_UNAUTHORIZED with
 * the reason (malformed, bad signature, algorithm, expired, a claim
 * missing) for any token we did not sign; ERR_INTERNAL without a usable
 * secret.
 */
enum err_code jwt_verify(const char *token, const char *secret, size_t secret_len, int64_t now,
                         struct jwt_claims *out, struct err *err);

#endif
