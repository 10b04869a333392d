/*
 * domain/password.h - the password policy for registration and password
 * changes: long enough, bounded, valid text, and not one of the passwords
 * attackers try first (the list in data/passwords/common.txt, embedded in the
 * binary, plus keyboard walks, sequences and repetitions), nor built from the
 * account's own email or company name.
 *
 * Comparisons fold case and the accents of Latin-1 letters (Ç -> c, Ô -> o),
 * so "Flamengo" and "CORAÇÃO" match "flamengo" and "coracao".
 *
 * Threading: any thread. The list is loaded once, on first use
 * (pthread_once), and is read-only afterwards; every function is reentrant.
 * Messages never quote the password.
 */
#ifndef DOMAIN_PASSWORD_H
#define DOMAIN_PASSWORD_H

#include "core/compat.h"
#include "core/err.h"
#include "core/span.h"

#define PASSWORD_MIN_LEN   10   /* characters (UTF-8 code points), not bytes */
#define PASSWORD_MAX_BYTES 1024 /* keeps the argon2 input bounded */

/*
 * ERR_OK when password (a NUL-terminated string) may be used; otherwise
 * ERR_INVALID with field "password" and a message that says what to change:
 * shorter than PASSWORD_MIN_LEN characters, longer than PASSWORD_MAX_BYTES
 * bytes, not valid UTF-8, a common password (also after removing a leading or
 * trailing run of digits and symbols, or reading look-alike digits as letters:
 * "P4ssw0rd2024!"), a single repeated character or short repeated pattern, a
 * simple sequence or a keyboard walk, or containing the local part of email
 * or the company name (each when it has at least 4 characters). email and
 * company may be NULL or "" when unknown. A NULL password is "required".
 */
enum err_code password_check(const char *password, const char *email, const char *company,
                             struct err *err);

/*
 * password_check for password[0..len), which need not be NUL-terminated
 * (a JSON string may hold U+0000): a NUL byte inside is refused.
 */
enum err_code password_check_bytes(const char *password, size_t len, const char *email,
                                   const char *company, struct err *err);

/*
 * True when word[0..len), with case and accents folded, is exactly an entry
 * of the common list (no suffix stripping, no look-alikes).
 */
bool password_is_common(const char *word, size_t len);

/*
 * The number of entries in the common list, and entry i (i < that number) in
 * ascending byte order, for tests and tools. The span is not NUL-terminated;
 * it points into the embedded file and stays valid for the life of the process.
 */
size_t password_common_count(void);
struct span password_common_at(size_t i);

#endif
