/*
 * engine/offline/act.c - the offline model's turns (ENGINE.md 6): reading
 * the stimulus and the persona, an appeal score from topic affinity,
 * dislikes, price fit, hype x scepticism, novelty x openness and the
 * person's own leniency, plus seeded noise; ratings, choices, rankings and
 * yes/no that follow from it; free text and THINK/TALK from the phrase
 * banks; journeys with friction and abandonment; focus-group replies that
 * refer to earlier speakers; interviews (one interviewer, no questions:
 * converse.c), whose opinions come from the same reading and react().
 *
 * The spread is deliberate (ENGINE.md 6 "Realistic spread"): the score is
 * mapped linearly onto the whole scale and its noise is a person's, not an
 * average's, so a niche product gets many low ratings next to a few high
 * ones, and the mean follows the fit, not the middle of the scale.
 */
#include "core/compat.h"

#include "engine/offline/model.h"

#include <math.h>
#include <strings.h>

#include "core/jsonio.h"
#include "core/xalloc.h"

#define NOISE_SD 0.45 /* per question: the same person answers differently on a different day */
#define JOURNEY_WEIGHT \
    0.8 /* how much a journey step's ease (tolerance - friction) moves its answers */
#define TEXT_LIMIT 1200 /* bytes of one composed answer */

/* Everything one turn needs, read once. */
struct turn {
    const struct offline_model *m;
    const struct act_input *in;
    const struct persona *p;
    struct persona_reading pr;
    struct stimulus_reading sr;
    double appeal;    /* u0: the person's appeal score for what is shown */
    double fit;       /* topic fit alone */
    double price_pen; /* 0 .. ~1.2 */
    double hype_pen;
    int lang;
    int best_topic, worst_topic; /* -1 when none */
    char occupation[128];
};

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/*
 * What people expect to spend a month on each kind of thing, in US
 * dollars: a price is judged against its category, so $65 a month of family
 * dinners is cheap and $15 a month for one more app is not.
 */
static const struct {
    const char *topic;
    double monthly_usd;
} spend[] = {
    { "food", 80 },       { "home", 60 },    { "family", 60 },      { "parenting", 60 },
    { "health", 40 },     { "fitness", 35 }, { "automotive", 150 }, { "travel", 120 },
    { "education", 50 },  { "fashion", 40 }, { "beauty", 30 },      { "pets", 40 },
    { "technology", 30 }, { "money", 20 },   { "security", 20 },    { "sport", 30 },
    { "outdoors", 40 },   { "career", 40 },
};
#define SPEND_DEFAULT 15.0 /* apps, subscriptions, entertainment */

/* The monthly spend people expect for what the stimulus is about. */
static double expected_spend(const struct offline_model *m, const struct stimulus_reading *sr)
{
    if (sr->topic_hits <= 0)
        return SPEND_DEFAULT;
    double ref = 0;
    for (size_t t = 0; t < m->data->n_topics; t++) {
        double s = SPEND_DEFAULT;
        for (size_t k = 0; k < ARRAY_SIZE(spend); k++)
            if (strcmp(m->data->topics[t].name, spend[k].topic) == 0)
                s = spend[k].monthly_usd;
        ref += sr->topics[t] * s;
    }
    return ref;
}

/* How much a monthly cost hurts against what is expected (before sensitivity). */
static double price_factor(double monthly_usd, double expected)
{
    if (monthly_usd <= 0)
        return 0;
    return clampd(log10(monthly_usd / expected) / 1.2, -0.3, 1.2);
}

/* Is source someone the person talks with (one of the people they can reach)? */
static bool is_peer(const struct act_input *in, const char *source)
{
    size_t n = source ? strlen(source) : 0;
    for (size_t i = 0; n && i < in->state.accessible.n; i++) {
        const char *e = in->state.accessible.items[i];
        if (strncasecmp(e, source, n) == 0 && (e[n] == '\0' || e[n] == ' '))
            return true;
    }
    return false;
}

/*
 * The text the person reacts to: what they see and what they are told -
 * but when all that is new is other participants talking, the subject of
 * the conversation is still what the person was attending to (their
 * context and attention), not the last remark; and when nothing new is
 * shown and the person has a context (a focus group's topic), it is that
 * context and what others than the participants say (a moderator's
 * question), not the participants' remarks.
 */
