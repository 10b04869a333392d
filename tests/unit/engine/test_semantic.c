/*
 * tests/unit/engine/test_semantic.c - semantic memory: BM25 retrieval
 * (the planted memory among distractors comes first, Portuguese and
 * accented capitals, no shared word means no result, k, ties to the older
 * item), the bound on memories and what dropping one does to the ranking,
 * documents split into passages, the limits of documents, and restoring
 * items from a checkpoint.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "engine/semantic.h"

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Where the first item starting with prefix is in l, or -1. */
static long find_prefix(const struct strlist *l, const char *prefix)
{
    for (size_t i = 0; i < l->n; i++)
        if (starts_with(l->items[i], prefix))
            return (long)i;
    return -1;
}

/*
 * Fifty memories that share some words with the query of the planted
 * memory test (coffee, price, month, think) but not its rarer ones.
 */
static void add_distractors(struct semantic *s, size_t n)
{
    static const char *const subjects[] = {
        "The coffee at the office", "My neighbour's dog",
        "The bus to work",          "A new phone",
        "The price of bread",       "Our football team",
        "The weather this month",   "My sister's wedding",
        "A podcast about history",  "The gym membership",
    };
    static const char *const remarks[] = {
        "was better than I expected.",    "made me think about my budget.",
        "felt too slow for a Monday.",    "is something I talk about a lot.",
        "reminded me to call my mother.",
    };
    for (size_t i = 0; i < n; i++) {
        char text[200];
        snprintf(text, sizeof(text), "%s %s (%zu)", subjects[i % ARRAY_SIZE(subjects)],
                 remarks[(i / ARRAY_SIZE(subjects) + i) % ARRAY_SIZE(remarks)], i);
        semantic_add_memory(s, text);
    }
}

static void the_planted_memory_comes_first(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    add_distractors(s, 23);
    semantic_add_memory(s, "I found the Acme coffee subscription too expensive at $30 a month.");
    add_distractors(s, 27);
    assert_int_equal(semantic_count(s), 51);

    struct strlist out = { 0 };
    size_t n = semantic_retrieve(
        s, "What did you think about the price of the Acme coffee subscription?", 7, &out);
    assert_int_equal(n, 7);
    assert_int_equal(out.n, 7);
    assert_string_equal(out.items[0],
                        "I found the Acme coffee subscription too expensive at $30 a month.");
    strlist_release(&out);

    /* Upper case, plurals and punctuation do not hide it. */
    n = semantic_retrieve(s, "SUBSCRIPTIONS? “acme”", 3, &out);
    assert_int_equal(n, 1);
    assert_string_equal(out.items[0],
                        "I found the Acme coffee subscription too expensive at $30 a month.");
    strlist_release(&out);
    semantic_free(s);
}

static void a_portuguese_query_finds_a_portuguese_memory(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    add_distractors(s, 20);
    semantic_add_memory(s, "Achei o preço da assinatura do aplicativo caro demais para mim.");
    semantic_add_memory(s, "Conversei com a Ana sobre o jogo de futebol de domingo.");
    semantic_add_memory(s, "O ônibus atrasou de novo e cheguei tarde ao trabalho.");

    struct strlist out = { 0 };
    assert_int_equal(
        semantic_retrieve(s, "Quanto custa a assinatura? Os preços são caros?", 7, &out), 1);
    assert_string_equal(out.items[0],
                        "Achei o preço da assinatura do aplicativo caro demais para mim.");
    strlist_release(&out);

    /* Latin-1 capitals fold to their small letters: "ÔNIBUS" is "ônibus", "PREÇO" "preço". */
    assert_int_equal(semantic_retrieve(s, "ÔNIBUS", 7, &out), 1);
    assert_string_equal(out.items[0], "O ônibus atrasou de novo e cheguei tarde ao trabalho.");
    strlist_release(&out);
    assert_int_equal(semantic_retrieve(s, "PREÇO", 7, &out), 1);
    assert_true(strstr(out.items[0], "assinatura") != NULL);
    strlist_release(&out);

    /* Only stopwords: nothing to look for. */
    assert_int_equal(semantic_retrieve(s, "the and of não para", 7, &out), 0);
    semantic_free(s);
}

