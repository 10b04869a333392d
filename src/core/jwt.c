/*
 * core/jwt.c - the pinned HS256 wrapper around libjwt 1.10 (see jwt.h).
 */
#include "core/compat.h"

#include "core/jwt.h"

#include <jwt.h>

#include "core/xalloc.h"

#define TOKEN_MAX 4096 /* ours are ~300 bytes; anything far larger is not ours */

static enum err_code need_secret(const char *secret, size_t len, struct err *err)
{
    if (!secret || len < JWT_SECRET_MIN)
        return err_set(err, ERR_INTERNAL, NULL, "the token secret is missing or too short");
    return ERR_OK;
}

enum err_code jwt_sign(const struct jwt_claims *claims, const char *secret, size_t secret_len,
                       char **token, struct err *err)
{
    *token = NULL;
    enum err_code rc = need_secret(secret, secret_len, err);
    if (rc)
        return rc;
    jwt_t *j = NULL;
    if (jwt_new(&j))
        return err_set(err, ERR_INTERNAL, NULL, "jwt_new failed");
    bool ok = jwt_set_alg(j, JWT_ALG_HS256, (const unsigned char *)secret, (int)secret_len) == 0 &&
              jwt_add_grant(j, "sub", claims->sub) == 0 &&
              jwt_add_grant(j, "ws", claims->ws) == 0 &&
              jwt_add_grant(j, "jti", claims->jti) == 0 &&
              jwt_add_grant_int(j, "iat", (long)claims->iat) == 0 &&
              jwt_add_grant_int(j, "exp", (long)claims->exp) == 0;
    char *text = ok ? jwt_encode_str(j) : NULL;
    jwt_free(j);
    if (!text)
        return err_set(err, ERR_INTERNAL, NULL, "the token could not be signed");
    *token = xstrdup(text);
    free(text); /* libjwt 1.10 hands it over as plain malloc memory */
    return ERR_OK;
}

/* Copies a string claim into out; false when it is missing, empty or too long. */
static bool string_claim(jwt_t *j, const char *name, char out[JWT_ID_MAX])
{
    const char *v = jwt_get_grant(j, name);
    if (!v || !*v || strlen(v) >= JWT_ID_MAX)
        return false;
    snprintf(out, JWT_ID_MAX, "%s", v);
    return true;
}

/* An integer claim: a JSON number with no fraction, nothing else (libjwt reads "soon" as 0). */
static bool int_claim(jwt_t *j, const char *name, int64_t *out)
{
    char *json = jwt_get_grants_json(j, name);
    if (!json)
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(json, &end, 10);
    bool ok = end != json && *end == '\0' && errno == 0 && json[0] != '"';
    free(json); /* libjwt 1.10 hands it over as plain malloc memory */
    if (ok)
        *out = v;
    return ok;
}

enum err_code jwt_verify(const char *token, const char *secret, size_t secret_len, int64_t now,
                         struct jwt_claims *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = need_secret(secret, secret_len, err);
    if (rc)
        return rc;
    if (!token || !*token || strlen(token) > TOKEN_MAX)
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid token");
    jwt_t *j = NULL;
    /* never without a key: libjwt would then accept any token unverified */
    if (jwt_decode(&j, token, (const unsigned char *)secret, (int)secret_len) || !j)
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid token");
    if (jwt_get_alg(j) != JWT_ALG_HS256) {
        jwt_free(j);
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid token (algorithm)");
    }
    bool whole = string_claim(j, "sub", out->sub) && string_claim(j, "ws", out->ws) &&
                 string_claim(j, "jti", out->jti) && int_claim(j, "iat", &out->iat) &&
                 int_claim(j, "exp", &out->exp);
    jwt_free(j);
    if (!whole)
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid token (claims)");
    if (out->exp <= now)
        return err_set(err, ERR_UNAUTHORIZED, NULL, "the token has expired");
    return ERR_OK;
}
