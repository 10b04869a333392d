/*
 * tests/unit/engine/test_analysis.c - extraction, normalisation and
 * propositions (engine/analysis.c) on the offline model through the real
 * gateway, plus a scripted provider for what the offline model never does
 * (answers with repeated or missing indexes, failures, the prompt's
 * content). Checks: typed values with explicit nulls, batches in input
 * order, paraphrases of one answer in one theme (English and Portuguese),
 * the cap on themes and the local merge into "Other", true and false
 * claims and their scores, the model and the cost of every result, and
 * clear errors for failed calls.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/metrics.h"
#include "core/xalloc.h"
#include "engine/analysis.h"
#include "engine/offline/offline.h"
#include "llm/gateway.h"
#include "llm/price.h"

#define SEED    42
#define OFFLINE "crowdelic-offline"

/* ---- the offline model behind the real gateway (one for the whole file) ---------------------- */

static struct llm_prices *prices;
static struct llm_gateway *offline_gw;

static int setup(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    /* a price for the offline model, so that costs are visible */
    if (llm_prices_parse(OFFLINE "=1000/1000", &prices, &err))
        return -1;
    struct llm_provider *p = NULL;
    if (offline_provider_new(NULL, &p, &err)) {
        fprintf(stderr, "the offline model: %s\n", err.msg);
        return -1;
    }
    struct llm_gateway_options opts = { .max_reasks = 1, .prices = prices };
    offline_gw = llm_gateway_new(p, &opts);
    return offline_gw ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(offline_gw);
    llm_prices_free(prices);
    metrics_reset();
    return 0;
}

static struct engine offline_engine(void)
{
    return (struct engine){ .gw = offline_gw, .seed = SEED };
}

/* ---- a scripted provider: one fixed answer, or a failure ------------------------------------- */

struct scripted {
    struct llm_provider iface; /* first */
    const char *answer;        /* NULL: every call fails with fail */
    enum err_code fail;
    int calls;      /* only read after the gateway is freed */
    char *last_ask; /* the last user message of the last request */
};

static enum err_code scripted_submit(struct llm_provider *p, const struct llm_request *req,
                                     llm_raw_fn *done, void *ctx, struct err *err)
{
    (void)err;
    struct scripted *s = (struct scripted *)p;
    s->calls++;
    for (size_t i = 0; i < req->n_messages; i++)
        if (req->messages[i].role == LLM_ROLE_USER) {
            free(s->last_ask);
            s->last_ask = xstrdup(req->messages[i].content);
        }
    struct llm_raw raw = { .tokens_in = 10, .tokens_out = 10, .attempts = 1 };
    if (s->answer) {
        raw.content = (char *)s->answer; /* borrowed for the callback */
        raw.model = (char *)"scripted-1";
    } else {
        raw.code = s->fail;
        err_set(&raw.err, s->fail, NULL, "scripted failure: the upstream said no");
    }
    done(ctx, &raw);
    return ERR_OK;
}

static enum err_code scripted_ping(struct llm_provider *p, struct err *err)
{
    (void)p;
    (void)err;
    return ERR_OK;
}

static void scripted_destroy(struct llm_provider *p)
{
    (void)p; /* the test frees it, after reading it */
}

static struct scripted *scripted_new(const char *answer, enum err_code fail)
{
    struct scripted *s = xcalloc(1, sizeof(*s));
    s->answer = answer;
    s->fail = fail;
    s->iface = (struct llm_provider){ .name = "scripted",
                                      .default_model = "scripted-1",
                                      .submit = scripted_submit,
                                      .ping = scripted_ping,
                                      .destroy = scripted_destroy,
                                      .cacheable = false };
    return s;
}

static void scripted_free(struct scripted *s)
{
    free(s->last_ask);
    free(s);
}

static struct llm_gateway *scripted_gateway(struct scripted *s)
{
    struct llm_gateway_options opts = { .max_reasks = 0 };
    return llm_gateway_new(&s->iface, &opts);
}

/* ---- helpers --------------------------------------------------------------------------------- */

static struct strlist list_of(const char *const *texts, size_t n)
{
    struct strlist l = { 0 };
    for (size_t i = 0; i < n; i++)
        strlist_add(&l, texts[i]);
    return l;
}