static void stimulus_text(const struct act_input *in, const char *self,
                          const struct stimulus *asked, struct buf *out)
{
    if (asked) { /* an interview: what I am shown, and what I am asked now */
        for (size_t i = 0; i < in->n_stimuli; i++)
            if (in->stimuli[i].type == STIMULUS_VISUAL)
                buf_addf(out, "%s\n", in->stimuli[i].content);
        buf_adds(out, asked->content ? asked->content : "");
        return;
    }
    bool only_peers = true; /* nothing new, or only the others talking */
    for (size_t i = 0; i < in->n_stimuli && only_peers; i++)
        only_peers =
            in->stimuli[i].type == STIMULUS_CONVERSATION && is_peer(in, in->stimuli[i].source);
    if (only_peers && (in->state.context.n || in->state.attention)) {
        for (size_t i = 0; i < in->state.context.n; i++)
            buf_addf(out, "%s%s", out->len ? "\n" : "", in->state.context.items[i]);
        if (out->len == 0)
            buf_adds(out, in->state.attention);
        return;
    }
    bool shown = false;
    for (size_t i = 0; i < in->n_stimuli; i++)
        shown = shown || in->stimuli[i].type == STIMULUS_VISUAL;
    if (!shown && in->state.context.n) {
        for (size_t i = 0; i < in->state.context.n; i++)
            buf_addf(out, "%s%s", out->len ? "\n" : "", in->state.context.items[i]);
        for (size_t i = 0; i < in->n_stimuli; i++) {
            const struct stimulus *s = &in->stimuli[i];
            if (s->type == STIMULUS_CONVERSATION && !is_peer(in, s->source) &&
                !(s->source && self && strcmp(s->source, self) == 0))
                buf_addf(out, "\n%s", s->content);
        }
        return;
    }
    for (int pass = 0; pass < 2 && out->len == 0; pass++) {
        for (size_t i = 0; i < in->n_stimuli; i++) {
            const struct stimulus *s = &in->stimuli[i];
            bool primary = s->type == STIMULUS_VISUAL || s->type == STIMULUS_CONVERSATION;
            if (pass == 0 && !primary)
                continue;
            if (s->source && self && strcmp(s->source, self) == 0)
                continue;
            if (out->len)
                buf_addch(out, '\n');
            buf_adds(out, s->content);
        }
    }
}

/*
 * Reads the turn. asked is the interviewer's question in an interview
 * (converse_question), NULL otherwise.
 */
