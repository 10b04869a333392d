/*
 * engine/offline/data.h - the tables behind the built-in offline model
 * (ENGINE.md 6): topic lexicons, hype and tone words, trait words, phrase
 * banks, SSR anchor statements, and the demographic tables of the factory
 * (countries, names, occupations, interests). They are data files under
 * data/ (embedded into the binary at build time; DATA_DIR loads them from a
 * folder instead), read and validated once at start: a bad entry is an
 * error naming its file and line ("data/offline/topics.tsv:12: ...").
 *
 * Every file is UTF-8 text, one record per line, fields separated by TABs;
 * blank lines and lines starting with '#' are ignored. Lists inside a field
 * are comma-separated (spaces around items trimmed). Languages are "en"
 * and "pt-BR"; every language-specific table has entries for both.
 *
 * After loading, the tables are immutable: any thread may read them.
 */
#ifndef ENGINE_OFFLINE_DATA_H
#define ENGINE_OFFLINE_DATA_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "engine/persona.h"

#define OFFLINE_LANG_EN 0
#define OFFLINE_LANG_PT 1
#define OFFLINE_N_LANGS 2

/* "en" -> 0, "pt-BR" (or "pt", "pt-PT") -> 1, anything else -> 0 (English). */
int offline_lang(const char *language);
const char *offline_lang_name(int lang); /* "en" or "pt-BR" */

/*
 * data/offline/topics.tsv: `topic <TAB> lang <TAB> keywords` (comma list; a
 * keyword ending in '*' matches any word starting with it; a keyword may be
 * several words). At least 16 topics, each with keywords in both languages.
 * (Such minimums describe the embedded tables and are held by the unit
 * tests; the loader itself needs one record per table, and checks the
 * minimum number of names.)
 * Topic names are [a-z0-9_]+. Keywords are stored lower-cased (text_lower,
 * engine/words.h) and matched as words.h says. The first keyword of each language
 * is the topic's display name in that language (no '*'): it is what a
 * phrase's {topic} becomes (offline_topic_label).
 */
struct offline_topic {
    char *name; /* "technology", "health", ... */
    struct strlist keywords[OFFLINE_N_LANGS];
};

/*
 * data/offline/words.tsv: `kind <TAB> lang <TAB> words` where kind is
 * `hype` (overclaiming: revolutionary, guaranteed, ...), `positive`,
 * `negative` (tone), `jargon` (hard words for journeys: authenticate,
 * configure, ...), `required` (form demands: mandatory, required field, ...).
 * One line per kind and language; the words are keywords like a topic's
 * (lower-cased, '*' for prefixes, matched with offline_keyword_find).
 */
enum offline_wordkind {
    WORDS_HYPE,
    WORDS_POSITIVE,
    WORDS_NEGATIVE,
    WORDS_JARGON,
    WORDS_REQUIRED,
    WORDS_APPROVE, /* a respondent saying yes to a product ("take my money") */
    WORDS_REJECT,  /* ... saying no ("not my thing"), negations written in */
    WORDS_UNSURE,  /* ... on the fence ("hard to say"): counted as neither */
    WORDS_COUNT_,
};

/*
 * data/offline/traits.tsv: `word <TAB> lang <TAB> dimension <TAB> sign` where
 * dimension is a Big Five name (openness, conscientiousness, extraversion,
 * agreeableness, neuroticism) and sign is + or -: a trait word that implies
 * a high or a low level ("curious" openness +, "shy" extraversion -).
 * Words are keywords like a topic's, matched against a persona's lower-cased
 * traits with offline_keyword_find; Portuguese adjectives end in '*' to take
 * both genders and the plural ("curios*": curioso, curiosa, curiosos).
 */
struct offline_trait {
    char *word; /* lower-cased; one record per word and language */
    int lang;
    enum big5 dimension;
    int sign; /* +1 or -1 */
};

/*
 * data/offline/phrases.tsv: `key <TAB> lang <TAB> template`; several lines with
 * the same key and language are alternatives. Templates may use the
 * placeholders {topic} {interest} {dislike} {occupation} {price} {product}
 * {name} {speaker} {step} {value} and nothing else (checked). Every key
 * used by the model exists in both languages (checked against
 * OFFLINE_PHRASE_KEYS, whose comment lists the placeholders each key may
 * use; a key outside that list is refused). A '{' without its '}', or a
 * stray '}', is an error too, so the model may substitute blindly.
 *
 * What the model substitutes: {product} the product's name as given;
 * {price} the price as the stimulus wrote it or formatted for the language
 * ("$49/month", "R$ 29,90"); {topic} offline_topic_label(); {interest} and
 * {dislike} the persona's own items as written; {occupation} from
 * offline_occupation_phrase() ("a nurse", "enfermeira"); {name} the
 * persona's name; {speaker} the first name of an earlier speaker; {step}
 * a journey step's label (templates quote it); {value} depends on the key,
 * see OFFLINE_PHRASE_KEYS.
 *
 * The pt-BR templates never inflect for the speaker's gender (no
 * "interessado/interessada") and put no article before {product}, {topic},
 * {speaker} or {name}, so any value fits.
 */