/* Every answer in exactly one theme, theme_of agreeing, at most max themes. */
static void assert_sound(const struct analysis_themes *th, size_t n_texts, size_t max)
{
    assert_int_equal(th->n_texts, n_texts);
    assert_true(th->n_themes <= max);
    size_t *seen = xcalloc(n_texts ? n_texts : 1, sizeof(*seen));
    for (size_t k = 0; k < th->n_themes; k++) {
        assert_true(th->themes[k].n_answers > 0);
        for (size_t j = 0; j < th->themes[k].n_answers; j++) {
            size_t a = th->themes[k].answers[j];
            assert_true(a < n_texts);
            seen[a]++;
            assert_int_equal(th->theme_of[a], k);
        }
    }
    for (size_t a = 0; a < n_texts; a++)
        assert_int_equal(seen[a], 1);
    free(seen);
}

static void print_themes(const struct analysis_themes *th, const struct strlist *texts)
{
    for (size_t k = 0; k < th->n_themes; k++) {
        print_message("  theme %zu '%s' (%s):", k, th->themes[k].name,
                      analysis_sentiment_name(th->themes[k].sentiment));
        for (size_t j = 0; j < th->themes[k].n_answers; j++)
            print_message(" [%zu] %s", th->themes[k].answers[j],
                          texts->items[th->themes[k].answers[j]]);
        print_message("\n");
    }
}

/*
 * group[i] names the paraphrase group of answer i: do answers of one group
 * share a theme, and are different groups in different themes? Prints the
 * themes when not.
 */
static bool grouped(const struct analysis_themes *th, const struct strlist *texts, const int *group,
                    size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            bool same_theme = th->theme_of[i] == th->theme_of[j];
            if (same_theme != (group[i] == group[j]))
                ok = false;
        }
    if (!ok)
        print_themes(th, texts);
    return ok;
}

/* ---- normalisation: the offline model -------------------------------------------------------- */

/* Three complaints/praises, four paraphrases each, interleaved. */
static const char *const PARAPHRASES_EN[] = {
    "It is too expensive.",           /* price */
    "I love the recipes.",            /* recipes */
    "The delivery was late.",         /* delivery */
    "It costs too much for me.",      /* price */
    "The recipes are delicious.",     /* recipes */
    "My box arrived late.",           /* delivery */
    "The price is too high.",         /* price */
    "Great recipes, really tasty.",   /* recipes */
    "Delivery took far too long.",    /* delivery */
    "I can't afford it.",             /* price */
    "I enjoy cooking these recipes.", /* recipes */
    "The order came two days late.",  /* delivery */
};

static const char *const PARAPHRASES_PT[] = {
    "É caro demais.",                      /* preço */
    "Adoro as receitas.",                  /* receitas */
    "A entrega atrasou.",                  /* entrega */
    "Custa muito para mim.",               /* preço */
    "As receitas são deliciosas.",         /* receitas */
    "Minha caixa chegou atrasada.",        /* entrega */
    "O preço é alto demais.",              /* preço */
    "Receitas ótimas, muito saborosas.",   /* receitas */
    "A entrega demorou demais.",           /* entrega */
    "Não consigo pagar isso.",             /* preço */
    "Gosto de cozinhar essas receitas.",   /* receitas */
    "O pedido chegou dois dias atrasado.", /* entrega */
};

static const int PARAPHRASE_GROUP[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 };

static void paraphrases_share_a_theme(const char *const *texts, const char *language)
{
    struct engine e = offline_engine();
    struct strlist answers = list_of(texts, ARRAY_SIZE(PARAPHRASE_GROUP));
    struct analysis_themes th;
    struct err err = ERR_INIT;
    struct engine_usage usage = { 0 };
    assert_ok(analysis_normalize(&e, &answers, 5, language, &usage, &th, &err), &err);
    assert_sound(&th, answers.n, 5);
    assert_string_equal(th.model, OFFLINE);
    assert_int_equal(usage.calls, 1);
    assert_int_equal(usage.cost_micros, th.cost_micros);
    bool ok = grouped(&th, &answers, PARAPHRASE_GROUP, answers.n);
    analysis_themes_release(&th);
    strlist_release(&answers);
    if (!ok)
        fail_msg("%s: the paraphrases are not grouped by what they say", language);
}

static void normalizer_puts_paraphrases_of_one_answer_in_one_theme(void **state)
{
    (void)state;
    paraphrases_share_a_theme(PARAPHRASES_EN, "en");
}

