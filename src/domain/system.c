/*
 * domain/system.c - installation identity and readiness.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "domain/system.h"
#include "store/migrate.h"
#include "store/store.h"

enum err_code system_ready(struct store *s, struct system_status *out, struct err *err)
{
    out->backend = store_backend_name(s);
    out->schema_version = 0;
    enum err_code rc = store_ping(s, err);
    if (rc)
        return rc;
    return migrate_current_version(s, &out->schema_version, err);
}

/* Reads the instance id into out; *found false when there is none yet. */
static enum err_code read_instance(struct store_conn *c, char out[IDS_UUID_LEN], bool *found,
                                   struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc =
        store_prepare(c, "SELECT id FROM instance ORDER BY created_at LIMIT 1", &st, err);
    if (!rc)
        rc = store_step(st, found, err);
    if (!rc && *found) {
        const char *id = store_col_text(st, 0);
        snprintf(out, IDS_UUID_LEN, "%s", id ? id : "");
    }
    store_finalize(st);
    return rc;
}

enum err_code system_instance_id(struct store *s, char out[IDS_UUID_LEN], struct err *err)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    bool found = false;
    enum err_code rc = store_acquire(s, &c, err);
    if (rc)
        return rc;
    rc = store_begin_write(c, err);
    if (rc)
        goto out;
    rc = read_instance(c, out, &found, err);
    if (!rc && !found) {
        ids_uuid7(out);
        rc = store_prepare(c, "INSERT INTO instance (id, created_at) VALUES (?, ?)", &st, err);
        if (!rc) {
            store_bind_text(st, 1, out);
            store_bind_int64(st, 2, clock_now_ms());
            bool row;
            rc = store_step(st, &row, err);
        }
    }
    if (!rc)
        rc = store_commit(c, err);
out:
    store_finalize(st);
    if (rc)
        store_rollback(c);
    store_release(s, c);
    return rc;
}