static void turn_init(struct turn *tn, const struct offline_model *m, const struct act_input *in,
                      const struct stimulus *asked)
{
    memset(tn, 0, sizeof(*tn));
    tn->m = m;
    tn->in = in;
    tn->p = in->persona;
    static char someone[] = "someone", english[] = "en";
    static struct persona nobody = { .name = someone, .language = english };
    if (!tn->p)
        tn->p = &nobody;
    persona_read(m, tn->p, &tn->pr);
    tn->lang = tn->pr.lang;

    struct buf text;
    buf_init(&text, 1 << 20);
    stimulus_text(in, tn->p->name, asked, &text);
    stimulus_read(m, text.data, &tn->sr);
    buf_release(&text);
    if (asked) {
        /* what the question is about is the product; a bare question names none */
        bool shown = false;
        for (size_t i = 0; i < in->n_stimuli; i++)
            shown = shown || in->stimuli[i].type == STIMULUS_VISUAL;
        char subject[sizeof(tn->sr.product)];
        if (converse_subject(asked->content, subject, sizeof(subject)))
            snprintf(tn->sr.product, sizeof(tn->sr.product), "%s", subject);
        else if (!shown)
            tn->sr.product[0] = '\0';
    }

    /*
     * Fit: every topic the stimulus is clearly about (two keyword hits or
     * more) counts fully, a topic touched once counts half; a single stray
     * word cannot decide, and a product about several things a person
     * cares for fits them better. Squashed into -1..1.
     */
    size_t n = m->data->n_topics;
    double best = 0.05, worst = -0.05;
    tn->best_topic = tn->worst_topic = -1;
    double relevance = 0; /* how much of it touches what the person cares for */
    for (size_t t = 0; t < n; t++) {
        double hits = tn->sr.topics[t] * tn->sr.topic_hits;
        double weight = hits >= 2 ? 1.0 : hits * 0.5;
        double c = weight * tn->pr.affinity[t];
        tn->fit += c;
        if (tn->pr.affinity[t] > 0)
            relevance += weight * tn->pr.affinity[t];
        if (c > best) {
            best = c;
            tn->best_topic = (int)t;
        }
        if (c < worst) {
            worst = c;
            tn->worst_topic = (int)t;
        }
    }
    tn->fit = tanh(tn->fit);
    if (tn->sr.has_price)
        tn->price_pen =
            tn->pr.price_sensitivity * price_factor(tn->sr.monthly_usd, expected_spend(m, &tn->sr));
    if (tn->sr.hype > 0)
        tn->hype_pen = tn->pr.scepticism * 0.25 * (tn->sr.hype > 3 ? 3 : tn->sr.hype);
    double novelty = tn->sr.novelty ? (tn->pr.big5[BIG5_OPENNESS] - 0.5) * 0.4 : 0;
    /* something clearly about things I do not care for is "not for me" */
    double irrelevant = tn->sr.topic_hits >= 2 && relevance < 0.1 && tn->fit > -0.05 ? 0.3 : 0;
    tn->appeal = 1.2 * tn->fit - 0.8 * tn->price_pen - tn->hype_pen + novelty + 0.2 * tn->sr.tone -
                 irrelevant + tn->pr.leniency;
    /* as a phrase's {occupation} wants it: "a teacher", "an electrician", "enfermeira" */
    struct buf job;
    buf_init(&job, sizeof(tn->occupation) - 1);
    offline_occupation_phrase(tn->p->occupation_title ? tn->p->occupation_title : "", tn->lang,
                              &job);
    snprintf(tn->occupation, sizeof(tn->occupation), "%s", job.data);
    buf_release(&job);
}

static void turn_release(struct turn *tn)
{
    persona_reading_release(&tn->pr);
    stimulus_reading_release(&tn->sr);
}

/* A question's own generator: the same question always draws the same noise. */
static void question_prng(const struct prng *base, const char *id, struct prng *out)
{
    *out = *base;
    prng_seed(out, prng_mix(prng_next(out), id));
}

/* ---- composing ---------------------------------------------------------------------- */

static const char *bucket(double u)
{
    if (u >= 0.6)
        return "react.love";
    if (u >= 0.2)
        return "react.like";
    if (u > -0.2)
        return "react.neutral";
    if (u > -0.6)
        return "react.dislike";
    return "react.hate";
}

static void vars_for(const struct turn *tn, struct phrase_vars *v)
{
    memset(v, 0, sizeof(*v));
    v->product = tn->sr.product;
    v->price = tn->sr.has_price ? tn->sr.price_text : NULL;
    v->occupation = tn->occupation[0] ? tn->occupation : NULL;
    v->name = tn->p->name;
    if (tn->best_topic >= 0) {
        v->topic = topic_label(tn->m, (size_t)tn->best_topic, tn->lang);
        v->interest = persona_words_for(tn->m, tn->p, (size_t)tn->best_topic, +1);
    }
    if (tn->worst_topic >= 0) {
        v->dislike = persona_words_for(tn->m, tn->p, (size_t)tn->worst_topic, -1);
        if (!v->topic)
            v->topic = topic_label(tn->m, (size_t)tn->worst_topic, tn->lang);
    }
    if (!v->interest && tn->p->interests.n)
        v->interest = tn->p->interests.items[0];
}

