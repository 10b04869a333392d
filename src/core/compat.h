/*
 * core/compat.h - the first include of every .c file in src/ and tests/.
 *
 * Owns the feature-test macros (set here and nowhere else), the handful of
 * system headers nearly every file needs, and the banned-function list, which
 * must come after the system headers that declare those functions.
 * No code lives here.
 */
#ifndef CORE_COMPAT_H
#define CORE_COMPAT_H

#ifndef _GNU_SOURCE
#    define _GNU_SOURCE 1 /* pipe2, memmem, strcasestr, accept4, SO_REUSEPORT */
#endif

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#    define ATTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#    define ATTR_NORETURN          __attribute__((noreturn))
#    define ATTR_UNUSED            __attribute__((unused))
#    define ATTR_WARN_UNUSED       __attribute__((warn_unused_result))
#else
#    define ATTR_PRINTF(fmt, args)
#    define ATTR_NORETURN
#    define ATTR_UNUSED
#    define ATTR_WARN_UNUSED
#endif

#include "core/banned.h"

#endif
