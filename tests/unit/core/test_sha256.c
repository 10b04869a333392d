/*
 * tests/unit/core/test_sha256.c - sha256_hex() against the FIPS 180-2 test
 * vectors and the padding boundaries (55, 56, 63, 64, 65 bytes), whose
 * expected digests come from coreutils' sha256sum. Single-threaded.
 */
#include "core/compat.h"

#include "core/sha256.h"
#include "core/xalloc.h"

#include <setjmp.h>

#include <cmocka.h>

/* Hashes n copies of 'a'. */
static void hash_repeated_a(size_t n, char out[SHA256_HEX_LEN])
{
    char *p = xmalloc(n ? n : 1);
    memset(p, 'a', n);
    sha256_hex(p, n, out);
    free(p);
}

static void empty_input_gives_the_known_digest(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    sha256_hex("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void null_pointer_with_zero_length_is_the_empty_digest(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    sha256_hex(NULL, 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void abc_gives_the_fips_digest(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    sha256_hex("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void two_block_message_gives_the_fips_digest(void **state)
{
    (void)state;
    static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char out[SHA256_HEX_LEN];
    sha256_hex(msg, sizeof(msg) - 1, out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void padding_boundaries_give_the_known_digests(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
        { 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char out[SHA256_HEX_LEN];
        hash_repeated_a(cases[i].n, out);
        assert_string_equal(out, cases[i].hex);
    }
}

static void hashes_only_the_first_n_bytes(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    sha256_hex("abcdef", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void output_is_64_lower_case_hex_digits_and_a_nul(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    memset(out, 'X', sizeof(out));
    sha256_hex("abc", 3, out);
    assert_int_equal(out[SHA256_HEX_LEN - 1], '\0');
    for (size_t i = 0; i < SHA256_HEX_LEN - 1; i++)
        assert_non_null(strchr("0123456789abcdef", out[i]));
}

/* ---- HMAC-SHA256: RFC 4231's test cases ------------------------------------------------- */

static void hmac_gives_the_rfc_4231_digests(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    unsigned char key1[20], key6[131];
    memset(key1, 0x0b, sizeof(key1));
    memset(key6, 0xaa, sizeof(key6));
    hmac_sha256_hex(key1, sizeof(key1), "Hi There", 8, out);
    assert_string_equal(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    const char *what = "what do ya want for nothing?";
    hmac_sha256_hex("Jefe", 4, what, strlen(what), out);
    assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* a key longer than the block is hashed first */
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac_sha256_hex(key6, sizeof(key6), big, strlen(big), out);
    assert_string_equal(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void hmac_of_empty_key_and_message_is_the_known_digest(void **state)
{
    (void)state;
    char out[SHA256_HEX_LEN];
    hmac_sha256_hex(NULL, 0, NULL, 0, out);
    assert_string_equal(out, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_input_gives_the_known_digest),
        cmocka_unit_test(null_pointer_with_zero_length_is_the_empty_digest),
        cmocka_unit_test(abc_gives_the_fips_digest),
        cmocka_unit_test(two_block_message_gives_the_fips_digest),
        cmocka_unit_test(padding_boundaries_give_the_known_digests),
        cmocka_unit_test(hashes_only_the_first_n_bytes),
        cmocka_unit_test(output_is_64_lower_case_hex_digits_and_a_nul),
        cmocka_unit_test(hmac_gives_the_rfc_4231_digests),
        cmocka_unit_test(hmac_of_empty_key_and_message_is_the_known_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
