/*
 * domain/system.h - facts about this installation: its id, its schema
 * version, whether its database answers. Used by /readyz and at start-up.
 *
 * Threading: any thread; each call takes a pooled connection for its
 * duration.
 */
#ifndef DOMAIN_SYSTEM_H
#define DOMAIN_SYSTEM_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"

struct store;

struct system_status {
    const char *backend; /* "sqlite" or "postgres"; static */
    int schema_version;
};

/* Checks that the database answers and reads its schema version. */
enum err_code system_ready(struct store *s, struct system_status *out, struct err *err);

/*
 * The id of this installation (created at the first start, then stable),
 * written into out.
 */
enum err_code system_instance_id(struct store *s, char out[IDS_UUID_LEN], struct err *err);

#endif