static void items_sharing_no_word_are_not_returned_and_k_is_respected(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    struct strlist out = { 0 };
    assert_int_equal(semantic_retrieve(s, "anything", 7, &out), 0); /* empty memory */

    semantic_add_memory(s, "apples and pears");
    semantic_add_memory(s, "bananas are yellow");
    semantic_add_memory(s, "apples are red");
    semantic_add_memory(s, "apple pie recipe");
    assert_int_equal(semantic_retrieve(s, "kiwi", 7, &out), 0);
    assert_int_equal(semantic_retrieve(s, "", 7, &out), 0);
    assert_int_equal(out.n, 0);

    assert_int_equal(semantic_retrieve(s, "apple", 7, &out), 3);
    assert_int_equal(find_prefix(&out, "bananas"), -1);
    strlist_release(&out);

    assert_int_equal(semantic_retrieve(s, "apple", 2, &out), 2);
    assert_int_equal(out.n, 2);
    strlist_release(&out);
    assert_int_equal(semantic_retrieve(s, "apple", 0, &out), 0);

    /* Appends to what out holds already. */
    strlist_add(&out, "kept");
    assert_int_equal(semantic_retrieve(s, "yellow", 7, &out), 1);
    assert_int_equal(out.n, 2);
    assert_string_equal(out.items[0], "kept");
    strlist_release(&out);
    semantic_free(s);
}

static void equal_scores_go_to_the_older_item(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    semantic_add_memory(s, "red bicycle");
    semantic_add_memory(s, "green bicycle");
    semantic_add_memory(s, "blue bicycle");
    struct strlist out = { 0 };
    assert_int_equal(semantic_retrieve(s, "bicycle", 7, &out), 3);
    assert_string_equal(out.items[0], "red bicycle");
    assert_string_equal(out.items[1], "green bicycle");
    assert_string_equal(out.items[2], "blue bicycle");
    strlist_release(&out);

    /* A rarer word weighs more than a common one (idf). */
    assert_int_equal(semantic_retrieve(s, "bicycle blue", 7, &out), 3);
    assert_string_equal(out.items[0], "blue bicycle");
    strlist_release(&out);
    semantic_free(s);
}

static void the_oldest_memory_goes_and_its_words_with_it(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    struct err err = ERR_INIT;
    /* Two documents alike but for one word; they stay while memories come and go. */
    assert_ok(semantic_add_document(s, "north", "alpha gamma", &err), &err);
    assert_ok(semantic_add_document(s, "south", "beta gamma", &err), &err);
    for (int i = 0; i < 5; i++) {
        char text[64];
        snprintf(text, sizeof(text), "alpha memory number %d", i);
        semantic_add_memory(s, text);
    }

    /* alpha is common (6 items), beta rare (1): south ranks above north. */
    struct strlist out = { 0 };
    semantic_retrieve(s, "alpha beta", 20, &out);
    long north = find_prefix(&out, "north: "), south = find_prefix(&out, "south: ");
    assert_true(north >= 0 && south >= 0);
    assert_true(south < north);
    strlist_release(&out);

    /* Push the alpha memories out; four of the newcomers say beta. */
    for (int i = 0; i < SEMANTIC_MAX_MEMORIES; i++) {
        char text[64];
        snprintf(text, sizeof(text), "%s filler %d", i % 80 == 0 ? "beta" : "other", i);
        semantic_add_memory(s, text);
    }
    assert_int_equal(semantic_count(s), SEMANTIC_MAX_MEMORIES + 2);
    const char *text = NULL;
    assert_int_equal(semantic_item(s, 0, &text), MEMORY_DOCUMENT);
    assert_string_equal(text, "north: alpha gamma");
    assert_int_equal(semantic_item(s, 1, &text), MEMORY_DOCUMENT);
    assert_int_equal(semantic_item(s, 2, &text), MEMORY_CONSOLIDATED);
    assert_string_equal(text, "beta filler 0");
    assert_int_equal(semantic_retrieve(s, "memory number", 20, &out), 0);

    /* Now alpha is rare (1 item) and beta common (5): north ranks above south. */
    semantic_retrieve(s, "alpha beta", 20, &out);
    north = find_prefix(&out, "north: ");
    south = find_prefix(&out, "south: ");
    assert_true(north >= 0 && south >= 0);
    assert_true(north < south);
    assert_int_equal(north, 0);
    strlist_release(&out);
    semantic_free(s);
}