static void normalizer_puts_paraphrases_of_one_answer_in_one_theme_pt(void **state)
{
    (void)state;
    paraphrases_share_a_theme(PARAPHRASES_PT, "pt-BR");
}

/* Three groups the offline model tells apart by topic and tone. */
static const char *const CLEAR_GROUPS[] = {
    "The price is too expensive for me.",
    "I love the recipes, great food.",
    "Travel abroad is a hassle.",
    "Way too expensive, the price is absurd.",
    "The food is delicious, lovely recipes.",
    "The flight and the hotel were terrible.",
};

static void normalizer_caps_the_number_of_themes(void **state)
{
    (void)state;
    struct engine e = offline_engine();
    struct strlist answers = list_of(CLEAR_GROUPS, ARRAY_SIZE(CLEAR_GROUPS));
    struct err err = ERR_INIT;
    for (int max = 1; max <= 4; max++) {
        struct analysis_themes th;
        assert_ok(analysis_normalize(&e, &answers, max, "en", NULL, &th, &err), &err);
        assert_sound(&th, answers.n, (size_t)max);
        assert_true(th.n_themes >= 1);
        if (max >= 3) /* room for the three: they stay apart */
            assert_true(th.n_themes >= 3);
        analysis_themes_release(&th);
    }
    /* no answers: no themes and no call */
    struct strlist none = { 0 };
    struct engine_usage usage = { 0 };
    struct analysis_themes th;
    assert_ok(analysis_normalize(&e, &none, 2, "en", &usage, &th, &err), &err);
    assert_int_equal(th.n_themes, 0);
    assert_int_equal(usage.calls, 0);
    assert_null(th.model);
    analysis_themes_release(&th);
    /* a cap below one, or above what the task carries, is the caller's mistake */
    assert_int_equal(analysis_normalize(&e, &answers, 0, "en", &usage, &th, &err), ERR_INVALID);
    assert_string_equal(err.field, "max_themes");
    analysis_themes_release(&th);
    assert_int_equal(
        analysis_normalize(&e, &answers, ANALYSIS_THEMES_MAX + 1, "en", &usage, &th, &err),
        ERR_INVALID);
    analysis_themes_release(&th);
    assert_int_equal(usage.calls, 0);
    strlist_release(&answers);
}

/* ---- normalisation: the local settling ------------------------------------------------------- */

static struct analysis_theme *theme_with(struct analysis_themes *th, const char *name,
                                         enum analysis_sentiment s, const size_t *answers, size_t n)
{
    struct analysis_theme *t = analysis_themes_add(th, name, s);
    for (size_t i = 0; i < n; i++)
        analysis_theme_add_answer(t, answers[i]);
    return t;
}

static void settle_merges_the_smallest_themes_into_other(void **state)
{
    (void)state;
    struct analysis_themes th = { 0 };
    theme_with(&th, "Price", ANALYSIS_NEGATIVE, (size_t[]){ 0, 1, 2, 3 }, 4);
    theme_with(&th, "Late delivery", ANALYSIS_NEGATIVE, (size_t[]){ 9, 8 }, 2);
    theme_with(&th, "Recipes", ANALYSIS_POSITIVE, (size_t[]){ 4, 5, 6 }, 3);
    theme_with(&th, "Packaging", ANALYSIS_NEGATIVE, (size_t[]){ 7 }, 1);
    analysis_themes_settle(&th, 10, 3, "en");
    assert_sound(&th, 10, 3);
    assert_int_equal(th.n_themes, 3);
    /* the two largest kept, largest first; the two smallest in "Other", last */
    assert_string_equal(th.themes[0].name, "Price");
    assert_string_equal(th.themes[1].name, "Recipes");
    assert_string_equal(th.themes[2].name, "Other");
    assert_int_equal(th.themes[2].n_answers, 3);
    /* the merged themes' answers in their order, the larger theme's first */
    assert_int_equal(th.themes[2].answers[0], 9);
    assert_int_equal(th.themes[2].answers[1], 8);
    assert_int_equal(th.themes[2].answers[2], 7);
    assert_int_equal(th.themes[2].sentiment, ANALYSIS_NEGATIVE); /* all three were negative */
    analysis_themes_release(&th);

    /* a cap of one: everything in one theme */
    theme_with(&th, "Price", ANALYSIS_NEGATIVE, (size_t[]){ 0, 1 }, 2);
    theme_with(&th, "Recipes", ANALYSIS_POSITIVE, (size_t[]){ 2, 3 }, 2);
    analysis_themes_settle(&th, 4, 1, "pt-BR");
    assert_sound(&th, 4, 1);
    assert_string_equal(th.themes[0].name, "Outros");
    assert_int_equal(th.themes[0].sentiment, ANALYSIS_NEUTRAL); /* a tie */
    analysis_themes_release(&th);

    /* the model's own "Other" is reused, not doubled */
    theme_with(&th, "other", ANALYSIS_NEUTRAL, (size_t[]){ 5 }, 1);
    theme_with(&th, "A", ANALYSIS_POSITIVE, (size_t[]){ 0, 1 }, 2);
    theme_with(&th, "B", ANALYSIS_POSITIVE, (size_t[]){ 2, 3 }, 2);
    theme_with(&th, "C", ANALYSIS_POSITIVE, (size_t[]){ 4 }, 1);
    analysis_themes_settle(&th, 6, 3, "en");
    assert_sound(&th, 6, 3);
    assert_string_equal(th.themes[0].name, "A");
    assert_string_equal(th.themes[1].name, "B");
    assert_string_equal(th.themes[2].name, "other");
    assert_int_equal(th.themes[2].n_answers, 2);
    analysis_themes_release(&th);
}