/* The person's reaction in a few sentences, for an appeal score u. */
static void react(const struct turn *tn, double u, struct prng *r, struct buf *out)
{
    struct phrase_vars v;
    vars_for(tn, &v);
    const struct offline_model *m = tn->m;
    int lang = tn->lang;
    compose(m, bucket(u), lang, &v, r, out);
    if (tn->best_topic >= 0 && v.interest)
        compose(m, "topic.match", lang, &v, r, out);
    else if (tn->worst_topic >= 0 && v.dislike)
        compose(m, "topic.dislike", lang, &v, r, out);
    else if (v.occupation && prng_unit(r) < 0.5)
        compose(m, "topic.occupation", lang, &v, r, out);
    if (tn->sr.has_price) {
        const char *key = tn->price_pen < 0.2    ? "price.cheap"
                          : tn->price_pen < 0.55 ? "price.fair"
                                                 : "price.expensive";
        compose(m, key, lang, &v, r, out);
    } else if (tn->pr.price_sensitivity > 0.75 && prng_unit(r) < 0.5) {
        compose(m, "price.unknown", lang, &v, r, out);
    }
    if (tn->sr.hype > 0 && tn->pr.scepticism > 0.55)
        compose(m, "hype.sceptic", lang, &v, r, out);
    else if (tn->sr.hype > 0 && tn->pr.scepticism < 0.35)
        compose(m, "hype.trusting", lang, &v, r, out);
    if (tn->sr.novelty && prng_unit(r) < 0.6)
        compose(m, tn->pr.big5[BIG5_OPENNESS] >= 0.5 ? "novelty.open" : "novelty.closed", lang, &v,
                r, out);
    if (u < 0.3) {
        const char *key = "suggest.trial";
        if (tn->price_pen >= 0.45)
            key = "suggest.cheaper";
        else if (tn->hype_pen >= 0.15)
            key = "suggest.proof";
        else if (tn->fit < -0.05)
            key = "suggest.relevance";
        else if (tn->sr.jargon > 1 || tn->sr.chars > 600)
            key = "suggest.clarity";
        compose(m, key, lang, &v, r, out);
    }
    if (out->len > TEXT_LIMIT)
        buf_truncate(out, TEXT_LIMIT);
}

/* ---- answers to questions --------------------------------------------------------------- */

static bool mentions(const char *text, const char *const *words, size_t n)
{
    struct words ws;
    words_init(&ws, text);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = words_contain(&ws, words[i]);
    words_release(&ws);
    return found;
}

static bool about_price(const char *text)
{
    static const char *const w[] = { "price", "cost*", "expensive", "cheap",  "afford*", "pay",
                                     "preço", "custo", "caro",      "barato", "pagar",   "valor" };
    return mentions(text, w, ARRAY_SIZE(w));
}

/* The appeal of a text for this person: topic fit of the text and its tone. */
static double text_appeal(const struct turn *tn, const char *text)
{
    struct stimulus_reading sr;
    stimulus_read(tn->m, text, &sr);
    double fit = 0;
    for (size_t t = 0; t < tn->m->data->n_topics; t++)
        fit += sr.topics[t] * tn->pr.affinity[t];
    double tone = sr.tone;
    stimulus_reading_release(&sr);
    return fit + 0.5 * tone;
}

static json_t *answer_rating(const struct turn *tn, const struct question *q, double u)
{
    double mid = (q->scale_min + q->scale_max) / 2.0;
    double half = (q->scale_max - q->scale_min) / 2.0;
    double x = mid + half * clampd(u, -1.3, 1.3);
    long v = lround(x);
    if (v < q->scale_min)
        v = q->scale_min;
    if (v > q->scale_max)
        v = q->scale_max;
    (void)tn;
    return json_integer(v);
}

static const char *anchor_set_for(const char *prompt)
{
    static const char *const buy[] = { "buy",     "purchase",  "subscribe", "order",
                                       "try",     "use",       "comprar",   "compraria",
                                       "assinar", "assinaria", "usar",      "experimentar" };
    static const char *const trust[] = { "trust*", "believ*", "credib*", "confi*", "acredit*" };
    static const char *const clear[] = { "clear*", "understand*", "confus*",
                                         "clar*",  "entend*",     "compreend*" };
    static const char *const value[] = { "worth", "value", "vale", "valeria", "custo-benefício" };
    if (mentions(prompt, buy, ARRAY_SIZE(buy)))
        return "purchase_intent";
    if (mentions(prompt, trust, ARRAY_SIZE(trust)))
        return "trust";
    if (mentions(prompt, clear, ARRAY_SIZE(clear)))
        return "clarity";
    if (mentions(prompt, value, ARRAY_SIZE(value)))
        return "value";
    return "appeal";
}