static void a_long_document_is_split_into_named_passages(void **state)
{
    (void)state;
    struct buf doc;
    buf_init(&doc, 1 << 20);
    /*
     * Paragraphs of about 480 bytes (two fit in a passage, three do not); one
     * of 3,300 bytes with no sentence end; a word of 2,001 bytes whose cut at
     * 1,200 falls inside a "ç".
     */
    for (int p = 0; p < 8; p++) {
        for (int s = 0; s < 10; s++)
            buf_addf(&doc, "Paragraph %d sentence %d tells about the product. ", p, s);
        if (p == 5)
            buf_adds(&doc, "A zeppelin!");
        buf_adds(&doc, "\n\n");
    }
    for (int w = 0; w < 300; w++)
        buf_adds(&doc, "wordy text ");
    buf_adds(&doc, "\n  \n");
    buf_adds(&doc, "x");
    for (int c = 0; c < 1000; c++)
        buf_adds(&doc, "ç");
    buf_adds(&doc, "\n\nThe end.\n");
    assert_false(doc.failed);

    struct semantic *s = semantic_new();
    struct err err = ERR_INIT;
    assert_ok(semantic_add_document(s, "Brief", doc.data, &err), &err);
    size_t n = semantic_count(s);
    assert_int_equal(n, 4 + 3 + 2 + 1); /* paragraphs by two, the words, the long word, the end */
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *text = NULL;
        assert_int_equal(semantic_item(s, i, &text), MEMORY_DOCUMENT);
        assert_true(starts_with(text, "Brief: "));
        size_t len = strlen(text + 7);
        assert_true(len > 0 && len <= SEMANTIC_PASSAGE_MAX);
        total += len;
    }
    /* Nothing lost but the white space between passages. */
    assert_true(total + 4 * n >= doc.len);
    const char *first = NULL, *last = NULL;
    semantic_item(s, 0, &first);
    semantic_item(s, n - 1, &last);
    assert_true(starts_with(first, "Brief: Paragraph 0 sentence 0 "));
    assert_string_equal(last, "Brief: The end.");

    /* Paragraphs are not cut when whole ones fit: two make a passage. */
    assert_true(strstr(first, "Paragraph 1 sentence 9 tells about the product.") != NULL);
    assert_null(strstr(first, "Paragraph 2 sentence 0"));

    /* The long word is cut on a character boundary: "x" and 599 "ç", then 401 "ç". */
    const char *word = NULL, *rest = NULL;
    semantic_item(s, n - 3, &word);
    semantic_item(s, n - 2, &rest);
    assert_true(starts_with(word, "Brief: xç"));
    assert_int_equal(strlen(word + 7), 1199);
    assert_true(starts_with(rest, "Brief: ç"));
    assert_int_equal(strlen(rest + 7), 802);

    struct strlist out = { 0 };
    assert_int_equal(semantic_retrieve(s, "zeppelins", 7, &out), 1);
    assert_true(
        strstr(out.items[0], "Paragraph 5 sentence 9 tells about the product. A zeppelin!"));
    assert_true(strstr(out.items[0], "Paragraph 4 sentence 0") != NULL);
    strlist_release(&out);
    semantic_free(s);
    buf_release(&doc);
}

