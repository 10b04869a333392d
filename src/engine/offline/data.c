/*
 * engine/offline/data.c - reads and validates the offline model's tables
 * (data.h): one line parser per file kind behind offline_data_parse, a pure
 * function of (name, text, len) fed either by the embedded copies of data/
 * or by files read from a folder; the checks that need every file in
 * offline_data_finish; the lookups; and the keyword matcher the model
 * reads stimuli with.
 *
 * The tables live in a struct loader whose first member is the public
 * struct offline_data, so that the private bookkeeping (the line each
 * record started on, for messages; the file names; whether the phrases are
 * indexed) travels with them. Loading is single-threaded; the finished
 * tables are immutable and any thread may read them.
 */
#include "core/compat.h"

#include "engine/offline/data.h"

#include "core/embed.h"
#include "core/span.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "engine/words.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>

#define FILE_MAX    (8u << 20) /* bytes in one data file */
#define LIST_MAX    1000       /* items in one comma list */
#define MIN_NAMES   20         /* names of each kind per country */
#define SHARE_SLACK 0.01       /* income shares must sum to 1 within this */
#define QUOTE_MAX   60         /* bytes of an offending value quoted in a message */

/* ---- phrase keys and their placeholders ------------------------------------------------ */

enum placeholder {
    P_TOPIC = 1 << 0,
    P_INTEREST = 1 << 1,
    P_DISLIKE = 1 << 2,
    P_OCCUPATION = 1 << 3,
    P_PRICE = 1 << 4,
    P_PRODUCT = 1 << 5,
    P_NAME = 1 << 6,
    P_SPEAKER = 1 << 7,
    P_STEP = 1 << 8,
    P_VALUE = 1 << 9,
};

/* In the order of enum placeholder's bits. */
static const char *const PLACEHOLDERS[] = {
    "topic",   "interest", "dislike", "occupation", "price",
    "product", "name",     "speaker", "step",       "value",
};

/* Every key with the placeholders it may use; one list, so names and rules cannot drift. */
#define PHRASE_KEYS(X)                            \
    X("react.love", P_PRODUCT)                    \
    X("react.like", P_PRODUCT)                    \
    X("react.neutral", P_PRODUCT)                 \
    X("react.dislike", P_PRODUCT)                 \
    X("react.hate", P_PRODUCT)                    \
    X("topic.match", P_INTEREST | P_TOPIC)        \
    X("topic.dislike", P_DISLIKE | P_TOPIC)       \
    X("topic.occupation", P_OCCUPATION | P_TOPIC) \
    X("price.cheap", P_PRICE)                     \
    X("price.fair", P_PRICE)                      \
    X("price.expensive", P_PRICE)                 \
    X("price.unknown", 0)                         \
    X("hype.sceptic", 0)                          \
    X("hype.trusting", 0)                         \
    X("novelty.open", 0)                          \
    X("novelty.closed", 0)                        \
    X("suggest.cheaper", P_PRICE)                 \
    X("suggest.trial", 0)                         \
    X("suggest.clarity", 0)                       \
    X("suggest.proof", 0)                         \
    X("suggest.relevance", P_INTEREST)            \
    X("think.opening", P_PRODUCT)                 \
    X("talk.opening", P_PRODUCT)                  \
    X("journey.continue", P_STEP)                 \
    X("journey.friction", P_STEP)                 \
    X("journey.abandon", P_STEP | P_VALUE)        \
    X("journey.reason.jargon", 0)                 \
    X("journey.reason.length", 0)                 \
    X("journey.reason.required", 0)               \
    X("journey.reason.price", P_PRICE)            \
    X("journey.reason.trust", 0)                  \
    X("focus.open", P_TOPIC)                      \
    X("focus.agree", P_SPEAKER)                   \
    X("focus.disagree", P_SPEAKER)                \
    X("focus.build", P_SPEAKER)                   \
    X("chat.greeting", P_NAME | P_OCCUPATION)     \
    X("chat.reply", P_OCCUPATION | P_TOPIC)       \
    X("memory.saw", P_VALUE)                      \
    X("memory.said", P_VALUE)                     \
    X("memory.felt", P_VALUE)                     \
    X("memory.learned", P_VALUE)                  \
    X("validate.question", P_TOPIC)               \
    X("validate.followup", P_VALUE)               \
    X("validate.justify", P_VALUE)                \
    X("extract.none", 0)                          \
    X("insights.intro", P_VALUE)                  \
    X("insights.winner", P_VALUE)                 \
    X("insights.caution", P_VALUE)                \
    X("converse.think", 0)                        \
    X("converse.hello", 0)                        \
    X("converse.greeting", P_NAME)                \
    X("converse.bye", 0)                          \
    X("converse.who", P_NAME | P_OCCUPATION)      \
    X("converse.who.plain", P_NAME)               \
    X("converse.style", P_VALUE)                  \
    X("converse.age", P_VALUE)                    \
    X("converse.job", P_OCCUPATION)               \
    X("converse.job.org", P_VALUE)                \
    X("converse.job.about", P_VALUE)              \
    X("converse.home", P_VALUE)                   \
    X("converse.family", P_VALUE)                 \
    X("converse.free", P_VALUE)                   \
    X("converse.routine", P_VALUE)                \
    X("converse.likes", P_VALUE)                  \
    X("converse.dislikes", P_VALUE)               \
    X("converse.goals", P_VALUE)                  \
    X("converse.beliefs", P_VALUE)                \
    X("converse.health", P_VALUE)                 \
    X("converse.money.tight", 0)                  \
    X("converse.money.careful", 0)                \
    X("converse.money.easy", 0)                   \
    X("converse.like.yes", P_INTEREST)            \
    X("converse.like.no", P_DISLIKE)              \
    X("converse.like.meh", 0)                     \
    X("converse.none", P_TOPIC)                   \
    X("converse.recall.asked", P_VALUE)           \
    X("converse.recall.mentioned", P_VALUE)       \
    X("converse.recall.said", P_VALUE)            \
    X("converse.recall.unknown", 0)

#define KEY_NAME(key, allowed)    key,
#define KEY_ALLOWED(key, allowed) (allowed),
const char *const OFFLINE_PHRASE_KEYS[] = { PHRASE_KEYS(KEY_NAME) };
const size_t N_OFFLINE_PHRASE_KEYS = ARRAY_SIZE(OFFLINE_PHRASE_KEYS);
static const unsigned KEY_PLACEHOLDERS[] = { PHRASE_KEYS(KEY_ALLOWED) };
#undef KEY_NAME
#undef KEY_ALLOWED

/* The anchor sets the model asks for; others are allowed. */
static const char *const ANCHOR_SETS[] = { "purchase_intent", "appeal", "clarity", "trust",
                                           "value" };

