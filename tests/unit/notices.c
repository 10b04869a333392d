/*
 * tests/unit/notices.c - notifications and webhooks for the domain's tests
 * (see notices.h).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "notices.h"
#include "testutil.h"

#include "domain/notifications.h"

enum err_code notices_notify(struct fixture *f, const char *workspace_id, const char *kind,
                             const char *message, const char *data, const char *key,
                             struct err *err)
{
    struct store_conn *conn = NULL;
    assert_ok(store_acquire(f->store, &conn, err), err);
    enum err_code rc = store_begin_write(conn, err);
    if (!rc)
        rc = notify(conn, workspace_id, kind, message, data, key, err);
    rc = store_end(conn, rc, err);
    store_release(f->store, conn);
    return rc;
}

void notices_notify_ok(struct fixture *f, const char *workspace_id, const char *kind,
                       const char *key)
{
    struct err err = ERR_INIT;
    assert_ok(notices_notify(f, workspace_id, kind, "Something happened.", "{\"n\":1}", key, &err),
              &err);
}

void notices_set_webhook(struct fixture *f, const struct caller *c, const char *url, bool rotate,
                         char secret[WEBHOOK_SECRET_LEN])
{
    struct webhook_view v;
    struct err err = ERR_INIT;
    assert_ok(webhook_set(f->store, c, url, rotate, &v, secret, &err), &err);
    assert_true(v.set);
    assert_string_equal(v.url, url);
    webhook_view_release(&v);
}
