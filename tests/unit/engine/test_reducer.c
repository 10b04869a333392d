/*
 * tests/unit/engine/test_reducer.c - the results reducer: a conversation
 * reduced to (author, text) rows, rules keyed by kind and type (any type,
 * several rules on one event, rules that make no row), reducing event by
 * event past episodic trimming, and rows as RFC 4180 CSV (quoting of
 * commas, quotes and line breaks; widths; the buffer's maximum).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "engine/reducer.h"

/* (author, text): who spoke - the stimulus's source, or the agent for its own TALK. */
static bool author_and_text(void *ctx, const char *agent, const struct event *e,
                            struct strlist *row)
{
    (void)ctx;
    strlist_add(row, e->kind == EVENT_STIMULUS ? (e->source ? e->source : "?") : agent);
    strlist_add(row, e->content ? e->content : "");
    return true;
}

/* A small conversation of Ana's with Bob, with thoughts, a visual and DONE in between. */
static void ana_talks_with_bob(struct episodic *m)
{
    episodic_init(m);
    episodic_add_stimulus(m, STIMULUS_VISUAL, "an ad for Acme coffee", "Acme", NULL);
    episodic_add_stimulus(m, STIMULUS_CONVERSATION, "Did you see the Acme ad?", "Bob", "t1");
    episodic_add_action(m, ACTION_THINK, "Bob likes coffee", NULL, "t1");
    episodic_add_action(m, ACTION_TALK, "Yes, it looked expensive.", "Bob", "t1");
    episodic_add_action(m, ACTION_DONE, NULL, NULL, "t1");
    episodic_add_stimulus(m, STIMULUS_CONVERSATION, "$30 a month, I think.", "Bob", "t2");
    episodic_add_action(m, ACTION_TALK, "Too much for me.", "Bob", "t2");
    episodic_add_feedback(m, "you repeated yourself", "t2");
    episodic_add_action(m, ACTION_DONE, NULL, NULL, "t2");
}

static void a_conversation_becomes_author_text_rows(void **state)
{
    (void)state;
    struct episodic m;
    ana_talks_with_bob(&m);
    struct reducer *r = reducer_new();
    reducer_add_rule(r, EVENT_STIMULUS, STIMULUS_CONVERSATION, author_and_text, NULL);
    reducer_add_rule(r, EVENT_ACTION, ACTION_TALK, author_and_text, NULL);

    struct reducer_rows rows = { 0 };
    reducer_reduce(r, "Ana", &m, &rows);
    static const char *const want[][2] = {
        { "Bob", "Did you see the Acme ad?" },
        { "Ana", "Yes, it looked expensive." },
        { "Bob", "$30 a month, I think." },
        { "Ana", "Too much for me." },
    };
    assert_int_equal(rows.n, ARRAY_SIZE(want));
    for (size_t i = 0; i < rows.n; i++) {
        assert_int_equal(rows.rows[i].n, 2);
        assert_string_equal(rows.rows[i].items[0], want[i][0]);
        assert_string_equal(rows.rows[i].items[1], want[i][1]);
    }

    /* Appends: reducing again doubles the rows. */
    reducer_reduce(r, "Ana", &m, &rows);
    assert_int_equal(rows.n, 2 * ARRAY_SIZE(want));
    reducer_rows_release(&rows);
    assert_int_equal(rows.n, 0);
    reducer_free(r);
    episodic_release(&m);
}

struct tally {
    int calls;
    const char *tag;
};

/* (tag, kind:type, time): counts its calls; makes no row for events without a time. */
static bool tagged(void *ctx, const char *agent, const struct event *e, struct strlist *row)
{
    struct tally *t = ctx;
    t->calls++;
    (void)agent;
    strlist_add(row, t->tag); /* discarded when no row is made: ASan checks the release */
    if (!e->time)
        return false;
    char what[64];
    snprintf(what, sizeof(what), "%s:%s", e->kind == EVENT_ACTION ? "action" : "stimulus",
             event_type_name(e));
    strlist_add(row, what);
    strlist_add(row, e->time);
    return true;
}

