/*
 * tests/unit/engine/test_offline_text.c - the offline model's text tasks
 * (engine/offline/text_tasks.c): consolidate, extract, validate,
 * proposition, normalize and insights, on the embedded tables, with
 * realistic inputs in English and Brazilian Portuguese. Every answer must
 * satisfy its task's schema and validator; then each test checks one
 * behaviour (at most six first-person memories, null for what a transcript
 * does not say, a matching persona scoring above a contradicting one,
 * negated claims judged false, sentiment kept apart in themes, every number
 * of an insights text found in the aggregates, ...).
 *
 * Goldens: one input per task and language is answered with seed 42 and
 * compared byte for byte with tests/unit/golden/<task>_<lang>.json
 * (pretty-printed, keys sorted, final newline). After an intended change of
 * the answers, regenerate them and review the diff:
 *
 *     UPDATE_GOLDEN=1 build/asan/tests/unit/engine/test_offline_text
 *
 * (assert_golden in tests/unit/testutil.c; GOLDEN_DIR overrides the folder.)
 */
#include "core/compat.h"

#include <limits.h>
#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/prng.h"
#include "engine/offline/data.h"
#include "engine/offline/model.h"
#include "engine/tasks.h"
#include "llm/schema.h"

#define SEED 42

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
    model = NULL;
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

/* Asserts that answer satisfies t's schema and validator. */
static void assert_valid(const struct task *t, const json_t *answer)
{
    assert_non_null(answer);
    json_t *schema = task_schema(t);
    struct err err = ERR_INIT;
    assert_ok(schema_check(schema, &err), &err);
    enum err_code rc = schema_validate(schema, answer, &err);
    if (!rc)
        rc = task_validate(t, answer, &err);
    if (rc) {
        char *text = json_dumps(answer, JSON_INDENT(2));
        fail_msg("invalid %s answer: %s\n%s", task_name(t->kind), err.msg, text);
    }
    json_decref(schema);
}

/* The offline model's answer to t with seed, checked against the task: a new reference. */
static json_t *answer_seeded(const struct task *t, uint64_t seed)
{
    struct prng r;
    prng_seed(&r, seed);
    json_t *a = NULL;
    switch (t->kind) {
    case TASK_CONSOLIDATE:
        a = offline_consolidate(model, &t->u.consolidate, &r);
        break;
    case TASK_EXTRACT:
        a = offline_extract(model, &t->u.extract, &r);
        break;
    case TASK_VALIDATE:
        a = offline_validate(model, &t->u.validate, &r);
        break;
    case TASK_PROPOSITION:
        a = offline_proposition(model, &t->u.proposition, &r);
        break;
    case TASK_NORMALIZE:
        a = offline_normalize(model, &t->u.normalize, &r);
        break;
    case TASK_INSIGHTS:
        a = offline_insights(model, &t->u.insights, &r);
        break;
    default:
        fail_msg("not a text task: %s", task_name(t->kind));
    }
    assert_valid(t, a);
    return a;
}

static json_t *answer(const struct task *t)
{
    return answer_seeded(t, SEED);
}

static const char *str_at(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    assert_non_null(s);
    return s;
}

static struct persona *persona_of(const char *spec)
{
    json_t *j = json_loads(spec, 0, NULL);
    assert_non_null(j);
    struct persona *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &err), &err);
    json_decref(j);
    return p;
}

/* ---- inputs, one per task and language ----------------------------------------------- */

static struct task *consolidate_task(bool pt)
{
    struct task *t = task_new(TASK_CONSOLIDATE);
    struct consolidate_input *in = &t->u.consolidate;
    in->persona_name = strdup(pt ? "Ana Souza" : "Mark Chen");
    in->language = strdup(pt ? "pt-BR" : "en");
    static const char *const en[] = {
        "SAW: FreshBox: 3 chef-designed dinners a week, delivered, $49/month. Cancel anytime.",
        "THOUGHT: That is a lot of money for three dinners.",
        ("HEARD Marcos: I tried it last month and the food was great, honestly the best lasagna "
         "I have had in years."),
        "SAID: I would need to see the menu first.",
        "FELT: curious but worried about the price",
        "SAW: FreshBox: 3 chef-designed dinners a week, delivered, $49/month. Cancel anytime.",
        "DID: looked up the menu on my phone",
        "SAW: a banner saying the first box is free",
        "THOUGHT: my sister Carla would love the vegetarian options",
        "the kids were shouting in the living room",
        "SAID: Maybe I will try the free box and cancel if it is bad.",
    };
    static const char *const pt_events[] = {
        "SAW: FreshBox: 3 jantares de chef por semana, entregues em casa, R$ 129,90/mês.",
        "THOUGHT: É muito dinheiro para três jantares.",
        ("HEARD Marcos: Eu experimentei no mês passado e a comida era ótima, a melhor lasanha "
         "que comi em anos."),
        "SAID: Eu precisaria ver o cardápio antes.",
        "FELT: curiosa, mas preocupada com o preço",
        "SAW: FreshBox: 3 jantares de chef por semana, entregues em casa, R$ 129,90/mês.",
        "DID: olhei o cardápio no celular",
        "SAW: um banner dizendo que a primeira caixa é grátis",
        "THOUGHT: minha irmã Carla ia adorar as opções vegetarianas",
        "as crianças estavam gritando na sala",
        "SAID: Talvez eu experimente a caixa grátis e cancele se for ruim.",
    };
    for (size_t i = 0; i < ARRAY_SIZE(en); i++)
        strlist_add(&in->events, pt ? pt_events[i] : en[i]);
    return t;
}

