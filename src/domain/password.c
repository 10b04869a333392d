/*
 * domain/password.c - the password policy of password.h. Owns the common
 * list (data/passwords/common.txt, embedded by the build, read once into a
 * sorted array of spans that point into the embedded bytes, searched with
 * bsearch), the folding of case and accents, and the rules: size, text,
 * email and company name, repetitions, sequences, keyboard walks, common
 * passwords and their variants.
 */
#include "core/compat.h"

#include "domain/password.h"

#include <pthread.h>

#include "core/embed.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define COMMON_PATH "data/passwords/common.txt"
#define FIELD       "password"

/* A stem this long (in characters) that is a walk or a sequence is refused even with a suffix. */
#define PATTERN_MIN_STEM 6

/* ---- the common list ------------------------------------------------------------------------ */

static pthread_once_t common_once = PTHREAD_ONCE_INIT;
static struct span *common; /* sorted by span_order; points into the embedded file */
static size_t n_common;
static size_t common_max_len;

/* Byte order, a shorter span first when one is a prefix of the other. */
static int span_order(const void *a, const void *b)
{
    const struct span *x = a;
    const struct span *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

static void load_common(void)
{
    const struct embedded_file *f = embed_find(COMMON_PATH);
    if (!f)
        BUG("%s is not embedded in this binary (see EMBED_FILES in the Makefile)", COMMON_PATH);
    size_t alloc = 0;
    struct span rest = span_make(f->data, f->len);
    while (rest.len) {
        struct span line = span_cut(&rest, '\n');
        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        line = span_trim(line);
        if (!line.len || line.ptr[0] == '#')
            continue;
        ALLOC_GROW(common, n_common + 1, alloc);
        common[n_common++] = line;
        if (line.len > common_max_len)
            common_max_len = line.len;
    }
    if (n_common)
        qsort(common, n_common, sizeof(*common), span_order);
}

static void ensure_loaded(void)
{
    pthread_once(&common_once, load_common);
}

/* True when s[0..n), already folded, is an entry of the list. */
static bool lookup(const char *s, size_t n)
{
    if (n == 0 || n > common_max_len || n_common == 0)
        return false;
    struct span key = span_make(s, n);
    return bsearch(&key, common, n_common, sizeof(*common), span_order) != NULL;
}

size_t password_common_count(void)
{
    ensure_loaded();
    return n_common;
}

struct span password_common_at(size_t i)
{
    ensure_loaded();
    assert(i < n_common);
    return common[i];
}

/* ---- folding -------------------------------------------------------------------------------- */

/* The base letter of U+00C0..U+00FF, indexed by the code point's low 6 bits; '*' keeps it. */
static const char LATIN1_BASE[] =
    "aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";
static_assert(sizeof(LATIN1_BASE) == 64 + 1, "one base letter for each of U+00C0..U+00FF");

/*
 * Writes s[0..n) to out (room for n bytes) with ASCII letters lower-cased and
 * the accented Latin-1 letters replaced by their base letter; other bytes are
 * copied. Returns the bytes written (at most n). Works on any bytes.
 */
static size_t fold(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned char next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        if (c >= 'A' && c <= 'Z') {
            out[o++] = (char)(c - 'A' + 'a');
        } else if (c == 0xc3 && (next & 0xc0) == 0x80 && LATIN1_BASE[next & 0x3f] != '*') {
            out[o++] = LATIN1_BASE[next & 0x3f];
            i++;
        } else {
            out[o++] = (char)c;
        }
    }
    return o;
}

/* After folding: a letter is a-z or any byte of a non-ASCII character. */
static bool is_letter(char ch)
{
    unsigned char c = (unsigned char)ch;
    return (c >= 'a' && c <= 'z') || c >= 0x80;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_letter(c) || is_digit(c);
}

/* Keeps the letters and digits of s[0..n) in place; returns the new length. */
static size_t keep_alnum(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (is_alnum(s[i]))
            s[o++] = s[i];
    return o;
}

