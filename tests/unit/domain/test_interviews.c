/*
 * tests/unit/domain/test_interviews.c - domain/interviews.h and
 * domain/persona_model.h with the offline model behind a real gateway:
 * a conversation is opened, continued, listed, read and deleted; what is
 * stored and what is refused (bad message, unknown or foreign conversation,
 * a full conversation, no model); generating and validating through the
 * domain.
 */
#include "core/compat.h"

#include "domain/interviews.h"

#include <setjmp.h>

#include <cmocka.h>

#include "domain/persona_model.h"
#include "domain/personas.h"
#include "domain/templates.h"
#include "fixture.h"
#include "llm/gateway.h"
#include "samples.h"
#include "testutil.h"

static struct llm_gateway *gw;

static int open_gateway(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    return gw ? 0 : -1;
}

static int close_gateway(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    return 0;
}

/* A template persona (the first Brazilian one) in u's workspace; its id into id. */
static void add_brazilian(struct fixture_user *u, char id[IDS_UUID_LEN])
{
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    const char *tid = NULL;
    for (size_t i = 0; i < n && !tid; i++)
        if (strcmp(persona_country(all[i].persona), "Brazil") == 0)
            tid = all[i].id;
    assert_non_null(tid);
    struct persona_input in = { .template_id = tid };
    struct persona_record r;
    assert_ok(personas_add(fx.store, &u->caller, &in, &r, &err), &err);
    snprintf(id, IDS_UUID_LEN, "%s", r.id);
    persona_record_release(&r);
}

static void a_conversation_is_kept_message_by_message(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "interviewer@example.com", NULL, &u);
    char persona[IDS_UUID_LEN];
    add_brazilian(&u, persona);
    struct err err = ERR_INIT;
    struct interview_reply r;
    assert_ok(interview_reply(fx.store, gw, NULL, &u.caller, persona, NULL,
                              "  Olá! O que você faz no trabalho?  ", &r, &err),
              &err);
    assert_true(r.new_conversation);
    assert_int_equal(r.question.seq, 1);
    assert_string_equal(r.question.content, "Olá! O que você faz no trabalho?");
    assert_int_equal(r.answer.seq, 2);
    assert_true(strlen(r.answer.content) > 0);
    assert_string_equal(r.answer.model, "crowdelic-offline");
    char cid[IDS_UUID_LEN];
    snprintf(cid, sizeof(cid), "%s", r.conversation_id);
    interview_reply_release(&r);

    assert_ok(
        interview_reply(fx.store, gw, NULL, &u.caller, persona, cid, "E onde você mora?", &r, &err),
        &err);
    assert_false(r.new_conversation);
    assert_string_equal(r.conversation_id, cid);
    assert_int_equal(r.answer.seq, 4);
    interview_reply_release(&r);

    struct conversation c;
    assert_ok(conversations_get(fx.store, &u.caller, persona, cid, &c, &err), &err);
    assert_int_equal(c.n_messages, 4);
    assert_int_equal(c.n_loaded, 4);
    assert_string_equal(c.title, "Olá! O que você faz no trabalho?");
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(c.messages[i].seq, (int64_t)i + 1);
        assert_int_equal(c.messages[i].role, i % 2 ? MESSAGE_PERSONA : MESSAGE_USER);
    }
    conversation_release(&c);

    struct conversation_page pg;
    assert_ok(conversations_list(fx.store, &u.caller, persona, 10, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 1);
    assert_string_equal(pg.items[0].id, cid);
    conversation_page_release(&pg);

    assert_ok(conversations_delete(fx.store, &u.caller, persona, cid, &err), &err);
    assert_int_equal(conversations_get(fx.store, &u.caller, persona, cid, &c, &err), ERR_NOT_FOUND);
    assert_int_equal(fixture_count(&fx, "conversation_messages WHERE conversation_id = ?", cid), 0);
    fixture_user_release(&u);
}