/* An ssr rating: the anchor statement of the point the score falls on (on 1..5). */
static json_t *answer_rating_words(const struct turn *tn, const struct question *q, double u)
{
    long point = lround(3 + 2 * clampd(u, -1.3, 1.3));
    point = point < 1 ? 1 : point > 5 ? 5 : point;
    const struct offline_anchor_set *a =
        offline_anchors_find(tn->m->data, anchor_set_for(q->prompt));
    if (!a)
        a = offline_anchors_find(tn->m->data, "appeal");
    const char *s = a ? a->statements[tn->lang][point - 1] : NULL;
    return jsonio_string(s ? s : "", s ? strlen(s) : 0);
}

static json_t *answer_yes_no(double u, struct prng *r)
{
    double p_yes = 1.0 / (1.0 + exp(-3.0 * (u - 0.15)));
    return json_string(prng_unit(r) < p_yes ? "yes" : "no");
}

/* A price question: where the price sits for this person, low .. high along the options. */
static json_t *answer_price_choice(const struct turn *tn, const struct question *q, struct prng *r)
{
    size_t n = q->options.n;
    double v = tn->sr.has_price ? tn->price_pen + 0.2 * prng_normal(r) : 0.45;
    double pos = clampd((v + 0.1) / 1.0, 0, 0.999); /* 0 .. 1 along the options */
    size_t i = (size_t)(pos * (double)n);
    if (i >= n)
        i = n - 1;
    const char *o = q->options.items[i];
    return jsonio_string(o, strlen(o));
}

static json_t *answer_choice(const struct turn *tn, const struct question *q, double u,
                             struct prng *r)
{
    if (about_price(q->prompt) && q->options.n >= 2)
        return answer_price_choice(tn, q, r);
    size_t best = 0;
    double best_score = -1e9;
    for (size_t i = 0; i < q->options.n; i++) {
        double s = text_appeal(tn, q->options.items[i]) * (1.0 + 0.5 * u) + 0.35 * prng_normal(r);
        if (s > best_score) {
            best_score = s;
            best = i;
        }
    }
    const char *o = q->options.items[best];
    return jsonio_string(o, strlen(o));
}

struct ranked {
    size_t index;
    double score;
};

static int by_score_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    return x->score < y->score   ? 1
           : x->score > y->score ? -1
                                 : (x->index > y->index) - (x->index < y->index);
}

static json_t *answer_ranking(const struct turn *tn, const struct question *q, struct prng *r)
{
    size_t n = q->options.n;
    struct ranked *rk = xcalloc(n ? n : 1, sizeof(*rk));
    for (size_t i = 0; i < n; i++) {
        rk[i].index = i;
        rk[i].score = text_appeal(tn, q->options.items[i]) + 0.4 * prng_normal(r);
    }
    qsort(rk, n, sizeof(*rk), by_score_desc);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *o = q->options.items[rk[i].index];
        json_array_append_new(a, jsonio_string(o, strlen(o)));
    }
    free(rk);
    return a;
}

static json_t *answer_text(const struct turn *tn, double u, struct prng *r)
{
    struct buf b;
    buf_init(&b, 4 * TEXT_LIMIT);
    react(tn, u, r, &b);
    if (b.len == 0)
        buf_adds(&b, tn->lang == OFFLINE_LANG_PT ? "Não tenho opinião formada."
                                                 : "I have no strong view.");
    json_t *s = jsonio_string(b.data, b.len);
    buf_release(&b);
    return s;
}

static json_t *answers_json(const struct turn *tn, const struct prng *base)
{
    json_t *answers = json_object();
    for (size_t i = 0; i < tn->in->n_questions; i++) {
        const struct question *q = &tn->in->questions[i];
        struct prng r;
        question_prng(base, q->id, &r);
        double u = tn->appeal + NOISE_SD * prng_normal(&r);
        json_t *v = NULL;
        switch (q->kind) {
        case QUESTION_RATING:
            v = tn->in->ssr ? answer_rating_words(tn, q, u) : answer_rating(tn, q, u);
            break;
        case QUESTION_CHOICE:
            v = answer_choice(tn, q, u, &r);
            break;
        case QUESTION_YES_NO:
            v = answer_yes_no(u, &r);
            break;
        case QUESTION_RANKING:
            v = answer_ranking(tn, q, &r);
            break;
        case QUESTION_TEXT:
        case QUESTION_COUNT_:
            v = answer_text(tn, u, &r);
            break;
        }
        jsonio_set_new(answers, q->id, v);
    }
    return answers;
}