static void documents_past_the_bound_or_empty_are_refused(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    struct err err = ERR_INIT;
    assert_int_equal(semantic_add_document(s, "blank", " \n\n\t ", &err), ERR_INVALID);
    assert_int_equal(semantic_add_document(s, "empty", "", &err), ERR_INVALID);
    assert_int_equal(semantic_count(s), 0);

    /* Paragraphs of 1,000 bytes: one passage each. */
    struct buf doc;
    buf_init(&doc, 1 << 21);
    char para[1001];
    memset(para, 'x', 1000);
    para[1000] = '\0';
    for (int i = 0; i < SEMANTIC_MAX_PASSAGES - 10; i++)
        buf_addf(&doc, "%s\n\n", para);
    assert_ok(semantic_add_document(s, "big", doc.data, &err), &err);
    assert_int_equal(semantic_count(s), SEMANTIC_MAX_PASSAGES - 10);
    semantic_add_memory(s, "memories do not count against documents");

    buf_reset(&doc);
    for (int i = 0; i < 11; i++)
        buf_addf(&doc, "%s\n\n", para);
    err_clear(&err);
    assert_int_equal(semantic_add_document(s, "eleven", doc.data, &err), ERR_TOO_LARGE);
    assert_string_equal(err.field, "text");
    assert_int_equal(semantic_count(s), SEMANTIC_MAX_PASSAGES - 10 + 1);

    buf_reset(&doc);
    for (int i = 0; i < 10; i++)
        buf_addf(&doc, "%s\n\n", para);
    assert_ok(semantic_add_document(s, "ten", doc.data, &err), &err);
    assert_int_equal(semantic_count(s), SEMANTIC_MAX_PASSAGES + 1);
    assert_int_equal(semantic_add_document(s, "more", "one more", &err), ERR_TOO_LARGE);
    assert_int_equal(semantic_count(s), SEMANTIC_MAX_PASSAGES + 1);
    buf_release(&doc);
    semantic_free(s);

    /* A document without a name is "document". */
    s = semantic_new();
    assert_ok(semantic_add_document(s, NULL, "  Untitled text.\n", &err), &err);
    const char *text = NULL;
    semantic_item(s, 0, &text);
    assert_string_equal(text, "document: Untitled text.");
    semantic_free(s);
}

static void restored_items_are_the_same_items(void **state)
{
    (void)state;
    struct semantic *s = semantic_new();
    struct err err = ERR_INIT;
    semantic_add_memory(s, "I liked the demo of the budgeting app.");
    assert_ok(
        semantic_add_document(s, "FAQ", "Refunds take five days.\n\nPlans start at $9.", &err),
        &err);
    semantic_add_memory(s, "The budgeting app costs too much for students.");
    semantic_add_memory(s, ""); /* nothing to remember */

    struct semantic *r = semantic_new();
    for (size_t i = 0; i < semantic_count(s); i++) {
        const char *text = NULL;
        enum memory_kind kind = semantic_item(s, i, &text);
        semantic_restore_item(r, kind, text);
    }
    assert_int_equal(semantic_count(r), semantic_count(s));
    assert_int_equal(semantic_count(r), 3);
    for (size_t i = 0; i < semantic_count(s); i++) {
        const char *a = NULL, *b = NULL;
        assert_int_equal(semantic_item(r, i, &b), semantic_item(s, i, &a));
        assert_string_equal(a, b);
    }
    const char *text = NULL;
    assert_int_equal(semantic_item(r, 1, &text), MEMORY_DOCUMENT);
    assert_string_equal(text, "FAQ: Refunds take five days.\n\nPlans start at $9.");

    static const char *const queries[] = { "budgeting app", "refunds", "students plans", "demo" };
    for (size_t q = 0; q < ARRAY_SIZE(queries); q++) {
        struct strlist a = { 0 }, b = { 0 };
        assert_int_equal(semantic_retrieve(r, queries[q], 7, &b),
                         semantic_retrieve(s, queries[q], 7, &a));
        assert_true(a.n > 0);
        for (size_t i = 0; i < a.n; i++)
            assert_string_equal(a.items[i], b.items[i]);
        strlist_release(&a);
        strlist_release(&b);
    }
    semantic_free(r);
    semantic_free(s);
    semantic_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_planted_memory_comes_first),
        cmocka_unit_test(a_portuguese_query_finds_a_portuguese_memory),
        cmocka_unit_test(items_sharing_no_word_are_not_returned_and_k_is_respected),
        cmocka_unit_test(equal_scores_go_to_the_older_item),
        cmocka_unit_test(the_oldest_memory_goes_and_its_words_with_it),
        cmocka_unit_test(a_long_document_is_split_into_named_passages),
        cmocka_unit_test(documents_past_the_bound_or_empty_are_refused),
        cmocka_unit_test(restored_items_are_the_same_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
