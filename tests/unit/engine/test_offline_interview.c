/*
 * tests/unit/engine/test_offline_interview.c - interviews on the offline
 * model (engine/offline/converse.c): a persona answers one interviewer
 * message after message, the way the server's chat replays it (a fresh
 * agent perceives the conversation so far - the interviewer's messages
 * from "Interviewer", its own earlier replies from its own name - then the
 * new message, and takes one turn through the real gateway); replies are
 * in the persona's language whatever the question's, answer what was asked
 * from the persona's fields, refer back to earlier messages that share
 * words with the new one (or when asked to recall), stay within the text
 * limit, never come out empty and repeat for a seed; focus groups keep
 * their own kind of reply.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/jsonio.h"
#include "core/xalloc.h"
#include "engine/agent.h"
#include "engine/engine.h"
#include "engine/offline/model.h"
#include "engine/words.h"

#define TEXT_LIMIT  1200 /* act.c: bytes of one composed answer */
#define INTERVIEWER "Interviewer"
#define SEEDS       12

static struct llm_gateway *gw;
static struct engine eng;
static struct offline_model *model;

static int setup(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    eng = (struct engine){ .gw = gw, .seed = 42 };
    return testutil_offline_model(&model);
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    offline_model_free(model);
    return 0;
}

static struct persona *ana(void)
{
    return sample_persona(
        "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"feminino\",\"nationality\":\"brasileira\","
        "\"residence\":\"Porto Alegre, Brasil\",\"language\":\"pt-BR\",\"income_level\":"
        "\"lower_middle\",\"occupation\":{\"title\":\"Enfermeira\",\"organization\":\"Hospital de "
        "Clínicas de Porto Alegre\",\"description\":\"cuido de pacientes na emergência, em "
        "plantões de 12 horas\"},\"style\":\"fala rápido, direta e bem-humorada\","
        "\"preferences\":{\"interests\":[\"cozinhar para a família\",\"corrida de rua\","
        "\"séries policiais\"],\"likes\":[\"café passado na hora\",\"feira de domingo\"],"
        "\"dislikes\":[\"fila de banco\",\"propaganda barulhenta\"]},\"long_term_goals\":"
        "[\"fazer uma especialização em UTI\",\"comprar um apartamento\"],\"beliefs\":[\"saúde "
        "pública de qualidade é um direito de todos\"],\"behaviors\":{\"general\":[\"anota tudo "
        "na agenda\"],\"routines\":{\"manhã\":\"corre no parque antes do plantão\"}},\"health\":"
        "\"boa, mas dorme pouco por causa dos plantões\",\"relationships\":[{\"name\":\"Carlos\","
        "\"description\":\"meu marido\"},{\"name\":\"Júlia\",\"description\":\"minha filha de 8 "
        "anos\"}]}");
}

static struct persona *tom(void)
{
    return sample_persona(
        "{\"name\":\"Tom Baker\",\"age\":58,\"gender\":\"male\",\"residence\":\"Leeds, United "
        "Kingdom\",\"language\":\"en\",\"income_level\":\"upper_middle\",\"occupation\":{\"title\":"
        "\"electrician\"},\"preferences\":{\"interests\":[\"football\",\"fishing\"],\"likes\":"
        "[\"real ale\"],\"dislikes\":[\"subscriptions\",\"smartphone apps\"]}}");
}

/* ---- the conversation, as the server replays it ------------------------------------------- */

/*
 * The persona's reply to asked[n] (malloc'd): a fresh agent perceives
 * asked[0..n) and replies[0..n) in turn, then asked[n], and takes one turn
 * without questions; the reply is its TALK, addressed to the interviewer.
 */