static struct task *extract_task(bool pt)
{
    struct task *t = task_new(TASK_EXTRACT);
    struct extract_input *in = &t->u.extract;
    struct transcript *tr = &in->transcript;
    if (!pt) {
        in->instructions = strdup("What does the respondent spend and use?");
        transcript_add(tr, "Interviewer",
                       "Thanks for joining. What is your monthly budget for groceries?");
        transcript_add(tr, "Ana", "Around 450 dollars, sometimes a bit more.");
        transcript_add(tr, "Interviewer", "Would you subscribe to FreshBox?");
        transcript_add(tr, "Ana", "No, I don't think so. It is too expensive for us.");
        transcript_add(tr, "Interviewer", "Which streaming services do you use?");
        transcript_add(tr, "Ana", "Netflix, Spotify and Disney+.");
        transcript_add(tr, "Interviewer", "What is your favourite dish?");
        transcript_add(tr, "Ana", "My favourite dish is feijoada with rice.");
        extract_add_field(in, "budget", "monthly grocery budget", EXTRACT_NUMBER);
        extract_add_field(in, "would_subscribe", "whether they would subscribe to FreshBox",
                          EXTRACT_BOOLEAN);
        extract_add_field(in, "streaming_services", "streaming services used", EXTRACT_LIST);
        extract_add_field(in, "favourite_dish", "favourite dish", EXTRACT_STRING);
        extract_add_field(in, "pet_name", "name of the person's pet", EXTRACT_STRING);
        extract_add_field(in, "children", "number of children", EXTRACT_NUMBER);
    } else {
        in->instructions = strdup("Quanto a pessoa gasta e o que usa?");
        transcript_add(tr, "Entrevistador", "Qual é o seu orçamento mensal para o mercado?");
        transcript_add(tr, "Ana", "Uns 1.200 reais por mês.");
        transcript_add(tr, "Entrevistador", "Você assinaria o FreshBox?");
        transcript_add(tr, "Ana", "Sim, com certeza, parece prático.");
        transcript_add(tr, "Entrevistador", "Quais serviços de streaming você usa?");
        transcript_add(tr, "Ana", "Uso Netflix, Globoplay e Spotify.");
        transcript_add(tr, "Entrevistador", "Qual é o seu prato favorito?");
        transcript_add(tr, "Ana", "Meu prato favorito é feijoada.");
        extract_add_field(in, "orcamento", "orçamento mensal para o mercado", EXTRACT_NUMBER);
        extract_add_field(in, "assinaria", "se assinaria o FreshBox", EXTRACT_BOOLEAN);
        extract_add_field(in, "servicos_streaming", "serviços de streaming usados", EXTRACT_LIST);
        extract_add_field(in, "prato_favorito", "prato favorito", EXTRACT_STRING);
        extract_add_field(in, "nome_do_pet", "nome do animal de estimação", EXTRACT_STRING);
        extract_add_field(in, "filhos", "quantidade de filhos", EXTRACT_NUMBER);
    }
    return t;
}

static const char MARK[] =
    "{\"name\":\"Mark Chen\",\"age\":41,\"gender\":\"male\",\"language\":\"en\","
    "\"residence\":\"Toronto, Canada\",\"income_level\":\"middle\","
    "\"occupation\":{\"title\":\"Nurse\",\"description\":\"works night shifts in a hospital\"},"
    "\"values\":[\"family\",\"thrift\"],"
    "\"preferences\":{\"interests\":[\"cooking\",\"running\",\"healthy eating\"],"
    "\"likes\":[\"fresh vegetables\",\"saving money\"],"
    "\"dislikes\":[\"video games\",\"loud ads\"]}}";

static const char JAKE[] =
    "{\"name\":\"Jake Miller\",\"age\":24,\"gender\":\"male\",\"language\":\"en\","
    "\"residence\":\"Austin, USA\",\"income_level\":\"high\","
    "\"occupation\":{\"title\":\"Game developer\"},"
    "\"values\":[\"status\"],"
    "\"preferences\":{\"interests\":[\"video games\",\"sports cars\"],"
    "\"likes\":[\"energy drinks\"],"
    "\"dislikes\":[\"cooking\",\"running\",\"family gatherings\",\"saving money\"]}}";

static const char ANA[] =
    "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"female\",\"language\":\"pt-BR\","
    "\"residence\":\"Porto Alegre, Brazil\",\"income_level\":\"lower_middle\","
    "\"occupation\":{\"title\":\"Enfermeira\"},"
    "\"values\":[\"família\",\"economia\"],"
    "\"preferences\":{\"interests\":[\"cozinhar\",\"corrida\"],"
    "\"likes\":[\"comida caseira\"],\"dislikes\":[\"games\",\"propaganda barulhenta\"]}}";

static const char EXPECT_EN[] =
    "A health-conscious nurse who loves cooking at home, goes running, puts family first "
    "and is careful with money.";

static const char EXPECT_PT[] =
    "Uma enfermeira que gosta de cozinhar em casa, valoriza a família e cuida bem do "
    "dinheiro; não liga para games.";

static struct task *validate_task(bool pt, int round, int max_rounds)
{
    struct task *t = task_new(TASK_VALIDATE);
    struct validate_input *in = &t->u.validate;
    in->persona = persona_of(pt ? ANA : MARK);
    in->expectations = strdup(pt ? EXPECT_PT : EXPECT_EN);
    in->round = round;
    in->max_rounds = max_rounds;
    return t;
}

static void add_proposition_transcript(struct transcript *tr, bool pt)
{
    if (!pt) {
        transcript_add(tr, "Moderator", "What do you think of FreshBox?");
        transcript_add(tr, "Ana", "I love the recipes, they look delicious.");
        transcript_add(tr, "Ana", "But I would never pay $49 a month, it is too expensive.");
        transcript_add(tr, "Bruno", "I think the price is fair for three dinners.");
    } else {
        transcript_add(tr, "Moderador", "O que vocês acharam do FreshBox?");
        transcript_add(tr, "Ana", "Adorei as receitas, parecem deliciosas.");
        transcript_add(tr, "Ana", "Mas eu nunca pagaria R$ 49 por mês, é caro demais.");
        transcript_add(tr, "Bruno", "Acho o preço justo para três jantares.");
    }
}

static struct task *proposition_task(bool pt, const char *claim, bool scored)
{
    struct task *t = task_new(TASK_PROPOSITION);
    t->u.proposition.claim = strdup(claim);
    t->u.proposition.scored = scored;
    add_proposition_transcript(&t->u.proposition.transcript, pt);
    return t;
}

static const char *const NORMALIZE_EN[] = {
    "The price is too expensive for me.",       /* 0 money, negative */
    "Way too expensive, I would not pay that.", /* 1 money, negative */
    "Great price, very affordable.",            /* 2 money, positive */
    "The food looks delicious and fresh.",      /* 3 food, positive */
    "I love the recipes, great food.",          /* 4 food, positive */
    "The meals arrived late and cold.",         /* 5 food, negative */
    "Not sure yet.",                            /* 6 nothing, neutral */
    "Good deal for the price.",                 /* 7 money, positive */
};

static const char *const NORMALIZE_PT[] = {
    "O preço é caro demais para mim.",
    "Muito caro, eu não pagaria isso.",
    "Preço ótimo, bem barato.",
    "A comida parece deliciosa e fresquinha.",
    "Adorei as receitas, comida boa.",
    "As refeições chegaram atrasadas e frias.",
    "Ainda não sei.",
    "Bom desconto no preço.",
};

static struct task *normalize_task(bool pt, int max_themes)
{
    struct task *t = task_new(TASK_NORMALIZE);
    for (size_t i = 0; i < ARRAY_SIZE(NORMALIZE_EN); i++)
        strlist_add(&t->u.normalize.texts, pt ? NORMALIZE_PT[i] : NORMALIZE_EN[i]);
    t->u.normalize.max_themes = max_themes;
    t->u.normalize.language = strdup(pt ? "pt-BR" : "en");
    return t;
}

