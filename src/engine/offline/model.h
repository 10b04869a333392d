/*
 * engine/offline/model.h - the built-in offline model's shared machinery
 * (ENGINE.md 6), used by its task files: the loaded tables with a keyword
 * index, text reading (words, topics, prices, hype, tone), persona reading
 * (topic affinities, Big Five, price sensitivity, scepticism, technology
 * comfort, leniency), and phrase composition from the phrase banks.
 *
 * Everything is deterministic: randomness comes from a struct prng the
 * caller seeds from the task, so the same task gives the same answer.
 * A model is immutable after offline_model_new: any thread may use it.
 *
 * The offline model is a provider: its answers are the model's wire
 * output, so its task files build them as JSON (like llm/openai.c reads
 * JSON); everything above them sees the answers only through the gateway.
 */
#ifndef ENGINE_OFFLINE_MODEL_H
#define ENGINE_OFFLINE_MODEL_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/prng.h"
#include "core/span.h"
#include "engine/offline/data.h"
#include "engine/persona.h"
#include "engine/tasks.h"
#include "engine/words.h"

#include <jansson.h>

#define OFFLINE_MODEL_NAME "crowdelic-offline"

struct phrase_set;

struct offline_model {
    struct offline_data *data; /* owned */
    struct phrase_set *topics; /* owned: every topic keyword, tagged with its topic */
    struct phrase_set *word_sets[WORDS_COUNT_]; /* owned: each word list, both languages */
    char **topic_label[OFFLINE_N_LANGS];        /* display name of each topic per language */
};

/* Takes data (freed with the model). */
struct offline_model *offline_model_new(struct offline_data *data);
/*
 * Loads the tables (embedded, or from data_dir when not NULL; see
 * offline_data_load) and builds the model on them.
 */
enum err_code offline_model_load(const char *data_dir, struct offline_model **out, struct err *err);
void offline_model_free(struct offline_model *m);

/* ---- reading text ------------------------------------------------------------------ */

/*
 * A set of keywords (as for words_match_at), each with a tag, compiled for
 * matching a text in one pass over its words: what words_count_in does
 * with a fixed list, without trying every keyword at every word.
 */
struct phrase_set *phrase_set_new(void);
void phrase_set_free(struct phrase_set *s); /* accepts NULL */
/* Adds phrase (lower-cased here); empty phrases and a bare "*" are ignored. */
void phrase_set_add(struct phrase_set *s, const char *phrase, size_t tag);
/* Adds 1 to hits[tag] for every occurrence of a phrase of s in ws. */
void phrase_set_tally(const struct phrase_set *s, const struct words *ws, double *hits);
/* How many times the phrases of s occur in ws. */
int phrase_set_count(const struct phrase_set *s, const struct words *ws);

/*
 * Adds, for every topic, the number of its keywords (both languages) found
 * in ws into hits[topic] (n_topics entries).
 */
void topics_count(const struct offline_model *m, const struct words *ws, double *hits);

/* Which language a text is in (OFFLINE_LANG_PT when Portuguese words dominate). */
int text_language(const struct words *ws);

enum price_period {
    PRICE_ONCE,
    PRICE_DAY,
    PRICE_WEEK,
    PRICE_MONTH,
    PRICE_YEAR,
    PRICE_MEAL, /* per meal or serving */
};

struct stimulus_reading {
    double *topics;    /* n_topics weights summing to 1 (all 0 when nothing matched); owned */
    double topic_hits; /* keyword hits before normalising */
    bool has_price;
    double price;       /* as written, in its currency */
    double monthly_usd; /* what it costs a month in US dollars (one-off prices over 6 months) */
    enum price_period period;
    char price_text[48];  /* as written ("R$ 29,90/mês") */
    int hype;             /* overclaiming words */
    double tone;          /* -1 (negative) .. 1 (positive) */
    int jargon, required; /* hard words and form demands (journeys) */
    size_t chars;
    bool novelty;     /* "new", "first", "novo", ... */
    char product[64]; /* a short name for what is shown */
    int lang;
};

void stimulus_read(const struct offline_model *m, const char *text, struct stimulus_reading *out);
void stimulus_reading_release(struct stimulus_reading *r);

struct persona_reading {
    double *affinity;         /* n_topics values in -1..1; owned */
    double big5[BIG5_COUNT_]; /* 0..1 */
    double price_sensitivity; /* 0 (money is no object) .. 1 (every cent counts) */
    double scepticism;        /* 0..1 */
    double tech_comfort;      /* 0..1 */
    double leniency;          /* a person's own tilt of every rating, about N(0, 0.3) */
    int lang;
};

void persona_read(const struct offline_model *m, const struct persona *p,
                  struct persona_reading *out);
void persona_reading_release(struct persona_reading *r);

/*
 * The persona's own words for a topic: the interest, like or dislike (sign
 * > 0: interests and likes; < 0: dislikes) that mentions it, or NULL.
 */
const char *persona_words_for(const struct offline_model *m, const struct persona *p, size_t topic,
                              int sign);