/* ---- files and the loader ------------------------------------------------------------ */

/* The files, in the order they are read (each after the ones it refers to). */
enum file_kind {
    F_TOPICS,
    F_WORDS,
    F_TRAITS,
    F_PHRASES,
    F_ANCHORS,
    F_COUNTRIES,
    F_NAMES,
    F_OCCUPATIONS,
    F_INTERESTS,
    F_COUNT_,
};

static const char *const FILE_PATHS[F_COUNT_] = {
    "offline/topics.tsv",         "offline/words.tsv",
    "offline/traits.tsv",         "offline/phrases.tsv",
    "offline/anchors.tsv",        "demographics/countries.tsv",
    "demographics/names.tsv",     "demographics/occupations.tsv",
    "demographics/interests.tsv",
};

/* The tables that remember the line each record started on, for messages of finish. */
enum table { T_TOPICS, T_PHRASES, T_ANCHORS, T_COUNTRIES, T_NAMES, T_INTERESTS, T_COUNT_ };

struct loader {
    struct offline_data d; /* first: the public handle points here */
    int *lines[T_COUNT_];  /* owned; parallel to the table's array */
    char *names[F_COUNT_]; /* owned; the name each file was parsed as, NULL if not yet */
    bool indexed;          /* phrases sorted by (key, lang): lookups bisect */
};

static struct loader *loader_of(struct offline_data *d)
{
    return (struct loader *)d; /* d is the first member */
}

static const char *const LANG_NAMES[OFFLINE_N_LANGS] = { "en", "pt-BR" };

static const char *const WORD_KINDS[WORDS_COUNT_] = {
    "hype", "positive", "negative", "jargon", "required", "approve", "reject", "unsure",
};

static const char *const BIG5_NAMES[BIG5_COUNT_] = {
    "openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism",
};

/* Indexed by enum income_level; INCOME_UNSET has no name in the files. */
static const char *const INCOME_NAMES[] = { NULL,     "low",          "lower_middle",
                                            "middle", "upper_middle", "high" };

static const char *const EDUCATIONS[] = { "none",     "secondary", "vocational",
                                          "bachelor", "master",    "doctorate" };

int offline_lang(const char *language)
{
    if (language && strncasecmp(language, "pt", 2) == 0 &&
        (language[2] == '\0' || language[2] == '-' || language[2] == '_'))
        return OFFLINE_LANG_PT;
    return OFFLINE_LANG_EN;
}

const char *offline_lang_name(int lang)
{
    return lang == OFFLINE_LANG_PT ? LANG_NAMES[OFFLINE_LANG_PT] : LANG_NAMES[OFFLINE_LANG_EN];
}

/*
 * Grows array (of n elements of size bytes) so that element n exists and is
 * zeroed; the capacity is the smallest power of two above n, so it is not
 * stored. Returns the new array.
 */
static void *grow(void *array, size_t n, size_t size)
{
    if ((n & (n - 1)) == 0)
        array = xrealloc(array, st_mult(n ? 2 * n : 1, size));
    memset((char *)array + n * size, 0, size);
    return array;
}

/* Appends a record's line to the line table t, which has n entries. */
static void remember_line(struct loader *l, enum table t, size_t n, int line)
{
    l->lines[t] = grow(l->lines[t], n, sizeof(int));
    l->lines[t][n] = line;
}

/* ---- one line's context and its messages --------------------------------------------- */

struct ctx {
    struct loader *l;
    const char *name; /* the file, as messages show it */
    int line;
    struct err *err;
};

/* Sets err to ERR_INVALID "<name>:<line>: <message>" and returns ERR_INVALID. */
static enum err_code bad(const struct ctx *c, const char *fmt, ...) ATTR_PRINTF(2, 3);
static enum err_code bad(const struct ctx *c, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(c->err, ERR_INVALID, NULL, "%s:%d: %s", c->name, c->line, msg);
}

/* A value quoted in a message: at most QUOTE_MAX bytes, cut on a character boundary. */
#define QFMT(s) (int)utf8_cut((s).ptr, (s).len, QUOTE_MAX), (s).ptr

/* The file name messages use for kind: the one it was parsed as, or its default. */
static const char *file_name(const struct loader *l, enum file_kind kind, char *tmp, size_t n)
{
    if (l->names[kind])
        return l->names[kind];
    snprintf(tmp, n, "data/%s", FILE_PATHS[kind]);
    return tmp;
}

/* Sets err to "<file>:<line>: <message>" (or "<file>: ..." when line is 0) for finish. */
static enum err_code bad_file(const struct loader *l, enum file_kind kind, int line,
                              struct err *err, const char *fmt, ...) ATTR_PRINTF(5, 6);
static enum err_code bad_file(const struct loader *l, enum file_kind kind, int line,
                              struct err *err, const char *fmt, ...)
{
    char msg[256], tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *name = file_name(l, kind, tmp, sizeof(tmp));
    if (line > 0)
        return err_set(err, ERR_INVALID, NULL, "%s:%d: %s", name, line, msg);
    return err_set(err, ERR_INVALID, NULL, "%s: %s", name, msg);
}

/* ---- fields and lists ----------------------------------------------------------------- */

/*
 * Splits line at TABs into exactly n fields, trimmed and non-empty; what[i]
 * names field i in messages.
 */
static enum err_code split_fields(const struct ctx *c, struct span line, struct span *fields,
                                  size_t n, const char *const *what)
{
    size_t found = 1;
    for (size_t i = 0; i < line.len; i++)
        if (line.ptr[i] == '\t')
            found++;
    if (found != n) {
        char list[160] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used < sizeof(list); i++) {
            int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", what[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return bad(c, "expected %zu TAB-separated fields (%s), found %zu", n, list, found);
    }
    struct span rest = line;
    for (size_t i = 0; i < n; i++) {
        fields[i] = span_trim(span_cut(&rest, '\t'));
        if (fields[i].len == 0)
            return bad(c, "empty %s", what[i]);
    }
    return ERR_OK;
}

static int lang_parse(const struct ctx *c, struct span s, enum err_code *rc)
{
    for (int i = 0; i < OFFLINE_N_LANGS; i++)
        if (span_eq_cstr(s, LANG_NAMES[i]))
            return i;
    *rc = bad(c, "unknown language '%.*s' (expected en or pt-BR)", QFMT(s));
    return -1;
}

/* True when s is one or more of [a-z0-9_] and at most 40 bytes: a topic or set name. */
static bool is_ident(struct span s)
{
    if (s.len == 0 || s.len > 40)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return true;
}