static void rules_match_on_kind_and_type(void **state)
{
    (void)state;
    struct episodic m;
    ana_talks_with_bob(&m);
    struct tally actions = { .tag = "any action" }, visual = { .tag = "visual" },
                 feedback = { .tag = "feedback" }, talk = { .tag = "talk" },
                 goal = { .tag = "goal" };
    struct reducer *r = reducer_new();
    reducer_add_rule(r, EVENT_ACTION, REDUCER_ANY_TYPE, tagged, &actions);
    reducer_add_rule(r, EVENT_STIMULUS, STIMULUS_VISUAL, tagged, &visual);
    reducer_add_rule(r, EVENT_FEEDBACK, REDUCER_ANY_TYPE, tagged, &feedback);
    reducer_add_rule(r, EVENT_ACTION, ACTION_TALK, tagged, &talk);
    reducer_add_rule(r, EVENT_STIMULUS, STIMULUS_GOAL, tagged, &goal);

    struct reducer_rows rows = { 0 };
    reducer_reduce(r, "Ana", &m, &rows);
    assert_int_equal(actions.calls, 5); /* THINK, TALK, DONE, TALK, DONE */
    assert_int_equal(talk.calls, 2);
    assert_int_equal(visual.calls, 1);
    assert_int_equal(feedback.calls, 1);
    assert_int_equal(goal.calls, 0);

    /* The visual has no time: no row. Two rules on one TALK: two rows, in rule order. */
    static const char *const want[][2] = {
        { "any action", "action:THINK" }, { "any action", "action:TALK" },
        { "talk", "action:TALK" },        { "any action", "action:DONE" },
        { "any action", "action:TALK" },  { "talk", "action:TALK" },
        { "feedback", "stimulus:" },      { "any action", "action:DONE" },
    };
    assert_int_equal(rows.n, ARRAY_SIZE(want));
    for (size_t i = 0; i < rows.n; i++) {
        assert_int_equal(rows.rows[i].n, 3);
        assert_string_equal(rows.rows[i].items[0], want[i][0]);
        assert_string_equal(rows.rows[i].items[1], want[i][1]);
    }
    assert_string_equal(rows.rows[7].items[2], "t2");
    reducer_rows_release(&rows);

    /* No rules, no rows; an empty memory, no calls. */
    struct reducer *none = reducer_new();
    reducer_reduce(none, "Ana", &m, &rows);
    assert_int_equal(rows.n, 0);
    struct episodic empty;
    episodic_init(&empty);
    reducer_reduce(r, "Ana", &empty, &rows);
    assert_int_equal(rows.n, 0);
    assert_int_equal(actions.calls, 5);
    reducer_free(none);
    reducer_free(r);
    reducer_free(NULL);
    episodic_release(&m);
}

static void reducing_each_event_keeps_what_trimming_drops(void **state)
{
    (void)state;
    struct reducer *r = reducer_new();
    reducer_add_rule(r, EVENT_STIMULUS, STIMULUS_CONVERSATION, author_and_text, NULL);
    struct episodic m;
    episodic_init(&m);
    struct reducer_rows live = { 0 };
    for (int i = 0; i < 100; i++) {
        char text[32];
        snprintf(text, sizeof(text), "line %d", i);
        episodic_add_stimulus(&m, STIMULUS_CONVERSATION, text, "Bob", NULL);
        reducer_reduce_event(r, "Ana", &m.events[m.n - 1], &live);
        if (i % 12 == 11)
            episodic_end_episode(&m);
    }
    assert_int_equal(live.n, 100);
    assert_string_equal(live.rows[57].items[1], "line 57");

    /* After the fact, only the events memory still holds. */
    struct reducer_rows after = { 0 };
    reducer_reduce(r, "Ana", &m, &after);
    assert_int_equal(after.n, m.n);
    assert_true(after.n < 100);

    /* Rows from elsewhere are copied in. */
    struct strlist extra = { 0 };
    strlist_add(&extra, "Carla");
    strlist_add(&extra, "hi");
    reducer_rows_add(&after, &extra);
    strlist_release(&extra);
    assert_string_equal(after.rows[after.n - 1].items[0], "Carla");

    reducer_rows_release(&after);
    reducer_rows_release(&live);
    episodic_release(&m);
    reducer_free(r);
}