static char *reply_to(const struct persona *p, const char *const *asked, char *const *replies,
                      size_t n, uint64_t seed)
{
    struct agent *a = agent_new(persona_dup(p));
    struct strlist context = { 0 }; /* as the server sets it: in English, whatever the persona's */
    strlist_add(&context, "an interview: a researcher asks you about yourself and your views");
    agent_set_context(a, &context);
    strlist_release(&context);
    for (size_t i = 0; i < n; i++) {
        agent_perceive(a, STIMULUS_CONVERSATION, asked[i], INTERVIEWER);
        agent_perceive(a, STIMULUS_CONVERSATION, replies[i], agent_name(a));
    }
    agent_perceive(a, STIMULUS_CONVERSATION, asked[n], INTERVIEWER);
    struct task *t = agent_turn_task(a, NULL);
    char index[24];
    snprintf(index, sizeof(index), "%zu", n);
    struct llm_response *resp =
        engine_ask(&eng, t, engine_seed(seed, "chat", agent_name(a), index, (const char *)NULL),
                   agent_name(a), NULL);
    struct turn_result r;
    struct err err = ERR_INIT;
    assert_ok(agent_turn_commit(a, t, resp, &r, &err), &err);
    char *talk = NULL;
    for (size_t i = 0; i < r.n_actions && !talk; i++) {
        if (r.actions[i].type != ACTION_TALK)
            continue;
        assert_non_null(r.actions[i].content);
        assert_non_null(r.actions[i].target);
        assert_string_equal(r.actions[i].target, INTERVIEWER);
        talk = xstrdup(r.actions[i].content);
    }
    assert_non_null(talk);
    turn_result_release(&r);
    llm_response_free(resp);
    task_free(t);
    agent_free(a);
    return talk;
}

/* Every reply of a conversation of n messages, into replies (free with free_replies). */
static void converse(const struct persona *p, const char *const *asked, size_t n, uint64_t seed,
                     char **replies)
{
    for (size_t i = 0; i < n; i++)
        replies[i] = reply_to(p, asked, replies, i, seed);
}

static void free_replies(char **replies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        FREE_AND_NULL(replies[i]);
}

static void print_transcript(const char *const *asked, char *const *replies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("# %zu. Interviewer: %s\n#    Ana Souza: %s\n", i + 1, asked[i], replies[i]);
}

/* ---- language ---------------------------------------------------------------------------- */

static bool has_word(const char *text, const char *const *list, size_t n)
{
    struct words ws;
    words_init(&ws, text);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = words_contain(&ws, list[i]);
    words_release(&ws);
    return found;
}

static const char *const ENGLISH[] = { "the", "and", "you", "my",   "is",   "with", "for",
                                       "i",   "it",  "to",  "what", "this", "in" };
/* (not "do", "no" or "a": English words too) */
static const char *const PORTUGUESE[] = { "de",   "que", "não",   "você", "eu",    "é",
                                          "em",   "um",  "uma",   "meu",  "minha", "da",
                                          "para", "com", "muito", "na",   "mais",  "também" };

static int language_of(const char *text)
{
    struct words ws;
    words_init(&ws, text);
    int lang = text_language(&ws);
    words_release(&ws);
    return lang;
}

/* Portuguese words, and none of English's common ones. */
static void assert_portuguese(const char *text)
{
    if (has_word(text, ENGLISH, ARRAY_SIZE(ENGLISH)) ||
        !has_word(text, PORTUGUESE, ARRAY_SIZE(PORTUGUESE)))
        fail_msg("not Portuguese: %s", text);
}

static void assert_english(const char *text)
{
    if (has_word(text, PORTUGUESE, ARRAY_SIZE(PORTUGUESE)) ||
        !has_word(text, ENGLISH, ARRAY_SIZE(ENGLISH)))
        fail_msg("not English: %s", text);
}

/* The words a reply refers back with ("Como eu disse quando você perguntou ..."). */
static const char *const RECALL_PT[] = { "como eu disse",    "já tinha dito antes",
                                         "eu falei antes",   "como eu comentei antes",
                                         "perguntou antes",  "você comentou antes",
                                         "você falou antes", "você disse antes" };

static void assert_recalls(const char *text)
{
    if (!has_word(text, RECALL_PT, ARRAY_SIZE(RECALL_PT)))
        fail_msg("does not refer back: %s", text);
}

/* ---- an interview in Portuguese -------------------------------------------------------------- */