struct offline_phrases {
    char *key;
    int lang;
    struct strlist alternatives;
};

/*
 * data/offline/anchors.tsv: `set <TAB> lang <TAB> point <TAB> statement`: for
 * semantic similarity rating, five statements per set (points 1..5) per
 * language; sets: purchase_intent, appeal, clarity, trust, value.
 */
struct offline_anchor_set {
    char *name;
    char *statements[OFFLINE_N_LANGS][5];
};

/*
 * data/demographics/countries.tsv: `country <TAB> language <TAB> nationality
 * <TAB> currency <TAB> cities <TAB> income shares` where income shares are
 * five numbers for low, lower_middle, middle, upper_middle, high summing to
 * 1 (+-0.01). At least 12 countries, Brazil and Portugal among them.
 * language is "en" or "pt-BR" (the languages the offline model writes);
 * every country has its three lines in names.tsv.
 */
struct offline_country {
    char *name;        /* "Brazil" */
    char *language;    /* "pt-BR" */
    char *nationality; /* "Brazilian" */
    char *currency;    /* "R$" */
    struct strlist cities;
    double income_shares[5];
};

/*
 * data/demographics/names.tsv: `country <TAB> kind <TAB> names` where kind is
 * female, male (first names) or last (surnames); at least 20 of each kind
 * per country (checked: the factory needs enough distinct names). The
 * country must be in countries.tsv; one line per country and kind.
 */
struct offline_names {
    char *country;
    struct strlist female, male, last;
};

/*
 * data/demographics/occupations.tsv: `title_en <TAB> title_pt <TAB> min_age
 * <TAB> education <TAB> income_low <TAB> income_high <TAB> topics` where
 * education is none, secondary, vocational, bachelor, master or doctorate,
 * incomes are income levels (low .. high) bounding the occupation's range,
 * topics a comma list of topic names the work touches. At least 60.
 * A title may give a masculine and a feminine form, "Enfermeiro|Enfermeira"
 * (pt-BR titles do; English ones rarely need to): title holds the first,
 * title_female the second, or a copy of the first when there is one form.
 * Titles are written as they stand alone ("Nurse", "Enfermeira");
 * offline_occupation_phrase() makes them fit in a sentence.
 */
struct offline_occupation {
    char *title[OFFLINE_N_LANGS];
    char *title_female[OFFLINE_N_LANGS]; /* never NULL; same as title without a feminine form */
    int min_age;
    char *education;
    enum income_level income_low, income_high;
    struct strlist topics;
};

/*
 * data/demographics/interests.tsv: `topic <TAB> lang <TAB> interests` - things a
 * person with an affinity for the topic likes or does ("running",
 * "smart home gadgets"), used by the factory for interests, likes and,
 * from other topics, dislikes. Every topic of topics.tsv has a line per language.
 */
struct offline_interests {
    char *topic;
    struct strlist items[OFFLINE_N_LANGS];
};

struct offline_data {
    struct offline_topic *topics;
    size_t n_topics;
    struct strlist words[WORDS_COUNT_][OFFLINE_N_LANGS];
    struct offline_trait *traits;
    size_t n_traits;
    struct offline_phrases *phrases;
    size_t n_phrases;
    struct offline_anchor_set *anchors;
    size_t n_anchors;
    struct offline_country *countries;
    size_t n_countries;
    struct offline_names *names;
    size_t n_names;
    struct offline_occupation *occupations;
    size_t n_occupations;
    struct offline_interests *interests;
    size_t n_interests;
};