static void settle_repairs_bad_indexes(void **state)
{
    (void)state;
    struct analysis_themes th = { 0 };
    /* 5 is out of range, 1 is listed twice, 3 is in no theme, "Empty" has nothing */
    theme_with(&th, "Price", ANALYSIS_NEGATIVE, (size_t[]){ 1, 0, 5, 1 }, 4);
    theme_with(&th, "Empty", ANALYSIS_NEUTRAL, NULL, 0);
    theme_with(&th, "Recipes", ANALYSIS_POSITIVE, (size_t[]){ 2, 1 }, 2);
    analysis_themes_settle(&th, 4, 5, "en");
    assert_sound(&th, 4, 5);
    assert_int_equal(th.n_themes, 3);
    assert_string_equal(th.themes[0].name, "Price");
    assert_int_equal(th.themes[0].n_answers, 2);
    /* in the model's order (its most telling first), each once */
    assert_int_equal(th.themes[0].answers[0], 1);
    assert_int_equal(th.themes[0].answers[1], 0);
    assert_int_equal(th.theme_of[1], 0); /* the first theme that listed it */
    assert_string_equal(th.themes[1].name, "Recipes");
    assert_int_equal(th.themes[1].n_answers, 1);
    assert_string_equal(th.themes[2].name, "Other");
    assert_int_equal(th.theme_of[3], 2);
    analysis_themes_release(&th);
}

static void normalizer_settles_what_the_model_returns(void **state)
{
    (void)state;
    static const char *const texts[] = { "too expensive", "pricey", "love it", "meh" };
    struct strlist answers = list_of(texts, ARRAY_SIZE(texts));
    struct err err = ERR_INIT;
    struct analysis_themes th;

    /* repeated and missing indexes pass the gateway's validator: settled here */
    struct scripted *s = scripted_new("{\"themes\":[{\"name\":\"Price\",\"sentiment\":\"negative\","
                                      "\"answers\":[0,1,1]},{\"name\":\"Love\",\"sentiment\":"
                                      "\"positive\",\"answers\":[1,2]}]}",
                                      ERR_OK);
    struct llm_gateway *gw = scripted_gateway(s);
    struct engine e = { .gw = gw, .seed = SEED };
    assert_ok(analysis_normalize(&e, &answers, 3, "en", NULL, &th, &err), &err);
    llm_gateway_free(gw);
    assert_sound(&th, 4, 3);
    assert_string_equal(th.model, "scripted-1");
    assert_string_equal(th.themes[0].name, "Price");
    assert_int_equal(th.themes[0].n_answers, 2);
    assert_string_equal(th.themes[1].name, "Love");
    assert_int_equal(th.themes[1].n_answers, 1);
    assert_string_equal(th.themes[2].name, "Other");
    assert_int_equal(th.theme_of[3], 2);
    analysis_themes_release(&th);
    scripted_free(s);

    /* an index out of range is refused by the gateway's validator: an error, not themes */
    s = scripted_new("{\"themes\":[{\"name\":\"X\",\"sentiment\":\"neutral\",\"answers\":[0,9]}]}",
                     ERR_OK);
    gw = scripted_gateway(s);
    e.gw = gw;
    enum err_code rc = analysis_normalize(&e, &answers, 3, "en", NULL, &th, &err);
    llm_gateway_free(gw);
    assert_int_not_equal(rc, ERR_OK);
    assert_contains(err.msg, "normalize");
    assert_contains(err.msg, "only 4 answers");
    assert_int_equal(th.n_themes, 0);
    analysis_themes_release(&th);
    scripted_free(s);
    strlist_release(&answers);
}

