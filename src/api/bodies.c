/*
 * api/bodies.c - the field tables of the routes' JSON bodies (api/bodies.h).
 * Each bound says why it is that number where the domain has no constant
 * for it.
 */
#include "core/compat.h"

#include "api/bodies.h"
#include "domain/accounts.h"
#include "domain/api_keys.h"
#include "domain/billing.h"
#include "domain/interviews.h"
#include "domain/libraries.h"
#include "domain/members.h"
#include "domain/persona_model.h"
#include "domain/projects.h"

#define PLAN_NAME_MAX 40 /* longer than every plan's name; the domain names the plans */

#define BODY(name, route_text, table) \
    const struct api_body name = { route_text, table, ARRAY_SIZE(table) }

static const struct jfield register_fields[] = {
    { "email", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, EMAIL_MAX },
    { "password", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 1024 },
    { "company", JF_STRING, JF_NULLABLE | JF_BOUNDED, 0, COMPANY_MAX },
    { "invite_token", JF_STRING, JF_NULLABLE | JF_BOUNDED, 1, 256 },
};
BODY(BODY_REGISTER, "POST /api/auth/register", register_fields);

static const struct jfield login_fields[] = {
    { "email", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, EMAIL_MAX },
    { "password", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 1024 },
};
BODY(BODY_LOGIN, "POST /api/auth/login", login_fields);

static const struct jfield project_create_fields[] = {
    { "name", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, PROJECT_NAME_MAX },
    { "description", JF_STRING, JF_NULLABLE | JF_BOUNDED, 0, PROJECT_DESCRIPTION_MAX },
};
BODY(BODY_PROJECT_CREATE, "POST /api/projects", project_create_fields);

static const struct jfield project_update_fields[] = {
    { "name", JF_STRING, JF_NULLABLE | JF_BOUNDED, 1, PROJECT_NAME_MAX },
    { "description", JF_STRING, JF_NULLABLE | JF_BOUNDED, 0, PROJECT_DESCRIPTION_MAX },
};
BODY(BODY_PROJECT_UPDATE, "PUT /api/projects/:id", project_update_fields);

static const struct jfield generate_fields[] = {
    { "description", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 2000 },
    { "count", JF_INT, JF_REQUIRED | JF_BOUNDED, 1, GENERATE_MAX },
    { "language", JF_STRING, JF_NULLABLE, 0, 0 },
    { "seed", JF_INT, JF_NULLABLE | JF_BOUNDED, 0, (int64_t)1 << 53 },
    { "dry_run", JF_BOOL, JF_NULLABLE, 0, 0 },
};
BODY(BODY_PERSONAS_GENERATE, "POST /api/personas/generate", generate_fields);

static const struct jfield validate_fields[] = {
    { "expectations", JF_STRING, JF_NULLABLE | JF_BOUNDED, 0, VALIDATE_EXPECT_MAX },
    { "rounds", JF_INT, JF_NULLABLE | JF_BOUNDED, 2, 10 },
};
BODY(BODY_PERSONA_VALIDATE, "POST /api/personas/:id/validate", validate_fields);

static const struct jfield chat_fields[] = {
    { "message", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, INTERVIEW_MESSAGE_MAX },
    { "conversation_id", JF_STRING, JF_NULLABLE | JF_BOUNDED, 0, 64 },
};
BODY(BODY_INTERVIEW_CHAT, "POST /api/personas/:id/chat", chat_fields);

static const struct jfield library_create_fields[] = {
    { "name", JF_STRING, JF_REQUIRED, 0, 0 },
    { "description", JF_STRING, JF_NULLABLE, 0, 0 },
};
BODY(BODY_LIBRARY_CREATE, "POST /api/libraries", library_create_fields);

static const struct jfield library_update_fields[] = {
    { "name", JF_STRING, JF_NULLABLE, 0, 0 },
    { "description", JF_STRING, JF_NULLABLE, 0, 0 },
};
BODY(BODY_LIBRARY_UPDATE, "PUT /api/libraries/:id", library_update_fields);

static const struct jfield library_add_fields[] = {
    { "persona_ids", JF_ARRAY, JF_REQUIRED | JF_BOUNDED, 1, LIBRARY_ADD_MAX },
};
BODY(BODY_LIBRARY_ADD, "POST /api/libraries/:id/personas", library_add_fields);

static const struct jfield api_key_fields[] = {
    { "name", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, API_KEY_NAME_MAX },
};
BODY(BODY_API_KEY_CREATE, "POST /api/api-keys", api_key_fields);

static const struct jfield workspace_fields[] = {
    { "name", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, WORKSPACE_NAME_MAX },
};
BODY(BODY_WORKSPACE_UPDATE, "PUT /api/workspace", workspace_fields);

static const struct jfield member_fields[] = {
    { "role", JF_STRING, JF_REQUIRED, 0, 0 },
};
BODY(BODY_MEMBER_UPDATE, "PUT /api/workspace/members/:id", member_fields);

static const struct jfield invite_fields[] = {
    { "email", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, EMAIL_MAX },
    { "role", JF_STRING, JF_NULLABLE, 0, 0 },
};
BODY(BODY_INVITE_CREATE, "POST /api/workspace/invites", invite_fields);

static const struct jfield webhook_fields[] = {
    { "url", JF_STRING, JF_REQUIRED, 0, 0 },
    { "rotate_secret", JF_BOOL, JF_NULLABLE, 0, 0 },
};
BODY(BODY_WEBHOOK_PUT, "PUT /api/workspace/webhook", webhook_fields);

static const struct jfield extras_fields[] = {
    { "quantity", JF_INT, JF_REQUIRED | JF_BOUNDED, 1, BILLING_QUANTITY_MAX },
};
BODY(BODY_BILLING_EXTRAS, "POST /api/billing/extra-personas", extras_fields);

static const struct jfield plan_fields[] = {
    { "plan", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, PLAN_NAME_MAX },
};
BODY(BODY_BILLING_PLAN, "POST /api/billing/upgrade", plan_fields);

const struct api_body *const API_BODIES[] = {
    &BODY_REGISTER,          &BODY_LOGIN,
    &BODY_PROJECT_CREATE,    &BODY_PROJECT_UPDATE,
    &BODY_PERSONAS_GENERATE, &BODY_PERSONA_VALIDATE,
    &BODY_INTERVIEW_CHAT,    &BODY_LIBRARY_CREATE,
    &BODY_LIBRARY_UPDATE,    &BODY_LIBRARY_ADD,
    &BODY_API_KEY_CREATE,    &BODY_WORKSPACE_UPDATE,
    &BODY_MEMBER_UPDATE,     &BODY_INVITE_CREATE,
    &BODY_WEBHOOK_PUT,       &BODY_BILLING_EXTRAS,
    &BODY_BILLING_PLAN,
};
const size_t API_BODIES_COUNT = ARRAY_SIZE(API_BODIES);

enum err_code api_body_check(const json_t *body, const struct api_body *b, struct err *err)
{
    return jsonio_check(body, b->fields, b->n_fields, "", err);
}