/* ---- journeys -------------------------------------------------------------------------------- */

enum friction_kind {
    FRICTION_LENGTH,
    FRICTION_JARGON,
    FRICTION_REQUIRED,
    FRICTION_PRICE,
    FRICTION_TRUST
};

static json_t *journey_json(const struct turn *tn, struct prng *r, bool *goes_on, double *margin)
{
    const struct stimulus_reading *sr = &tn->sr;
    double parts[5] = {
        [FRICTION_LENGTH] = 0.3 * clampd((double)sr->chars / 400.0, 0, 1.5),
        [FRICTION_JARGON] = 0.15 * (sr->jargon > 4 ? 4 : sr->jargon),
        [FRICTION_REQUIRED] = 0.12 * (sr->required > 4 ? 4 : sr->required),
        [FRICTION_PRICE] = sr->has_price ? 0.5 * tn->price_pen : 0,
        [FRICTION_TRUST] = tn->hype_pen,
    };
    double friction = 0;
    int worst = FRICTION_LENGTH;
    for (int i = 0; i < 5; i++) {
        friction += parts[i];
        if (parts[i] > parts[worst])
            worst = i;
    }
    double c = tn->pr.big5[BIG5_CONSCIENTIOUSNESS], n = tn->pr.big5[BIG5_NEUROTICISM];
    double tolerance = 0.55 + 0.6 * tn->pr.tech_comfort + 0.2 * c - 0.15 * n + 0.2 * tn->appeal +
                       0.15 * prng_normal(r);
    *goes_on = friction < tolerance;
    *margin = tolerance - friction;

    static const char *const reason_keys[] = { "journey.reason.length", "journey.reason.jargon",
                                               "journey.reason.required", "journey.reason.price",
                                               "journey.reason.trust" };
    struct phrase_vars v;
    vars_for(tn, &v);
    v.step = tn->in->journey_step;
    struct buf reason, text;
    buf_init(&reason, TEXT_LIMIT);
    buf_init(&text, TEXT_LIMIT * 2);
    if (*goes_on) {
        compose(tn->m, friction > tolerance * 0.7 ? "journey.friction" : "journey.continue",
                tn->lang, &v, r, &text);
    } else {
        compose(tn->m, reason_keys[worst], tn->lang, &v, r, &reason);
        v.value = reason.data;
        compose(tn->m, "journey.abandon", tn->lang, &v, r, &text);
    }
    if (text.len == 0)
        buf_adds(&text, *goes_on ? "ok" : "no");
    json_t *j = json_object();
    jsonio_set_new(j, "continue", json_boolean(*goes_on));
    jsonio_set_new(j, "reason", jsonio_string(text.data, text.len));
    buf_release(&reason);
    buf_release(&text);
    return j;
}

/* ---- focus groups ------------------------------------------------------------------------------
 */

/* The latest thing another participant said (not the moderator, not me), or NULL. */
static const struct stimulus *last_other_speaker(const struct turn *tn)
{
    const struct stimulus *found = NULL;
    for (size_t i = 0; i < tn->in->n_stimuli; i++) {
        const struct stimulus *s = &tn->in->stimuli[i];
        if (s->type != STIMULUS_CONVERSATION || !s->source)
            continue;
        if (strcasecmp(s->source, "moderator") == 0 || strcasecmp(s->source, "moderador") == 0)
            continue;
        if (tn->p->name && strcmp(s->source, tn->p->name) == 0)
            continue;
        found = s;
    }
    return found;
}