/* Index of s in the n names (exact), or -1. */
static int name_index(struct span s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && span_eq_cstr(s, names[i]))
            return (int)i;
    return -1;
}

/* True when the first n items of l hold s (ASCII case ignored). */
static bool list_has(const struct strlist *l, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(l->items[i], s) == 0)
            return true;
    return false;
}

enum list_flags {
    LIST_LOWER = 1 << 0,   /* store the items lower-cased (offline_lower) */
    LIST_KEYWORD = 1 << 1, /* items are keywords: '*' only at the end, single spaces */
};

/* Checks that item (already lower-cased) is a well-formed keyword. */
/*
 * Can keyword match a text? Only when the tokenizer reads each of its
 * words (words.h: separated by spaces, hyphens, apostrophes) as exactly one
 * word ("r$" and "x / y" cannot).
 */
static bool matchable(const char *keyword)
{
    char *k = xstrdup(keyword);
    size_t n = strlen(k);
    if (n && k[n - 1] == '*')
        k[n - 1] = '\0';
    text_lower(k);
    struct words ws;
    words_init(&ws, k);
    bool ok = true;
    size_t parts = 0;
    for (const char *p = k + strspn(k, KEYWORD_SEPARATORS); *p;) {
        size_t len = strcspn(p, KEYWORD_SEPARATORS);
        ok = ok && parts < ws.n && ws.w[parts].len == len && memcmp(ws.w[parts].ptr, p, len) == 0;
        parts++;
        p += len;
        p += strspn(p, KEYWORD_SEPARATORS);
    }
    ok = ok && parts == ws.n;
    words_release(&ws);
    free(k);
    return ok;
}

static enum err_code keyword_check(const struct ctx *c, const char *item, const char *what)
{
    size_t n = strlen(item);
    struct span s = span_make(item, n);
    const char *star = strchr(item, '*');
    if (star && star != item + n - 1)
        return bad(c, "'*' only at the end of a %s: '%.*s'", what, QFMT(s));
    if (n == 1 && star)
        return bad(c, "a %s needs something before its '*'", what);
    if (strstr(item, "  "))
        return bad(c, "two spaces in a row in %s '%.*s'", what, QFMT(s));
    if (star && item[n - 2] == ' ')
        return bad(c, "a space before the '*' of %s '%.*s'", what, QFMT(s));
    if (!matchable(item))
        return bad(c, "%s '%.*s' can never match: text splits it into other words (words.h)", what,
                   QFMT(s));
    return ERR_OK;
}

/*
 * Reads the comma list field into out (which must be empty): items trimmed,
 * none empty, none repeated, at most LIST_MAX; what names an item in
 * messages ("keyword").
 */
static enum err_code list_parse(const struct ctx *c, struct span field, unsigned flags,
                                const char *what, struct strlist *out)
{
    struct span rest = field;
    bool more = true;
    while (more) {
        more = rest.len && memchr(rest.ptr, ',', rest.len);
        struct span item = span_trim(span_cut(&rest, ','));
        if (item.len == 0)
            return bad(c, "empty %s in the list (two commas, or one at an end)", what);
        if (out->n == LIST_MAX)
            return bad(c, "more than %d items in one list", LIST_MAX);
        char *s = xmemdupz(item.ptr, item.len);
        if (flags & LIST_LOWER)
            text_lower(s);
        enum err_code rc = ERR_OK;
        if (list_has(out, out->n, s))
            rc = bad(c, "duplicate %s '%.*s'", what, QFMT(item));
        else if (flags & LIST_KEYWORD)
            rc = keyword_check(c, s, what);
        if (rc == ERR_OK)
            strlist_add(out, s);
        free(s);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* ---- topics.tsv ----------------------------------------------------------------------- */

static struct offline_topic *topic_get(struct offline_data *d, struct span name)
{
    for (size_t i = 0; i < d->n_topics; i++)
        if (span_eq_cstr(name, d->topics[i].name))
            return &d->topics[i];
    return NULL;
}

static enum err_code parse_topic(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "topic", "lang", "keywords" };
    struct span f[3];
    enum err_code rc = split_fields(c, line, f, 3, what);
    if (rc)
        return rc;
    if (!is_ident(f[0]))
        return bad(c, "bad topic name '%.*s' (expected a-z, 0-9 and _)", QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    struct offline_data *d = &c->l->d;
    struct offline_topic *t = topic_get(d, f[0]);
    if (!t) {
        remember_line(c->l, T_TOPICS, d->n_topics, c->line);
        d->topics = grow(d->topics, d->n_topics, sizeof(*d->topics));
        t = &d->topics[d->n_topics++];
        t->name = xmemdupz(f[0].ptr, f[0].len);
    }
    if (t->keywords[lang].n)
        return bad(c, "duplicate topic '%s' for %s", t->name, LANG_NAMES[lang]);
    rc = list_parse(c, f[2], LIST_LOWER | LIST_KEYWORD, "keyword", &t->keywords[lang]);
    if (rc)
        return rc;
    if (strchr(t->keywords[lang].items[0], '*'))
        return bad(c, "the first keyword of '%s' is its display name: no '*'", t->name);
    return ERR_OK;
}

/* ---- words.tsv ------------------------------------------------------------------------ */

static enum err_code parse_words(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "kind", "lang", "words" };
    struct span f[3];
    enum err_code rc = split_fields(c, line, f, 3, what);
    if (rc)
        return rc;
    int kind = name_index(f[0], WORD_KINDS, WORDS_COUNT_);
    if (kind < 0)
        return bad(c,
                   "unknown word kind '%.*s' (expected hype, positive, negative, jargon, "
                   "required, approve, reject or unsure)",
                   QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    struct strlist *l = &c->l->d.words[kind][lang];
    if (l->n)
        return bad(c, "duplicate '%s' words for %s", WORD_KINDS[kind], LANG_NAMES[lang]);
    return list_parse(c, f[2], LIST_LOWER | LIST_KEYWORD, "word", l);
}

/* ---- traits.tsv ----------------------------------------------------------------------- */

static enum err_code parse_trait(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "word", "lang", "dimension", "sign" };
    struct span f[4];
    enum err_code rc = split_fields(c, line, f, 4, what);
    if (rc)
        return rc;
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    int dim = name_index(f[2], BIG5_NAMES, BIG5_COUNT_);
    if (dim < 0)
        return bad(c,
                   "unknown Big Five dimension '%.*s' (expected openness, conscientiousness, "
                   "extraversion, agreeableness or neuroticism)",
                   QFMT(f[2]));
    int sign;
    if (span_eq_cstr(f[3], "+"))
        sign = 1;
    else if (span_eq_cstr(f[3], "-"))
        sign = -1;
    else
        return bad(c, "bad sign '%.*s' (expected + or -)", QFMT(f[3]));
    char *word = xmemdupz(f[0].ptr, f[0].len);
    text_lower(word);
    rc = keyword_check(c, word, "trait word");
    if (rc) {
        free(word);
        return rc;
    }
    struct offline_data *d = &c->l->d;
    for (size_t i = 0; i < d->n_traits; i++) {
        if (d->traits[i].lang == lang && strcmp(d->traits[i].word, word) == 0) {
            free(word);
            return bad(c, "duplicate trait word '%.*s' for %s", QFMT(f[0]), LANG_NAMES[lang]);
        }
    }
    d->traits = grow(d->traits, d->n_traits, sizeof(*d->traits));
    d->traits[d->n_traits++] = (struct offline_trait){
        .word = word, .lang = lang, .dimension = (enum big5)dim, .sign = sign
    };
    return ERR_OK;
}

/* ---- phrases.tsv ---------------------------------------------------------------------- */

/* The bit of the placeholder named s, or 0. */
static unsigned placeholder_bit(struct span s)
{
    int i = name_index(s, PLACEHOLDERS, ARRAY_SIZE(PLACEHOLDERS));
    return i < 0 ? 0 : 1u << i;
}

/* Appends "{a} {b}" for the placeholders in mask to out (n bytes), or "none". */
static void placeholder_list(unsigned mask, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(PLACEHOLDERS) && used < n; i++) {
        if (!(mask & (1u << i)))
            continue;
        int w = snprintf(out + used, n - used, "%s{%s}", used ? " " : "", PLACEHOLDERS[i]);
        if (w < 0)
            return;
        used += (size_t)w;
    }
    if (!used)
        snprintf(out, n, "none");
}

