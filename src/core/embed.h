/*
 * core/embed.h - files compiled into the binary by scripts/embed: the SQL
 * migrations (sql/) and the API description (docs/openapi.yaml). Read-only
 * data; safe from any thread.
 */
#ifndef CORE_EMBED_H
#define CORE_EMBED_H

#include "core/compat.h"

struct embedded_file {
    const char *path; /* as given to scripts/embed, e.g. "sql/0001_instance.sql" */
    size_t len;       /* bytes, excluding the NUL */
    const char *data; /* NUL-terminated */
};

extern const struct embedded_file embedded_files[];
extern const size_t n_embedded_files;

/* The embedded file with exactly this path, or NULL. */
const struct embedded_file *embed_find(const char *path);

#endif