/* ---- extraction ------------------------------------------------------------------------------ */

static void interview(struct transcript *t)
{
    transcript_add(t, "Interviewer", "What do you think of the price of FreshBox?");
    transcript_add(t, "Ana", "The price is too high for what you get.");
    transcript_add(t, "Interviewer", "How much would you pay per month?");
    transcript_add(t, "Ana", "I would pay 30 dollars a month at most.");
    transcript_add(t, "Interviewer", "Would you recommend it to a friend?");
    transcript_add(t, "Ana", "No, not at this price.");
    transcript_add(t, "Interviewer", "Which meals did you cook?");
    transcript_add(t, "Ana", "Lasagna, a curry and a salad.");
}

/* struct extract_field holds plain char pointers; these literals are never written. */
#define FIELD(name, hint, type)                \
    {                                          \
        (char *)(name), (char *)(hint), (type) \
    }

static const struct extract_field FIELDS[] = {
    FIELD("price_opinion", "what the respondent thinks of the price", EXTRACT_STRING),
    FIELD("amount", "how much the respondent would pay per month", EXTRACT_NUMBER),
    FIELD("recommend", "would the respondent recommend it to a friend", EXTRACT_BOOLEAN),
    FIELD("meals", "which meals the respondent cooked", EXTRACT_LIST),
    FIELD("pet_name", "the name of the respondent's dog", EXTRACT_STRING),
};

static const struct analysis_extract_spec SPEC = {
    .objective = "Find what the respondent thinks of FreshBox's price and how they used it.",
    .situation = "A one-to-one interview with Ana, a respondent, about a meal-kit service.",
    .fields = FIELDS,
    .n_fields = ARRAY_SIZE(FIELDS),
};

static void extractor_reads_typed_values_and_nulls(void **state)
{
    (void)state;
    struct engine e = offline_engine();
    struct transcript t = { 0 };
    interview(&t);
    struct analysis_extraction x;
    struct engine_usage usage = { 0 };
    struct err err = ERR_INIT;
    assert_ok(analysis_extract(&e, &SPEC, &t, &usage, &x, &err), &err);
    assert_int_equal(x.code, ERR_OK);
    assert_int_equal(x.n_values, ARRAY_SIZE(FIELDS));
    assert_string_equal(x.model, OFFLINE);
    assert_true(x.cost_micros > 0);
    assert_int_equal(usage.calls, 1);
    assert_int_equal(usage.cost_micros, x.cost_micros);

    const struct analysis_value *v = analysis_extraction_get(&x, "price_opinion");
    assert_non_null(v);
    assert_int_equal(v->type, EXTRACT_STRING);
    assert_false(v->is_null);
    assert_contains(v->text, "too high");
    char *opinion = xstrdup(v->text);

    v = analysis_extraction_get(&x, "amount");
    assert_false(v->is_null);
    assert_true(v->number == 30);

    v = analysis_extraction_get(&x, "recommend");
    assert_false(v->is_null);
    assert_false(v->boolean);

    v = analysis_extraction_get(&x, "meals");
    assert_false(v->is_null);
    assert_int_equal(v->list.n, 3);
    assert_string_equal(v->list.items[0], "Lasagna");
    assert_contains(v->list.items[2], "salad");

    v = analysis_extraction_get(&x, "pet_name"); /* nothing about a dog: null, not "" */
    assert_true(v->is_null);
    assert_null(v->text);
    assert_null(analysis_extraction_get(&x, "no_such_field"));
    analysis_extraction_release(&x);

    /* same inputs, same seed: the same answer, from the cache or not */
    struct analysis_extraction again;
    assert_ok(analysis_extract(&e, &SPEC, &t, NULL, &again, &err), &err);
    assert_string_equal(analysis_extraction_get(&again, "price_opinion")->text, opinion);
    analysis_extraction_release(&again);
    free(opinion);
    transcript_release(&t);
}