/* Checks every {placeholder} of template against what key index k allows. */
static enum err_code template_check(const struct ctx *c, int k, struct span tmpl)
{
    for (size_t i = 0; i < tmpl.len; i++) {
        if (tmpl.ptr[i] == '}')
            return bad(c, "stray '}' in the template of '%s'", OFFLINE_PHRASE_KEYS[k]);
        if (tmpl.ptr[i] != '{')
            continue;
        const char *close = memchr(tmpl.ptr + i + 1, '}', tmpl.len - i - 1);
        const char *open = memchr(tmpl.ptr + i + 1, '{', tmpl.len - i - 1);
        if (!close || (open && open < close))
            return bad(c, "unclosed '{' in the template of '%s'", OFFLINE_PHRASE_KEYS[k]);
        struct span name = span_make(tmpl.ptr + i + 1, (size_t)(close - tmpl.ptr) - i - 1);
        unsigned bit = placeholder_bit(name);
        if (!bit)
            return bad(c, "unknown placeholder '{%.*s}' in the template of '%s'", QFMT(name),
                       OFFLINE_PHRASE_KEYS[k]);
        if (!(KEY_PLACEHOLDERS[k] & bit)) {
            char allowed[160];
            placeholder_list(KEY_PLACEHOLDERS[k], allowed, sizeof(allowed));
            return bad(c, "placeholder '{%.*s}' is not allowed in '%s' (allowed: %s)", QFMT(name),
                       OFFLINE_PHRASE_KEYS[k], allowed);
        }
        i = (size_t)(close - tmpl.ptr);
    }
    return ERR_OK;
}

static struct offline_phrases *phrases_get(struct offline_data *d, const char *key, int lang)
{
    for (size_t i = 0; i < d->n_phrases; i++)
        if (d->phrases[i].lang == lang && strcmp(d->phrases[i].key, key) == 0)
            return &d->phrases[i];
    return NULL;
}

static enum err_code parse_phrase(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "key", "lang", "template" };
    struct span f[3];
    enum err_code rc = split_fields(c, line, f, 3, what);
    if (rc)
        return rc;
    int k = name_index(f[0], OFFLINE_PHRASE_KEYS, N_OFFLINE_PHRASE_KEYS);
    if (k < 0)
        return bad(c, "unknown phrase key '%.*s'", QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    rc = template_check(c, k, f[2]);
    if (rc)
        return rc;
    struct offline_data *d = &c->l->d;
    struct offline_phrases *p = phrases_get(d, OFFLINE_PHRASE_KEYS[k], lang);
    if (!p) {
        remember_line(c->l, T_PHRASES, d->n_phrases, c->line);
        d->phrases = grow(d->phrases, d->n_phrases, sizeof(*d->phrases));
        p = &d->phrases[d->n_phrases++];
        p->key = xstrdup(OFFLINE_PHRASE_KEYS[k]);
        p->lang = lang;
    }
    char *tmpl = xmemdupz(f[2].ptr, f[2].len);
    for (size_t i = 0; i < p->alternatives.n; i++) {
        if (strcmp(p->alternatives.items[i], tmpl) == 0) {
            free(tmpl);
            return bad(c, "duplicate alternative of '%s' for %s", p->key, LANG_NAMES[lang]);
        }
    }
    strlist_add(&p->alternatives, tmpl);
    free(tmpl);
    return ERR_OK;
}

/* ---- anchors.tsv ---------------------------------------------------------------------- */

static struct offline_anchor_set *anchors_get(struct offline_data *d, struct span name)
{
    for (size_t i = 0; i < d->n_anchors; i++)
        if (span_eq_cstr(name, d->anchors[i].name))
            return &d->anchors[i];
    return NULL;
}

static enum err_code parse_anchor(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "set", "lang", "point", "statement" };
    struct span f[4];
    enum err_code rc = split_fields(c, line, f, 4, what);
    if (rc)
        return rc;
    if (!is_ident(f[0]))
        return bad(c, "bad anchor set name '%.*s' (expected a-z, 0-9 and _)", QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    int64_t point;
    if (!span_parse_i64(f[2], 1, 5, &point))
        return bad(c, "bad point '%.*s' (expected 1 to 5)", QFMT(f[2]));
    struct offline_data *d = &c->l->d;
    struct offline_anchor_set *a = anchors_get(d, f[0]);
    if (!a) {
        remember_line(c->l, T_ANCHORS, d->n_anchors, c->line);
        d->anchors = grow(d->anchors, d->n_anchors, sizeof(*d->anchors));
        a = &d->anchors[d->n_anchors++];
        a->name = xmemdupz(f[0].ptr, f[0].len);
    }
    char **slot = &a->statements[lang][point - 1];
    if (*slot)
        return bad(c, "duplicate point %d of '%s' for %s", (int)point, a->name, LANG_NAMES[lang]);
    *slot = xmemdupz(f[3].ptr, f[3].len);
    return ERR_OK;
}

/* ---- countries.tsv -------------------------------------------------------------------- */

