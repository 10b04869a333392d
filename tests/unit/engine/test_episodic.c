/*
 * tests/unit/engine/test_episodic.c - episodic memory: the prompt line of
 * each kind of event, the window (prefix, marker, lookback) at the sizes
 * where it changes shape, text caps on ASCII and multi-byte text, episodes
 * across episodic_end_episode, the bound on kept events over a long
 * simulation, and deep copies.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/utf8.h"
#include "engine/episodic.h"

/* Adds n stimuli whose texts are "e<first>", "e<first+1>", ... */
static void add_numbered(struct episodic *m, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++) {
        char text[32];
        snprintf(text, sizeof(text), "e%zu", i);
        episodic_add_stimulus(m, STIMULUS_CONVERSATION, text, NULL, NULL);
    }
}

/* The text after ": " of a prompt line ("" when none). */
static const char *line_text(const char *line)
{
    const char *p = strstr(line, ": ");
    return p ? p + 2 : "";
}

static void assert_window_line(const struct strlist *w, size_t i, size_t event)
{
    char want[32];
    snprintf(want, sizeof(want), "e%zu", event);
    assert_true(i < w->n);
    assert_string_equal(line_text(w->items[i]), want);
}

static void lines_show_kind_type_names_time_and_text(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    episodic_add_stimulus(&m, STIMULUS_CONVERSATION, "hi there", "Ana", "2026-01-05T10:00");
    episodic_add_stimulus(&m, STIMULUS_VISUAL, "an ad", NULL, NULL);
    episodic_add_action(&m, ACTION_TALK, "hello", "Bob", "2026-01-05T10:01");
    episodic_add_action(&m, ACTION_REACH_OUT, "call me", "Carla", NULL);
    episodic_add_action(&m, ACTION_THINK, "hmm", NULL, NULL);
    episodic_add_action(&m, ACTION_DONE, NULL, NULL, NULL);
    episodic_add_feedback(&m, "you repeated yourself", "2026-01-05T10:02");

    static const char *const want[] = {
        "[STIMULUS:CONVERSATION] from Ana @2026-01-05T10:00: hi there",
        "[STIMULUS:VISUAL]: an ad",
        "[ACTION:TALK] to Bob @2026-01-05T10:01: hello",
        "[ACTION:REACH_OUT] to Carla: call me",
        "[ACTION:THINK]: hmm",
        "[ACTION:DONE]",
        "[FEEDBACK] @2026-01-05T10:02: you repeated yourself",
    };
    assert_int_equal(m.n, ARRAY_SIZE(want));
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, ARRAY_SIZE(want));
    for (size_t i = 0; i < w.n; i++)
        assert_string_equal(w.items[i], want[i]);
    assert_string_equal(event_type_name(&m.events[2]), "TALK");
    assert_string_equal(event_type_name(&m.events[6]), "");
    strlist_release(&w);
    episodic_release(&m);
}

static void a_short_memory_is_shown_whole(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    struct strlist w = { 0 };
    episodic_window(&m, 0, &w);
    assert_int_equal(w.n, 0);

    add_numbered(&m, 0, 7);
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 7);
    for (size_t i = 0; i < 7; i++)
        assert_window_line(&w, i, i);
    strlist_release(&w);

    /* upto past the end is the end; upto inside the prefix cuts it. */
    episodic_window(&m, 1000, &w);
    assert_int_equal(w.n, 7);
    strlist_release(&w);
    episodic_window(&m, 3, &w);
    assert_int_equal(w.n, 3);
    assert_window_line(&w, 2, 2);
    strlist_release(&w);
    episodic_release(&m);
}

static void thirty_events_fit_without_a_marker(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    add_numbered(&m, 0, EPISODIC_PREFIX + EPISODIC_LOOKBACK);
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 30);
    for (size_t i = 0; i < 30; i++)
        assert_window_line(&w, i, i);
    strlist_release(&w);
    episodic_release(&m);
}

static void thirty_one_events_omit_one(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    add_numbered(&m, 0, 31);
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 31);
    for (size_t i = 0; i < 10; i++)
        assert_window_line(&w, i, i);
    assert_string_equal(w.items[10], "(1 earlier events omitted)");
    for (size_t i = 0; i < 20; i++)
        assert_window_line(&w, 11 + i, 11 + i);
    strlist_release(&w);
    episodic_release(&m);
}