static void extractor_batch_keeps_input_order(void **state)
{
    (void)state;
    struct engine e = offline_engine();
    static const char *const amounts[] = { "12", "45", "80" };
    struct transcript ts[4] = { 0 };
    for (size_t i = 0; i < 3; i++) {
        char line[128];
        snprintf(line, sizeof(line), "I would pay %s dollars a month at most.", amounts[i]);
        transcript_add(&ts[i], "Interviewer", "How much would you pay per month?");
        transcript_add(&ts[i], "Respondent", line);
    }
    transcript_add(&ts[3], "Respondent", "I only like the colour of the box.");
    struct analysis_extraction out[4];
    struct engine_usage usage = { 0 };
    struct err err = ERR_INIT;
    assert_ok(analysis_extract_batch(&e, &SPEC, ts, 4, &usage, out, &err), &err);
    assert_int_equal(usage.calls, 4);
    int64_t cost = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(out[i].code, ERR_OK);
        assert_string_equal(out[i].model, OFFLINE);
        cost += out[i].cost_micros;
        const struct analysis_value *v = analysis_extraction_get(&out[i], "amount");
        if (i < 3)
            assert_true(v->number == strtod(amounts[i], NULL));
        else
            assert_true(v->is_null);
        assert_true(analysis_extraction_get(&out[i], "pet_name")->is_null);
    }
    assert_int_equal(usage.cost_micros, cost);
    for (size_t i = 0; i < 4; i++) {
        analysis_extraction_release(&out[i]);
        transcript_release(&ts[i]);
    }
}

static void extractor_refuses_a_bad_spec_without_a_call(void **state)
{
    (void)state;
    struct engine e = offline_engine();
    struct transcript t = { 0 };
    interview(&t);
    struct engine_usage usage = { 0 };
    struct analysis_extraction x;
    struct err err = ERR_INIT;

    const struct extract_field twice[] = {
        FIELD("amount", "a", EXTRACT_NUMBER),
        FIELD("amount", "b", EXTRACT_STRING),
    };
    struct analysis_extract_spec spec = { .objective = "x", .fields = twice, .n_fields = 2 };
    assert_int_equal(analysis_extract(&e, &spec, &t, &usage, &x, &err), ERR_INVALID);
    assert_contains(err.msg, "'amount' is given twice");
    assert_int_equal(x.n_values, 0);
    analysis_extraction_release(&x);

    spec = (struct analysis_extract_spec){ .objective = "", .fields = FIELDS, .n_fields = 1 };
    assert_int_equal(analysis_extract(&e, &spec, &t, &usage, &x, &err), ERR_INVALID);
    assert_string_equal(err.field, "objective");
    analysis_extraction_release(&x);

    struct analysis_extraction batch[2];
    struct transcript ts[2] = { t, t };
    assert_int_equal(analysis_extract_batch(&e, &spec, ts, 2, &usage, batch, &err), ERR_INVALID);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(batch[i].code, ERR_INVALID);
        analysis_extraction_release(&batch[i]);
    }
    assert_int_equal(usage.calls, 0);

    /* a transcript too long for one call fails alone; the others are answered */
    struct transcript huge = { 0 };
    for (int i = 0; i < 10001; i++)
        transcript_add(&huge, "Ana", "Yes.");
    ts[1] = huge;
    assert_int_equal(analysis_extract_batch(&e, &SPEC, ts, 2, &usage, batch, &err), ERR_TOO_LARGE);
    assert_contains(err.msg, "transcript 1: transcript: 10001 items");
    assert_int_equal(batch[0].code, ERR_OK);
    assert_int_equal(batch[1].code, ERR_TOO_LARGE);
    assert_null(batch[1].values);
    assert_int_equal(usage.calls, 1);
    for (size_t i = 0; i < 2; i++)
        analysis_extraction_release(&batch[i]);
    transcript_release(&huge);
    transcript_release(&t);
}

/* ---- propositions ---------------------------------------------------------------------------- */