static struct offline_country *country_get(struct offline_data *d, struct span name)
{
    for (size_t i = 0; i < d->n_countries; i++)
        if (span_eq_nocase(name, d->countries[i].name))
            return &d->countries[i];
    return NULL;
}

/* Parses "0", "1", "0.25": digits with an optional fraction of up to 6 digits, into [0, 1]. */
static bool share_parse(struct span s, double *out)
{
    struct span rest = s;
    struct span whole = span_cut(&rest, '.');
    bool has_dot = whole.len < s.len;
    uint64_t w, frac = 0, scale = 1;
    if (!span_parse_u64(whole, 1, &w))
        return false;
    if (has_dot) {
        if (rest.len == 0 || rest.len > 6 || !span_parse_u64(rest, 999999, &frac))
            return false;
        for (size_t i = 0; i < rest.len; i++)
            scale *= 10;
    }
    double v = (double)w + (double)frac / (double)scale;
    if (v > 1.0)
        return false;
    *out = v;
    return true;
}

static enum err_code parse_country(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "country",  "language", "nationality",
                                        "currency", "cities",   "income shares" };
    struct span f[6];
    enum err_code rc = split_fields(c, line, f, 6, what);
    if (rc)
        return rc;
    if (memchr(f[0].ptr, ',', f[0].len))
        return bad(c, "a comma in country '%.*s' (residences are \"City, Country\")", QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    struct offline_data *d = &c->l->d;
    if (country_get(d, f[0]))
        return bad(c, "duplicate country '%.*s'", QFMT(f[0]));

    double shares[5], sum = 0;
    size_t n = 0;
    struct span rest = f[5];
    bool more = true;
    while (more) {
        more = rest.len && memchr(rest.ptr, ',', rest.len);
        struct span item = span_trim(span_cut(&rest, ','));
        if (n == 5)
            return bad(c, "more than 5 income shares (low, lower_middle, middle, upper_middle, "
                          "high)");
        if (!share_parse(item, &shares[n]))
            return bad(c, "bad income share '%.*s' (expected a number from 0 to 1)", QFMT(item));
        sum += shares[n++];
    }
    if (n != 5)
        return bad(c,
                   "%zu income shares, expected 5 (low, lower_middle, middle, upper_middle, "
                   "high)",
                   n);
    if (fabs(sum - 1.0) > SHARE_SLACK + 1e-9) /* 1e-9: 0.99 itself passes despite rounding */
        return bad(c, "income shares of '%.*s' sum to %.3f (expected 1 +-0.01)", QFMT(f[0]), sum);

    remember_line(c->l, T_COUNTRIES, d->n_countries, c->line);
    d->countries = grow(d->countries, d->n_countries, sizeof(*d->countries));
    struct offline_country *co = &d->countries[d->n_countries++];
    co->name = xmemdupz(f[0].ptr, f[0].len);
    co->language = xstrdup(LANG_NAMES[lang]);
    co->nationality = xmemdupz(f[2].ptr, f[2].len);
    co->currency = xmemdupz(f[3].ptr, f[3].len);
    memcpy(co->income_shares, shares, sizeof(shares));
    return list_parse(c, f[4], 0, "city", &co->cities);
}

/* ---- names.tsv ------------------------------------------------------------------------ */

static enum err_code parse_names(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "country", "kind", "names" };
    static const char *const kinds[] = { "female", "male", "last" };
    struct span f[3];
    enum err_code rc = split_fields(c, line, f, 3, what);
    if (rc)
        return rc;
    struct offline_data *d = &c->l->d;
    const struct offline_country *co = country_get(d, f[0]);
    if (!co)
        return bad(c, "unknown country '%.*s' (not in countries.tsv)", QFMT(f[0]));
    int kind = name_index(f[1], kinds, ARRAY_SIZE(kinds));
    if (kind < 0)
        return bad(c, "unknown name kind '%.*s' (expected female, male or last)", QFMT(f[1]));
    struct offline_names *nm = NULL;
    for (size_t i = 0; i < d->n_names && !nm; i++)
        if (strcmp(d->names[i].country, co->name) == 0)
            nm = &d->names[i];
    if (!nm) {
        remember_line(c->l, T_NAMES, d->n_names, c->line);
        d->names = grow(d->names, d->n_names, sizeof(*d->names));
        nm = &d->names[d->n_names++];
        nm->country = xstrdup(co->name);
    }
    struct strlist *l = kind == 0 ? &nm->female : kind == 1 ? &nm->male : &nm->last;
    if (l->n)
        return bad(c, "duplicate %s names for '%s'", kinds[kind], co->name);
    rc = list_parse(c, f[2], 0, "name", l);
    if (rc)
        return rc;
    if (l->n < MIN_NAMES)
        return bad(c, "only %zu %s names for '%s' (at least %d)", l->n, kinds[kind], co->name,
                   MIN_NAMES);
    return ERR_OK;
}

/* ---- occupations.tsv ------------------------------------------------------------------ */

/* Splits "masculine|feminine" (or a single form) into two owned strings. */
static enum err_code title_parse(const struct ctx *c, struct span s, char **title, char **female)
{
    struct span rest = s;
    struct span first = span_trim(span_cut(&rest, '|'));
    bool two = memchr(s.ptr, '|', s.len) != NULL;
    struct span second = two ? span_trim(rest) : first;
    if (first.len == 0 || second.len == 0 || memchr(second.ptr, '|', second.len))
        return bad(c, "bad title '%.*s' (expected one form, or masculine|feminine)", QFMT(s));
    *title = xmemdupz(first.ptr, first.len);
    *female = xmemdupz(second.ptr, second.len);
    return ERR_OK;
}

static int income_parse(struct span s)
{
    int i = name_index(s, INCOME_NAMES, ARRAY_SIZE(INCOME_NAMES));
    return i > 0 ? i : -1;
}