/* ---- composing text --------------------------------------------------------------------- */

struct phrase_vars {
    const char *topic, *interest, *dislike, *occupation, *price, *product, *name, *speaker, *value;
    int step;
};

/*
 * Appends one alternative of the phrase key in lang (chosen with r), its
 * placeholders filled from v (an unset one becomes a neutral word), with a
 * space before it when out is not empty. Unknown keys append nothing.
 */
void compose(const struct offline_model *m, const char *key, int lang, const struct phrase_vars *v,
             struct prng *r, struct buf *out);

/* The display name of topic t in lang. */
const char *topic_label(const struct offline_model *m, size_t t, int lang);

/* ---- answering ----------------------------------------------------------------------------- */

/*
 * Answers t: a new JSON value that satisfies task_schema(t) and
 * task_validate(t). seed makes the answer reproducible.
 */
enum err_code offline_answer(const struct offline_model *m, const struct task *t, uint64_t seed,
                             json_t **out, struct err *err);

/* The task files (one per family). Each takes a seeded generator. */
json_t *offline_act(const struct offline_model *m, const struct act_input *in, struct prng *r);
json_t *offline_dimensions(const struct offline_model *m, const struct dimensions_input *in,
                           struct prng *r);
json_t *offline_plan(const struct offline_model *m, const struct plan_input *in, struct prng *r);
json_t *offline_person(const struct offline_model *m, const struct person_input *in,
                       struct prng *r);
json_t *offline_consolidate(const struct offline_model *m, const struct consolidate_input *in,
                            struct prng *r);
json_t *offline_extract(const struct offline_model *m, const struct extract_input *in,
                        struct prng *r);
json_t *offline_validate(const struct offline_model *m, const struct validate_input *in,
                         struct prng *r);
json_t *offline_proposition(const struct offline_model *m, const struct proposition_input *in,
                            struct prng *r);
/*
 * The tone the normalizer reads in one answer (its language detected):
 * 1 positive, -1 negative, 0 neutral; *stance tells whether it came from a
 * stated stance (the approve, reject and unsure lists). For tests of the
 * word lists.
 */
int offline_answer_tone(const struct offline_model *m, const char *text, bool *stance);
json_t *offline_normalize(const struct offline_model *m, const struct normalize_input *in,
                          struct prng *r);
json_t *offline_insights(const struct offline_model *m, const struct insights_input *in,
                         struct prng *r);

/* A reply to a plain chat (no task): in character when the system message shows a person. */
char *offline_chat(const struct offline_model *m, const struct llm_request *req, uint64_t seed);

/* ---- interviews (converse.c) ------------------------------------------------------------------
 */

/*
 * Is this act turn an interview, and what was asked? An interview turn has
 * no questions and no journey step, and the whole conversation (the
 * CONVERSATION lines of the episodic window and of the new stimuli) comes
 * from one other speaker, who is not a moderator and not one of several
 * people the persona can reach, plus the persona's own lines (its TALK
 * actions, or CONVERSATION stimuli whose source is self). Returns that
 * speaker's last message among the new stimuli (borrowed from in), or NULL
 * when the turn is not an interview (a focus group, a survey, a journey).
 */
const struct stimulus *converse_question(const struct act_input *in, const char *self);

/*
 * What a question asks an opinion of ("O que você acha de um app de
 * receitas?" -> "app de receitas", "Would you buy FreshBox for $49?" ->
 * "FreshBox"), at most a few words, into out (n bytes). False, with out
 * empty, when the question names nothing to have an opinion of.
 */
bool converse_subject(const char *question, char *out, size_t n);

/*
 * Does the question ask about the person themself (name, age, work, home,
 * family, free time, routine, likes, dislikes, goals, beliefs, money,
 * health, a greeting or a goodbye) rather than for an opinion?
 */
bool converse_is_personal(const struct offline_model *m, const char *question);

/*
 * Writes the persona's opinion of what was asked (the caller's reading of
 * the stimulus: act.c's react()) to out. subject is what it is about when
 * the question names nothing and an earlier message it refers to does
 * ("would you buy it?" after "what do you think of FreshBox?"), else NULL;
 * earlier is what the persona said before about it (NULL when nothing),
 * to stay consistent with.
 */
typedef void converse_opinion_fn(void *ctx, const char *subject, const char *earlier,
                                 struct prng *r, struct buf *out);

/*
 * The persona's reply to question (from converse_question) in an interview,
 * in the persona's language (pr->lang), appended to out: a personal question
 * answered from the persona's fields (occupation phrase as in
 * offline_occupation_phrase, may be ""), anything else through opinion(ctx);
 * an earlier message sharing words with the question (or any, when the
 * question asks to recall) referred to and quoted. At most limit bytes,
 * never empty; deterministic for r.
 */
void converse_reply(const struct offline_model *m, const struct act_input *in,
                    const struct stimulus *question, const struct persona_reading *pr,
                    const char *occupation, size_t limit, struct prng *r,
                    converse_opinion_fn *opinion, void *ctx, struct buf *out);

#endif