static const char AGGREGATES[] =
    "{\"respondents\":48,"
    "\"questions\":[{\"id\":\"appeal\",\"kind\":\"rating\",\"mean\":7.2,\"ci\":[6.8,7.6],"
    "\"n\":48,\"distribution\":{\"6\":10,\"7\":20,\"8\":18}},"
    "{\"id\":\"price\",\"kind\":\"rating\",\"mean\":4.35,\"ci\":[3.9,4.8],\"n\":48},"
    "{\"id\":\"buy\",\"kind\":\"yes_no\",\"share\":0.31,\"n\":48}],"
    "\"winner\":\"B\",\"p_value\":0.012,"
    "\"variants\":{\"A\":{\"mean\":6.1,\"n\":24},\"B\":{\"mean\":7.4,\"n\":24}},"
    "\"criteria\":[{\"expr\":\"mean(appeal) >= 7\",\"passed\":true,\"value\":7.2},"
    "{\"expr\":\"share(buy == \\\"yes\\\") >= 0.4\",\"passed\":false,\"value\":0.31}],"
    "\"segments\":{\"age\":{\"18-29\":{\"mean\":7.9,\"n\":12},\"30-44\":{\"mean\":6.5,\"n\":20},"
    "\"45+\":{\"mean\":5.75,\"n\":4,\"too_small\":true}}},"
    "\"themes\":{\"positive\":[{\"name\":\"taste\",\"count\":21},{\"name\":\"variety\","
    "\"count\":9}],\"negative\":[{\"name\":\"price\",\"count\":17}]},"
    "\"cost\":{\"usd_micro\":1250000}}";

static struct task *insights_task(bool pt, const char *aggregates)
{
    struct task *t = task_new(TASK_INSIGHTS);
    t->u.insights.aggregates_json = strdup(aggregates);
    t->u.insights.language = strdup(pt ? "pt-BR" : "en");
    return t;
}

/* ---- consolidate --------------------------------------------------------------------- */

/*
 * Does memory start like one of the memory.* phrases (each in the first
 * person), or the frame of an action ("Something I did: ")?
 */
static bool from_memory_phrase(const char *memory, int lang)
{
    if (strncmp(memory, lang == OFFLINE_LANG_PT ? "Uma coisa que eu fiz: " : "Something I did: ",
                lang == OFFLINE_LANG_PT ? 22 : 17) == 0)
        return true;
    static const char *const keys[] = { "memory.saw", "memory.said", "memory.felt",
                                        "memory.learned" };
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        const struct strlist *alts = offline_phrases_find(model->data, keys[k], lang);
        assert_non_null(alts);
        for (size_t i = 0; i < alts->n; i++) {
            size_t prefix = strcspn(alts->items[i], "{");
            if (strncmp(memory, alts->items[i], prefix) == 0)
                return true;
        }
    }
    return false;
}

static void consolidate_keeps_at_most_six_first_person_memories(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = consolidate_task(pt);
        json_t *a = answer(t);
        const json_t *mem = json_object_get(a, "memories");
        assert_true(json_array_size(mem) >= 1);
        assert_true(json_array_size(mem) <= 6);
        for (size_t i = 0; i < json_array_size(mem); i++) {
            const char *s = json_string_value(json_array_get(mem, i));
            if (!from_memory_phrase(s, pt ? OFFLINE_LANG_PT : OFFLINE_LANG_EN))
                fail_msg("not from a first-person memory phrase: %s", s);
            assert_true(strlen(s) < 400);
            for (size_t j = 0; j < i; j++)
                assert_string_not_equal(s, json_string_value(json_array_get(mem, j)));
        }
        json_decref(a);
        task_free(t);
    }
}

static void consolidate_never_repeats_an_event(void **state)
{
    (void)state;
    struct task *t = consolidate_task(false);
    json_t *a = answer(t);
    const json_t *mem = json_object_get(a, "memories");
    size_t seen = 0;
    for (size_t i = 0; i < json_array_size(mem); i++)
        seen += strstr(json_string_value(json_array_get(mem, i)), "chef-designed") != NULL;
    assert_true(seen <= 1); /* the ad was seen twice: one memory */
    json_decref(a);
    task_free(t);
}

static void consolidate_keeps_the_first_and_the_last_event(void **state)
{
    (void)state;
    struct task *t = consolidate_task(false);
    json_t *a = answer(t);
    char *text = json_dumps(a, 0);
    assert_contains(text, "FreshBox: 3 chef-designed dinners a week, delivered, $49/month");
    assert_contains(text, "Maybe I will try the free box and cancel if it is bad");
    /* salient: a name and strong tone */
    assert_contains(text, "Marcos said");
    free(text);
    json_decref(a);
    task_free(t);
}

static void consolidate_cuts_long_events_on_a_word(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_CONSOLIDATE);
    struct buf long_event;
    buf_init(&long_event, 1 << 16);
    buf_adds(&long_event, "SAW: ");
    for (int i = 0; i < 60; i++)
        buf_adds(&long_event, "wonderful ");
    strlist_add(&t->u.consolidate.events, long_event.data);
    buf_release(&long_event);
    json_t *a = answer(t);
    const char *m = json_string_value(json_array_get(json_object_get(a, "memories"), 0));
    assert_contains(m, "wonderful\xe2\x80\xa6");
    assert_lacks(m, "wonderfu\xe2\x80\xa6");
    assert_true(strlen(m) < 260);
    json_decref(a);
    task_free(t);
}

static void consolidate_phrases_each_kind_of_event(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_CONSOLIDATE);
    t->u.consolidate.language = strdup("en");
    static const char *const events[] = {
        "SAW: a poster for a running club", "HEARD Carla: the club meets on Sundays",
        "SAID: I might join them",          "FELT: excited",
        "DID: reached out to Carla",        "THOUGHT: Sundays are family days",
    };
    for (size_t i = 0; i < ARRAY_SIZE(events); i++)
        strlist_add(&t->u.consolidate.events, events[i]);
    json_t *a = answer(t);
    const json_t *mem = json_object_get(a, "memories");
    assert_int_equal(json_array_size(mem), 6);
    assert_contains(json_string_value(json_array_get(mem, 0)),
                    "\xe2\x80\x9c"
                    "a poster for a running club\xe2\x80\x9d");
    assert_contains(json_string_value(json_array_get(mem, 1)),
                    "Carla said \xe2\x80\x9c"
                    "the club meets on Sundays\xe2\x80\x9d");
    assert_contains(json_string_value(json_array_get(mem, 2)), "I might join them");
    assert_contains(json_string_value(json_array_get(mem, 3)), ": excited.");
    assert_string_equal(json_string_value(json_array_get(mem, 4)),
                        "Something I did: reached out to Carla.");
    assert_contains(json_string_value(json_array_get(mem, 5)), ": Sundays are family days.");
    for (size_t i = 0; i < 6; i++)
        assert_true(from_memory_phrase(json_string_value(json_array_get(mem, i)), OFFLINE_LANG_EN));
    json_decref(a);
    task_free(t);
}