/* A reply that refers to the latest other speaker when there is one. */
static void group_reply(const struct turn *tn, double u, struct prng *r, struct buf *out)
{
    const struct stimulus *other = last_other_speaker(tn);
    struct phrase_vars v;
    vars_for(tn, &v);
    if (other) {
        v.speaker = other->source;
        double theirs = text_appeal(tn, other->content);
        const char *key = (theirs >= 0) == (u >= 0)
                              ? (prng_unit(r) < 0.5 ? "focus.agree" : "focus.build")
                              : "focus.disagree";
        compose(tn->m, key, tn->lang, &v, r, out);
    } else if (prng_unit(r) < 0.5) {
        compose(tn->m, "focus.open", tn->lang, &v, r, out);
    }
    react(tn, u, r, out);
}

/* ---- the turn
 * ------------------------------------------------------------------------------------ */

static const char *emotion(double u, int lang)
{
    static const char *const en[] = { "annoyed", "sceptical", "indifferent", "interested",
                                      "excited" };
    static const char *const pt[] = { "irritado", "desconfiado", "indiferente", "interessado",
                                      "animado" };
    int i = u < -0.6 ? 0 : u < -0.2 ? 1 : u < 0.2 ? 2 : u < 0.6 ? 3 : 4;
    return lang == OFFLINE_LANG_PT ? pt[i] : en[i];
}

static json_t *action(const char *type, const char *content, size_t len, const char *target)
{
    json_t *a = json_object();
    jsonio_set_str(a, "type", type);
    if (content)
        jsonio_set_new(a, "content", jsonio_string(content, len));
    if (target)
        jsonio_set_str(a, "target", target);
    return a;
}

/* Who a TALK is for: the one who spoke to me last, or NULL. */
static const char *addressee(const struct act_input *in, const char *self)
{
    const char *who = NULL;
    for (size_t i = 0; i < in->n_stimuli; i++) {
        const struct stimulus *s = &in->stimuli[i];
        if (s->type == STIMULUS_CONVERSATION && s->source &&
            (!self || strcmp(s->source, self) != 0))
            who = s->source;
    }
    return who;
}

static json_t *state_json(const struct turn *tn, double u)
{
    json_t *st = json_object();
    json_t *goals = json_array();
    if (tn->p->long_term_goals.n) {
        const char *g = tn->p->long_term_goals.items[0];
        json_array_append_new(goals, jsonio_string(g, strlen(g)));
    }
    jsonio_set_new(st, "goals", goals);
    json_t *ctx = json_array();
    if (tn->sr.product[0]) {
        char line[160];
        if (tn->sr.has_price)
            snprintf(line, sizeof(line), "%s (%s)", tn->sr.product, tn->sr.price_text);
        else
            snprintf(line, sizeof(line), "%s", tn->sr.product);
        json_array_append_new(ctx, jsonio_string(line, strlen(line)));
    }
    jsonio_set_new(st, "context", ctx);
    jsonio_set_str(st, "attention", tn->sr.product[0] ? tn->sr.product : "");
    jsonio_set_str(st, "emotions", emotion(u, tn->lang));
    return st;
}

/* ---- interviews --------------------------------------------------------------------------- */

struct interview {
    struct turn *tn;
    double u;
};

/*
 * Which reaction an earlier reply of mine was (react()'s first sentence):
 * the appeal at the middle of its bucket, or NAN when none of the react.*
 * phrases is in it. A phrase is recognised by its longest stretch without
 * a placeholder.
 */
static double earlier_appeal(const struct turn *tn, const char *earlier)
{
    static const struct {
        const char *key;
        double u;
    } buckets[] = {
        { "react.love", 0.8 },     { "react.like", 0.4 },  { "react.neutral", 0.0 },
        { "react.dislike", -0.4 }, { "react.hate", -0.8 },
    };
    for (size_t b = 0; b < ARRAY_SIZE(buckets); b++) {
        const struct strlist *alts = offline_phrases_find(tn->m->data, buckets[b].key, tn->lang);
        for (size_t i = 0; alts && i < alts->n; i++) {
            const char *best = NULL;
            size_t best_len = 0;
            for (const char *p = alts->items[i]; *p;) {
                size_t len = strcspn(p, "{");
                if (len > best_len) {
                    best = p;
                    best_len = len;
                }
                p += len;
                p += *p ? strcspn(p, "}") : 0;
                p += *p ? 1 : 0;
            }
            /* the stretch as a whole phrase: trimmed, at least a few words long */
            struct span t = span_trim(span_make(best ? best : "", best_len));
            char chunk[256];
            snprintf(chunk, sizeof(chunk), "%.*s", (int)t.len, t.ptr);
            if (t.len >= 12 && t.len < sizeof(chunk) && strstr(earlier, chunk))
                return buckets[b].u;
        }
    }
    return NAN;
}

