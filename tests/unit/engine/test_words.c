/*
 * tests/unit/engine/test_words.c - the engine's tokenizer and keyword
 * matcher (engine/words.h): lower-casing, what separates words (hyphens,
 * apostrophes, punctuation) and the '%' kept after digits, keywords with
 * hyphens and apostrophes read like text, prefixes and multi-word
 * keywords, counting.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "engine/words.h"

static bool finds(const char *keyword, const char *text)
{
    struct words ws;
    words_init(&ws, text);
    bool found = words_contain(&ws, keyword);
    words_release(&ws);
    return found;
}

/* The words of text joined with '|'. */
static void assert_words(const char *text, const char *want)
{
    struct words ws;
    words_init(&ws, text);
    char got[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < ws.n; i++)
        used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%.*s", i ? "|" : "",
                                 (int)ws.w[i].len, ws.w[i].ptr);
    assert_string_equal(got, want);
    words_release(&ws);
}

static void lower_cases_ascii_and_latin1_in_place(void **state)
{
    (void)state;
    char s[] = "ÁÉÍÓÚ ÂÊÔ ÃÕ Ç À Ü Ñ × ABC xyz 123 ß";
    text_lower(s);
    assert_string_equal(s, "áéíóú âêô ãõ ç à ü ñ × abc xyz 123 ß");
    char empty[] = "";
    text_lower(empty);
    assert_string_equal(empty, "");
}

static void hyphens_apostrophes_and_punctuation_separate_words(void **state)
{
    (void)state;
    assert_words("An Eco-Friendly bottle!", "an|eco|friendly|bottle");
    assert_words("I can't; it's Ana's", "i|can|t|it|s|ana|s");
    assert_words("I can\xe2\x80\x99t", "i|can|t");
    assert_words("\xe2\x80\x9c"
                 "café"
                 "\xe2\x80\x9d da manhã\xe2\x80\xa6",
                 "café|da|manhã");
    assert_words("100% natural, 1100%!", "100%|natural|1100%");
    assert_words("a - b -c d- 'e' f--g", "a|b|c|d|e|f|g");
    assert_words("R$\xc2\xa0"
                 "29,90 \xc2\xab"
                 "oi\xc2\xbb",
                 "r|29|90|oi");
    assert_words("", "");
    assert_words("  ...  ", "");
}

static void keywords_match_whole_words_and_prefixes(void **state)
{
    (void)state;
    assert_true(finds("car", "I drive a car."));
    assert_true(finds("car", "Car, bike or bus?"));
    assert_false(finds("car", "a cartoon"));
    assert_false(finds("car", "a scar"));
    assert_true(finds("car*", "a cartoon"));
    assert_false(finds("car*", "a scar"));
    assert_true(finds("sustentáv*", "Embalagem Sustentável e reciclável"));
    assert_true(finds("sustentáv*", "produtos sustentáveis"));
    assert_true(finds("ecológic*", "uma escolha ECOLÓGICA"));
    assert_false(finds("ecológic*", "uma escolha ecologica"));
    assert_true(finds("smart home", "my smart   home hub"));
    assert_true(finds("smart home", "smart\nhome"));
    assert_false(finds("smart home", "smarthome"));
    assert_false(finds("smart home", "smart homes"));
    assert_true(finds("smart hom*", "smart homes"));
    assert_true(finds("eco-friendly", "An eco-friendly bottle"));
    assert_true(finds("game", "a game-changing app")); /* the parts of compounds count */
    assert_true(finds("game-changing", "a Game-Changing app"));
    assert_true(finds("eco-friendly", "an eco friendly bottle"));
    assert_true(finds("feira", "na feira de domingo"));
    assert_true(finds("100%", "100% natural"));
    assert_true(finds("100%", "it's 100%."));
    assert_false(finds("100%", "1100% more"));
    assert_true(finds("bachelor's degree", "a Bachelor's degree"));
    assert_true(finds("café", "\xe2\x80\x9c"
                              "café"
                              "\xe2\x80\x9d da manhã"));
    assert_false(finds("", "anything"));
    assert_false(finds("*", "anything"));
}

static void counting_counts_every_occurrence(void **state)
{
    (void)state;
    struct words ws;
    words_init(&ws, "app, apps and an app; the best app ever");
    char a[] = "app", b[] = "best app";
    char *items[] = { a, b };
    struct strlist list = { items, 2, 2 };
    assert_int_equal(words_count_in(&ws, &list), 4);
    assert_int_equal(words_match_at(&ws, 6, "best app"), 2);
    assert_int_equal(words_match_at(&ws, 6, "best apps"), 0);
    words_release(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lower_cases_ascii_and_latin1_in_place),
        cmocka_unit_test(hyphens_apostrophes_and_punctuation_separate_words),
        cmocka_unit_test(keywords_match_whole_words_and_prefixes),
        cmocka_unit_test(counting_counts_every_occurrence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
