/*
 * tests/unit/domain/test_password.c - domain/password.h: every rule of the
 * password policy with passwords it refuses and passwords it accepts, in
 * English and Portuguese (length in characters, the byte bound, NUL and
 * invalid UTF-8, the common list and its variants, repetitions, sequences,
 * keyboard walks, the email and the company name), and the embedded list
 * itself (size, form, order, loaded once from many threads).
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "domain/password.h"

#define MSG_SHORT  "password: at least 10 characters"
#define MSG_LONG   "password: at most 1024 bytes"
#define MSG_NUL    "password: must not contain a NUL character"
#define MSG_UTF8   "password: not valid UTF-8 text"
#define MSG_COMMON "password: this password is too common (it appears in lists of leaked passwords)"
#define MSG_VARIANT \
    "password: this password is too common (a leaked password with digits, symbols or look-alike characters added)"
#define MSG_EMAIL    "password: do not use your email in your password"
#define MSG_COMPANY  "password: do not use your company name in your password"
#define MSG_CHAR     "password: do not use a single repeated character"
#define MSG_UNIT     "password: do not repeat a short pattern (such as abcabcabc)"
#define MSG_SEQUENCE "password: do not use a simple sequence (such as 1234567890 or abcdefghij)"
#define MSG_KEYBOARD "password: do not use a keyboard pattern (such as qwertyuiop or 1qaz2wsx)"

/* Checks that password_check refuses pw with msg (any message when msg is NULL). */
static void refused(const char *pw, const char *email, const char *company, const char *msg)
{
    struct err err = ERR_INIT;
    enum err_code rc = password_check(pw, email, company, &err);
    if (rc != ERR_INVALID)
        fail_msg("'%s' was not refused (code %d)", pw ? pw : "(null)", (int)rc);
    assert_string_equal(err.field, "password");
    if (msg && strcmp(err.msg, msg) != 0)
        fail_msg("'%s': expected \"%s\", got \"%s\"", pw ? pw : "(null)", msg, err.msg);
}

static void accepted(const char *pw, const char *email, const char *company)
{
    struct err err = ERR_INIT;
    enum err_code rc = password_check(pw, email, company, &err);
    if (rc != ERR_OK)
        fail_msg("'%s' was refused: %s", pw, err.msg);
}

/* ---- the list ------------------------------------------------------------------------------- */

static void *count_in_thread(void *arg)
{
    size_t *out = arg;
    *out = password_common_count();
    return NULL;
}

