/*
 * tests/unit/engine/test_offline_read.c - the offline model's reading of a
 * stimulus (engine/offline/read.c, stimulus_read): the product's short name
 * and the price's text, cut to their arrays at the end of a character
 * (found by tests/fuzz/fuzz_stimulus.c: a cut in the middle of "é" left
 * half of it at the end of the name).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/utf8.h"
#include "engine/offline/model.h"

static struct offline_model *model;

static int setup(void **state)
{
    (void)state;
    return testutil_offline_model(&model);
}

static int teardown(void **state)
{
    (void)state;
    offline_model_free(model);
    return 0;
}

static void the_product_is_the_name_before_a_colon(void **state)
{
    (void)state;
    struct stimulus_reading r;
    stimulus_read(model, "FreshBox: 3 dinners a week, $49/month.", &r);
    assert_string_equal(r.product, "FreshBox");
    assert_true(r.has_price);
    assert_string_equal(r.price_text, "$49/month");
    stimulus_reading_release(&r);
}

static void a_long_name_is_cut_at_the_end_of_a_character(void **state)
{
    (void)state;
    /* one word of 62 ASCII bytes, then "é" on bytes 63 and 64: no room for both */
    char text[128];
    memset(text, 'x', 62);
    text[0] = 'T';
    snprintf(text + 62, sizeof(text) - 62, "\xc3\xa9 is here");
    struct stimulus_reading r;
    stimulus_read(model, text, &r);
    size_t n = strlen(r.product);
    assert_int_equal(n, 62);
    assert_true(utf8_valid(r.product, n));
    stimulus_reading_release(&r);

    /* and with the "é" whole inside the array, it stays */
    text[1] = ' ';
    memmove(text + 1, text + 2, strlen(text + 2) + 1);
    stimulus_read(model, text, &r);
    assert_true(utf8_valid(r.product, strlen(r.product)));
    stimulus_reading_release(&r);
}

static void a_long_price_text_is_cut_at_the_end_of_a_character(void **state)
{
    (void)state;
    /* "R$ " + 37 bytes of amount + " por m" is 46 bytes: "ê" takes bytes 47 and 48 */
    char text[128];
    snprintf(text, sizeof(text), "Café: R$ %s,90 por m\xc3\xaas",
             "1111111111111111111111111111111111");
    struct stimulus_reading r;
    stimulus_read(model, text, &r);
    assert_true(r.has_price);
    assert_int_equal(r.period, PRICE_MONTH);
    assert_string_equal(r.price_text, "R$ 1111111111111111111111111111111111,90 por m");
    stimulus_reading_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_product_is_the_name_before_a_colon),
        cmocka_unit_test(a_long_name_is_cut_at_the_end_of_a_character),
        cmocka_unit_test(a_long_price_text_is_cut_at_the_end_of_a_character),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
