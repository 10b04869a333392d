/*
 * cmd/migrate.c - "crowdelic migrate [--status]".
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/clock.h"
#include "core/log.h"
#include "store/migrate.h"
#include "store/store.h"

static int print_status(struct store *s)
{
    struct migration_status *rows = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;
    if (migrate_status(s, &rows, &n, &err)) {
        fprintf(stderr, "crowdelic migrate: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        char when[CLOCK_ISO8601_LEN] = "";
        if (rows[i].applied)
            clock_iso8601(rows[i].applied_at, when);
        printf("%04d  %-32s %s%s\n", rows[i].version, rows[i].name,
               rows[i].applied ? "applied " : "pending", when);
    }
    free(rows);
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    bool status = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--status") == 0) {
            status = true;
        } else {
            fprintf(stderr, "crowdelic migrate: unknown argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    struct config c;
    int rc = cmd_setup(&c, false);
    if (rc)
        return rc;

    struct store *s = NULL;
    struct err err = ERR_INIT;
    struct store_options so = { .pool_size = 1,
                                .busy_timeout_ms = (int)c.db_busy_timeout_ms,
                                .acquire_timeout_ms = (int)c.db_acquire_timeout_ms,
                                /* a migration may build an index for minutes: no limit */
                                .statement_timeout_ms = 0 };
    rc = 1;
    if (store_open(c.database_url, &so, &s, &err)) {
        fprintf(stderr, "crowdelic migrate: %s\n", err.msg);
        goto out;
    }
    if (status) {
        rc = print_status(s);
        goto out;
    }
    int applied = 0;
    if (migrate_run(s, &applied, &err)) {
        fprintf(stderr, "crowdelic migrate: %s\n", err.msg);
        goto out;
    }
    int version = 0;
    migrate_current_version(s, &version, NULL);
    printf("applied %d migration%s; schema version %d\n", applied, applied == 1 ? "" : "s",
           version);
    rc = 0;
out:
    store_close(s);
    config_release(&c);
    log_close();
    return rc;
}