static enum err_code parse_occupation(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "title_en",   "title_pt",    "min_age", "education",
                                        "income_low", "income_high", "topics" };
    struct span f[7];
    enum err_code rc = split_fields(c, line, f, 7, what);
    if (rc)
        return rc;
    struct offline_data *d = &c->l->d;
    d->occupations = grow(d->occupations, d->n_occupations, sizeof(*d->occupations));
    struct offline_occupation *o = &d->occupations[d->n_occupations++];
    /* the record is kept even when the line is bad, so offline_data_free frees it */
    for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
        rc = title_parse(c, f[lang], &o->title[lang], &o->title_female[lang]);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i + 1 < d->n_occupations; i++)
        if (strcasecmp(d->occupations[i].title[OFFLINE_LANG_EN], o->title[OFFLINE_LANG_EN]) == 0)
            return bad(c, "duplicate occupation '%s'", o->title[OFFLINE_LANG_EN]);
    int64_t age;
    if (!span_parse_i64(f[2], 14, 99, &age))
        return bad(c, "bad min_age '%.*s' (expected 14 to 99)", QFMT(f[2]));
    o->min_age = (int)age;
    if (name_index(f[3], EDUCATIONS, ARRAY_SIZE(EDUCATIONS)) < 0)
        return bad(c,
                   "unknown education '%.*s' (expected none, secondary, vocational, bachelor, "
                   "master or doctorate)",
                   QFMT(f[3]));
    o->education = xmemdupz(f[3].ptr, f[3].len);
    int lo = income_parse(f[4]), hi = income_parse(f[5]);
    for (int i = 4; i <= 5; i++)
        if ((i == 4 ? lo : hi) < 0)
            return bad(c,
                       "unknown income level '%.*s' (expected low, lower_middle, middle, "
                       "upper_middle or high)",
                       QFMT(f[i]));
    if (lo > hi)
        return bad(c, "income_low '%.*s' is above income_high '%.*s'", QFMT(f[4]), QFMT(f[5]));
    o->income_low = (enum income_level)lo;
    o->income_high = (enum income_level)hi;
    rc = list_parse(c, f[6], 0, "topic", &o->topics);
    if (rc)
        return rc;
    for (size_t i = 0; i < o->topics.n; i++)
        if (!topic_get(d, span_cstr(o->topics.items[i])))
            return bad(c, "unknown topic '%.*s' (not in topics.tsv)",
                       QFMT(span_cstr(o->topics.items[i])));
    return ERR_OK;
}

/* ---- interests.tsv -------------------------------------------------------------------- */

static enum err_code parse_interests(const struct ctx *c, struct span line)
{
    static const char *const what[] = { "topic", "lang", "interests" };
    struct span f[3];
    enum err_code rc = split_fields(c, line, f, 3, what);
    if (rc)
        return rc;
    struct offline_data *d = &c->l->d;
    if (!topic_get(d, f[0]))
        return bad(c, "unknown topic '%.*s' (not in topics.tsv)", QFMT(f[0]));
    int lang = lang_parse(c, f[1], &rc);
    if (lang < 0)
        return rc;
    struct offline_interests *in = NULL;
    for (size_t i = 0; i < d->n_interests && !in; i++)
        if (span_eq_cstr(f[0], d->interests[i].topic))
            in = &d->interests[i];
    if (!in) {
        remember_line(c->l, T_INTERESTS, d->n_interests, c->line);
        d->interests = grow(d->interests, d->n_interests, sizeof(*d->interests));
        in = &d->interests[d->n_interests++];
        in->topic = xmemdupz(f[0].ptr, f[0].len);
    }
    if (in->items[lang].n)
        return bad(c, "duplicate interests of '%s' for %s", in->topic, LANG_NAMES[lang]);
    return list_parse(c, f[2], 0, "interest", &in->items[lang]);
}

/* ---- the parser ----------------------------------------------------------------------- */

typedef enum err_code line_fn(const struct ctx *c, struct span line);

static line_fn *const LINE_PARSERS[F_COUNT_] = {
    parse_topic,   parse_words, parse_trait,      parse_phrase,    parse_anchor,
    parse_country, parse_names, parse_occupation, parse_interests,
};

/* The kind of the file called name, by its last component, or -1. */
static int file_kind_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    for (int k = 0; k < F_COUNT_; k++) {
        const char *b = strrchr(FILE_PATHS[k], '/') + 1;
        if (strcmp(base, b) == 0)
            return k;
    }
    return -1;
}

/* The bytes of line that are not valid UTF-8 (or NUL), as an offset, or -1 when it is clean. */
static long bad_utf8_at(struct span line)
{
    const unsigned char *p = (const unsigned char *)line.ptr;
    for (size_t i = 0; i < line.len;) {
        size_t n = utf8_seq_len(p + i, line.len - i);
        if (n == 0 || p[i] == 0)
            return (long)i;
        i += n;
    }
    return -1;
}

struct offline_data *offline_data_new(void)
{
    struct loader *l = xcalloc(1, sizeof(*l));
    return &l->d;
}

