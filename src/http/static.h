/*
 * http/static.h - pure helpers behind the static file server (the serving
 * itself is internal to http/): the path check and the MIME table.
 * Reentrant.
 */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H

#include "core/compat.h"

/*
 * True when path (absolute, percent-decoded) may name a file under the web
 * root: no "." or ".." segment, no backslash, no control character, no
 * empty segment except a final slash, and no segment starting with '.'.
 */
bool static_path_is_safe(const char *path);

/* The Content-Type for a file name, by extension; a generic type otherwise. */
const char *static_mime_type(const char *name);

#endif