static void add_row(struct reducer_rows *rows, const char *a, const char *b)
{
    struct strlist row = { 0 };
    strlist_add(&row, a);
    strlist_add(&row, b);
    reducer_rows_add(rows, &row);
    strlist_release(&row);
}

static void rows_become_rfc4180_csv(void **state)
{
    (void)state;
    struct reducer_rows rows = { 0 };
    add_row(&rows, "Ana", "plain text");
    add_row(&rows, "Bob", "yes, but no");
    add_row(&rows, "Carla", "she said \"hi\"");
    add_row(&rows, "Dan", "two\nlines");
    add_row(&rows, "Eve", "carriage\rreturn");
    add_row(&rows, "", "\"");
    struct strlist columns = { 0 };
    strlist_add(&columns, "author");
    strlist_add(&columns, "text, as said");

    struct buf out;
    buf_init(&out, 4096);
    struct err err = ERR_INIT;
    assert_ok(reducer_rows_csv(&rows, &columns, &out, &err), &err);
    assert_string_equal(out.data, "author,\"text, as said\"\r\n"
                                  "Ana,plain text\r\n"
                                  "Bob,\"yes, but no\"\r\n"
                                  "Carla,\"she said \"\"hi\"\"\"\r\n"
                                  "Dan,\"two\nlines\"\r\n"
                                  "Eve,\"carriage\rreturn\"\r\n"
                                  ",\"\"\"\"\r\n");

    /* Without columns: no header; appended to what out holds. */
    buf_reset(&out);
    buf_adds(&out, "# ");
    struct reducer_rows one = { 0 };
    add_row(&one, "a", "b");
    assert_ok(reducer_rows_csv(&one, NULL, &out, &err), &err);
    assert_string_equal(out.data, "# a,b\r\n");

    /* A one-field empty row is not an empty line. */
    struct reducer_rows lone = { 0 };
    struct strlist empty_field = { 0 };
    strlist_add(&empty_field, "");
    reducer_rows_add(&lone, &empty_field);
    strlist_release(&empty_field);
    buf_reset(&out);
    assert_ok(reducer_rows_csv(&lone, NULL, &out, &err), &err);
    assert_string_equal(out.data, "\"\"\r\n");
    reducer_rows_release(&lone);

    /* A row of another width is refused and nothing written. */
    struct strlist three = { 0 };
    strlist_add(&three, "x");
    strlist_add(&three, "y");
    strlist_add(&three, "z");
    reducer_rows_add(&one, &three);
    strlist_release(&three);
    buf_reset(&out);
    assert_int_equal(reducer_rows_csv(&one, NULL, &out, &err), ERR_INVALID);
    assert_string_equal(err.field, "rows");
    assert_contains(err.msg, "row 1 has 3 fields, expected 2");
    assert_int_equal(out.len, 0);
    err_clear(&err);
    struct strlist one_column = { 0 };
    strlist_add(&one_column, "author");
    assert_int_equal(reducer_rows_csv(&rows, &one_column, &out, &err), ERR_INVALID);
    assert_contains(err.msg, "row 0 has 2 fields, expected 1");
    strlist_release(&one_column);
    reducer_rows_release(&one);
    buf_release(&out);

    /* Past the buffer's maximum: ERR_TOO_LARGE, out cut back. */
    struct buf small;
    buf_init(&small, 40);
    buf_adds(&small, "kept");
    assert_int_equal(reducer_rows_csv(&rows, &columns, &small, &err), ERR_TOO_LARGE);
    assert_string_equal(small.data, "kept");
    assert_true(small.failed);
    buf_release(&small);

    strlist_release(&columns);
    reducer_rows_release(&rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_conversation_becomes_author_text_rows),
        cmocka_unit_test(rules_match_on_kind_and_type),
        cmocka_unit_test(reducing_each_event_keeps_what_trimming_drops),
        cmocka_unit_test(rows_become_rfc4180_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