static const char *const ASKED_PT[] = {
    "Oi, tudo bem? Pode se apresentar?",
    "Qual é o seu trabalho hoje?",
    "E em que cidade você mora?",
    "Você gosta do seu trabalho? Como é a rotina?",
    "Antes você falou de Porto Alegre. O que você faz lá no tempo livre?",
};

static void a_brazilian_interview_answers_in_portuguese_and_remembers(void **state)
{
    (void)state;
    struct persona *p = ana();
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        char *replies[ARRAY_SIZE(ASKED_PT)] = { 0 };
        converse(p, ASKED_PT, ARRAY_SIZE(ASKED_PT), seed, replies);
        if (seed == 0)
            print_transcript(ASKED_PT, replies, ARRAY_SIZE(ASKED_PT));
        for (size_t i = 0; i < ARRAY_SIZE(ASKED_PT); i++) {
            assert_portuguese(replies[i]);
            assert_int_equal(language_of(replies[i]), OFFLINE_LANG_PT); /* read.c's reading too */
            assert_true(strlen(replies[i]) <= TEXT_LIMIT);
        }
        assert_contains(replies[0], "Ana Souza");    /* who are you */
        assert_contains(replies[1], "enfermeira");   /* the job */
        assert_contains(replies[2], "Porto Alegre"); /* the city */
        /* 4 and 5 refer back, to the job and to the city, and stay with the facts */
        assert_recalls(replies[3]);
        assert_true(has_word(replies[3], (const char *const[]){ "trabalho" }, 1));
        assert_contains(replies[3], "plantões"); /* what the job involves */
        assert_recalls(replies[4]);
        assert_contains(replies[4], "Porto Alegre");
        assert_contains(replies[4], "cozinhar para a família"); /* her free time */
        free_replies(replies, ARRAY_SIZE(ASKED_PT));
    }
    persona_free(p);
}

static void the_same_seed_gives_the_same_interview(void **state)
{
    (void)state;
    struct persona *p = ana();
    char *one[ARRAY_SIZE(ASKED_PT)] = { 0 }, *two[ARRAY_SIZE(ASKED_PT)] = { 0 };
    converse(p, ASKED_PT, ARRAY_SIZE(ASKED_PT), 7, one);
    converse(p, ASKED_PT, ARRAY_SIZE(ASKED_PT), 7, two);
    for (size_t i = 0; i < ARRAY_SIZE(ASKED_PT); i++)
        assert_string_equal(one[i], two[i]);
    bool differs = false; /* and another seed words it differently somewhere */
    for (uint64_t seed = 8; seed < 8 + SEEDS && !differs; seed++) {
        char *other[ARRAY_SIZE(ASKED_PT)] = { 0 };
        converse(p, ASKED_PT, ARRAY_SIZE(ASKED_PT), seed, other);
        for (size_t i = 0; i < ARRAY_SIZE(ASKED_PT); i++)
            differs = differs || strcmp(one[i], other[i]) != 0;
        free_replies(other, ARRAY_SIZE(ASKED_PT));
    }
    assert_true(differs);
    free_replies(one, ARRAY_SIZE(ASKED_PT));
    free_replies(two, ARRAY_SIZE(ASKED_PT));
    persona_free(p);
}

/* Does text hold one of the '|'-separated needles? */
static bool contains_one_of(const char *text, const char *needles)
{
    struct span rest = span_cstr(needles);
    while (rest.len) {
        struct span n = span_cut(&rest, '|');
        char needle[128];
        snprintf(needle, sizeof(needle), "%.*s", (int)n.len, n.ptr);
        if (n.len && strstr(text, needle))
            return true;
    }
    return false;
}