/* The letter a look-alike digit or symbol stands for (p4ssw0rd, p@$$word), or c itself. */
static char unleet(char c)
{
    switch (c) {
    case '0':
        return 'o';
    case '1':
    case '!':
        return 'i';
    case '3':
        return 'e';
    case '4':
    case '@':
        return 'a';
    case '5':
    case '$':
        return 's';
    case '7':
        return 't';
    default:
        return c;
    }
}

/* ---- email and company name ----------------------------------------------------------------- */

/* True when needle[0..nn) has at least 4 characters and occurs in hay[0..hn). */
static bool contains(const char *hay, size_t hn, const char *needle, size_t nn)
{
    return utf8_chars(needle, nn) >= 4 && nn <= hn && memmem(hay, hn, needle, nn) != NULL;
}

/*
 * True when the password (folded, letters and digits only: sq[0..n)) holds
 * the local part of email, whole (john.smith -> johnsmith) or any of its
 * parts between separators (smith).
 */
static bool uses_email(const char *sq, size_t n, const char *email)
{
    if (!email)
        return false;
    const char *at = strrchr(email, '@');
    size_t len = at ? (size_t)(at - email) : strlen(email);
    char *local = xmalloc(len + 1);
    size_t m = fold(email, len, local);
    bool found = false;
    size_t start = 0;
    for (size_t i = 0; i <= m && !found; i++) {
        if (i == m || !is_alnum(local[i])) {
            found = contains(sq, n, local + start, i - start);
            start = i + 1;
        }
    }
    if (!found)
        found = contains(sq, n, local, keep_alnum(local, m));
    free(local);
    return found;
}

/*
 * True when the password (sq[0..n) as for uses_email) holds the company name,
 * letters and digits only (Acme Corp -> acmecorp).
 */
static bool uses_company(const char *sq, size_t n, const char *company)
{
    if (!company)
        return false;
    size_t len = strlen(company);
    char *name = xmalloc(len + 1);
    size_t m = keep_alnum(name, fold(company, len, name));
    bool found = contains(sq, n, name, m);
    free(name);
    return found;
}

/* ---- repetitions, sequences, keyboard walks ------------------------------------------------- */

enum pattern { PAT_NONE, PAT_REPEAT_CHAR, PAT_REPEAT_UNIT, PAT_SEQUENCE, PAT_KEYBOARD, PAT_MIXED };

/*
 * Where c sits on a US/ABNT QWERTY keyboard: its row (0 = digits) and its
 * horizontal position in quarters of a key, rows staggered as on the real
 * thing. A shifted symbol sits on its key (! on 1). False for other bytes.
 */
static bool key_at(char c, int *row, int *x)
{
    static const char *const plain[] = { "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'",
                                         "zxcvbnm,./" };
    static const char *const shifted[] = { "~!@#$%^&*()_+", "QWERTYUIOP{}|", "ASDFGHJKL:\"",
                                           "ZXCVBNM<>?" };
    static const int offset[] = { 0, 6, 7, 9 };
    if (c == '\0')
        return false;
    for (int r = 0; r < 4; r++) {
        const char *p = strchr(plain[r], c);
        const char *row_start = plain[r];
        if (!p) {
            p = strchr(shifted[r], c);
            row_start = shifted[r];
        }
        if (p) {
            *row = r;
            *x = offset[r] + 4 * (int)(p - row_start);
            return true;
        }
    }
    return false;
}

/* Neighbouring keys: beside each other on a row, or touching on the row above or below. */
static bool keys_adjacent(char a, char b)
{
    int ra;
    int xa;
    int rb;
    int xb;
    if (!key_at(a, &ra, &xa) || !key_at(b, &rb, &xb))
        return false;
    int dx = abs(xa - xb);
    if (ra == rb)
        return dx <= 4;
    return abs(ra - rb) == 1 && dx < 4;
}