/* Runs first: the list is loaded by whichever of these threads gets there first. */
static void list_loads_once_from_any_thread(void **state)
{
    (void)state;
    pthread_t threads[8];
    size_t counts[8] = { 0 };
    for (size_t i = 0; i < ARRAY_SIZE(threads); i++)
        assert_int_equal(pthread_create(&threads[i], NULL, count_in_thread, &counts[i]), 0);
    for (size_t i = 0; i < ARRAY_SIZE(threads); i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (size_t i = 0; i < ARRAY_SIZE(threads); i++)
        assert_int_equal(counts[i], password_common_count());
}

static void list_has_at_least_1000_entries(void **state)
{
    (void)state;
    assert_true(password_common_count() >= 1000);
}

static void list_entries_are_lower_case_distinct_and_not_empty(void **state)
{
    (void)state;
    size_t n = password_common_count();
    struct span prev = { NULL, 0 };
    for (size_t i = 0; i < n; i++) {
        struct span e = password_common_at(i);
        if (e.len < 4)
            fail_msg("entry %zu '%.*s' is shorter than 4 characters", i, SPAN_FMT(e));
        for (size_t k = 0; k < e.len; k++) {
            unsigned char c = (unsigned char)e.ptr[k];
            if (c <= ' ' || c >= 0x7f || (c >= 'A' && c <= 'Z'))
                fail_msg("entry '%.*s' is not lower-case printable ASCII", SPAN_FMT(e));
        }
        if (i > 0) {
            size_t common = prev.len < e.len ? prev.len : e.len;
            int c = memcmp(prev.ptr, e.ptr, common);
            if (c > 0 || (c == 0 && prev.len >= e.len))
                fail_msg("entry '%.*s' follows '%.*s': out of order or a duplicate", SPAN_FMT(e),
                         SPAN_FMT(prev));
        }
        assert_true(password_is_common(e.ptr, e.len));
        prev = e;
    }
}

static void list_holds_the_well_known_ones(void **state)
{
    (void)state;
    static const char *const known[] = { "123456",    "password",    "123456789",     "qwerty",
                                         "12345678",  "111111",      "iloveyou",      "admin",
                                         "welcome",   "monkey",      "dragon",        "football",
                                         "letmein",   "sunshine",    "princess",      "senha",
                                         "mudar",     "brasil",      "flamengo",      "corinthians",
                                         "palmeiras", "gremio",      "internacional", "vasco",
                                         "teamo",     "jesuscristo", "coracao" };
    for (size_t i = 0; i < ARRAY_SIZE(known); i++)
        if (!password_is_common(known[i], strlen(known[i])))
            fail_msg("'%s' is not in the list", known[i]);
    /* case and accents are folded; nothing else is */
    assert_true(password_is_common("FlaMengo", 8));
    assert_true(password_is_common("CORAÇÃO", strlen("CORAÇÃO")));
    assert_false(password_is_common("password1", 9));
    assert_false(password_is_common("flamengo ", 9));
    assert_false(password_is_common("", 0));
    assert_false(password_is_common("correct horse battery staple", 28));
}

/* Every entry, upper-cased and with a year and symbols after it, is refused. */
static void every_entry_is_refused_with_a_suffix(void **state)
{
    (void)state;
    size_t n = password_common_count();
    for (size_t i = 0; i < n; i++) {
        struct span e = password_common_at(i);
        char pw[128];
        assert_true(e.len < sizeof(pw) - 16);
        size_t len = 0;
        for (size_t k = 0; k < e.len; k++) {
            char c = e.ptr[k];
            pw[len++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        }
        memcpy(pw + len, "1990!", 5);
        len += 5;
        while (len < PASSWORD_MIN_LEN)
            pw[len++] = '!';
        pw[len] = '\0';
        refused(pw, NULL, NULL, NULL);
    }
}

/* ---- size and text -------------------------------------------------------------------------- */

static void length_counts_characters_not_bytes(void **state)
{
    (void)state;
    refused("", NULL, NULL, MSG_SHORT);
    refused("abc12345", NULL, NULL, MSG_SHORT);
    refused("Xk9#mz!Q2", NULL, NULL, MSG_SHORT);          /* 9 characters */
    refused("Maçã-verd", NULL, NULL, MSG_SHORT);          /* 9 characters, 11 bytes */
    refused("日本語のパスワード", NULL, NULL, MSG_SHORT); /* 9 characters, 27 bytes */
    accepted("Xk9#mz!Q2w", NULL, NULL);                   /* 10 characters */
    accepted("Maçã-verde", NULL, NULL);                   /* 10 characters, 12 bytes */
    accepted("日本語のパスワードだ", NULL, NULL);         /* 10 characters */
}

/* Fills out[0..n) with letters, digits and '-' from a fixed xorshift: no pattern, no word. */
static void noise(char *out, size_t n)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = alphabet[x % (sizeof(alphabet) - 1)];
    }
}

static void length_is_bounded_in_bytes(void **state)
{
    (void)state;
    static char pw[100001];
    noise(pw, PASSWORD_MAX_BYTES);
    pw[PASSWORD_MAX_BYTES] = '\0';
    accepted(pw, NULL, NULL);
    noise(pw, PASSWORD_MAX_BYTES + 1);
    pw[PASSWORD_MAX_BYTES + 1] = '\0';
    refused(pw, NULL, NULL, MSG_LONG);
    /* 1,023 bytes and one two-byte character: 1,024 characters, 1,025 bytes */
    noise(pw, PASSWORD_MAX_BYTES - 1);
    memcpy(pw + PASSWORD_MAX_BYTES - 1, "é", 3);
    refused(pw, NULL, NULL, MSG_LONG);
    /* far too long: refused without reading it all */
    noise(pw, sizeof(pw) - 1);
    pw[sizeof(pw) - 1] = '\0';
    refused(pw, NULL, NULL, MSG_LONG);
    /* the longest inputs of the costliest shapes still get an answer */
    memset(pw, '7', PASSWORD_MAX_BYTES);
    pw[PASSWORD_MAX_BYTES] = '\0';
    refused(pw, NULL, NULL, MSG_CHAR);
    noise(pw, PASSWORD_MAX_BYTES);
    for (size_t i = 0; i < PASSWORD_MAX_BYTES; i++)
        pw[i] = (char)('0' + (unsigned char)pw[i] % 10);
    struct err err = ERR_INIT;
    enum err_code rc = password_check(pw, NULL, NULL, &err);
    assert_true(rc == ERR_OK || rc == ERR_INVALID);
}