static void consolidate_of_an_empty_episode_says_nothing_happened(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = task_new(TASK_CONSOLIDATE);
        t->u.consolidate.language = strdup(pt ? "pt-BR" : "en");
        json_t *a = answer(t);
        const json_t *mem = json_object_get(a, "memories");
        assert_int_equal(json_array_size(mem), 1);
        assert_string_equal(json_string_value(json_array_get(mem, 0)),
                            pt ? "Nada de especial aconteceu." : "Nothing in particular happened.");
        json_decref(a);
        task_free(t);
    }
}

static void consolidate_handles_events_without_a_prefix_and_detects_the_language(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_CONSOLIDATE);
    strlist_add(&t->u.consolidate.events, "Vi um anúncio de uma caixa de jantares por R$ 99,90.");
    strlist_add(&t->u.consolidate.events, "Achei caro demais para a minha família.");
    json_t *a = answer(t);
    const json_t *mem = json_object_get(a, "memories");
    assert_int_equal(json_array_size(mem), 2);
    for (size_t i = 0; i < 2; i++)
        assert_true(from_memory_phrase(json_string_value(json_array_get(mem, i)), OFFLINE_LANG_PT));
    json_decref(a);
    task_free(t);
}

/* ---- extract ------------------------------------------------------------------------- */

static void extract_finds_what_the_transcript_says(void **state)
{
    (void)state;
    struct task *t = extract_task(false);
    json_t *a = answer(t);
    const json_t *v = json_object_get(a, "values");
    assert_true(json_is_integer(json_object_get(v, "budget")));
    assert_int_equal(json_integer_value(json_object_get(v, "budget")), 450);
    assert_true(json_is_false(json_object_get(v, "would_subscribe")));
    const json_t *list = json_object_get(v, "streaming_services");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(json_string_value(json_array_get(list, 0)), "Netflix");
    assert_string_equal(json_string_value(json_array_get(list, 1)), "Spotify");
    assert_string_equal(json_string_value(json_array_get(list, 2)), "Disney+");
    assert_string_equal(str_at(v, "favourite_dish"), "feijoada with rice");
    json_decref(a);
    task_free(t);
}

static void extract_finds_what_a_portuguese_transcript_says(void **state)
{
    (void)state;
    struct task *t = extract_task(true);
    json_t *a = answer(t);
    const json_t *v = json_object_get(a, "values");
    assert_int_equal(json_integer_value(json_object_get(v, "orcamento")), 1200);
    assert_true(json_is_true(json_object_get(v, "assinaria")));
    const json_t *list = json_object_get(v, "servicos_streaming");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(json_string_value(json_array_get(list, 0)), "Netflix");
    assert_string_equal(json_string_value(json_array_get(list, 1)), "Globoplay");
    assert_string_equal(json_string_value(json_array_get(list, 2)), "Spotify");
    assert_string_equal(str_at(v, "prato_favorito"), "feijoada");
    json_decref(a);
    task_free(t);
}

static void extract_gives_null_for_what_is_not_there(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = extract_task(pt);
        json_t *a = answer(t);
        const json_t *v = json_object_get(a, "values");
        assert_true(json_is_null(json_object_get(v, pt ? "nome_do_pet" : "pet_name")));
        assert_true(json_is_null(json_object_get(v, pt ? "filhos" : "children")));
        json_decref(a);
        task_free(t);
    }
    /* an empty transcript answers nothing */
    struct task *t = task_new(TASK_EXTRACT);
    extract_add_field(&t->u.extract, "budget", "monthly budget", EXTRACT_NUMBER);
    extract_add_field(&t->u.extract, "brands", "brands they buy", EXTRACT_LIST);
    json_t *a = answer(t);
    assert_true(json_is_null(json_object_get(json_object_get(a, "values"), "budget")));
    assert_true(json_is_null(json_object_get(json_object_get(a, "values"), "brands")));
    json_decref(a);
    task_free(t);
}

static void extract_reads_decimals_and_statements(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_EXTRACT);
    struct extract_input *in = &t->u.extract;
    transcript_add(&in->transcript, "Ana",
                   "Hoje eu pago R$ 29,90 por mês no meu plano de celular.");
    transcript_add(&in->transcript, "Ana", "Meus hobbies são corrida, cinema e jardinagem.");
    transcript_add(&in->transcript, "Ana", "Tenho carro: um Gol 2012.");
    extract_add_field(in, "plano_celular", "quanto paga pelo plano de celular", EXTRACT_NUMBER);
    extract_add_field(in, "hobbies", "passatempos", EXTRACT_LIST);
    extract_add_field(in, "carro", "o carro que tem", EXTRACT_STRING);
    extract_add_field(in, "tem_carro", "se tem carro", EXTRACT_BOOLEAN);
    json_t *a = answer(t);
    const json_t *v = json_object_get(a, "values");
    assert_true(json_is_real(json_object_get(v, "plano_celular")));
    assert_true(json_real_value(json_object_get(v, "plano_celular")) == 29.9);
    const json_t *hobbies = json_object_get(v, "hobbies");
    assert_int_equal(json_array_size(hobbies), 3);
    assert_string_equal(json_string_value(json_array_get(hobbies, 0)), "corrida");
    assert_string_equal(json_string_value(json_array_get(hobbies, 2)), "jardinagem");
    assert_string_equal(str_at(v, "carro"), "um Gol 2012");
    assert_true(json_is_true(json_object_get(v, "tem_carro")));
    json_decref(a);
    task_free(t);
}

/* ---- validate ------------------------------------------------------------------------ */

static void validate_asks_before_the_last_round_then_scores(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = validate_task(pt, 1, 3);
        json_t *a = answer(t);
        const char *q1 = str_at(a, "question");
        assert_true(strlen(q1) > 5);
        assert_null(json_object_get(a, "score"));

        /* round 2: a follow-up on the persona's answer, new */
        struct task *t2 = validate_task(pt, 2, 3);
        transcript_add(&t2->u.validate.interview, "Interviewer", q1);
        transcript_add(&t2->u.validate.interview, pt ? "Ana Souza" : "Mark Chen",
                       pt ? "Cozinho quase todo dia para a minha família."
                          : "I cook almost every day for my family.");
        json_t *b = answer(t2);
        const char *q2 = str_at(b, "question");
        assert_string_not_equal(q1, q2);
        assert_contains(q2, pt ? "Cozinho quase todo dia para a minha família"
                               : "I cook almost every day for my family");

        /* the last round: a score and a justification */
        t2->u.validate.round = 3;
        json_t *c = answer(t2);
        assert_true(json_is_number(json_object_get(c, "score")));
        double score = json_number_value(json_object_get(c, "score"));
        assert_true(score >= 0 && score <= 1);
        assert_true(strlen(str_at(c, "justification")) > 20);
        json_decref(a);
        json_decref(b);
        json_decref(c);
        task_free(t);
        task_free(t2);
    }
}

