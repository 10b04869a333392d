/*
 * engine/ssr.c - semantic similarity rating (see ssr.h for the method, the
 * formula and its source): similarities by embeddings or TF-IDF, the
 * probability over the five points, the mapping onto a scale, and the
 * choice of anchor set and language for a question.
 */
#include "core/compat.h"

#include "engine/ssr.h"

#include "engine/similarity.h"
#include "engine/words.h"

/* ---- from similarities to a rating --------------------------------------------------- */

void ssr_pmf(const double similarity[SSR_POINTS], double pmf[SSR_POINTS])
{
    double lowest = similarity[0];
    for (int k = 1; k < SSR_POINTS; k++)
        if (similarity[k] < lowest)
            lowest = similarity[k];
    double total = 0;
    for (int k = 0; k < SSR_POINTS; k++) {
        pmf[k] = similarity[k] - lowest + SSR_EPSILON;
        total += pmf[k];
    }
    for (int k = 0; k < SSR_POINTS; k++)
        pmf[k] /= total; /* total >= SSR_POINTS * SSR_EPSILON > 0 */
}

double ssr_scale(double expected, double min, double max)
{
    return min + (expected - 1.0) * (max - min) / (SSR_POINTS - 1);
}

/* Fills out's pmf, expected value, most probable point and rating from its similarities. */
static void summarise(struct ssr_result *out, double min, double max)
{
    ssr_pmf(out->similarity, out->pmf);
    out->expected = 0;
    out->point = 1;
    for (int k = 0; k < SSR_POINTS; k++) {
        out->expected += (k + 1) * out->pmf[k];
        if (out->pmf[k] > out->pmf[out->point - 1])
            out->point = k + 1;
    }
    out->rating = ssr_scale(out->expected, min, max);
}

/* ---- similarities ------------------------------------------------------------------- */

/* The cosine of the answer's embedding (texts[0]) to each anchor's (texts[1..5]). */
static enum err_code embedding_similarities(const struct ssr_query *q,
                                            const char *const texts[1 + SSR_POINTS],
                                            double out[SSR_POINTS], struct err *err)
{
    struct llm_embeddings e;
    enum err_code rc = llm_embed(q->gw, texts, 1 + SSR_POINTS, q->embed, &e, err);
    if (rc) {
        err_prefix(err, "semantic similarity rating");
        return rc;
    }
    for (int k = 0; k < SSR_POINTS; k++)
        out[k] = similarity_cosine(e.vectors, e.vectors + (size_t)(k + 1) * e.dim, e.dim);
    llm_embeddings_release(&e);
    return ERR_OK;
}

static bool has_words(const char *text)
{
    struct words ws;
    words_init(&ws, text);
    bool any = ws.n > 0;
    words_release(&ws);
    return any;
}

enum err_code ssr_rate(const struct ssr_query *q, struct ssr_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!q->answer || !has_words(q->answer))
        return err_set(err, ERR_INVALID, "answer", "answer: no words to rate");
    if (!q->anchors)
        return err_set(err, ERR_INVALID, "anchors", "anchors: no anchor set given");
    if (!(q->min < q->max))
        return err_set(err, ERR_INVALID, "scale", "scale: min %g is not below max %g", q->min,
                       q->max);
    int lang = offline_lang(q->language ? q->language : "en");
    const char *texts[1 + SSR_POINTS] = { q->answer };
    for (int k = 0; k < SSR_POINTS; k++)
        texts[k + 1] = q->anchors->statements[lang][k];

    if (llm_gateway_can_embed(q->gw)) {
        out->method = SSR_EMBEDDINGS;
        enum err_code rc = embedding_similarities(q, texts, out->similarity, err);
        if (rc)
            return rc;
    } else {
        out->method = SSR_TFIDF;
        similarity_tfidf(q->answer, texts + 1, SSR_POINTS, out->similarity);
    }
    summarise(out, q->min, q->max);
    return ERR_OK;
}

/* ---- choosing the anchor set and the language ------------------------------------------ */

struct set_cue {
    const char *set;
    const char *const *keywords; /* words.h keywords; NULL-terminated */
};

/* Exact forms where a prefix would catch other words ("compreender", "customer"). */
static const char *const purchase_words[] = {
    "buy*",   "bought",  "purchas*", "subscri*", "sign up",  "compra*",
    "compre", "comprem", "comprou",  "assina*",  "adquiri*", NULL,
};
static const char *const trust_words[] = {
    "trust*",  "distrust*", "believ*", "credib*",  "reliab*",   "honest*", "scam*",
    "confia*", "confie*",   "confio",  "acredit*", "desconfi*", "golpe*",  NULL,
};
static const char *const clarity_words[] = {
    "clear*", "clarity", "understand*", "understood", "confus*",   "comprehensib*",
    "claro",  "clara",   "clareza",     "entend*",    "compreen*", NULL,
};
static const char *const value_words[] = {
    "worth*", "value*", "pric*",  "money",  "expensive", "cheap*", "afford*",
    "cost",   "costs",  "costly", "vale",   "valor*",    "preço*", "custo",
    "custos", "custa*", "caro",   "barato", "dinheiro",  NULL,
};

/* In order: the first set with a matching word wins (ssr.h). */
static const struct set_cue set_cues[] = {
    { "purchase_intent", purchase_words },
    { "trust", trust_words },
    { "clarity", clarity_words },
    { "value", value_words },
};

/* Words that mark a question's language (common, and not words of the other one). */
static const char *const portuguese_words[] = {
    "você", "voce", "vocês",  "não",   "isso", "isto",  "este",     "esta",    "esse",    "essa",
    "qual", "quão", "quanto", "o que", "da",   "dos",   "das",      "que",     "é",       "seu",
    "sua",  "um",   "uma",    "para",  "com",  "seria", "gostaria", "produto", "serviço", NULL,
};
static const char *const english_words[] = {
    "you", "your", "would", "the",  "this",    "is",      "how", "what", "likely", "of",
    "to",  "and",  "it",    "does", "product", "service", "are", "will", NULL,
};

static int count_cues(const struct words *ws, const char *const *keywords)
{
    int n = 0;
    for (size_t k = 0; keywords[k]; k++)
        for (size_t i = 0; i < ws->n; i++)
            n += words_match_at(ws, i, keywords[k]) > 0;
    return n;
}

void ssr_choose(const char *question, const char *language, struct ssr_choice *out)
{
    struct words ws;
    words_init(&ws, question);
    out->set = "appeal";
    for (size_t s = 0; s < ARRAY_SIZE(set_cues); s++) {
        if (count_cues(&ws, set_cues[s].keywords) > 0) {
            out->set = set_cues[s].set;
            break;
        }
    }
    if (language && *language) {
        out->language = offline_lang_name(offline_lang(language));
    } else {
        int pt = count_cues(&ws, portuguese_words), en = count_cues(&ws, english_words);
        out->language = offline_lang_name(pt > en ? OFFLINE_LANG_PT : OFFLINE_LANG_EN);
    }
    words_release(&ws);
}