enum err_code offline_data_parse(struct offline_data *d, const char *name, const char *text,
                                 size_t len, struct err *err)
{
    assert(d && name && (text || len == 0));
    struct loader *l = loader_of(d);
    int kind = file_kind_of(name);
    if (kind < 0)
        return err_set(err, ERR_INVALID, NULL, "%s: not a data file of the offline model", name);
    if (len > FILE_MAX)
        return err_set(err, ERR_TOO_LARGE, NULL, "%s: larger than %u MiB", name, FILE_MAX >> 20);
    if (l->names[kind])
        return err_set(err, ERR_INVALID, NULL, "%s: %s was read already", name, FILE_PATHS[kind]);
    l->names[kind] = xstrdup(name);

    struct ctx c = { .l = l, .name = l->names[kind], .line = 0, .err = err };
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        struct span line = span_make(text + pos, end - pos);
        pos = end + 1;
        c.line++;
        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        if (span_trim(line).len == 0 || line.ptr[0] == '#')
            continue;
        long at = bad_utf8_at(line);
        if (at >= 0)
            return bad(&c, "not valid UTF-8 (byte %ld of the line)", at + 1);
        enum err_code rc = LINE_PARSERS[kind](&c, line);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* ---- checks across files, and the phrase index ---------------------------------------- */

static int phrase_cmp(const void *a, const void *b)
{
    const struct offline_phrases *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->lang - y->lang;
}

static enum err_code check_topics(const struct loader *l, struct err *err)
{
    const struct offline_data *d = &l->d;
    if (d->n_topics == 0)
        return bad_file(l, F_TOPICS, 0, err, "no topics");
    for (size_t i = 0; i < d->n_topics; i++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (d->topics[i].keywords[lang].n == 0)
                return bad_file(l, F_TOPICS, l->lines[T_TOPICS][i], err,
                                "topic '%s' has no %s keywords", d->topics[i].name,
                                LANG_NAMES[lang]);
    return ERR_OK;
}

static enum err_code check_words_traits(const struct loader *l, struct err *err)
{
    const struct offline_data *d = &l->d;
    for (int k = 0; k < WORDS_COUNT_; k++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (d->words[k][lang].n == 0)
                return bad_file(l, F_WORDS, 0, err, "no '%s' words for %s", WORD_KINDS[k],
                                LANG_NAMES[lang]);
    for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
        size_t n = 0;
        for (size_t i = 0; i < d->n_traits; i++)
            n += d->traits[i].lang == lang;
        if (n == 0)
            return bad_file(l, F_TRAITS, 0, err, "no trait words for %s", LANG_NAMES[lang]);
    }
    return ERR_OK;
}

static enum err_code check_phrases(struct loader *l, struct err *err)
{
    struct offline_data *d = &l->d;
    for (size_t k = 0; k < N_OFFLINE_PHRASE_KEYS; k++) {
        const char *key = OFFLINE_PHRASE_KEYS[k];
        const struct offline_phrases *p[OFFLINE_N_LANGS];
        int line = 0;
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            p[lang] = phrases_get(d, key, lang);
            if (p[lang] && !line)
                line = l->lines[T_PHRASES][p[lang] - d->phrases];
        }
        if (!p[0] && !p[1])
            return bad_file(l, F_PHRASES, 0, err, "no alternatives for '%s'", key);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (!p[lang])
                return bad_file(l, F_PHRASES, line, err, "'%s' has no %s alternative", key,
                                LANG_NAMES[lang]);
    }
    return ERR_OK;
}

static enum err_code check_anchors(const struct loader *l, struct err *err)
{
    const struct offline_data *d = &l->d;
    for (size_t i = 0; i < ARRAY_SIZE(ANCHOR_SETS); i++) {
        bool found = false;
        for (size_t j = 0; j < d->n_anchors && !found; j++)
            found = strcmp(d->anchors[j].name, ANCHOR_SETS[i]) == 0;
        if (!found)
            return bad_file(l, F_ANCHORS, 0, err, "no anchor set '%s'", ANCHOR_SETS[i]);
    }
    for (size_t i = 0; i < d->n_anchors; i++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            for (int pt = 0; pt < 5; pt++)
                if (!d->anchors[i].statements[lang][pt])
                    return bad_file(l, F_ANCHORS, l->lines[T_ANCHORS][i], err,
                                    "anchor set '%s' has no point %d for %s", d->anchors[i].name,
                                    pt + 1, LANG_NAMES[lang]);
    return ERR_OK;
}

static enum err_code check_demographics(const struct loader *l, struct err *err)
{
    const struct offline_data *d = &l->d;
    if (d->n_countries == 0)
        return bad_file(l, F_COUNTRIES, 0, err, "no countries");
    for (size_t i = 0; i < d->n_countries; i++) {
        const char *name = d->countries[i].name;
        const struct offline_names *nm = offline_names_find(d, name);
        const char *missing = !nm             ? ""
                              : !nm->female.n ? "female "
                              : !nm->male.n   ? "male "
                              : !nm->last.n   ? "last "
                                              : NULL;
        if (missing) {
            char tmp[64];
            return bad_file(l, F_COUNTRIES, l->lines[T_COUNTRIES][i], err,
                            "'%s' has no %snames in %s", name, missing,
                            file_name(l, F_NAMES, tmp, sizeof(tmp)));
        }
    }
    if (d->n_occupations == 0)
        return bad_file(l, F_OCCUPATIONS, 0, err, "no occupations");
    for (size_t i = 0; i < d->n_topics; i++) {
        const char *topic = d->topics[i].name;
        const struct offline_interests *in = offline_interests_find(d, topic);
        if (!in)
            return bad_file(l, F_INTERESTS, 0, err, "no interests for topic '%s'", topic);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (!in->items[lang].n)
                return bad_file(l, F_INTERESTS, l->lines[T_INTERESTS][in - d->interests], err,
                                "topic '%s' has no %s interests", topic, LANG_NAMES[lang]);
    }
    return ERR_OK;
}

enum err_code offline_data_finish(struct offline_data *d, struct err *err)
{
    assert(d);
    struct loader *l = loader_of(d);
    if (l->indexed)
        return ERR_OK; /* finished already */
    enum err_code rc = check_topics(l, err);
    if (!rc)
        rc = check_words_traits(l, err);
    if (!rc)
        rc = check_phrases(l, err);
    if (!rc)
        rc = check_anchors(l, err);
    if (!rc)
        rc = check_demographics(l, err);
    if (rc)
        return rc;
    /* the record lines are not needed any more: the index may reorder the phrases */
    if (d->n_phrases)
        qsort(d->phrases, d->n_phrases, sizeof(*d->phrases), phrase_cmp);
    FREE_AND_NULL(l->lines[T_PHRASES]);
    l->indexed = true;
    return ERR_OK;
}

/* ---- loading -------------------------------------------------------------------------- */

/* Reads path whole into a malloc'd buffer (*text, *len); ERR_INVALID or ERR_TOO_LARGE. */
static enum err_code read_file(const char *path, char **text, size_t *len, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, ERR_INVALID, NULL, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return err_set(err, ERR_INVALID, NULL, "%s: not a regular file", path);
    }
    if ((uintmax_t)st.st_size > FILE_MAX) {
        close(fd);
        return err_set(err, ERR_TOO_LARGE, NULL, "%s: larger than %u MiB", path, FILE_MAX >> 20);
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = xmalloc(size + 1);
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            free(buf);
            close(fd);
            return err_set(err, ERR_INVALID, NULL, "%s: cannot read: %s", path,
                           n < 0 ? strerror(e) : "file shrank");
        }
        got += (size_t)n;
    }
    close(fd);
    buf[size] = '\0';
    *text = buf;
    *len = size;
    return ERR_OK;
}

/* Parses the file of the given kind from dir, or from the embedded copy when dir is NULL. */
static enum err_code load_one(struct offline_data *d, const char *dir, enum file_kind kind,
                              struct err *err)
{
    struct buf path;
    buf_init(&path, 4096);
    buf_addf(&path, "%s/%s", dir ? dir : "data", FILE_PATHS[kind]);
    if (path.failed) {
        buf_release(&path);
        return err_set(err, ERR_INVALID, NULL, "data dir: path too long");
    }
    enum err_code rc;
    if (!dir) {
        const struct embedded_file *ef = embed_find(path.data);
        if (ef)
            rc = offline_data_parse(d, ef->path, ef->data, ef->len, err);
        else
            rc = err_set(err, ERR_INTERNAL, NULL, "%s: not embedded in this binary", path.data);
    } else {
        char *text = NULL;
        size_t len = 0;
        rc = read_file(path.data, &text, &len, err);
        if (!rc)
            rc = offline_data_parse(d, path.data, text, len, err);
        free(text);
    }
    buf_release(&path);
    return rc;
}

enum err_code offline_data_load(const char *dir, struct offline_data **out, struct err *err)
{
    struct offline_data *d = offline_data_new();
    enum err_code rc = ERR_OK;
    for (int k = 0; k < F_COUNT_ && !rc; k++)
        rc = load_one(d, dir, (enum file_kind)k, err);
    if (!rc)
        rc = offline_data_finish(d, err);
    if (rc) {
        offline_data_free(d);
        return rc;
    }
    *out = d;
    return ERR_OK;
}