static void price_talk(struct transcript *t, bool pt)
{
    if (pt) {
        transcript_add(t, "Moderadora", "O que você achou do preço do FreshBox?");
        transcript_add(t, "Ana", "O preço é caro demais, eu nunca pagaria isso.");
        transcript_add(t, "Moderadora", "E as receitas?");
        transcript_add(t, "Ana", "Adorei as receitas, muito gostosas.");
    } else {
        transcript_add(t, "Moderator", "What did you think of the FreshBox price?");
        transcript_add(t, "Ana", "The price is too expensive, I would never pay that.");
        transcript_add(t, "Moderator", "And the recipes?");
        transcript_add(t, "Ana", "I love the recipes, they are delicious.");
    }
}

static void propositions_check_and_score_claims(void **state)
{
    (void)state;
    struct engine e = offline_engine();
    for (int pt = 0; pt < 2; pt++) {
        struct transcript t = { 0 };
        price_talk(&t, pt);
        const char *supported =
            pt ? "Ana acha o preço caro demais." : "Ana finds the price too expensive.";
        const char *contradicted = pt ? "Ana achou as receitas ruins." : "Ana hates the recipes.";
        struct analysis_claim yes = { .claim = supported, .transcript = &t };
        struct analysis_claim no = { .claim = contradicted, .transcript = &t };
        struct engine_usage usage = { 0 };
        struct analysis_verdict v;
        struct err err = ERR_INIT;

        assert_ok(analysis_check(&e, &yes, &usage, &v, &err), &err);
        assert_true(v.value);
        assert_non_null(v.justification);
        assert_string_equal(v.model, OFFLINE);
        analysis_verdict_release(&v);

        assert_ok(analysis_check(&e, &no, &usage, &v, &err), &err);
        if (v.value)
            fail_msg("'%s' checked true: %s", contradicted, v.justification);
        analysis_verdict_release(&v);

        assert_ok(analysis_score(&e, &yes, &usage, &v, &err), &err);
        int high = v.score;
        assert_true(high >= 0 && high <= 9);
        assert_non_null(v.justification);
        analysis_verdict_release(&v);
        assert_ok(analysis_score(&e, &no, &usage, &v, &err), &err);
        int low = v.score;
        analysis_verdict_release(&v);
        if (!(high > low))
            fail_msg("score of the supported claim %d, of the contradicted one %d", high, low);
        assert_int_equal(usage.calls, 4);
        assert_true(usage.cost_micros > 0);
        transcript_release(&t);
    }
}

static void propositions_show_the_personas_to_the_model(void **state)
{
    (void)state;
    struct persona *ana = persona_new();
    ana->name = xstrdup("Ana Souza");
    ana->occupation_title = xstrdup("Nurse");
    strlist_add(&ana->dislikes, "subscriptions");
    const struct persona *personas[] = { ana };
    struct transcript t = { 0 };
    price_talk(&t, false);
    struct analysis_claim c = { .claim = "Ana finds the price too expensive.",
                                .transcript = &t,
                                .personas = personas,
                                .n_personas = 1 };
    struct err err = ERR_INIT;
    struct analysis_verdict v;

    /* the offline model still judges on what was said */
    struct engine e = offline_engine();
    assert_ok(analysis_check(&e, &c, NULL, &v, &err), &err);
    assert_true(v.value);
    analysis_verdict_release(&v);

    /* what the model is shown: the spec, before the conversation */
    struct scripted *s =
        scripted_new("{\"value\":true,\"justification\":\" She says so. \"}", ERR_OK);
    struct llm_gateway *gw = scripted_gateway(s);
    e = (struct engine){ .gw = gw, .seed = SEED };
    assert_ok(analysis_check(&e, &c, NULL, &v, &err), &err);
    llm_gateway_free(gw);
    assert_true(v.value);
    assert_string_equal(v.justification, "She says so.");
    assert_string_equal(v.model, "scripted-1");
    const char *spec = strstr(s->last_ask, "Nurse");
    const char *said = strstr(s->last_ask, "too expensive, I would never");
    assert_non_null(spec);
    assert_non_null(said);
    assert_true(spec < said);
    assert_contains(s->last_ask, "persona spec (context): Ana Souza");
    analysis_verdict_release(&v);
    scripted_free(s);
    transcript_release(&t);
    persona_free(ana);

    /* an empty claim is refused */
    struct analysis_claim empty = { .claim = "", .transcript = NULL };
    e = offline_engine();
    assert_int_equal(analysis_check(&e, &empty, NULL, &v, &err), ERR_INVALID);
    analysis_verdict_release(&v);
}