static void every_personal_question_gets_its_fact(void **state)
{
    (void)state;
    static const struct {
        const char *asked, *fact;
    } cases[] = {
        { "Quantos anos você tem?", "34" },
        { "Me fala da sua família.", "Carlos" },
        { "Quais são os seus sonhos para o futuro?", "especialização em UTI" },
        { "Em que você acredita?", "saúde pública" },
        { "O que você não gosta?", "fila de banco" },
        { "Do que você mais gosta?", "café passado na hora" },
        { "Como anda a sua saúde?", "dorme pouco" },
        { "Como é um dia normal na sua rotina?", "corre no parque" },
        { "Como você lida com dinheiro e compras?",
          "preço|dinheiro|orçamento|promoção|centavo|compro" },
        { "Obrigado pela conversa, tchau!", "agradeço|prazer|conversa" },
        { "Where do you live?", "Porto Alegre" }, /* asked in English, answered in Portuguese */
    };
    struct persona *p = ana();
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        for (uint64_t seed = 0; seed < 4; seed++) {
            char *reply = reply_to(p, &cases[i].asked, NULL, 0, seed);
            assert_portuguese(reply);
            if (seed == 0)
                printf("# %s\n#    %s\n", cases[i].asked, reply);
            if (!contains_one_of(reply, cases[i].fact))
                fail_msg("'%s' answered without '%s': %s", cases[i].asked, cases[i].fact, reply);
            free(reply);
        }
    }
    persona_free(p);
}

static void an_opinion_question_is_answered_in_character(void **state)
{
    (void)state;
    static const char *const asked[] = {
        "O que você acha de um aplicativo de receitas rápidas por R$ 19,90 por mês?",
    };
    struct persona *p = ana();
    for (uint64_t seed = 0; seed < 4; seed++) {
        char *reply = reply_to(p, asked, NULL, 0, seed);
        assert_portuguese(reply);
        assert_lacks(reply, "O que você acha"); /* the subject, not the question */
        free(reply);
    }
    persona_free(p);
}

/*
 * Which react.* phrase (the opinion's first sentence) text holds: by the
 * longest stretch of each alternative without a placeholder; -1 for none.
 */
static int reaction_of(const char *text, int lang)
{
    static const char *const keys[] = { "react.love", "react.like", "react.neutral",
                                        "react.dislike", "react.hate" };
    for (int k = 0; k < (int)ARRAY_SIZE(keys); k++) {
        const struct strlist *alts = offline_phrases_find(model->data, keys[k], lang);
        for (size_t i = 0; alts && i < alts->n; i++) {
            struct span rest = span_cstr(alts->items[i]), best = { "", 0 };
            while (rest.len) {
                struct span part = span_trim(span_cut(&rest, '{'));
                if (part.len > best.len)
                    best = part;
                span_cut(&rest, '}');
            }
            char needle[256];
            snprintf(needle, sizeof(needle), "%.*s", (int)best.len, best.ptr);
            if (best.len >= 12 && strstr(text, needle))
                return k;
        }
    }
    return -1;
}

static void an_opinion_asked_again_is_the_same_opinion(void **state)
{
    (void)state;
    static const char *const asked[] = {
        "What do you think of FreshBox, chef-designed dinners for $49 a month?",
        "Do you like fishing?",
        "Remember FreshBox? Would you buy it for your family?",
    };
    struct persona *p = tom();
    int sides[5] = { 0 };
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        char *replies[ARRAY_SIZE(asked)] = { 0 };
        converse(p, asked, ARRAY_SIZE(asked), seed, replies);
        int first = reaction_of(replies[0], OFFLINE_LANG_EN);
        int again = reaction_of(replies[2], OFFLINE_LANG_EN);
        assert_true(first >= 0);
        assert_int_equal(again, first);
        sides[first]++;
        assert_contains(replies[2], "FreshBox"); /* "it" is what was asked about before */
        assert_true(has_word(replies[2], (const char *const[]){ "earlier", "before", "said" }, 3));
        free_replies(replies, ARRAY_SIZE(asked));
    }
    int kinds = 0; /* and the opinion itself is not fixed: it differs between seeds */
    for (size_t i = 0; i < ARRAY_SIZE(sides); i++)
        kinds += sides[i] > 0;
    assert_true(kinds >= 2);
    persona_free(p);
}