static void what_is_refused_leaves_nothing(void **state)
{
    (void)state;
    struct fixture_user u, other;
    fixture_user_new(&fx, "refused@example.com", NULL, &u);
    fixture_user_new(&fx, "other@example.com", NULL, &other);
    char persona[IDS_UUID_LEN], theirs[IDS_UUID_LEN];
    add_brazilian(&u, persona);
    add_brazilian(&other, theirs);
    struct err err = ERR_INIT;
    struct interview_reply r;
    assert_int_equal(interview_reply(fx.store, gw, NULL, &u.caller, persona, NULL, "   ", &r, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "message");
    assert_int_equal(interview_reply(fx.store, gw, NULL, &u.caller, theirs, NULL, "Oi", &r, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(
        interview_reply(fx.store, NULL, NULL, &u.caller, persona, NULL, "Oi", &r, &err),
        ERR_UNAVAILABLE);
    assert_int_equal(interview_reply(fx.store, gw, NULL, &u.caller, persona,
                                     "01a00000-0000-7000-8000-000000000000", "Oi", &r, &err),
                     ERR_NOT_FOUND);
    assert_string_equal(err.field, "conversation_id");
    assert_int_equal(fixture_count(&fx, "conversations WHERE persona_id = ?", persona), 0);

    /* the other workspace's conversation, through its own persona id or ours */
    assert_ok(interview_reply(fx.store, gw, NULL, &other.caller, theirs, NULL, "Oi", &r, &err),
              &err);
    char their_cid[IDS_UUID_LEN];
    snprintf(their_cid, sizeof(their_cid), "%s", r.conversation_id);
    interview_reply_release(&r);
    assert_int_equal(
        interview_reply(fx.store, gw, NULL, &u.caller, persona, their_cid, "Oi", &r, &err),
        ERR_NOT_FOUND);
    struct conversation c;
    assert_int_equal(conversations_get(fx.store, &u.caller, theirs, their_cid, &c, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(conversations_delete(fx.store, &u.caller, theirs, their_cid, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(
        fixture_count(&fx, "conversation_messages WHERE conversation_id = ?", their_cid), 2);

    /* a full conversation takes no more */
    assert_ok(interview_reply(fx.store, gw, NULL, &u.caller, persona, NULL, "Oi", &r, &err), &err);
    char cid[IDS_UUID_LEN];
    snprintf(cid, sizeof(cid), "%s", r.conversation_id);
    interview_reply_release(&r);
    struct store_param p[] = { STORE_INT(INTERVIEW_LENGTH_MAX), STORE_TEXT(cid) };
    fixture_run(&fx, "UPDATE conversations SET messages = ? WHERE id = ?", p, 2);
    assert_int_equal(interview_reply(fx.store, gw, NULL, &u.caller, persona, cid, "Oi", &r, &err),
                     ERR_CONFLICT);
    fixture_user_release(&u);
    fixture_user_release(&other);
}

static void generate_and_validate_through_the_domain(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "maker@example.com", NULL, &u);
    struct err err = ERR_INIT;
    struct generate_request req = { .description = "students in Lisbon", .n = 4, .seed = 3 };
    struct generate_result g;
    assert_int_equal(personas_generate(fx.store, gw, NULL, &u.caller, &req, &g, &err),
                     ERR_FORBIDDEN);
    generate_result_release(&g);
    fixture_user_set_plan(&fx, &u, "business");
    assert_ok(personas_generate(fx.store, gw, NULL, &u.caller, &req, &g, &err), &err);
    assert_int_equal(g.n_ids, 4);
    assert_int_equal(g.seed, 3);
    assert_int_equal(g.population->stats.made, 4);
    int sum = 0;
    for (size_t i = 0; i < g.population->n_groups; i++)
        sum += g.population->groups[i].quantity;
    assert_int_equal(sum, 4);
    assert_int_equal(fixture_count(&fx, "personas WHERE type = 'generated' AND workspace_id = ?",
                                   u.caller.workspace_id),
                     4);

    struct validate_result v;
    assert_ok(personas_validate(fx.store, gw, NULL, &u.caller, g.ids[0], NULL, 0, &v, &err), &err);
    assert_true(v.score >= 0 && v.score <= 1);
    assert_true(v.interview.n > 0);
    struct persona_record r;
    assert_ok(personas_fetch(fx.store, &u.caller, g.ids[0], &r, &err), &err);
    assert_true(r.validated);
    assert_string_equal(r.validation_reasons, v.reasons);
    persona_record_release(&r);
    validate_result_release(&v);
    assert_int_equal(personas_validate(fx.store, gw, NULL, &u.caller, g.ids[0], NULL, 1, &v, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "rounds");

    struct generate_request too_many = { .description = "x", .n = GENERATE_MAX + 1 };
    struct generate_result none;
    assert_int_equal(personas_generate(fx.store, gw, NULL, &u.caller, &too_many, &none, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "count");
    generate_result_release(&none);
    generate_result_release(&g);
    fixture_user_release(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(a_conversation_is_kept_message_by_message),
        FIXTURE_TEST(what_is_refused_leaves_nothing),
        FIXTURE_TEST(generate_and_validate_through_the_domain),
    };
    return cmocka_run_group_tests(tests, open_gateway, close_gateway);
}