void offline_data_free(struct offline_data *d)
{
    if (!d)
        return;
    struct loader *l = loader_of(d);
    for (size_t i = 0; i < d->n_topics; i++) {
        free(d->topics[i].name);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            strlist_release(&d->topics[i].keywords[lang]);
    }
    free(d->topics);
    for (int k = 0; k < WORDS_COUNT_; k++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            strlist_release(&d->words[k][lang]);
    for (size_t i = 0; i < d->n_traits; i++)
        free(d->traits[i].word);
    free(d->traits);
    for (size_t i = 0; i < d->n_phrases; i++) {
        free(d->phrases[i].key);
        strlist_release(&d->phrases[i].alternatives);
    }
    free(d->phrases);
    for (size_t i = 0; i < d->n_anchors; i++) {
        free(d->anchors[i].name);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            for (int pt = 0; pt < 5; pt++)
                free(d->anchors[i].statements[lang][pt]);
    }
    free(d->anchors);
    for (size_t i = 0; i < d->n_countries; i++) {
        struct offline_country *co = &d->countries[i];
        free(co->name);
        free(co->language);
        free(co->nationality);
        free(co->currency);
        strlist_release(&co->cities);
    }
    free(d->countries);
    for (size_t i = 0; i < d->n_names; i++) {
        free(d->names[i].country);
        strlist_release(&d->names[i].female);
        strlist_release(&d->names[i].male);
        strlist_release(&d->names[i].last);
    }
    free(d->names);
    for (size_t i = 0; i < d->n_occupations; i++) {
        struct offline_occupation *o = &d->occupations[i];
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            free(o->title[lang]);
            free(o->title_female[lang]);
        }
        free(o->education);
        strlist_release(&o->topics);
    }
    free(d->occupations);
    for (size_t i = 0; i < d->n_interests; i++) {
        free(d->interests[i].topic);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            strlist_release(&d->interests[i].items[lang]);
    }
    free(d->interests);
    for (int t = 0; t < T_COUNT_; t++)
        free(l->lines[t]);
    for (int k = 0; k < F_COUNT_; k++)
        free(l->names[k]);
    free(l);
}

/* ---- lookups -------------------------------------------------------------------------- */

const struct offline_topic *offline_topic_find(const struct offline_data *d, const char *name)
{
    for (size_t i = 0; i < d->n_topics; i++)
        if (strcmp(d->topics[i].name, name) == 0)
            return &d->topics[i];
    return NULL;
}

const struct strlist *offline_phrases_find(const struct offline_data *d, const char *key, int lang)
{
    if (!((const struct loader *)d)->indexed) { /* d is the first member of its loader */
        for (size_t i = 0; i < d->n_phrases; i++)
            if (d->phrases[i].lang == lang && strcmp(d->phrases[i].key, key) == 0)
                return &d->phrases[i].alternatives;
        return NULL;
    }
    size_t lo = 0, hi = d->n_phrases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct offline_phrases *p = &d->phrases[mid];
        int c = strcmp(key, p->key);
        if (c == 0)
            c = lang - p->lang;
        if (c == 0)
            return &p->alternatives;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const struct offline_anchor_set *offline_anchors_find(const struct offline_data *d, const char *set)
{
    for (size_t i = 0; i < d->n_anchors; i++)
        if (strcmp(d->anchors[i].name, set) == 0)
            return &d->anchors[i];
    return NULL;
}

const struct offline_country *offline_country_find(const struct offline_data *d, const char *name)
{
    for (size_t i = 0; i < d->n_countries; i++)
        if (strcasecmp(d->countries[i].name, name) == 0)
            return &d->countries[i];
    return NULL;
}

const struct offline_names *offline_names_find(const struct offline_data *d, const char *country)
{
    for (size_t i = 0; i < d->n_names; i++)
        if (strcasecmp(d->names[i].country, country) == 0)
            return &d->names[i];
    return NULL;
}

const struct offline_interests *offline_interests_find(const struct offline_data *d,
                                                       const char *topic)
{
    for (size_t i = 0; i < d->n_interests; i++)
        if (strcmp(d->interests[i].topic, topic) == 0)
            return &d->interests[i];
    return NULL;
}

/* ---- text helpers --------------------------------------------------------------------- */

const char *offline_topic_label(const struct offline_topic *t, int lang)
{
    if (lang < 0 || lang >= OFFLINE_N_LANGS)
        lang = OFFLINE_LANG_EN;
    return t->keywords[lang].n ? t->keywords[lang].items[0] : t->name;
}

/* True when the word at s (up to a space or the end) is an acronym: two capitals or more. */
static bool is_acronym(const char *s)
{
    size_t n = 0;
    for (; s[n] && s[n] != ' ' && s[n] != '-'; n++)
        if (!(s[n] >= 'A' && s[n] <= 'Z') && !(s[n] >= '0' && s[n] <= '9'))
            return false;
    return n >= 2;
}

/* "an" or "a" for the English word at s (already lower-cased unless an acronym). */
static const char *en_article(const char *s, bool acronym)
{
    if (acronym)
        return strchr("AEFHILMNORSX", s[0]) ? "an" : "a";
    static const char *const a_before[] = { "eu",  "one", "once", "uni", "use",
                                            "usu", "ur",  "uti",  "ute" };
    static const char *const an_before[] = { "hour", "honest", "honor", "honour", "heir" };
    for (size_t i = 0; i < ARRAY_SIZE(a_before); i++)
        if (strncmp(s, a_before[i], strlen(a_before[i])) == 0)
            return "a";
    for (size_t i = 0; i < ARRAY_SIZE(an_before); i++)
        if (strncmp(s, an_before[i], strlen(an_before[i])) == 0)
            return "an";
    return s[0] && strchr("aeiou", s[0]) ? "an" : "a";
}

void offline_occupation_phrase(const char *title, int lang, struct buf *out)
{
    while (*title == ' ')
        title++;
    if (!*title)
        return;
    bool acronym = is_acronym(title);
    char *s = xstrdup(title);
    if (!acronym) {
        /* lower-case the first character only: "Software developer" -> "software developer" */
        size_t n = utf8_seq_len((const unsigned char *)s, strlen(s));
        char save = n ? s[n] : '\0';
        if (n)
            s[n] = '\0';
        text_lower(s);
        if (n)
            s[n] = save;
    }
    if (lang == OFFLINE_LANG_EN)
        buf_addf(out, "%s ", en_article(s, acronym));
    buf_adds(out, s);
    free(s);
}