static void validate_never_repeats_a_question(void **state)
{
    (void)state;
    const int rounds = 9;
    struct task *t = validate_task(false, 1, rounds);
    for (int round = 1; round < rounds; round++) {
        t->u.validate.round = round;
        json_t *a = answer(t);
        const char *q = str_at(a, "question");
        for (size_t i = 0; i < t->u.validate.interview.n; i++)
            assert_string_not_equal(q, t->u.validate.interview.lines[i].text);
        transcript_add(&t->u.validate.interview, "Interviewer", q);
        transcript_add(&t->u.validate.interview, "Mark Chen", "I guess so.");
        json_decref(a);
    }
    task_free(t);
}

static double score_of(const char *persona, const char *expectations)
{
    struct task *t = task_new(TASK_VALIDATE);
    t->u.validate.persona = persona_of(persona);
    t->u.validate.expectations = strdup(expectations);
    t->u.validate.round = 2;
    t->u.validate.max_rounds = 2;
    json_t *a = answer(t);
    double s = json_number_value(json_object_get(a, "score"));
    json_decref(a);
    task_free(t);
    return s;
}

static void validate_scores_a_matching_persona_above_a_contradicting_one(void **state)
{
    (void)state;
    double match = score_of(MARK, EXPECT_EN);
    double contra = score_of(JAKE, EXPECT_EN);
    if (!(match > contra + 0.3))
        fail_msg("matching %.2f, contradicting %.2f", match, contra);
    assert_true(match >= 0.7);
    assert_true(contra <= 0.4);
    /* an expectation about what the persona does not care for */
    assert_true(score_of(ANA, EXPECT_PT) >= 0.7);
    assert_true(score_of(JAKE, "Someone who hates video games and never plays them.") < 0.4);
}

static void validate_justification_names_matches_and_contradictions(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_VALIDATE);
    t->u.validate.persona = persona_of(JAKE);
    t->u.validate.expectations = strdup(EXPECT_EN);
    t->u.validate.round = 1;
    t->u.validate.max_rounds = 1;
    json_t *a = answer(t);
    const char *why = str_at(a, "justification");
    assert_contains(why, "contradicts them on: ");
    assert_contains(why, "cooking");
    json_decref(a);
    task_free(t);
}

/* ---- proposition --------------------------------------------------------------------- */

static bool judge(bool pt, const char *claim)
{
    struct task *t = proposition_task(pt, claim, false);
    json_t *a = answer(t);
    bool v = json_is_true(json_object_get(a, "value"));
    json_decref(a);
    task_free(t);
    return v;
}

static long long score(bool pt, const char *claim)
{
    struct task *t = proposition_task(pt, claim, true);
    json_t *a = answer(t);
    long long v = json_integer_value(json_object_get(a, "value"));
    json_decref(a);
    task_free(t);
    return v;
}

static void proposition_supports_what_was_said(void **state)
{
    (void)state;
    assert_true(judge(false, "Ana loves the recipes"));
    assert_true(judge(false, "Bruno thinks the price is fair"));
    assert_true(judge(true, "Ana gostou das receitas"));
    assert_true(judge(true, "Bruno acha o preço justo"));
    assert_true(score(false, "Ana loves the recipes") >= 7);
}

static void proposition_turns_on_negations(void **state)
{
    (void)state;
    assert_false(judge(false, "Ana would pay for FreshBox"));
    assert_true(judge(false, "Ana would not pay for FreshBox"));
    assert_false(judge(true, "Ana pagaria pelo FreshBox"));
    assert_true(judge(true, "Ana não pagaria pelo FreshBox"));
    assert_true(score(false, "Ana would pay for FreshBox") <= 2);
    assert_false(judge(false, "Ana hates the recipes"));
}

static void proposition_is_false_without_evidence_and_quotes_its_line(void **state)
{
    (void)state;
    assert_false(judge(false, "Ana has a dog"));
    assert_true(score(false, "Ana has a dog") <= 1);
    struct task *t = proposition_task(false, "Ana loves the recipes", false);
    json_t *a = answer(t);
    assert_contains(str_at(a, "justification"),
                    "Ana: \xe2\x80\x9cI love the recipes, they look delicious\xe2\x80\x9d");
    json_decref(a);
    task_free(t);
    t = task_new(TASK_PROPOSITION);
    t->u.proposition.claim = strdup("the moderator was rude");
    a = answer(t);
    assert_false(json_is_true(json_object_get(a, "value")));
    json_decref(a);
    task_free(t);
}

/* ---- normalize ----------------------------------------------------------------------- */

/* The index of the theme holding answer i (each answer is in exactly one theme). */
static size_t theme_of(const json_t *themes, size_t i)
{
    size_t found = SIZE_MAX;
    for (size_t k = 0; k < json_array_size(themes); k++) {
        const json_t *ans = json_object_get(json_array_get(themes, k), "answers");
        for (size_t j = 0; j < json_array_size(ans); j++) {
            if ((size_t)json_integer_value(json_array_get(ans, j)) == i) {
                assert_int_equal(found, SIZE_MAX);
                found = k;
            }
        }
    }
    assert_int_not_equal(found, SIZE_MAX);
    return found;
}

static void normalize_groups_price_and_keeps_sentiment_apart(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = normalize_task(pt, 4);
        json_t *a = answer(t);
        const json_t *themes = json_object_get(a, "themes");
        assert_true(json_array_size(themes) <= 4);
        for (size_t i = 0; i < ARRAY_SIZE(NORMALIZE_EN); i++)
            (void)theme_of(themes, i);
        size_t neg = theme_of(themes, 0);
        assert_int_equal(theme_of(themes, 1), neg);
        assert_int_not_equal(theme_of(themes, 2), neg);
        assert_int_equal(theme_of(themes, 2), theme_of(themes, 7));
        assert_int_equal(theme_of(themes, 3), theme_of(themes, 4));
        const json_t *nt = json_array_get(themes, neg);
        assert_string_equal(str_at(nt, "sentiment"), "negative");
        assert_contains(str_at(nt, "name"), pt ? "dinheiro" : "money");
        /* largest first */
        for (size_t k = 1; k < json_array_size(themes); k++)
            assert_true(json_array_size(json_object_get(json_array_get(themes, k), "answers")) <=
                        json_array_size(json_object_get(json_array_get(themes, k - 1), "answers")));
        json_decref(a);
        task_free(t);
    }
}

/*
 * The offline model reads its own reactions the way they were meant, as the
 * respondent's stance (which outweighs the other tone words of an answer):
 * every react.love/like phrase is positive, react.neutral neutral,
 * react.dislike and react.hate negative, in both languages - so a theme
 * built from them has the tone of the answers it quotes.
 */