/*
 * An interview's opinion part (converse_opinion_fn): react() to what was
 * asked, or to the subject of the earlier message it refers to; when I
 * gave my opinion of it before, the same one again (in other words).
 */
static void interview_opinion(void *ctx, const char *subject, const char *earlier, struct prng *r,
                              struct buf *out)
{
    struct interview *iv = ctx;
    double u = iv->u;
    if (subject)
        snprintf(iv->tn->sr.product, sizeof(iv->tn->sr.product), "%s", subject);
    if (earlier) {
        double then = earlier_appeal(iv->tn, earlier);
        if (!isnan(then))
            u = then;
    }
    react(iv->tn, u, r, out);
}

/* ---- the turn, continued ------------------------------------------------------------------ */

json_t *offline_act(const struct offline_model *m, const struct act_input *in, struct prng *r)
{
    const struct stimulus *asked = converse_question(in, in->persona ? in->persona->name : NULL);
    struct turn tn;
    turn_init(&tn, m, in, asked);
    struct prng talk_r;
    question_prng(r, "talk", &talk_r);
    double u = tn.appeal + NOISE_SD * prng_normal(&talk_r);

    struct buf thought, talk;
    buf_init(&thought, TEXT_LIMIT * 2);
    buf_init(&talk, TEXT_LIMIT * 4);
    struct phrase_vars v;
    vars_for(&tn, &v);
    if (asked && converse_is_personal(m, asked->content))
        compose(m, "converse.think", tn.lang, &v, &talk_r, &thought);
    else
        compose(m, "think.opening", tn.lang, &v, &talk_r, &thought);
    if (tn.sr.has_price)
        compose(m,
                tn.price_pen < 0.2    ? "price.cheap"
                : tn.price_pen < 0.55 ? "price.fair"
                                      : "price.expensive",
                tn.lang, &v, &talk_r, &thought);
    if (thought.len == 0)
        buf_adds(&thought, tn.sr.product[0] ? tn.sr.product : "...");

    json_t *actions = json_array();
    json_array_append_new(actions, action("THINK", thought.data, thought.len, NULL));
    const char *to = addressee(in, tn.p->name);
    if (asked) {
        struct interview iv = { .tn = &tn, .u = u };
        converse_reply(m, in, asked, &tn.pr, tn.occupation, TEXT_LIMIT, &talk_r, interview_opinion,
                       &iv, &talk);
        json_array_append_new(actions, action("TALK", talk.data, talk.len, to));
    } else if (to || in->n_questions || in->journey_step == 0) {
        if (last_other_speaker(&tn) || (to && in->n_questions == 0))
            group_reply(&tn, u, &talk_r, &talk);
        else
            react(&tn, u, &talk_r, &talk);
        if (talk.len)
            json_array_append_new(actions, action("TALK", talk.data, talk.len, to));
    }
    json_array_append_new(actions, action("DONE", NULL, 0, NULL));

    json_t *out = json_object();
    jsonio_set_new(out, "actions", actions);
    jsonio_set_new(out, "cognitive_state", state_json(&tn, u));
    if (in->journey_step > 0) {
        struct prng jr;
        question_prng(r, "journey", &jr);
        bool goes_on;
        double margin;
        jsonio_set_new(out, "journey", journey_json(&tn, &jr, &goes_on, &margin));
        /*
         * A step's answers say how the step went: one that was a struggle
         * (or made the person give up) is rated lower than an easy one.
         */
        tn.appeal = clampd(tn.appeal + JOURNEY_WEIGHT * margin, -1.5, 1.5);
        if (!goes_on && tn.appeal > 0)
            tn.appeal = -0.3;
    }
    if (in->n_questions)
        jsonio_set_new(out, "answers", answers_json(&tn, r));
    buf_release(&thought);
    buf_release(&talk);
    turn_release(&tn);
    return out;
}
