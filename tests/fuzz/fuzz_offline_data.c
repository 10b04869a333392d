/*
 * tests/fuzz/fuzz_offline_data.c - fuzzes the parser of the offline model's
 * tables (engine/offline/data.h, STYLE.md Z1) and the keyword matcher.
 *
 * The first byte chooses what the rest of the input is:
 *   byte % 10 < 9: the text of one data file, kind byte % 10 in load order
 *     (topics, words, traits, phrases, anchors, countries, names, occupations,
 *     interests); with (byte / 10) % 4 == 1 the embedded files it refers to
 *     are parsed first (topics.tsv for occupations and interests,
 *     countries.tsv for names); with (byte / 10) % 8 == 7 the embedded copies
 *     of all the other files are parsed around it and the tables are finished
 *     and looked up (slow, so an eighth of the inputs); otherwise it is alone;
 *   byte % 10 == 9: a stimulus text, split into words (engine/words.h) and
 *     searched for every keyword of the embedded tables.
 * Checks the contract: only ERR_OK or ERR_INVALID, a message that starts
 * with the file's name, every match inside the text.
 * Corpus: tests/fuzz/corpus/offline_data/.
 */
#include "core/compat.h"

#include "core/embed.h"
#include "engine/offline/data.h"
#include "engine/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAMES[] = {
    "data/offline/topics.tsv",         "data/offline/words.tsv",
    "data/offline/traits.tsv",         "data/offline/phrases.tsv",
    "data/offline/anchors.tsv",        "data/demographics/countries.tsv",
    "data/demographics/names.tsv",     "data/demographics/occupations.tsv",
    "data/demographics/interests.tsv",
};
#define N_FILES 9

/* Reads every lookup of a finished data set, so ASan sees each string. */
static void read_all(const struct offline_data *d)
{
    size_t sum = 0;
    for (size_t k = 0; k < N_OFFLINE_PHRASE_KEYS; k++) {
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            const struct strlist *p = offline_phrases_find(d, OFFLINE_PHRASE_KEYS[k], lang);
            if (!p || p->n == 0)
                abort(); /* finish guarantees every key in both languages */
            for (size_t i = 0; i < p->n; i++)
                sum += strlen(p->items[i]);
        }
    }
    for (size_t i = 0; i < d->n_topics; i++)
        sum += strlen(offline_topic_label(&d->topics[i], OFFLINE_LANG_PT));
    for (size_t i = 0; i < d->n_countries; i++)
        if (!offline_names_find(d, d->countries[i].name))
            abort();
    for (size_t i = 0; i < d->n_anchors; i++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            for (int pt = 0; pt < 5; pt++)
                sum += strlen(d->anchors[i].statements[lang][pt]);
    if (sum == 0)
        abort();
}

enum rest { REST_NONE, REST_DEPS, REST_ALL };

/* True when file k is one that kind refers to (and must come before it). */
static bool is_dependency(unsigned k, unsigned kind)
{
    if (kind == 7 || kind == 8) /* occupations, interests -> topics */
        return k == 0;
    if (kind == 6) /* names -> countries */
        return k == 5;
    return false;
}

static void parse_file(unsigned kind, enum rest rest, const char *text, size_t len)
{
    struct offline_data *d = offline_data_new();
    struct err err = ERR_INIT;
    enum err_code rc = ERR_OK;
    const char *failed = NULL;
    for (unsigned k = 0; k < N_FILES && !rc; k++) {
        if (k == kind) {
            rc = offline_data_parse(d, NAMES[k], text, len, &err);
            failed = NAMES[k];
        } else if (rest == REST_ALL || (rest == REST_DEPS && is_dependency(k, kind))) {
            const struct embedded_file *ef = embed_find(NAMES[k]);
            if (!ef)
                abort();
            rc = offline_data_parse(d, ef->path, ef->data, ef->len, &err);
            failed = NAMES[k];
        }
    }
    if (!rc && rest == REST_ALL) {
        rc = offline_data_finish(d, &err);
        failed = NULL;
        if (!rc)
            read_all(d);
    }
    if (rc != ERR_OK && rc != ERR_INVALID)
        abort();
    /* a parse error names its file first; a finish error names one of them */
    if (rc && failed && strncmp(err.msg, failed, strlen(failed)) != 0)
        abort();
    if (rc && !failed && strncmp(err.msg, "data/", 5) != 0)
        abort();
    offline_data_free(d);
}

static void match_keywords(const char *text, size_t len)
{
    static struct offline_data *d; /* loaded once; lives until exit */
    if (!d) {
        struct err err = ERR_INIT;
        if (offline_data_load(NULL, &d, &err) != ERR_OK)
            abort();
    }
    char *t = malloc(len + 1);
    if (!t)
        return;
    memcpy(t, text, len);
    t[len] = '\0';
    struct words ws;
    words_init(&ws, t);
    size_t tlen = strlen(ws.lower); /* the input may hold NULs: the text ends at the first */
    for (size_t i = 0; i < ws.n; i++)
        if (ws.w[i].len == 0 || ws.w[i].ptr < ws.lower ||
            ws.w[i].ptr + ws.w[i].len > ws.lower + tlen)
            abort();
    for (size_t i = 0; i < d->n_topics; i++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            for (size_t w = 0; w < ws.n; w++)
                for (size_t j = 0; j < d->topics[i].keywords[lang].n; j++)
                    if (words_match_at(&ws, w, d->topics[i].keywords[lang].items[j]) > ws.n - w)
                        abort();
    for (int k = 0; k < WORDS_COUNT_; k++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            (void)words_count_in(&ws, &d->words[k][lang]);
    words_release(&ws);
    free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned mode = data[0] % 10;
    unsigned r = (data[0] / 10) % 8;
    enum rest rest = r == 7 ? REST_ALL : r % 4 == 1 ? REST_DEPS : REST_NONE;
    const char *text = (const char *)data + 1;
    if (mode < N_FILES)
        parse_file(mode, rest, text, size - 1);
    else
        match_keywords(text, size - 1);
    return 0;
}