static void normalize_reads_every_reaction_with_its_tone(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        int tone;
    } reactions[] = { { "react.love", 1 },
                      { "react.like", 1 },
                      { "react.neutral", 0 },
                      { "react.dislike", -1 },
                      { "react.hate", -1 } };
    int wrong = 0;
    for (size_t k = 0; k < ARRAY_SIZE(reactions); k++) {
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            const struct strlist *alts = offline_phrases_find(model->data, reactions[k].key, lang);
            assert_non_null(alts);
            for (size_t i = 0; i < alts->n; i++) {
                struct buf text;
                buf_init(&text, 1024);
                /* the product as a stimulus names it: a name that carries no tone */
                for (const char *p = alts->items[i]; *p; p++) {
                    if (!strncmp(p, "{product}", 9)) {
                        buf_adds(&text, "Volta");
                        p += 8;
                    } else {
                        buf_addch(&text, *p);
                    }
                }
                bool stance = false;
                int tone = offline_answer_tone(model, text.data, &stance);
                if (tone != reactions[k].tone || !stance) {
                    fprintf(stderr, "%s read as %d (%s), meant %d: %s\n", reactions[k].key, tone,
                            stance ? "a stance" : "no stance", reactions[k].tone, text.data);
                    wrong++;
                }
                buf_release(&text);
            }
        }
    }
    assert_int_equal(wrong, 0);
}

static void normalize_respects_max_themes(void **state)
{
    (void)state;
    for (int max = 1; max <= 8; max++) {
        struct task *t = normalize_task(max % 2, max);
        json_t *a = answer(t);
        const json_t *themes = json_object_get(a, "themes");
        assert_true(json_array_size(themes) >= 1);
        assert_true(json_array_size(themes) <= (size_t)max);
        for (size_t i = 0; i < ARRAY_SIZE(NORMALIZE_EN); i++)
            (void)theme_of(themes, i);
        json_decref(a);
        task_free(t);
    }
    /* with room, the text without a topic gets its own theme */
    struct task *t = normalize_task(false, 10);
    json_t *a = answer(t);
    const json_t *other =
        json_array_get(json_object_get(a, "themes"), theme_of(json_object_get(a, "themes"), 6));
    assert_int_equal(json_array_size(json_object_get(other, "answers")), 1);
    assert_contains(str_at(other, "name"), "Other");
    json_decref(a);
    task_free(t);
    /* no answers, no themes */
    t = task_new(TASK_NORMALIZE);
    t->u.normalize.max_themes = 3;
    a = answer(t);
    assert_int_equal(json_array_size(json_object_get(a, "themes")), 0);
    json_decref(a);
    task_free(t);
}

/* The offline model's answer to normalizing texts (checked against the task); a new reference. */
static json_t *normalize_texts(const char *const *texts, size_t n, const char *language,
                               int max_themes)
{
    struct task *t = task_new(TASK_NORMALIZE);
    for (size_t i = 0; i < n; i++)
        strlist_add(&t->u.normalize.texts, texts[i]);
    t->u.normalize.max_themes = max_themes;
    t->u.normalize.language = strdup(language);
    json_t *a = answer(t);
    task_free(t);
    return a;
}

/*
 * Are the answers of one group (group[i]) in one theme, and the groups in
 * different themes? Prints the themes when not.
 */
static void assert_grouped(const json_t *themes, const char *const *texts, const int *group,
                           size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            ok &= (theme_of(themes, i) == theme_of(themes, j)) == (group[i] == group[j]);
    if (ok)
        return;
    for (size_t k = 0; k < json_array_size(themes); k++) {
        const json_t *th = json_array_get(themes, k);
        const json_t *ans = json_object_get(th, "answers");
        print_message("  '%s' (%s):", str_at(th, "name"), str_at(th, "sentiment"));
        for (size_t j = 0; j < json_array_size(ans); j++)
            print_message(" %s |", texts[json_integer_value(json_array_get(ans, j))]);
        print_message("\n");
    }
    fail_msg("the answers are not grouped by what they say");
}

/* The paraphrases of three answers: a price complaint, praise of the recipes, a late delivery. */
static const char *const PARAPHRASES_EN[] = {
    "It's too expensive",          "It costs too much for me",   "The price is too high",
    "I can't afford it",           "I love the recipes",         "The recipes are delicious",
    "Great recipes, really tasty", "I really like the recipes",  "The delivery was late",
    "My box arrived late",         "Delivery took far too long", "The order came two days late",
};

static const char *const PARAPHRASES_PT[] = {
    "É caro demais",
    "Custa muito para mim",
    "O preço é alto demais",
    "Não consigo pagar isso",
    "Adoro as receitas",
    "As receitas são deliciosas",
    "Receitas ótimas, muito saborosas",
    "Gosto de cozinhar essas receitas",
    "A entrega atrasou",
    "Minha caixa chegou atrasada",
    "A entrega demorou demais",
    "O pedido chegou dois dias atrasado",
};

static const int PARAPHRASE_GROUP[] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 };

static void normalize_puts_paraphrases_in_one_theme(void **state)
{
    (void)state;
    static const char *const names[2][3] = { { "money", "food", "delivery" },
                                             { "dinheiro", "comida", "entrega" } };
    static const char *const tones[3] = { "negative", "positive", "negative" };
    for (int pt = 0; pt < 2; pt++) {
        const char *const *texts = pt ? PARAPHRASES_PT : PARAPHRASES_EN;
        /* in order, and interleaved as a survey would list them */
        for (int shuffled = 0; shuffled < 2; shuffled++) {
            const char *list[ARRAY_SIZE(PARAPHRASE_GROUP)];
            int group[ARRAY_SIZE(PARAPHRASE_GROUP)];
            for (size_t i = 0; i < ARRAY_SIZE(list); i++) {
                size_t from = shuffled ? (i % 3) * 4 + i / 3 : i;
                list[i] = texts[from];
                group[i] = PARAPHRASE_GROUP[from];
            }
            json_t *a = normalize_texts(list, ARRAY_SIZE(list), pt ? "pt-BR" : "en", 5);
            const json_t *themes = json_object_get(a, "themes");
            assert_grouped(themes, list, group, ARRAY_SIZE(list));
            assert_int_equal(json_array_size(themes), 3);
            for (size_t i = 0; i < ARRAY_SIZE(list); i++) {
                const json_t *th = json_array_get(themes, theme_of(themes, i));
                assert_contains(str_at(th, "name"), names[pt][group[i]]);
                assert_string_equal(str_at(th, "sentiment"), tones[group[i]]);
            }
            json_decref(a);
        }
    }
}