/* ---- failures -------------------------------------------------------------------------------- */

static void a_failing_model_gives_an_error_not_an_empty_result(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(NULL, ERR_UPSTREAM);
    struct llm_gateway *gw = scripted_gateway(s);
    struct engine e = { .gw = gw, .seed = SEED };
    struct engine_usage usage = { 0 };
    struct err err = ERR_INIT;
    struct transcript t = { 0 };
    interview(&t);

    struct analysis_extraction x;
    assert_int_equal(analysis_extract(&e, &SPEC, &t, &usage, &x, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "extract: the model call failed");
    assert_contains(err.msg, "the upstream said no");
    assert_int_equal(x.code, ERR_UPSTREAM);
    assert_int_equal(x.n_values, 0);
    assert_null(x.values);
    analysis_extraction_release(&x);

    struct analysis_extraction batch[2];
    struct transcript ts[2] = { t, t };
    assert_int_equal(analysis_extract_batch(&e, &SPEC, ts, 2, &usage, batch, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "transcript 0: extract: the model call failed");
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(batch[i].code, ERR_UPSTREAM);
        analysis_extraction_release(&batch[i]);
    }

    static const char *const texts[] = { "too expensive", "love it" };
    struct strlist answers = list_of(texts, 2);
    struct analysis_themes th;
    assert_int_equal(analysis_normalize(&e, &answers, 2, "en", &usage, &th, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "normalize: the model call failed");
    assert_int_equal(th.n_themes, 0);
    analysis_themes_release(&th);
    strlist_release(&answers);

    struct analysis_claim c = { .claim = "Ana likes it.", .transcript = &t };
    struct analysis_verdict v;
    assert_int_equal(analysis_check(&e, &c, &usage, &v, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "check: the model call failed");
    assert_null(v.justification);
    analysis_verdict_release(&v);
    assert_int_equal(analysis_score(&e, &c, &usage, &v, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "score: the model call failed");
    analysis_verdict_release(&v);

    llm_gateway_free(gw);
    assert_int_equal(usage.calls, 6);
    assert_int_equal(usage.failures, 6);
    assert_int_equal(s->calls, 6);
    scripted_free(s);
    transcript_release(&t);
}

static void an_answer_of_the_wrong_shape_is_an_error(void **state)
{
    (void)state;
    /* the schema wants every field: a provider that leaves one out fails the call */
    struct scripted *s = scripted_new("{\"values\":{\"amount\":30}}", ERR_OK);
    struct llm_gateway *gw = scripted_gateway(s);
    struct engine e = { .gw = gw, .seed = SEED };
    struct transcript t = { 0 };
    interview(&t);
    struct analysis_extraction x;
    struct err err = ERR_INIT;
    enum err_code rc = analysis_extract(&e, &SPEC, &t, NULL, &x, &err);
    llm_gateway_free(gw);
    assert_int_not_equal(rc, ERR_OK);
    assert_contains(err.msg, "extract: the model call failed");
    assert_int_equal(x.n_values, 0);
    analysis_extraction_release(&x);
    /* the objective and the situation reached the model, in the task's instructions */
    assert_contains(s->last_ask, "Objective: Find what the respondent thinks");
    assert_contains(s->last_ask, "Situation: A one-to-one interview with Ana");
    scripted_free(s);
    transcript_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalizer_puts_paraphrases_of_one_answer_in_one_theme),
        cmocka_unit_test(normalizer_puts_paraphrases_of_one_answer_in_one_theme_pt),
        cmocka_unit_test(normalizer_caps_the_number_of_themes),
        cmocka_unit_test(settle_merges_the_smallest_themes_into_other),
        cmocka_unit_test(settle_repairs_bad_indexes),
        cmocka_unit_test(normalizer_settles_what_the_model_returns),
        cmocka_unit_test(extractor_reads_typed_values_and_nulls),
        cmocka_unit_test(extractor_batch_keeps_input_order),
        cmocka_unit_test(extractor_refuses_a_bad_spec_without_a_call),
        cmocka_unit_test(propositions_check_and_score_claims),
        cmocka_unit_test(propositions_show_the_personas_to_the_model),
        cmocka_unit_test(a_failing_model_gives_an_error_not_an_empty_result),
        cmocka_unit_test(an_answer_of_the_wrong_shape_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