static void two_hundred_events_omit_one_hundred_seventy(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    add_numbered(&m, 0, 200);
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 31);
    assert_window_line(&w, 9, 9);
    assert_string_equal(w.items[10], "(170 earlier events omitted)");
    assert_window_line(&w, 11, 180);
    assert_window_line(&w, 30, 199);
    strlist_release(&w);

    /* A window that stops early looks back from its own end. */
    episodic_window(&m, 50, &w);
    assert_int_equal(w.n, 31);
    assert_string_equal(w.items[10], "(20 earlier events omitted)");
    assert_window_line(&w, 11, 30);
    assert_window_line(&w, 30, 49);
    strlist_release(&w);
    episodic_release(&m);
}

static void long_text_is_capped_with_an_ellipsis(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    char text[EVENT_TEXT_MAX + 100];
    memset(text, 'x', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    episodic_add_stimulus(&m, STIMULUS_VISUAL, text, NULL, NULL);
    text[EVENT_TEXT_MAX] = '\0'; /* exactly the cap: not cut */
    episodic_add_stimulus(&m, STIMULUS_VISUAL, text, NULL, NULL);

    struct buf b;
    buf_init(&b, 4096);
    episodic_line(&m.events[0], &b);
    const char *t = line_text(b.data);
    assert_int_equal(strlen(t), EVENT_TEXT_MAX + 3);
    assert_string_equal(t + EVENT_TEXT_MAX, "...");
    buf_reset(&b);
    episodic_line(&m.events[1], &b);
    assert_int_equal(strlen(line_text(b.data)), EVENT_TEXT_MAX);
    assert_lacks(b.data, "...");
    buf_release(&b);
    episodic_release(&m);
}

static void multibyte_text_is_cut_on_a_character_boundary(void **state)
{
    (void)state;
    /* "ã" is 2 bytes and "€" 3: one byte of offset makes the cap fall inside a character. */
    struct buf text;
    buf_init(&text, 4096);
    buf_adds(&text, "a");
    while (text.len < EVENT_TEXT_MAX + 50)
        buf_adds(&text, "ã€");
    struct episodic m;
    episodic_init(&m);
    episodic_add_stimulus(&m, STIMULUS_CONVERSATION, text.data, "Zoë", NULL);

    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 1);
    const char *t = line_text(w.items[0]);
    size_t len = strlen(t);
    assert_true(len > 3);
    assert_string_equal(t + len - 3, "...");
    size_t kept = len - 3;
    assert_true(kept <= EVENT_TEXT_MAX);
    assert_true(kept > EVENT_TEXT_MAX - 3); /* cut at the last boundary, not earlier */
    assert_memory_equal(t, text.data, kept);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len((const unsigned char *)t + i, len - i);
        assert_true(n > 0);
        i += n;
    }
    static const char head[] = "[STIMULUS:CONVERSATION] from Zoë: aã€";
    assert_true(strncmp(w.items[0], head, strlen(head)) == 0);
    strlist_release(&w);
    episodic_release(&m);
    buf_release(&text);
}

static void episodes_start_after_each_end(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    assert_int_equal(episodic_episode_length(&m), 0);
    add_numbered(&m, 0, 12);
    assert_int_equal(episodic_episode_length(&m), 12);
    episodic_end_episode(&m);
    assert_int_equal(episodic_episode_length(&m), 0);
    assert_int_equal(m.n, 12); /* nothing is out of reach yet */
    assert_int_equal(m.dropped, 0);

    add_numbered(&m, 12, 15);
    assert_int_equal(episodic_episode_length(&m), 15);
    struct strlist lines = { 0 };
    episodic_episode_lines(&m, &lines);
    assert_int_equal(lines.n, 15);
    assert_string_equal(line_text(lines.items[0]), "e12");
    assert_string_equal(line_text(lines.items[14]), "e26");
    strlist_release(&lines);

    /* 27 events: none dropped (10 + 20 > 27); then 40: 10 dropped. */
    episodic_end_episode(&m);
    assert_int_equal(m.dropped, 0);
    add_numbered(&m, 27, 13);
    assert_int_equal(episodic_episode_length(&m), 13);
    episodic_end_episode(&m);
    assert_int_equal(m.dropped, 10);
    assert_int_equal(m.n, 30);
    assert_int_equal(episodic_episode_length(&m), 0);
    add_numbered(&m, 40, 3);
    assert_int_equal(episodic_episode_length(&m), 3);
    episodic_episode_lines(&m, &lines);
    assert_int_equal(lines.n, 3);
    assert_string_equal(line_text(lines.items[0]), "e40");
    strlist_release(&lines);

    /* The window still counts dropped events as omitted and keeps the real last ones. */
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 31);
    assert_window_line(&w, 9, 9);
    assert_string_equal(w.items[10], "(13 earlier events omitted)");
    assert_window_line(&w, 11, 23);
    assert_window_line(&w, 30, 42);
    strlist_release(&w);
    episodic_release(&m);
}