/* Answers sharing a content word ("late", "atras-") go together without a topic keyword. */
static void normalize_links_answers_by_their_words(void **state)
{
    (void)state;
    static const char *const en[] = { "The delivery was late.", "It showed up late again.",
                                      "Great recipes.", "Late, as usual.", "Not sure yet." };
    static const char *const pt[] = { "A entrega atrasou.", "Veio atrasado de novo.",
                                      "Receitas ótimas.", "Atrasou outra vez.", "Ainda não sei." };
    static const int group[] = { 0, 0, 1, 0, 2 };
    for (int p = 0; p < 2; p++) {
        const char *const *texts = p ? pt : en;
        json_t *a = normalize_texts(texts, ARRAY_SIZE(en), p ? "pt-BR" : "en", 5);
        const json_t *themes = json_object_get(a, "themes");
        assert_grouped(themes, texts, group, ARRAY_SIZE(group));
        const json_t *late = json_array_get(themes, theme_of(themes, 1));
        assert_contains(str_at(late, "name"), p ? "entrega" : "delivery");
        assert_string_equal(str_at(late, "sentiment"), "negative");
        json_decref(a);
    }
}

/* Judgements of a price are negative about money, turned by a negation. */
static void normalize_reads_price_judgements(void **state)
{
    (void)state;
    static const struct {
        const char *text, *language, *sentiment;
    } cases[] = {
        { "It costs too much.", "en", "negative" },
        { "I can't afford it.", "en", "negative" },
        { "Way too pricey.", "en", "negative" },
        { "It is not expensive.", "en", "positive" },
        { "Cheaper than the supermarket.", "en", "positive" },
        { "Não cabe no bolso.", "pt-BR", "negative" },
        { "Custa muito.", "pt-BR", "negative" },
        { "Não é caro.", "pt-BR", "positive" },
        { "Cabe no bolso.", "pt-BR", "positive" },
    };
    for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
        const char *texts[] = { cases[k].text };
        json_t *a = normalize_texts(texts, 1, cases[k].language, 3);
        const json_t *th = json_array_get(json_object_get(a, "themes"), 0);
        if (strcmp(str_at(th, "sentiment"), cases[k].sentiment) != 0)
            fail_msg("'%s': %s, expected %s", cases[k].text, str_at(th, "sentiment"),
                     cases[k].sentiment);
        assert_contains(str_at(th, "name"), strcmp(cases[k].language, "en") ? "dinheiro" : "money");
        json_decref(a);
    }
}

/* Short of room, praise and complaint about one thing merge before unrelated themes do. */
static void normalize_merges_one_topic_first(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "The price is too high.",     "Way too expensive.", "I love the recipes.",
        "The recipes are delicious.", "Great price!",
    };
    json_t *a = normalize_texts(texts, ARRAY_SIZE(texts), "en", 3);
    const json_t *themes = json_object_get(a, "themes");
    assert_int_equal(json_array_size(themes), 3);
    assert_int_not_equal(theme_of(themes, 0), theme_of(themes, 4));
    json_decref(a);
    a = normalize_texts(texts, ARRAY_SIZE(texts), "en", 2);
    themes = json_object_get(a, "themes");
    assert_int_equal(json_array_size(themes), 2);
    size_t money = theme_of(themes, 0);
    assert_int_equal(theme_of(themes, 4), money);
    assert_int_not_equal(theme_of(themes, 2), money);
    const json_t *th = json_array_get(themes, money);
    assert_string_equal(str_at(th, "name"), "Mixed views on money");
    assert_string_equal(str_at(th, "sentiment"), "neutral");
    json_decref(a);
}

/* ---- insights ------------------------------------------------------------------------ */

/* The numbers written in text: maximal runs of digits with an optional decimal part. */
static size_t numbers_in(const char *text, char out[][64], size_t max)
{
    size_t n = 0;
    for (const char *p = text; *p;) {
        if (!(*p >= '0' && *p <= '9')) {
            p++;
            continue;
        }
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (n < max)
            snprintf(out[n++], 64, "%.*s", (int)(p - start), start);
    }
    return n;
}

/* Fails unless every number in text is a number of the aggregates' text. */
static void assert_grounded(const char *text, const char *aggregates)
{
    static char found[256][64], known[1024][64];
    size_t n = numbers_in(text, found, 256);
    size_t k = numbers_in(aggregates, known, 1024);
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t j = 0; j < k && !ok; j++)
            ok = strcmp(found[i], known[j]) == 0;
        if (!ok)
            fail_msg("'%s' is not in the aggregates; text:\n%s", found[i], text);
    }
}

static void assert_insights_grounded(const json_t *a, const char *aggregates)
{
    assert_grounded(str_at(a, "summary"), aggregates);
    const json_t *hl = json_object_get(a, "highlights");
    for (size_t i = 0; i < json_array_size(hl); i++)
        assert_grounded(json_string_value(json_array_get(hl, i)), aggregates);
}

static size_t sentences_in(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += (*p == '.' || *p == '!' || *p == '?') && (p[1] == ' ' || !p[1]);
    return n;
}

static void insights_state_only_numbers_from_the_aggregates(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = insights_task(pt, AGGREGATES);
        json_t *a = answer(t);
        assert_insights_grounded(a, AGGREGATES);
        const char *summary = str_at(a, "summary");
        assert_contains(summary, "48");                           /* the panel */
        assert_contains(summary, "7.2");                          /* the highest question mean */
        assert_contains(summary, "B");                            /* the winner */
        assert_contains(summary, "share(buy == \"yes\") >= 0.4"); /* the failing criterion */
        assert_contains(summary, "taste");
        size_t s = sentences_in(summary);
        if (s < 3 || s > 6)
            fail_msg("%zu sentences: %s", s, summary);
        size_t h = json_array_size(json_object_get(a, "highlights"));
        assert_true(h >= 2 && h <= 5);
        json_decref(a);
        /* every phrase alternative the generator may pick */
        for (uint64_t seed = 1; seed <= 24; seed++) {
            a = answer_seeded(t, seed);
            assert_insights_grounded(a, AGGREGATES);
            json_decref(a);
        }
        task_free(t);
    }
}

static void insights_copy_numbers_as_written(void **state)
{
    (void)state;
    static const char agg[] = "{\"n\":30,\"questions\":[{\"id\":\"clarity\",\"mean\":7.20,"
                              "\"ci\":[6.50,7.90],\"n\":30},{\"id\":\"trust\","
                              "\"mean\":0.30000000000000004,\"n\":30}]}";
    struct task *t = insights_task(false, agg);
    json_t *a = answer(t);
    const char *summary = str_at(a, "summary");
    assert_contains(summary, "7.20");
    assert_contains(summary, "6.50");
    assert_contains(summary, "0.30000000000000004");
    assert_insights_grounded(a, agg);
    json_decref(a);
    task_free(t);
}