static void asking_to_recall_refers_to_an_earlier_question(void **state)
{
    (void)state;
    static const char *const asked[] = {
        "Onde você mora?",
        "Você lembra o que eu perguntei antes?",
    };
    struct persona *p = ana();
    for (uint64_t seed = 0; seed < 4; seed++) {
        char *replies[2] = { 0 };
        converse(p, asked, 2, seed, replies);
        assert_portuguese(replies[1]);
        assert_recalls(replies[1]);
        assert_contains(replies[1], "Onde você mora"); /* the question, quoted */
        assert_contains(replies[1], "Porto Alegre");   /* and the same answer */
        free_replies(replies, 2);
    }
    persona_free(p);
}

/* A persona that keeps its agent (as the validator does) remembers through its memory window. */
static void a_lasting_agent_remembers_through_its_memory(void **state)
{
    (void)state;
    struct agent *a = agent_new(ana());
    static const char *const asked[] = { "Qual é o seu trabalho?", "Você gosta do seu trabalho?" };
    char *last = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(asked); i++) {
        agent_perceive(a, STIMULUS_CONVERSATION, asked[i], INTERVIEWER);
        struct task *t = agent_turn_task(a, NULL);
        struct llm_response *resp = engine_ask(&eng, t, 3 + i, agent_name(a), NULL);
        struct turn_result r;
        struct err err = ERR_INIT;
        assert_ok(agent_turn_commit(a, t, resp, &r, &err), &err);
        free(last);
        last = NULL;
        for (size_t k = 0; k < r.n_actions && !last; k++)
            if (r.actions[k].type == ACTION_TALK)
                last = xstrdup(r.actions[k].content);
        assert_non_null(last);
        turn_result_release(&r);
        llm_response_free(resp);
        task_free(t);
    }
    assert_portuguese(last);
    assert_recalls(last);
    free(last);
    agent_free(a);
}

/* ---- other languages, limits --------------------------------------------------------------- */

static void an_english_persona_answers_in_english(void **state)
{
    (void)state;
    static const char *const asked[] = {
        "Hi! What do you do for a living?",
        "Onde você mora?", /* a Portuguese question still gets English */
        "Earlier you said what you do for a living. Do you like your work?",
    };
    struct persona *p = tom();
    for (uint64_t seed = 0; seed < 4; seed++) {
        char *replies[ARRAY_SIZE(asked)] = { 0 };
        converse(p, asked, ARRAY_SIZE(asked), seed, replies);
        for (size_t i = 0; i < ARRAY_SIZE(asked); i++)
            assert_english(replies[i]);
        if (seed == 0)
            for (size_t i = 0; i < ARRAY_SIZE(asked); i++)
                printf("# %zu. Interviewer: %s\n#    Tom Baker: %s\n", i + 1, asked[i], replies[i]);
        assert_contains(replies[0], "electrician");
        assert_contains(replies[1], "Leeds");
        assert_true(has_word(replies[2], (const char *const[]){ "earlier", "before", "said" }, 3));
        free_replies(replies, ARRAY_SIZE(asked));
    }
    persona_free(p);
}

static void a_reply_stays_within_the_limit_and_is_never_empty(void **state)
{
    (void)state;
    /* long fields and a long question: at most the limit */
    struct buf spec, question;
    buf_init(&spec, 1 << 20);
    buf_init(&question, 1 << 20);
    buf_adds(&spec, "{\"name\":\"Ana Souza\",\"language\":\"pt-BR\",\"residence\":\"");
    for (int i = 0; i < 150; i++)
        buf_adds(&spec, "Porto Alegre ");
    buf_adds(&spec, "\",\"preferences\":{\"interests\":[");
    for (int i = 0; i < 3; i++) {
        buf_adds(&spec, i ? ",\"" : "\"");
        for (int k = 0; k < 150; k++)
            buf_adds(&spec, "cozinhar ");
        buf_addch(&spec, '"');
    }
    buf_adds(&spec, "]}}");
    for (int i = 0; i < 200; i++)
        buf_adds(&question, "Onde você mora e o que faz no tempo livre? ");
    struct persona *big = sample_persona(spec.data);
    const char *asked[] = { question.data };
    for (uint64_t seed = 0; seed < 4; seed++) {
        char *reply = reply_to(big, asked, NULL, 0, seed);
        assert_true(strlen(reply) > 0);
        assert_true(strlen(reply) <= TEXT_LIMIT);
        free(reply);
    }
    persona_free(big);
    buf_release(&spec);
    buf_release(&question);

    /* a bare persona and a message with nothing to read: still a reply */
    struct persona *bare = sample_persona("{\"name\":\"Zé\",\"language\":\"pt-BR\"}");
    static const char *const odd[] = { "???", "Qual é o seu trabalho?", "Lembra?" };
    for (size_t i = 0; i < ARRAY_SIZE(odd); i++) {
        char *reply = reply_to(bare, &odd[i], NULL, 0, 1);
        assert_true(strlen(reply) > 0);
        free(reply);
    }
    persona_free(bare);
}