/*
 * The phrase keys the offline model uses; the loader refuses a data set
 * that lacks one of them in either language. The keys, with the
 * placeholders each may use (and what {value} holds where it is allowed):
 *
 *   react.love react.like react.neutral react.dislike react.hate  {product}
 *   topic.match {interest} {topic}      topic.dislike {dislike} {topic}
 *   topic.occupation {occupation} {topic}
 *   price.cheap price.fair price.expensive {price}     price.unknown -
 *   hype.sceptic hype.trusting -        novelty.open novelty.closed -
 *   suggest.cheaper {price}   suggest.trial suggest.clarity suggest.proof -
 *   suggest.relevance {interest}
 *   think.opening talk.opening {product}
 *   journey.continue journey.friction {step}
 *   journey.abandon {step} {value}: value is the reason, a whole sentence
 *       (one of the journey.reason.* phrases)
 *   journey.reason.jargon .length .required .trust -   journey.reason.price {price}
 *   focus.open {topic}   focus.agree focus.disagree focus.build {speaker}
 *   chat.greeting {name} {occupation}   chat.reply {occupation} {topic}
 *   memory.saw {value}: an excerpt of what I saw (templates quote it)
 *   memory.said {value}: an excerpt of what I said (quoted)
 *   memory.felt {value}: the emotions, as free text (after a colon)
 *   memory.learned {value}: a fact, as free text (after a colon)
 *   validate.question {topic}: the interviewer asks the persona
 *   validate.followup {value}: an excerpt of the persona's answer (quoted)
 *   validate.justify {value}: the score, "0.82"
 *   extract.none -  (nothing in the transcript answers the question)
 *   insights.intro {value}: the panel, "48 respondents" / "48 respondentes"
 *   insights.winner {value}: the winning option or variant's name
 *   insights.caution {value}: the caveat, free text (after a colon)
 */
extern const char *const OFFLINE_PHRASE_KEYS[];
extern const size_t N_OFFLINE_PHRASE_KEYS;

/*
 * Loads and validates the tables from the embedded copies of data/ (dir
 * NULL) or from the folder dir (holding offline/ and demographics/).
 * ERR_INVALID with "<file>:<line>: <reason>" for the first bad entry
 * (file is "data/offline/topics.tsv" for the embedded copy, the path read
 * otherwise), or "<file>: <reason>" for what no single line shows (a
 * phrase key missing everywhere, a table with no records, an unreadable
 * file; ERR_TOO_LARGE for a file over 8 MiB). On success *out owns the
 * tables (free with offline_data_free); on failure *out is untouched.
 */
enum err_code offline_data_load(const char *dir, struct offline_data **out, struct err *err);
void offline_data_free(struct offline_data *d); /* accepts NULL */

/*
 * The parser behind offline_data_load, exposed for tests and fuzzing. A
 * pure function of its inputs: offline_data_new() gives empty tables;
 * offline_data_parse() reads one file, whose kind is told by name's last
 * component ("topics.tsv", ...; name also prefixes the error messages),
 * from text[0..len) (not NUL-terminated; UTF-8, an optional BOM, LF or
 * CRLF); offline_data_finish() runs the checks that need every file (both
 * languages present, every phrase key, names for every country, ...) and
 * indexes the phrases. Files must come in dependency order: topics.tsv
 * before occupations.tsv and interests.tsv, countries.tsv before names.tsv
 * (offline_data_load reads topics, words, traits, phrases, anchors,
 * countries, names, occupations, interests). After an error d holds what
 * was read before it; it may only be freed. Each file is read once (a
 * finished data set has read them all); a second finish does nothing.
 */
struct offline_data *offline_data_new(void);
enum err_code offline_data_parse(struct offline_data *d, const char *name, const char *text,
                                 size_t len, struct err *err);
enum err_code offline_data_finish(struct offline_data *d, struct err *err);

/*
 * Lookups; NULL when absent. Returned pointers live as long as d. Topic,
 * phrase key and anchor set names are exact; countries are compared without
 * ASCII case. offline_phrases_find is a binary search (the model calls it
 * all the time); the others scan.
 */
const struct offline_topic *offline_topic_find(const struct offline_data *d, const char *name);
const struct strlist *offline_phrases_find(const struct offline_data *d, const char *key, int lang);
const struct offline_anchor_set *offline_anchors_find(const struct offline_data *d,
                                                      const char *set);
const struct offline_country *offline_country_find(const struct offline_data *d, const char *name);
const struct offline_names *offline_names_find(const struct offline_data *d, const char *country);
/* The interests of topic, NULL when absent. */
const struct offline_interests *offline_interests_find(const struct offline_data *d,
                                                       const char *topic);

/* ---- text helpers for the model ------------------------------------------------------ */

/* The display name of t in lang: its first keyword ("health", "saúde"). */
const char *offline_topic_label(const struct offline_topic *t, int lang);

/*
 * Appends to out an occupation title as a phrase's {occupation} wants it:
 * in English with its indefinite article and a lower-case first letter
 * ("Nurse" -> "a nurse", "Electrician" -> "an electrician", "HR manager" ->
 * "an HR manager", "University lecturer" -> "a university lecturer"), in
 * Portuguese bare with a lower-case first letter ("Enfermeira" ->
 * "enfermeira": "Sou enfermeira", "Como enfermeira"). Acronyms keep their
 * case. Pick title or title_female by the persona's gender first.
 */
void offline_occupation_phrase(const char *title, int lang, struct buf *out);

#endif