static void insights_grounded_on_many_shapes(void **state)
{
    (void)state;
    static const char *const shapes[] = {
        "{\"questions\":[{\"id\":\"appeal\",\"mean\":6.4}]}",
        "{\"winner\":null,\"variants\":{\"A\":{\"mean\":5.5},\"B\":{\"mean\":5.5}}}",
        "{\"winner\":{\"variant\":\"A\",\"p\":0.2},\"themes\":{\"price\":12,\"taste\":30}}",
        "[{\"id\":\"q1\",\"mean\":3.25,\"ci\":[2.5,4.0],\"n\":16}]",
        "{\"criteria\":[{\"expr\":\"mean(q2) >= 8\",\"passed\":false,\"value\":6.125}],"
        "\"cost\":12.5,\"respondents\":1000}",
        "{\"segments\":[{\"segment\":\"women 25-34\",\"mean\":8.1,\"n\":3},"
        "{\"segment\":\"men 35+\",\"mean\":-1.5e2,\"n\":7}]}",
        "{\"themes\":[{\"name\":\"delivery\",\"sentiment\":\"negative\",\"count\":4},"
        "{\"name\":\"recipes\",\"sentiment\":\"positive\",\"count\":11}]}",
        "{\"questions\":[]}",
    };
    for (size_t i = 0; i < ARRAY_SIZE(shapes); i++) {
        for (int pt = 0; pt < 2; pt++) {
            struct task *t = insights_task(pt, shapes[i]);
            json_t *a = answer(t);
            assert_insights_grounded(a, shapes[i]);
            size_t s = sentences_in(str_at(a, "summary"));
            if (s < 3 || s > 6)
                fail_msg("%zu sentences: %s", s, str_at(a, "summary"));
            json_decref(a);
            task_free(t);
        }
    }
}

static void insights_of_empty_aggregates_say_so(void **state)
{
    (void)state;
    static const char *const empty[] = { "{}", "[]", "", "not json" };
    for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
        struct task *t = insights_task(i % 2, empty[i]);
        json_t *a = answer(t);
        assert_contains(str_at(a, "summary"), i % 2 ? "vazios" : "empty");
        assert_int_equal(json_array_size(json_object_get(a, "highlights")), 0);
        json_decref(a);
        task_free(t);
    }
}

/* ---- determinism and goldens --------------------------------------------------------- */

static struct task *golden_task(enum task_kind kind, bool pt)
{
    switch (kind) {
    case TASK_CONSOLIDATE:
        return consolidate_task(pt);
    case TASK_EXTRACT:
        return extract_task(pt);
    case TASK_VALIDATE: {
        struct task *t = validate_task(pt, 3, 3);
        transcript_add(&t->u.validate.interview, "Interviewer",
                       pt ? "O que você costuma pensar sobre comida?"
                          : "What do you usually think about food?");
        transcript_add(&t->u.validate.interview, pt ? "Ana Souza" : "Mark Chen",
                       pt ? "Gosto de cozinhar em casa, sai mais barato."
                          : "I like cooking at home, it is cheaper.");
        return t;
    }
    case TASK_PROPOSITION:
        return proposition_task(pt,
                                pt ? "Ana acha o FreshBox caro"
                                   : "Ana finds FreshBox too "
                                     "expensive",
                                true);
    case TASK_NORMALIZE:
        return normalize_task(pt, 3);
    case TASK_INSIGHTS:
        return insights_task(pt, AGGREGATES);
    default:
        return NULL;
    }
}

static const enum task_kind TEXT_TASKS[] = { TASK_CONSOLIDATE, TASK_EXTRACT,   TASK_VALIDATE,
                                             TASK_PROPOSITION, TASK_NORMALIZE, TASK_INSIGHTS };

static char *dump(const json_t *a)
{
    char *s = json_dumps(a, JSON_INDENT(2) | JSON_SORT_KEYS);
    assert_non_null(s);
    return s;
}

static void answers_are_deterministic(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAY_SIZE(TEXT_TASKS); k++) {
        for (int pt = 0; pt < 2; pt++) {
            struct task *t = golden_task(TEXT_TASKS[k], pt);
            for (uint64_t seed = 1; seed <= 3; seed++) {
                json_t *a = answer_seeded(t, seed), *b = answer_seeded(t, seed);
                char *sa = dump(a), *sb = dump(b);
                assert_string_equal(sa, sb);
                free(sa);
                free(sb);
                json_decref(a);
                json_decref(b);
            }
            task_free(t);
        }
    }
}

static void answers_match_the_goldens(void **state)
{
    (void)state;
    for (size_t k = 0; k < ARRAY_SIZE(TEXT_TASKS); k++) {
        for (int pt = 0; pt < 2; pt++) {
            struct task *t = golden_task(TEXT_TASKS[k], pt);
            json_t *a = answer(t);
            char *text = dump(a);
            char name[64];
            snprintf(name, sizeof(name), "%s_%s.json", task_name(TEXT_TASKS[k]), pt ? "pt" : "en");
            assert_golden(name, text);
            free(text);
            json_decref(a);
            task_free(t);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consolidate_keeps_at_most_six_first_person_memories),
        cmocka_unit_test(consolidate_never_repeats_an_event),
        cmocka_unit_test(consolidate_keeps_the_first_and_the_last_event),
        cmocka_unit_test(consolidate_cuts_long_events_on_a_word),
        cmocka_unit_test(consolidate_phrases_each_kind_of_event),
        cmocka_unit_test(consolidate_of_an_empty_episode_says_nothing_happened),
        cmocka_unit_test(consolidate_handles_events_without_a_prefix_and_detects_the_language),
        cmocka_unit_test(extract_finds_what_the_transcript_says),
        cmocka_unit_test(extract_finds_what_a_portuguese_transcript_says),
        cmocka_unit_test(extract_gives_null_for_what_is_not_there),
        cmocka_unit_test(extract_reads_decimals_and_statements),
        cmocka_unit_test(validate_asks_before_the_last_round_then_scores),
        cmocka_unit_test(validate_never_repeats_a_question),
        cmocka_unit_test(validate_scores_a_matching_persona_above_a_contradicting_one),
        cmocka_unit_test(validate_justification_names_matches_and_contradictions),
        cmocka_unit_test(proposition_supports_what_was_said),
        cmocka_unit_test(proposition_turns_on_negations),
        cmocka_unit_test(proposition_is_false_without_evidence_and_quotes_its_line),
        cmocka_unit_test(normalize_groups_price_and_keeps_sentiment_apart),
        cmocka_unit_test(normalize_reads_every_reaction_with_its_tone),
        cmocka_unit_test(normalize_respects_max_themes),
        cmocka_unit_test(normalize_puts_paraphrases_in_one_theme),
        cmocka_unit_test(normalize_links_answers_by_their_words),
        cmocka_unit_test(normalize_reads_price_judgements),
        cmocka_unit_test(normalize_merges_one_topic_first),
        cmocka_unit_test(insights_state_only_numbers_from_the_aggregates),
        cmocka_unit_test(insights_copy_numbers_as_written),
        cmocka_unit_test(insights_grounded_on_many_shapes),
        cmocka_unit_test(insights_of_empty_aggregates_say_so),
        cmocka_unit_test(answers_are_deterministic),
        cmocka_unit_test(answers_match_the_goldens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