static void nul_and_invalid_utf8_are_refused(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    static const char with_nul[] = "correct horse\0battery staple";
    assert_int_equal(password_check_bytes(with_nul, sizeof(with_nul) - 1, NULL, NULL, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "password");
    assert_string_equal(err.msg, MSG_NUL);
    /* the length is honoured: what follows it is not read */
    err_clear(&err);
    assert_int_equal(password_check_bytes("Maçã-verde|||", 12, NULL, NULL, &err), ERR_OK);
    assert_int_equal(password_check_bytes("Maçã-verdeaaaa", 11, NULL, NULL, &err), ERR_INVALID);
    assert_string_equal(err.msg, MSG_SHORT);

    refused("senha-forte-\xff-demais", NULL, NULL, MSG_UTF8);        /* not UTF-8 at all */
    refused("correct-horse-\xc0\xaf-battery", NULL, NULL, MSG_UTF8); /* overlong '/' */
    refused("correct-horse-\x80-battery", NULL, NULL, MSG_UTF8);     /* stray continuation */
    refused("correct-horse-battery\xc3", NULL, NULL, MSG_UTF8);      /* truncated at the end */
    refused("correct-\xed\xa0\x80-battery", NULL, NULL, MSG_UTF8);   /* a surrogate */
    refused("Ol\xe1-mundo-cruel-7", NULL, NULL, MSG_UTF8);           /* Latin-1, not UTF-8 */
}

static void null_password_is_required_and_err_may_be_null(void **state)
{
    (void)state;
    refused(NULL, NULL, NULL, "password: required");
    struct err err = ERR_INIT;
    assert_int_equal(password_check_bytes(NULL, 0, NULL, NULL, &err), ERR_INVALID);
    assert_int_equal(password_check("short", NULL, NULL, NULL), ERR_INVALID);
    assert_int_equal(password_check("password2024!", NULL, NULL, NULL), ERR_INVALID);
    assert_int_equal(password_check("correct horse battery staple 9", NULL, NULL, NULL), ERR_OK);
}

/* ---- common passwords ----------------------------------------------------------------------- */

static void common_passwords_are_refused(void **state)
{
    (void)state;
    /* English */
    refused("basketball", NULL, NULL, MSG_COMMON);
    refused("Basketball", NULL, NULL, MSG_COMMON);
    refused("christopher", NULL, NULL, MSG_COMMON);
    refused("starwars", NULL, NULL, MSG_SHORT); /* too short is said first */
    /* Portuguese */
    refused("jesuscristo", NULL, NULL, MSG_COMMON);
    refused("Corinthians", NULL, NULL, MSG_COMMON);
    refused("INTERNACIONAL", NULL, NULL, MSG_COMMON);
    refused("fluminense", NULL, NULL, MSG_COMMON);
    refused("felicidade", NULL, NULL, MSG_COMMON);
}

static void common_passwords_with_small_changes_are_refused(void **state)
{
    (void)state;
    /* English: digits, years and symbols after or before, look-alike characters */
    refused("password2024!", NULL, NULL, MSG_VARIANT);
    refused("Password123!", NULL, NULL, MSG_VARIANT);
    refused("P@ssw0rd2024", NULL, NULL, MSG_VARIANT);
    refused("p4ssw0rd!!!!", NULL, NULL, MSG_VARIANT);
    refused("iloveyou123", NULL, NULL, MSG_VARIANT);
    refused("Sunshine.1987", NULL, NULL, MSG_VARIANT);
    refused("!!Princess!!", NULL, NULL, MSG_VARIANT);
    refused("h3ll0w0rld!", NULL, NULL, MSG_VARIANT);
    refused("2024football", NULL, NULL, MSG_VARIANT);
    /* Portuguese */
    refused("Senha@12345", NULL, NULL, MSG_VARIANT);
    refused("senha123456", NULL, NULL, MSG_VARIANT);
    refused("MUDAR@123456", NULL, NULL, MSG_VARIANT);
    refused("Flamengo2019!", NULL, NULL, MSG_VARIANT);
    refused("corinthians1910", NULL, NULL, MSG_VARIANT);
    refused("2024palmeiras", NULL, NULL, MSG_VARIANT);
    refused("Coração2024!", NULL, NULL, MSG_VARIANT);
    refused("s3nh4-2024!", NULL, NULL, MSG_VARIANT);
    refused("Brasil#2014", NULL, NULL, MSG_VARIANT);
    /* near misses: a common word inside something longer is fine */
    accepted("password-manager-rocks", NULL, NULL);
    accepted("my dragon sleeps at noon", NULL, NULL);
    accepted("senha-de-verdade-longa", NULL, NULL);
    accepted("flamengo campeão de 81", NULL, NULL);
    accepted("Flamengo4ever-no-Maraca", NULL, NULL);
}

/* ---- repetitions, sequences, keyboard walks ------------------------------------------------- */

static void repetitions_are_refused(void **state)
{
    (void)state;
    refused("aaaaaaaaaa", NULL, NULL, MSG_CHAR);
    refused("1111111111", NULL, NULL, MSG_CHAR);
    refused("..........", NULL, NULL, MSG_CHAR);
    refused("AaAaAaAaAaAa", NULL, NULL, MSG_CHAR);
    refused("ãããããããããã", NULL, NULL, MSG_CHAR);
    refused("€€€€€€€€€€", NULL, NULL, MSG_CHAR);
    refused("ababababab", NULL, NULL, MSG_UNIT);
    refused("abcabcabcabc", NULL, NULL, MSG_UNIT);
    refused("senhasenha", NULL, NULL, MSG_UNIT);
    refused("Xk9#mXk9#mXk9#m", NULL, NULL, MSG_UNIT);
    /* a unit of 10 characters or more is a passphrase said twice: allowed */
    accepted("Xk9#mz!Q2wXk9#mz!Q2w", NULL, NULL);
}

static void sequences_are_refused(void **state)
{
    (void)state;
    refused("1234567890", NULL, NULL, MSG_SEQUENCE);
    refused("0123456789", NULL, NULL, MSG_SEQUENCE);
    refused("0987654321", NULL, NULL, MSG_SEQUENCE);
    refused("abcdefghij", NULL, NULL, MSG_SEQUENCE);
    refused("ABCDEFGHIJKL", NULL, NULL, MSG_SEQUENCE);
    refused("zyxwvutsrqpo", NULL, NULL, MSG_SEQUENCE);
    refused("abcdef123456", NULL, NULL, MSG_SEQUENCE);
    refused("mnopqrst2024", NULL, NULL, MSG_SEQUENCE); /* the stem, without the year */
}

static void keyboard_walks_are_refused(void **state)
{
    (void)state;
    refused("qwertyuiop", NULL, NULL, MSG_KEYBOARD);
    refused("QWERTYUIOP", NULL, NULL, MSG_KEYBOARD);
    refused("poiuytrewq", NULL, NULL, MSG_KEYBOARD);
    refused("qwertyuiopasdfghjkl", NULL, NULL, MSG_KEYBOARD);
    refused("zxcvbnm,./", NULL, NULL, MSG_KEYBOARD);
    refused("!@#$%^&*()", NULL, NULL, MSG_KEYBOARD);
    refused("1qaz2wsx3edc", NULL, NULL, MSG_KEYBOARD);
    refused("zaq12wsxcde3", NULL, NULL, MSG_KEYBOARD);
    refused("asdfghjklç", NULL, NULL, MSG_KEYBOARD); /* the Brazilian ABNT row */
    refused("qwertyuiop2024", NULL, NULL, MSG_KEYBOARD);
    refused("2024asdfghjk!", NULL, NULL, MSG_KEYBOARD);
    /* ordinary words and random text are not walks */
    accepted("keyboard-walks-are-bad", NULL, NULL);
    accepted("desenvolvimento", NULL, NULL);
    accepted("qzmvxlpwkrtn", NULL, NULL);
}

/* ---- email and company name ----------------------------------------------------------------- */

static void email_is_refused(void **state)
{
    (void)state;
    const char *en = "john.smith@example.com";
    refused("JohnSmith-1985!", en, NULL, MSG_EMAIL);
    refused("smith-is-my-name!", en, NULL, MSG_EMAIL);
    refused("i-am-JOHN-the-great", en, NULL, MSG_EMAIL);
    accepted("purple-monkey-dishwasher-42", en, NULL);

    const char *pt = "joão.silva+crowdelic@empresa.com.br";
    refused("JoaoSilva@2024", pt, NULL, MSG_EMAIL);
    refused("Silva-da-Praia-77", pt, NULL, MSG_EMAIL);
    refused("o-joão-é-demais", pt, NULL, MSG_EMAIL);
    refused("adoro-crowdelic!", pt, NULL, MSG_EMAIL);
    accepted("minha bicicleta azul voa 7", pt, NULL);

    /* a local part (and its parts) shorter than 4 characters are not checked */
    accepted("bob-builder-1234", "bob@example.com", NULL);
    accepted("ana-maria-braga-77", "ana.lu@example.com", NULL);
    /* no email, or an empty one */
    accepted("JohnSmith-1985!", NULL, NULL);
    accepted("JohnSmith-1985!", "", NULL);
    accepted("JohnSmith-1985!", "@example.com", NULL);
}

static void company_name_is_refused(void **state)
{
    (void)state;
    refused("my-crowdelic-pass", NULL, "Crowdelic", MSG_COMPANY);
    refused("ACME-Corp-rocks", NULL, "Acme Corp", MSG_COMPANY);
    refused("acmecorp!2024x", NULL, "Acme Corp", MSG_COMPANY);
    refused("padariasaojoao2024", NULL, "Padaria São João", MSG_COMPANY);
    refused("PADARIA-SÃO-JOÃO!", NULL, "Padaria São João", MSG_COMPANY);
    /* part of the name is allowed; a name shorter than 4 characters is not checked */
    accepted("acme rocks the world", NULL, "Acme Corp");
    accepted("ltd-is-fine-here-9", NULL, "Ltd");
    accepted("ltd-is-fine-here-9", NULL, "L.T.D.");
    accepted("my-crowdelic-pass", NULL, "");
    accepted("my-crowdelic-pass", NULL, NULL);
}

/* ---- strong passwords ----------------------------------------------------------------------- */

static void strong_passphrases_pass(void **state)
{
    (void)state;
    static const char *const strong[] = {
        "correct horse battery staple 9",
        "Ônibus-laranja-de-Curitiba",
        "minha bicicleta azul voa 7",
        "purple-monkey-dishwasher-42",
        "Tr0ub4dor&3",
        "açaí com granola às sete",
        "the quick brown fox jumps",
        "pão de queijo quentinho!",
        "xT7#qLm2!vZ9",
    };
    for (size_t i = 0; i < ARRAY_SIZE(strong); i++) {
        accepted(strong[i], NULL, NULL);
        accepted(strong[i], "maria.oliveira@example.com.br", "Crowdelic Pesquisa");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_loads_once_from_any_thread),
        cmocka_unit_test(list_has_at_least_1000_entries),
        cmocka_unit_test(list_entries_are_lower_case_distinct_and_not_empty),
        cmocka_unit_test(list_holds_the_well_known_ones),
        cmocka_unit_test(every_entry_is_refused_with_a_suffix),
        cmocka_unit_test(length_counts_characters_not_bytes),
        cmocka_unit_test(length_is_bounded_in_bytes),
        cmocka_unit_test(nul_and_invalid_utf8_are_refused),
        cmocka_unit_test(null_password_is_required_and_err_may_be_null),
        cmocka_unit_test(common_passwords_are_refused),
        cmocka_unit_test(common_passwords_with_small_changes_are_refused),
        cmocka_unit_test(repetitions_are_refused),
        cmocka_unit_test(sequences_are_refused),
        cmocka_unit_test(keyboard_walks_are_refused),
        cmocka_unit_test(email_is_refused),
        cmocka_unit_test(company_name_is_refused),
        cmocka_unit_test(strong_passphrases_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
