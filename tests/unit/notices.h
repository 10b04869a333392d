/*
 * tests/unit/notices.h - notifications and webhooks on the fixture's
 * database, for the domain's tests: notify() in a write transaction of its
 * own, and a workspace's webhook set, their failures failing the test.
 * Single-threaded, like the fixture. Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_NOTICES_H
#define TESTS_UNIT_NOTICES_H

#include "core/compat.h"
#include "domain/webhooks.h"
#include "fixture.h"

/* Runs notify in a write transaction of its own, committed when it succeeds: its code. */
enum err_code notices_notify(struct fixture *f, const char *workspace_id, const char *kind,
                             const char *message, const char *data, const char *key,
                             struct err *err);
/*
 * Records a notification of kind with key (NULL: none) for workspace_id,
 * "Something happened." with the data {"n":1}; it must succeed.
 */
void notices_notify_ok(struct fixture *f, const char *workspace_id, const char *kind,
                       const char *key);
/*
 * Sets c's webhook to url (rotate: a new secret); it must succeed. The
 * secret shown goes into secret ("" when the one there is was kept).
 */
void notices_set_webhook(struct fixture *f, const struct caller *c, const char *url, bool rotate,
                         char secret[WEBHOOK_SECRET_LEN]);

#endif