/* ---- not an interview --------------------------------------------------------------------- */

static const char *const recall_words[] = { "como eu disse", "like i said", "earlier", "you asked",
                                            "i told you" };

static void a_focus_group_turn_keeps_its_kind(void **state)
{
    (void)state;
    int named = 0;
    for (uint64_t seed = 0; seed < 20; seed++) {
        struct task *t = task_new(TASK_ACT);
        t->u.act.persona = tom();
        act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION,
                         "What do you all think of FreshBox at $49 a month?", "Moderator");
        act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION,
                         "I love it, the recipes look delicious and it saves so much time.",
                         "Maria Lopez");
        act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION,
                         "Too pricey for me, I cook my own dinners.", "Carlos Silva");
        assert_null(converse_question(&t->u.act, "Tom Baker"));
        json_t *a = NULL;
        struct err err = ERR_INIT;
        assert_ok(offline_answer(model, t, seed, &a, &err), &err);
        size_t i;
        json_t *act;
        json_array_foreach (json_object_get(a, "actions"), i, act) {
            const char *type = json_string_value(json_object_get(act, "type"));
            const char *content = json_string_value(json_object_get(act, "content"));
            if (strcmp(type, "TALK") != 0 || !content)
                continue;
            named += strstr(content, "Carlos Silva") || strstr(content, "Maria Lopez");
            assert_false(has_word(content, recall_words, ARRAY_SIZE(recall_words)));
        }
        json_decref(a);
        task_free(t);
    }
    assert_true(named >= 15);
}

static void only_one_on_one_talk_is_an_interview(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_ACT);
    struct act_input *in = &t->u.act;
    in->persona = tom();
    act_add_stimulus(in, STIMULUS_CONVERSATION, "What do you do?", INTERVIEWER);
    assert_ptr_equal(converse_question(in, "Tom Baker"), &in->stimuli[0]);

    /* the moderator of a focus group, before anyone else spoke */
    free(in->stimuli[0].source);
    in->stimuli[0].source = xstrdup("Moderator");
    assert_null(converse_question(in, "Tom Baker"));
    free(in->stimuli[0].source);
    in->stimuli[0].source = xstrdup(INTERVIEWER);

    /* with other people to talk to, it is a group */
    strlist_add(&in->state.accessible, "Maria Lopez");
    assert_null(converse_question(in, "Tom Baker"));
    strlist_release(&in->state.accessible);

    /* a survey turn is a survey */
    act_add_question(in, "why", QUESTION_TEXT, "Why?");
    assert_null(converse_question(in, "Tom Baker"));
    task_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_brazilian_interview_answers_in_portuguese_and_remembers),
        cmocka_unit_test(the_same_seed_gives_the_same_interview),
        cmocka_unit_test(every_personal_question_gets_its_fact),
        cmocka_unit_test(an_opinion_question_is_answered_in_character),
        cmocka_unit_test(an_opinion_asked_again_is_the_same_opinion),
        cmocka_unit_test(asking_to_recall_refers_to_an_earlier_question),
        cmocka_unit_test(a_lasting_agent_remembers_through_its_memory),
        cmocka_unit_test(an_english_persona_answers_in_english),
        cmocka_unit_test(a_reply_stays_within_the_limit_and_is_never_empty),
        cmocka_unit_test(a_focus_group_turn_keeps_its_kind),
        cmocka_unit_test(only_one_on_one_talk_is_an_interview),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