static void memory_stays_bounded_over_a_long_simulation(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    size_t most = 0;
    for (size_t i = 0; i < 1000; i++) {
        add_numbered(&m, i, 1);
        if ((i + 1) % 12 == 0)
            episodic_end_episode(&m);
        if (m.n > most)
            most = m.n;
    }
    assert_true(most <= EPISODIC_PREFIX + EPISODIC_LOOKBACK + 12);
    assert_true(m.alloc <= 2 * (EPISODIC_PREFIX + EPISODIC_LOOKBACK + 12));
    assert_int_equal(m.n + m.dropped, 1000);

    /* Whatever was dropped, the window is the one the whole history would give. */
    struct strlist w = { 0 };
    episodic_window(&m, m.n, &w);
    assert_int_equal(w.n, 31);
    assert_window_line(&w, 0, 0);
    assert_window_line(&w, 9, 9);
    assert_string_equal(w.items[10], "(970 earlier events omitted)");
    assert_window_line(&w, 11, 980);
    assert_window_line(&w, 30, 999);
    strlist_release(&w);
    episodic_release(&m);
}

static void a_copy_is_deep(void **state)
{
    (void)state;
    struct episodic m;
    episodic_init(&m);
    add_numbered(&m, 0, 40);
    episodic_add_action(&m, ACTION_TALK, "bye", "Bob", "2026-01-05T11:00");
    episodic_add_action(&m, ACTION_DONE, NULL, NULL, NULL);
    episodic_end_episode(&m);
    episodic_add_feedback(&m, "note", NULL);

    struct episodic c;
    episodic_copy(&c, &m);
    assert_int_equal(c.n, m.n);
    assert_int_equal(c.dropped, m.dropped);
    assert_int_equal(c.episode_start, m.episode_start);
    for (size_t i = 0; i < m.n; i++)
        if (m.events[i].content)
            assert_ptr_not_equal(c.events[i].content, m.events[i].content);

    struct strlist before = { 0 };
    episodic_window(&m, m.n, &before);
    episodic_release(&m); /* the copy must not point into freed memory (ASan) */
    struct strlist after = { 0 };
    episodic_window(&c, c.n, &after);
    assert_int_equal(after.n, before.n);
    for (size_t i = 0; i < before.n; i++)
        assert_string_equal(after.items[i], before.items[i]);
    episodic_add_stimulus(&c, STIMULUS_THOUGHT, "the copy grows on its own", NULL, NULL);
    strlist_release(&before);
    strlist_release(&after);
    episodic_release(&c);

    struct episodic empty, c2;
    episodic_init(&empty);
    episodic_copy(&c2, &empty);
    assert_int_equal(c2.n, 0);
    episodic_release(&c2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_show_kind_type_names_time_and_text),
        cmocka_unit_test(a_short_memory_is_shown_whole),
        cmocka_unit_test(thirty_events_fit_without_a_marker),
        cmocka_unit_test(thirty_one_events_omit_one),
        cmocka_unit_test(two_hundred_events_omit_one_hundred_seventy),
        cmocka_unit_test(long_text_is_capped_with_an_ellipsis),
        cmocka_unit_test(multibyte_text_is_cut_on_a_character_boundary),
        cmocka_unit_test(episodes_start_after_each_end),
        cmocka_unit_test(memory_stays_bounded_over_a_long_simulation),
        cmocka_unit_test(a_copy_is_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
