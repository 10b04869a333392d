/*
 * api/bodies.h - the field tables (core/jsonio.h) of the JSON bodies that
 * routes check with jsonio_check, in one place: each handler checks its
 * body against its table here, and tests/fuzz/fuzz_json_body.c checks
 * every table against any bytes (STYLE.md Z1), with no request or store.
 *
 * The bodies not here have readers of their own, fuzzed on their own:
 * a persona's (POST and PUT /api/personas: domain/personas.h
 * persona_spec_check and persona_tags_check, fuzz_persona) and a test's
 * (POST and PUT /api/tests: domain/test_spec.h, fuzz_test_spec).
 *
 * Constant data; any thread may read it.
 */
#ifndef API_BODIES_H
#define API_BODIES_H

#include "core/compat.h"

#include "core/jsonio.h"

struct api_body {
    const char *route; /* "POST /api/auth/register": for messages and the fuzz target */
    const struct jfield *fields;
    size_t n_fields;
};

extern const struct api_body BODY_REGISTER;          /* POST /api/auth/register */
extern const struct api_body BODY_LOGIN;             /* POST /api/auth/login */
extern const struct api_body BODY_PROJECT_CREATE;    /* POST /api/projects */
extern const struct api_body BODY_PROJECT_UPDATE;    /* PUT /api/projects/:id */
extern const struct api_body BODY_PERSONAS_GENERATE; /* POST /api/personas/generate */
extern const struct api_body BODY_PERSONA_VALIDATE;  /* POST /api/personas/:id/validate */
extern const struct api_body BODY_INTERVIEW_CHAT;    /* POST /api/personas/:id/chat */
extern const struct api_body BODY_LIBRARY_CREATE;    /* POST /api/libraries */
extern const struct api_body BODY_LIBRARY_UPDATE;    /* PUT /api/libraries/:id */
extern const struct api_body BODY_LIBRARY_ADD;       /* POST /api/libraries/:id/personas */
extern const struct api_body BODY_API_KEY_CREATE;    /* POST /api/api-keys */
extern const struct api_body BODY_WORKSPACE_UPDATE;  /* PUT /api/workspace */
extern const struct api_body BODY_MEMBER_UPDATE;     /* PUT /api/workspace/members/:id */
extern const struct api_body BODY_INVITE_CREATE;     /* POST /api/workspace/invites */
extern const struct api_body BODY_WEBHOOK_PUT;       /* PUT /api/workspace/webhook */
extern const struct api_body BODY_BILLING_EXTRAS;    /* POST /api/billing/extra-personas */
extern const struct api_body BODY_BILLING_PLAN;      /* POST /api/billing/upgrade, downgrade */

/* Every table above, API_BODIES_COUNT of them. */
extern const struct api_body *const API_BODIES[];
extern const size_t API_BODIES_COUNT;

/* jsonio_check(body, b's fields, "", err): ERR_INVALID naming the first bad field. */
enum err_code api_body_check(const json_t *body, const struct api_body *b, struct err *err);

#endif