/* One step up or down the digits (9 -> 0 wraps, as on the keyboard) or the alphabet. */
static bool sequence_step(char a, char b)
{
    int modulus;
    if (is_digit(a) && is_digit(b))
        modulus = 10;
    else if (a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z')
        modulus = 26;
    else
        return false;
    int d = ((b - a) % modulus + modulus) % modulus;
    return d == 1 || d == modulus - 1;
}

/*
 * What predictable shape s[0..n) (folded, valid UTF-8) has: a unit of fewer
 * than PASSWORD_MIN_LEN characters repeated, or four steps in five that are a
 * repeat, a step of a sequence or a move to a neighbouring key.
 */
static enum pattern pattern_of(const char *s, size_t n)
{
    size_t max_unit = n / 2;
    if (max_unit > 4 * (PASSWORD_MIN_LEN - 1))
        max_unit = 4 * (PASSWORD_MIN_LEN - 1);
    for (size_t p = 1; p <= max_unit; p++) {
        size_t i = p;
        while (i < n && s[i] == s[i - p])
            i++;
        if (i == n && utf8_chars(s, p) < PASSWORD_MIN_LEN)
            return utf8_chars(s, p) == 1 ? PAT_REPEAT_CHAR : PAT_REPEAT_UNIT;
    }
    if (n < 2)
        return PAT_NONE;
    size_t steps = n - 1;
    size_t n_repeat = 0;
    size_t n_sequence = 0;
    size_t n_keyboard = 0;
    size_t n_any = 0;
    for (size_t i = 1; i < n; i++) {
        bool repeat = s[i] == s[i - 1];
        bool sequence = sequence_step(s[i - 1], s[i]);
        bool keyboard = keys_adjacent(s[i - 1], s[i]);
        n_repeat += repeat;
        n_sequence += sequence;
        n_keyboard += keyboard && !repeat;
        n_any += repeat || sequence || keyboard;
    }
    if (n_sequence && 5 * (n_sequence + n_repeat) >= 4 * steps)
        return PAT_SEQUENCE;
    if (n_keyboard && 5 * (n_keyboard + n_repeat) >= 4 * steps)
        return PAT_KEYBOARD;
    if (5 * n_any >= 4 * steps)
        return PAT_MIXED;
    return PAT_NONE;
}

static enum err_code pattern_error(enum pattern p, struct err *err)
{
    switch (p) {
    case PAT_REPEAT_CHAR:
        return err_set(err, ERR_INVALID, FIELD, "password: do not use a single repeated character");
    case PAT_REPEAT_UNIT:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: do not repeat a short pattern (such as abcabcabc)");
    case PAT_SEQUENCE:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: do not use a simple sequence (such as 1234567890 or abcdefghij)");
    case PAT_KEYBOARD:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: do not use a keyboard pattern (such as qwertyuiop or 1qaz2wsx)");
    case PAT_MIXED:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: do not use a keyboard pattern or a simple sequence");
    case PAT_NONE:
        break;
    }
    return ERR_OK;
}

/* ---- common passwords and their variants ---------------------------------------------------- */

/*
 * The stem of the folded f[0..n): f[*head..*tail) is what is left after the
 * leading and the trailing runs of digits and symbols (all of f is one run
 * when it has no letter: then *head == *tail == 0).
 */
static void stem_of(const char *f, size_t n, size_t *head, size_t *tail)
{
    size_t t = n;
    while (t > 0 && !is_letter(f[t - 1]))
        t--;
    size_t h = 0;
    while (h < t && !is_letter(f[h]))
        h++;
    *head = h;
    *tail = t;
}

enum match { MATCH_NONE, MATCH_EXACT, MATCH_VARIANT };

/*
 * Looks the folded password f[0..n) up in the list: whole; then without
 * every tail of its trailing run of digits and symbols, with and without its
 * leading run ("2024senha@123" -> "senha"); each also read through unleet
 * (lk[0..n), "p4ssw0rd!" -> "password"). At most 4 n lookups.
 */
static enum match common_match(const char *f, const char *lk, size_t n)
{
    if (lookup(f, n))
        return MATCH_EXACT;
    size_t head;
    size_t tail;
    stem_of(f, n, &head, &tail);
    for (size_t end = n; end >= tail && end > 0; end--) {
        size_t starts[2] = { 0, head };
        for (size_t k = 0; k < (head ? 2u : 1u); k++) {
            size_t from = starts[k];
            if (from >= end)
                continue;
            if (lookup(f + from, end - from) || lookup(lk + from, end - from))
                return MATCH_VARIANT;
        }
    }
    return MATCH_NONE;
}

bool password_is_common(const char *word, size_t len)
{
    char f[PASSWORD_MAX_BYTES];
    ensure_loaded();
    if (!word || len > sizeof(f))
        return false;
    return lookup(f, fold(word, len, f));
}

/* ---- the check ------------------------------------------------------------------------------ */

enum err_code password_check_bytes(const char *password, size_t len, const char *email,
                                   const char *company, struct err *err)
{
    if (!password)
        return err_set(err, ERR_INVALID, FIELD, "password: required");
    if (len > PASSWORD_MAX_BYTES)
        return err_set(err, ERR_INVALID, FIELD, "password: at most %d bytes", PASSWORD_MAX_BYTES);
    if (len && memchr(password, '\0', len))
        return err_set(err, ERR_INVALID, FIELD, "password: must not contain a NUL character");
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq_len((const unsigned char *)password + i, len - i);
        if (!k)
            return err_set(err, ERR_INVALID, FIELD, "password: not valid UTF-8 text");
        i += k;
    }
    if (utf8_chars(password, len) < PASSWORD_MIN_LEN)
        return err_set(err, ERR_INVALID, FIELD, "password: at least %d characters",
                       PASSWORD_MIN_LEN);

    ensure_loaded();
    char f[PASSWORD_MAX_BYTES];  /* folded */
    char lk[PASSWORD_MAX_BYTES]; /* folded, look-alikes read as letters */
    char sq[PASSWORD_MAX_BYTES]; /* folded, letters and digits only */
    size_t n = fold(password, len, f);
    for (size_t i = 0; i < n; i++)
        lk[i] = unleet(f[i]);
    memcpy(sq, f, n);
    size_t n_sq = keep_alnum(sq, n);

    if (uses_email(sq, n_sq, email))
        return err_set(err, ERR_INVALID, FIELD, "password: do not use your email in your password");
    if (uses_company(sq, n_sq, company))
        return err_set(err, ERR_INVALID, FIELD,
                       "password: do not use your company name in your password");

    enum pattern p = pattern_of(f, n);
    if (p == PAT_NONE) {
        size_t head;
        size_t tail;
        stem_of(f, n, &head, &tail);
        if ((head > 0 || tail < n) && utf8_chars(f + head, tail - head) >= PATTERN_MIN_STEM)
            p = pattern_of(f + head, tail - head);
    }
    if (p != PAT_NONE)
        return pattern_error(p, err);

    switch (common_match(f, lk, n)) {
    case MATCH_EXACT:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: this password is too common (it appears in lists of leaked "
                       "passwords)");
    case MATCH_VARIANT:
        return err_set(err, ERR_INVALID, FIELD,
                       "password: this password is too common (a leaked password with digits, "
                       "symbols or look-alike characters added)");
    case MATCH_NONE:
        break;
    }
    return ERR_OK;
}

enum err_code password_check(const char *password, const char *email, const char *company,
                             struct err *err)
{
    if (!password)
        return err_set(err, ERR_INVALID, FIELD, "password: required");
    return password_check_bytes(password, strnlen(password, PASSWORD_MAX_BYTES + 1), email, company,
                                err);
}
