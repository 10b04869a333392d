/*
 * engine/offline/converse.c - the offline model's interviews (ENGINE.md 6):
 * one person answering one interviewer, message after message, in
 * character and in the persona's own language (whatever the question's).
 *
 * A reply has up to three parts, each from the phrase banks:
 *   1. a short hello, when the message greets;
 *   2. a reference to an earlier message of the conversation, quoted: the
 *      one that shares the most words with the new message (stopwords and
 *      the words of asking aside), or, when the message asks to recall
 *      ("remember", "lembra", "você disse"), the interviewer's latest real
 *      question. The quote is that message's sentence or clause holding the
 *      shared words when it has at most QUOTE_WORDS words, else the shared
 *      words themselves and what lies between them;
 *   3. the answer: a question about the person (who, age, work, home,
 *      family, free time, routine, likes, dislikes, "do you like X", goals,
 *      beliefs, money, health) answered from the persona's fields; anything
 *      else (an opinion of a product or an idea) by the caller's opinion
 *      function (act.c's react(): persona-conditioned), about the earlier
 *      message's subject when the new one names none, on the side the
 *      persona took then; a bare greeting or goodbye answered as such.
 *      "Remember what you told me?" with nothing new asked tells the same
 *      fact again.
 * Facts are taken from the fields in a fixed order (the first items of a
 * list), so a fact told twice is the same fact; only the wording varies,
 * chosen with the caller's generator.
 *
 * Words are the engine's (engine/words.h). Shared words are found with
 * semantic memory's retrieval (engine/semantic.h: the engine's English and
 * Portuguese stopwords, plurals folded): one word asked at a time, the
 * messages it returns are those that hold it.
 *
 * Phrase keys (placeholders each may use), in both languages:
 *   converse.think -             converse.hello -        converse.greeting {name}
 *   converse.bye -               converse.who {name} {occupation}
 *   converse.who.plain {name}    converse.style {value}: the persona's style
 *   converse.age {value}: years  converse.job {occupation}
 *   converse.job.org {value}: the organization   converse.job.about {value}: the description
 *   converse.home {value}: the city   converse.family {value}: "name (description)", ...
 *   converse.free converse.routine converse.likes converse.dislikes converse.goals
 *   converse.beliefs converse.health {value}: the persona's items, joined
 *   converse.money.tight converse.money.careful converse.money.easy -
 *   converse.like.yes {interest}   converse.like.no {dislike}   converse.like.meh -
 *   converse.none {topic}: what was asked about ("my family", "a minha família")
 *   converse.recall.asked converse.recall.mentioned converse.recall.said {value}: the
 *       quoted fragment of the interviewer's question, remark, or my own line
 *   converse.recall.unknown -
 * The wordings live in data/offline/phrases.tsv with every other phrase.
 *
 * Reentrant: no state outside the call; any thread may call it.
 */
#include "core/compat.h"

#include "engine/offline/model.h"

#include <strings.h>

#include "core/utf8.h"
#include "core/xalloc.h"
#include "engine/semantic.h"

#define QUOTE_WORDS 8   /* words of an earlier message quoted */
#define QUOTE_BYTES 160 /* bytes of that quote */
#define LIST_ITEMS  3   /* items of a list told in one answer */
#define SUBJECT_MAX 6   /* words of a question's subject */
#define PIECE_MAX   (64 * 1024)

/* ---- what is asked ----------------------------------------------------------------------- */

/* In priority order: on a tie of keyword hits, the earlier wins. */
enum intent {
    INTENT_NONE, /* an opinion of something */
    INTENT_AGE,
    INTENT_FREE,
    INTENT_HOME,
    INTENT_WORK,
    INTENT_FAMILY,
    INTENT_HEALTH,
    INTENT_MONEY,
    INTENT_GOALS,
    INTENT_ROUTINE,
    INTENT_DISLIKES,
    INTENT_LIKES,
    INTENT_LIKE_IT, /* "do you like X?": X against the persona's tastes */
    INTENT_BELIEFS,
    INTENT_WHO,
    INTENT_THANKS,
    INTENT_GREETING,
    INTENT_COUNT_,
};

/* clang-format off */
/* Keywords as words.h reads them (lower case; '*' a prefix), English and Portuguese. */
static const char *const KW_AGE[] = {
    "how old", "your age", "age", "years old", "were you born", "birthday", "idade",
    "quantos anos", "sua idade", "você nasceu", "aniversário",
};
static const char *const KW_FREE[] = {
    "free time", "spare time", "hobby", "hobbies", "weekend*", "for fun", "your interests",
    "interested in", "passion*", "to relax", "tempo livre", "horas vagas", "tempo vago",
    "fim de semana", "fins de semana", "final de semana", "finais de semana", "lazer", "diversão",
    "se divertir", "folga", "seus interesses", "paixão", "paixões", "relaxar",
};
static const char *const KW_HOME[] = {
    "where do you live", "where you live", "live", "hometown", "city", "town", "neighborhood",
    "neighbourhood", "where are you from", "your house", "apartment", "mora", "moram", "moro",
    "morar", "onde você vive", "vive", "cidade", "bairro", "de onde você é", "sua casa",
    "apartamento", "região",
};
static const char *const KW_WORK[] = {
    "work", "working", "job", "jobs", "occupation", "profession", "career", "for a living",
    "what do you do", "employer", "company", "colleague*", "boss", "trabalho", "trabalha",
    "trabalhar", "trabalhando", "profissão", "emprego", "ocupação", "carreira", "faz da vida",
    "empresa", "chefe", "colega*", "com o que você trabalha",
};
static const char *const KW_FAMILY[] = {
    "family", "married", "marriage", "wife", "husband", "partner", "boyfriend", "girlfriend",
    "kids", "children", "child", "son", "daughter", "parents", "mother", "father", "mom", "mum",
    "dad", "siblings", "brother*", "sister*", "friends", "relationship*", "single", "família",
    "casad*", "casamento", "esposa", "marido", "namorad*", "companheir*", "filho*", "filha*",
    "pais", "mãe", "pai", "irmão*", "irmã*", "amigos", "amigas", "relacionamento*", "solteir*",
    "parceir*",
};
static const char *const KW_HEALTH[] = {
    "health", "healthy", "exercise", "sleep", "sick", "illness", "doctor", "diet", "saúde",
    "saudáve*", "exercício*", "academia", "dorme", "dormir", "sono", "doença*", "doente", "médico",
    "dieta", "remédio*",
};
static const char *const KW_MONEY[] = {
    "money", "spend*", "shopping", "budget", "saving*", "expensive", "cheap", "prices", "afford",
    "salary", "bills", "dinheiro", "gasta", "gastar", "gastos", "compras", "orçamento",
    "economiz*", "poupa*", "caro", "barato", "preços", "salário", "contas",
};
static const char *const KW_GOALS[] = {
    "goal*", "dream*", "plans", "future", "ambition*", "hope to", "want to achieve", "aspiration*",
    "objetivo*", "sonho*", "sonha", "meta", "metas", "plano", "planos", "futuro", "ambição",
    "ambições", "quer alcançar", "quer conquistar",
};
static const char *const KW_ROUTINE[] = {
    "routine", "typical day", "normal day", "day to day", "daily", "every day", "habit*", "rotina",
    "dia típico", "dia normal", "dia a dia", "diariamente", "todo dia", "todos os dias", "hábito*",
    "costuma",
};
static const char *const KW_DISLIKES[] = {
    "dislike*", "what do you hate", "can't stand", "cant stand", "annoys you", "bothers you",
    "don't you like", "don't like", "dont like", "do not like", "pet peeve*", "não gosta",
    "nao gosta", "odeia", "detesta", "te irrita", "te incomoda", "tira do sério", "não suporta",
};
static const char *const KW_LIKES[] = {
    "what do you like", "what do you love", "what do you enjoy", "things you like",
    "your favorite*", "your favourite*", "do que você gosta", "o que você gosta",
    "do que você mais gosta", "o que você mais gosta", "o que você curte", "coisas que você gosta",
    "seus favoritos", "suas favoritas", "preferid*",
};
static const char *const KW_LIKE_IT[] = {
    "do you like", "do you enjoy", "are you into", "você gosta", "você curte", "gosta de", "curte",
};
static const char *const KW_BELIEFS[] = {
    "what do you believe", "your beliefs", "your values", "matters to you", "important to you",
    "religion", "religious", "politics", "faith", "em que você acredita", "no que você acredita",
    "suas crenças", "seus valores", "importante para você", "mais importa", "religião", "política",
    "fé",
};
static const char *const KW_WHO[] = {
    "who are you", "your name", "introduce yourself", "about yourself", "tell me about you",
    "who you are", "quem é você", "quem você é", "seu nome", "teu nome", "como você se chama",
    "como se chama", "se apresentar", "se apresente", "apresente se", "sobre você", "fale de você",
    "fala de você",
};
static const char *const KW_THANKS[] = {
    "thanks", "thank you", "bye", "goodbye", "see you", "that's all", "obrigad*", "valeu", "tchau",
    "até logo", "até mais", "até a próxima", "por hoje é só", "era isso",
};
static const char *const KW_GREETING[] = {
    "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "how are you", "oi",
    "olá", "ola", "bom dia", "boa tarde", "boa noite", "tudo bem", "tudo bom", "como vai",
};

/* Words that make a question about something rather than about the person. */
static const char *const KW_OPINION[] = {
    "what do you think", "think of", "think about", "thoughts on", "opinion",
    "how do you feel about", "the idea", "this product", "this app", "this service",
    "o que você acha", "você acha", "acha de", "acha do", "acha da", "achou", "opinião",
    "a ideia", "da ideia", "essa ideia", "esse produto", "esse app", "esse aplicativo",
    "esse serviço",
};
/* Would the person buy it: always about something, even "for your family". */
static const char *const KW_BUYING[] = {
    "would you buy", "would you pay", "would you use", "would you try", "would you subscribe",
    "would you order", "compraria", "pagaria", "usaria", "experimentaria", "assinaria",
    "contrataria",
};
/* "your": a question about the person's own work, home, ... even when it asks an opinion. */
static const char *const KW_YOURS[] = {
    "your", "yours", "seu", "sua", "seus", "suas", "teu", "tua",
};
/*
 * Words of the asking itself, never what a message is about: looked for
 * elsewhere they would tie every question to every other ("what do you
 * do", "o que você acha", "você disse antes"). The recall words join them.
 */
static const char *const KW_ASKING[] = {
    "does", "tell", "please", "could", "like", "likes", "enjoy", "think", "feel", "buy", "pay",
    "use", "try", "faz", "fazer", "acha", "achou", "pode", "poderia", "fale", "fala", "conte",
    "conta", "diga", "sabe", "gosta", "gostaria", "curte", "compraria", "pagaria", "usaria",
    "assinaria", "experimentaria",
};
/* The message asks to recall something said before. */
static const char *const KW_RECALL[] = {
    "remember", "earlier", "before", "you said", "you told", "you mentioned", "lembra", "lembrar",
    "antes", "você disse", "falamos", "você falou", "você comentou", "você mencionou",
    "tinha dito",
};

/* clang-format on */

#define KW(list) list, ARRAY_SIZE(list)

static const struct {
    const char *const *keywords;
    size_t n;
    bool personal;                      /* about the person: "your ..." keeps it an answer */
    const char *label[OFFLINE_N_LANGS]; /* what it is about, for converse.none */
} INTENTS[INTENT_COUNT_] = {
    [INTENT_NONE] = { NULL, 0, false, { "that", "isso" } },
    [INTENT_AGE] = { KW(KW_AGE), true, { "my age", "a minha idade" } },
    [INTENT_FREE] = { KW(KW_FREE), true, { "my free time", "o meu tempo livre" } },
    [INTENT_HOME] = { KW(KW_HOME), true, { "where I live", "onde eu moro" } },
    [INTENT_WORK] = { KW(KW_WORK), true, { "my work", "o meu trabalho" } },
    [INTENT_FAMILY] = { KW(KW_FAMILY), true, { "my family", "a minha família" } },
    [INTENT_HEALTH] = { KW(KW_HEALTH), true, { "my health", "a minha saúde" } },
    [INTENT_MONEY] = { KW(KW_MONEY), false, { "money", "dinheiro" } },
    [INTENT_GOALS] = { KW(KW_GOALS), true, { "my plans", "os meus planos" } },
    [INTENT_ROUTINE] = { KW(KW_ROUTINE), true, { "my routine", "a minha rotina" } },
    [INTENT_DISLIKES] = { KW(KW_DISLIKES), false, { "what bothers me", "o que me incomoda" } },
    [INTENT_LIKES] = { KW(KW_LIKES), false, { "what I like", "as coisas de que eu gosto" } },
    [INTENT_LIKE_IT] = { KW(KW_LIKE_IT), false, { "what I like", "as coisas de que eu gosto" } },
    [INTENT_BELIEFS] = { KW(KW_BELIEFS), false, { "what I believe", "aquilo em que eu acredito" } },
    [INTENT_WHO] = { KW(KW_WHO), true, { "myself", "mim" } },
    [INTENT_THANKS] = { KW(KW_THANKS), false, { "that", "isso" } },
    [INTENT_GREETING] = { KW(KW_GREETING), false, { "that", "isso" } },
};

static bool any_of(const struct words *ws, const char *const *kw, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (words_contain(ws, kw[i]))
            return true;
    return false;
}

/* What a message asks. */
struct asked {
    enum intent intent; /* what to answer; INTENT_NONE: an opinion */
    bool greets, thanks, recall;
    bool opinion; /* it names something to have an opinion of */
};

static void classify(const struct offline_model *m, const char *text, struct asked *out)
{
    memset(out, 0, sizeof(*out));
    struct words ws;
    words_init(&ws, text ? text : "");
    int score[INTENT_COUNT_] = { 0 };
    for (int it = INTENT_NONE + 1; it < INTENT_COUNT_; it++)
        for (size_t k = 0; k < INTENTS[it].n; k++)
            score[it] += words_contain(&ws, INTENTS[it].keywords[k]);
    out->greets = score[INTENT_GREETING] > 0;
    out->thanks = score[INTENT_THANKS] > 0;
    out->recall = any_of(&ws, KW(KW_RECALL));

    enum intent best = INTENT_NONE;
    for (int it = INTENT_NONE + 1; it < INTENT_THANKS; it++)
        if (score[it] > score[best])
            best = (enum intent)it;
    struct stimulus_reading sr;
    stimulus_read(m, text ? text : "", &sr);
    bool buying = any_of(&ws, KW(KW_BUYING));
    out->opinion = sr.has_price || buying || any_of(&ws, KW(KW_OPINION));
    stimulus_reading_release(&sr);
    /* "what do you think of your job?" is about me; "would you buy it for your family?" is not */
    if (best != INTENT_NONE && out->opinion &&
        (buying || !(INTENTS[best].personal && any_of(&ws, KW(KW_YOURS)))))
        best = INTENT_NONE;
    if (best == INTENT_NONE && !out->opinion)
        best = out->thanks ? INTENT_THANKS : out->greets ? INTENT_GREETING : INTENT_NONE;
    out->intent = best;
    words_release(&ws);
}

bool converse_is_personal(const struct offline_model *m, const char *question)
{
    struct asked a;
    classify(m, question, &a);
    return a.intent != INTENT_NONE;
}

/* ---- a question's subject ------------------------------------------------------------------- */

/* clang-format off */
/* After these words comes what the question asks an opinion of. */
static const char *const SUBJECT_AFTER[] = {
    "what do you think of", "what do you think about", "think of", "think about", "thoughts on",
    "opinion on", "opinion of", "opinion about", "feel about", "would you buy", "would you use",
    "would you try", "would you pay for", "would you subscribe to", "idea of",
    "o que você acha de", "o que você acha do", "o que você acha da", "o que você acha dos",
    "o que você acha das", "o que você acha sobre", "acha de", "acha do", "acha da", "acha dos",
    "acha das", "acha sobre", "achou de", "achou do", "achou da", "opinião sobre", "opinião de",
    "compraria", "usaria", "experimentaria", "assinaria", "pagaria por", "ideia de", "ideia do",
    "ideia da", "do you like", "você gosta de", "você gosta do", "você gosta da", "você curte",
};
/* Words a subject does not start with (articles, demonstratives). */
static const char *const SUBJECT_SKIP[] = {
    "a", "an", "the", "this", "that", "these", "those", "um", "uma", "uns", "umas", "o", "os",
    "as", "esse", "essa", "este", "esta", "isso", "isto", "aquele", "aquela",
};
/* Words that may lead a quote with the noun after them. */
static const char *const POSSESSIVES[] = {
    "my", "your", "our", "his", "her", "their", "meu", "minha", "meus", "minhas", "seu", "sua",
    "seus", "suas", "nosso", "nossa",
};
/* A subject that is only one of these names nothing ("would you buy it?"). */
static const char *const SUBJECT_PRONOUNS[] = {
    "it", "this", "that", "them", "one", "isso", "isto", "aquilo", "ele", "ela", "eles", "elas",
    "dele", "dela",
};
/* Words a subject ends before ("um app por R$ 19" -> "app"). */
static const char *const SUBJECT_STOP[] = {
    "for", "at", "that", "which", "who", "with", "if", "por", "que", "com", "se", "pra", "para",
};
/* clang-format on */

static bool span_in_list(struct span w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (span_eq_cstr(w, list[i]))
            return true;
    return false;
}

/* Is there a mark that ends a phrase between words a and a + 1 of ws? */
static bool break_after(const struct words *ws, size_t a, const char *marks)
{
    if (a + 1 >= ws->n)
        return true;
    for (const char *p = ws->w[a].ptr + ws->w[a].len; p < ws->w[a + 1].ptr; p++)
        if (strchr(marks, *p))
            return true;
    return false;
}

bool converse_subject(const char *question, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    if (!question || n == 0)
        return false;
    struct words ws;
    words_init(&ws, question);
    size_t start = ws.n;
    for (size_t i = 0; i < ws.n && start == ws.n; i++) {
        for (size_t k = 0; k < ARRAY_SIZE(SUBJECT_AFTER); k++) {
            size_t len = words_match_at(&ws, i, SUBJECT_AFTER[k]);
            if (len && !break_after(&ws, i + len - 1, ".?!;:")) {
                start = i + len;
                break;
            }
        }
    }
    while (start < ws.n && span_in_list(ws.w[start], KW(SUBJECT_SKIP)) &&
           !break_after(&ws, start, ".?!;:,"))
        start++;
    size_t end = start; /* one past the last word */
    while (end < ws.n && end - start < SUBJECT_MAX &&
           !(end > start && span_in_list(ws.w[end], KW(SUBJECT_STOP)))) {
        end++;
        if (break_after(&ws, end - 1, ".?!;:,\n"))
            break;
    }
    bool found =
        end > start && !(end == start + 1 && span_in_list(ws.w[start], KW(SUBJECT_PRONOUNS)));
    if (found) {
        size_t from = (size_t)(ws.w[start].ptr - ws.lower);
        size_t to = (size_t)(ws.w[end - 1].ptr + ws.w[end - 1].len - ws.lower);
        size_t len = utf8_cut(question + from, to - from, n - 1);
        memcpy(out, question + from, len);
        out[len] = '\0';
        found = len > 0;
    }
    words_release(&ws);
    return found;
}

/* ---- the conversation ------------------------------------------------------------------------ */

struct line {
    struct span speaker; /* who said it ("" when unknown); borrowed */
    const char *text;    /* borrowed from the task */
    bool mine;           /* the persona said it */
};

struct history {
    struct line *lines;
    size_t n, alloc;
};

/*
 * A conversation line of the episodic window, as episodic_line() writes
 * it: "[STIMULUS:CONVERSATION] from <who> @<time>: <text>" (someone spoke)
 * or "[ACTION:TALK] to <who> @<time>: <text>" (the persona spoke).
 */
static bool episodic_talk(const char *s, const char *self, struct line *out)
{
    static const char heard[] = "[STIMULUS:CONVERSATION]", said[] = "[ACTION:TALK]";
    bool mine;
    const char *p;
    if (strncmp(s, heard, sizeof(heard) - 1) == 0) {
        p = s + sizeof(heard) - 1;
        mine = false;
    } else if (strncmp(s, said, sizeof(said) - 1) == 0) {
        p = s + sizeof(said) - 1;
        mine = true;
    } else {
        return false;
    }
    const char *colon = strstr(p, ": ");
    if (!colon)
        return false;
    struct span who = span_make("", 0);
    if (!mine && strncmp(p, " from ", 6) == 0) {
        const char *name = p + 6;
        const char *at = strstr(name, " @");
        const char *end = at && at < colon ? at : colon;
        who = span_make(name, (size_t)(end - name));
    }
    out->speaker = who;
    out->text = colon + 2;
    out->mine = mine || (self && span_eq_cstr(who, self));
    return true;
}

static void history_add(struct history *h, struct line l)
{
    ALLOC_GROW(h->lines, h->n + 1, h->alloc);
    h->lines[h->n++] = l;
}

/* The conversation before stimulus `upto` of in (all of it when upto is n_stimuli). */
static void history_build(const struct act_input *in, const char *self, size_t upto,
                          struct history *h)
{
    memset(h, 0, sizeof(*h));
    for (size_t i = 0; i < in->episodic.n; i++) {
        struct line l;
        if (episodic_talk(in->episodic.items[i], self, &l))
            history_add(h, l);
    }
    for (size_t i = 0; i < upto && i < in->n_stimuli; i++) {
        const struct stimulus *s = &in->stimuli[i];
        if (s->type != STIMULUS_CONVERSATION)
            continue;
        history_add(h, (struct line){
                           .speaker = span_cstr(s->source ? s->source : ""),
                           .text = s->content ? s->content : "",
                           .mine = self && s->source && strcmp(s->source, self) == 0,
                       });
    }
}

static bool is_moderator(struct span who)
{
    return span_eq_nocase(who, "moderator") || span_eq_nocase(who, "moderador") ||
           span_eq_nocase(who, "moderadora");
}

/* Is every person in->state.accessible names the one called who? */
static bool reaches_only(const struct act_input *in, struct span who)
{
    for (size_t i = 0; i < in->state.accessible.n; i++) {
        const char *e = in->state.accessible.items[i];
        bool same = strlen(e) >= who.len && strncasecmp(e, who.ptr, who.len) == 0 &&
                    (e[who.len] == '\0' || e[who.len] == ' ');
        if (!same)
            return false;
    }
    return true;
}

const struct stimulus *converse_question(const struct act_input *in, const char *self)
{
    if (in->n_questions > 0 || in->journey_step > 0)
        return NULL;
    struct history h;
    history_build(in, self, in->n_stimuli, &h);
    struct span partner = span_make("", 0);
    bool found = false, one = true;
    for (size_t i = 0; i < h.n && one; i++) {
        if (h.lines[i].mine)
            continue;
        if (!found)
            partner = h.lines[i].speaker;
        else if (!span_eq(partner, h.lines[i].speaker))
            one = false;
        found = true;
    }
    const struct stimulus *last = NULL;
    if (found && one && !is_moderator(partner) && reaches_only(in, partner)) {
        for (size_t i = 0; i < in->n_stimuli; i++) {
            const struct stimulus *s = &in->stimuli[i];
            if (s->type == STIMULUS_CONVERSATION &&
                !(self && s->source && strcmp(s->source, self) == 0))
                last = s;
        }
    }
    free(h.lines);
    return last;
}

/* ---- memory: the earlier message the new one refers to ----------------------------------------
 */

/* Words of recalling ("lembra", "you said", "perguntei"), by their start. */
static const char *const RECALL_STEMS[] = {
    "lembr", "remember", "mencion", "mention", "coment", "falamos", "falei",
    "falou", "disse",    "dito",    "pergunt", "asked",  "said",    "told",
};

/*
 * Is word w of a message one to look for elsewhere? Not too short, not a
 * number, not the persona's name, not a greeting, a word of asking or of
 * recalling (stopwords are left out by semantic retrieval itself).
 */
static bool probe_word(struct span w, const struct words *name)
{
    if (w.len < 3)
        return false;
    bool digits = true;
    for (size_t i = 0; i < w.len && digits; i++)
        digits = w.ptr[i] >= '0' && w.ptr[i] <= '9';
    if (digits)
        return false;
    for (size_t i = 0; i < name->n; i++)
        if (span_eq(w, name->w[i]))
            return false;
    for (size_t i = 0; i < ARRAY_SIZE(RECALL_STEMS); i++)
        if (span_starts_with(w, RECALL_STEMS[i]))
            return false;
    return !span_in_list(w, KW(KW_GREETING)) && !span_in_list(w, KW(KW_THANKS)) &&
           !span_in_list(w, KW(KW_ASKING)) && !span_in_list(w, KW(KW_RECALL));
}

/*
 * For every word of text worth looking for: which of the n texts hold it
 * (semantic retrieval over them). hits[j] += 1 per distinct word of text
 * that texts[j] holds; when shared is not NULL, shared[i] tells whether
 * word i of ws (text's words) is held by some text.
 */
static void word_hits(const struct words *ws, const char *const *texts, size_t n,
                      const struct words *name, size_t *hits, bool *shared)
{
    struct semantic *s = semantic_new();
    size_t first = n > SEMANTIC_MAX_MEMORIES ? n - SEMANTIC_MAX_MEMORIES : 0;
    for (size_t j = first; j < n; j++)
        semantic_add_memory(s, texts[j]);
    bool *held = xcalloc(n ? n : 1, sizeof(*held));
    for (size_t i = 0; i < ws->n; i++) {
        if (shared)
            shared[i] = false;
        struct span w = ws->w[i];
        if (!probe_word(w, name))
            continue;
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = span_eq(ws->w[k], w);
        if (repeated && !shared)
            continue;
        char *word = xmemdupz(w.ptr, w.len);
        struct strlist found = { 0 };
        semantic_retrieve(s, word, n, &found);
        memset(held, 0, (n ? n : 1) * sizeof(*held));
        for (size_t f = 0; f < found.n; f++)
            for (size_t j = first; j < n; j++)
                if (strcmp(found.items[f], texts[j]) == 0)
                    held[j] = true;
        for (size_t j = 0; j < n && hits && !repeated; j++)
            hits[j] += held[j];
        if (shared)
            shared[i] = found.n > 0;
        strlist_release(&found);
        free(word);
    }
    free(held);
    semantic_free(s);
}

/* Is there a sentence end between words a and a + 1 of ws? */
static bool sentence_break(const struct words *ws, size_t a)
{
    return break_after(ws, a, ".?!;\n");
}

/* The best stretch of a text to quote so far (see quote()). */
struct stretch {
    const struct words *ws;
    const bool *shared;
    size_t start, end; /* [start, end] */
    size_t n, bytes;   /* shared words in it, and their bytes */
    bool found;
};

/* Weighs [a, b] against the best so far: more shared words, then longer ones, then the earlier. */
static void consider(struct stretch *st, size_t a, size_t b)
{
    size_t n = 0, bytes = 0;
    for (size_t i = a; i <= b; i++)
        if (st->shared[i]) {
            n++;
            bytes += st->ws->w[i].len;
        }
    if (!st->found || n > st->n || (n == st->n && n > 0 && bytes > st->bytes)) {
        *st = (struct stretch){ st->ws, st->shared, a, b, n, bytes, true };
    } else if (st->n == 0 && n == 0) {
        st->start = a; /* nothing shared yet: the latest one */
        st->end = b;
    }
}

/*
 * Considers [a, b], a sentence or a clause: whole when it is short enough,
 * else its clauses (split at commas), else the words from the first it
 * shares to the last (with an article or possessive before them: "um
 * aplicativo de receitas"), at most QUOTE_WORDS.
 */
static void consider_unit(struct stretch *st, size_t a, size_t b, bool split)
{
    if (b - a + 1 <= QUOTE_WORDS) {
        consider(st, a, b);
        return;
    }
    if (split) {
        for (size_t c = a; c <= b;) {
            size_t d = c;
            while (d < b && !break_after(st->ws, d, ",;:"))
                d++;
            consider_unit(st, c, d, false);
            c = d + 1;
        }
        return;
    }
    size_t first = b + 1, last = a;
    for (size_t i = a; i <= b; i++)
        if (st->shared[i]) {
            if (first > b)
                first = i;
            last = i;
        }
    if (first > b) { /* nothing shared: its first words */
        consider(st, a, a + QUOTE_WORDS - 1);
        return;
    }
    size_t from = first;
    if (from > a && (span_in_list(st->ws->w[from - 1], KW(SUBJECT_SKIP)) ||
                     span_in_list(st->ws->w[from - 1], KW(POSSESSIVES))))
        from--;
    size_t to = last < from + QUOTE_WORDS - 1 ? last : from + QUOTE_WORDS - 1;
    consider(st, from, to);
}

/*
 * A quote of text (as written, at most QUOTE_WORDS words of one sentence):
 * the sentence, clause or stretch holding the most words text shares with
 * other (on a tie, the longer words; then the earlier), or the last one
 * when they share none.
 */
static void quote(const char *text, const char *other, const struct words *name, struct buf *out)
{
    struct words ws;
    words_init(&ws, text);
    if (ws.n == 0) {
        words_release(&ws);
        return;
    }
    bool *shared = xcalloc(ws.n, sizeof(*shared));
    const char *texts[] = { other };
    word_hits(&ws, texts, 1, name, NULL, shared);
    struct stretch st = { .ws = &ws, .shared = shared };
    for (size_t a = 0; a < ws.n;) {
        size_t b = a; /* the sentence is [a, b] */
        while (b + 1 < ws.n && !sentence_break(&ws, b))
            b++;
        consider_unit(&st, a, b, true);
        a = b + 1;
    }
    size_t from = (size_t)(ws.w[st.start].ptr - ws.lower);
    size_t to = (size_t)(ws.w[st.end].ptr + ws.w[st.end].len - ws.lower);
    size_t len = utf8_cut(text + from, to - from, QUOTE_BYTES);
    buf_add(out, text + from, len);
    free(shared);
    words_release(&ws);
}

/*
 * The earlier message question refers to, into *out (an index into h): the
 * one sharing the most words with it (a tie goes to the interviewer's, then
 * to the later); with none shared, when the question asks to recall, the
 * interviewer's latest message that is more than a greeting (or the latest
 * line). False when there is none.
 */
static bool find_reference(const struct offline_model *m, const struct history *h,
                           const char *question, bool recall, const struct words *name, size_t *out)
{
    if (h->n == 0)
        return false;
    const char **texts = xcalloc(h->n, sizeof(*texts));
    for (size_t j = 0; j < h->n; j++)
        texts[j] = h->lines[j].text;
    size_t *hits = xcalloc(h->n, sizeof(*hits));
    struct words ws;
    words_init(&ws, question);
    word_hits(&ws, texts, h->n, name, hits, NULL);
    words_release(&ws);
    size_t best = 0;
    for (size_t j = 1; j < h->n; j++) {
        bool partner_j = !h->lines[j].mine, partner_best = !h->lines[best].mine;
        if (hits[j] > hits[best] || (hits[j] == hits[best] && partner_j >= partner_best))
            best = j;
    }
    /*
     * One word shared with one of my own answers is chance ("onde" in "o lugar
     * onde eu trabalho"): that needs two, or a request to recall. One word
     * shared with an earlier question is the interviewer coming back to it.
     */
    bool found = hits[best] >= 2 || (hits[best] == 1 && (recall || !h->lines[best].mine));
    if (found) {
        *out = best;
    } else if (recall) {
        size_t pick = h->n - 1;
        for (size_t j = h->n; j-- > 0;) {
            if (h->lines[j].mine)
                continue;
            struct asked a;
            classify(m, h->lines[j].text, &a);
            if (a.intent != INTENT_GREETING && a.intent != INTENT_THANKS) {
                pick = j;
                break;
            }
        }
        *out = pick;
        found = true;
    }
    free(hits);
    free(texts);
    return found;
}

/* The persona's answer to line i (the interviewer's): its next own line, or NULL. */
static const char *reply_to(const struct history *h, size_t i)
{
    return i + 1 < h->n && h->lines[i + 1].mine ? h->lines[i + 1].text : NULL;
}

/* The interviewer's message own line i answered, or NULL. */
static const char *asked_before(const struct history *h, size_t i)
{
    for (size_t j = i; j-- > 0;)
        if (!h->lines[j].mine)
            return h->lines[j].text;
    return NULL;
}

/* ---- writing the reply ------------------------------------------------------------------------
 */

struct reply {
    const struct offline_model *m;
    const struct persona *p;
    int lang;
    struct prng *r;
    struct buf *out;
    size_t limit;
    bool continues; /* the last part ended in ',' or ':': the next goes on in lower case */
};

/* The bytes of s[0..n) that fit in room: whole sentences, else whole words. */
static size_t fitting(const char *s, size_t n, size_t room)
{
    if (n <= room)
        return n;
    size_t cut = 0;
    for (size_t i = 0; i + 1 < room; i++)
        if (strchr(".!?", s[i]) && s[i + 1] == ' ')
            cut = i + 1;
    if (cut == 0)
        for (size_t i = 0; i < room; i++)
            if (s[i] == ' ')
                cut = i;
    return cut ? cut : utf8_cut(s, n, room);
}

/*
 * Sets the case of the letter at c (ASCII, or Latin-1 in UTF-8: "É" is
 * C3 89, "é" C3 A9) to upper or lower; other characters stay. Words like
 * "I", "I'm" and "OK" keep their capital.
 */
static void set_case(char *c, size_t n, bool upper)
{
    unsigned char *u = (unsigned char *)c;
    if (n >= 2 && u[0] == 0xC3 && u[1] != 0x97 && u[1] != 0xB7) {
        if (upper && u[1] >= 0xA0 && u[1] <= 0xBE)
            u[1] -= 0x20;
        else if (!upper && u[1] >= 0x80 && u[1] <= 0x9E)
            u[1] += 0x20;
        return;
    }
    if (upper && u[0] >= 'a' && u[0] <= 'z')
        u[0] -= 'a' - 'A';
    else if (!upper && u[0] >= 'A' && u[0] <= 'Z' && n >= 2 &&
             ((u[1] >= 'a' && u[1] <= 'z') || u[1] >= 0x80))
        u[0] += 'a' - 'A';
}

/* Appends one part of the reply (what fits), going on from the last when it asked for it. */
static void append(struct reply *rp, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\n')) {
        s++;
        n--;
    }
    size_t sep = rp->out->len ? 1 : 0;
    if (n == 0 || rp->out->len + sep >= rp->limit)
        return;
    n = fitting(s, n, rp->limit - rp->out->len - sep);
    if (n == 0)
        return;
    if (sep)
        buf_addch(rp->out, ' ');
    size_t at = rp->out->len;
    buf_add(rp->out, s, n);
    char *c = rp->out->data + at;
    /* "..., sou enfermeira"; every sentence starts with a capital ("{product} me ganhou") */
    set_case(c, n, !rp->continues);
    for (size_t i = 2; i < n; i++)
        if (c[i - 1] == ' ' && strchr(".!?", c[i - 2]))
            set_case(c + i, n - i, true);
    rp->continues = strchr(",:", c[n - 1]) != NULL;
}

static void put(struct reply *rp, const char *key, const struct phrase_vars *v)
{
    struct buf piece;
    buf_init(&piece, PIECE_MAX);
    compose(rp->m, key, rp->lang, v, rp->r, &piece);
    append(rp, piece.data, piece.len);
    buf_release(&piece);
}

/* put() with {value} set to value. */
static void put_value(struct reply *rp, const char *key, const char *value)
{
    struct phrase_vars v = { .name = rp->p->name, .value = value };
    put(rp, key, &v);
}

/* s without surrounding white space and final punctuation, appended to out. */
static void add_item(struct buf *out, const char *s)
{
    struct span t = span_trim(span_cstr(s));
    while (t.len && strchr(".;!", t.ptr[t.len - 1]))
        t.len--;
    t = span_trim(t);
    buf_add(out, t.ptr, t.len);
}

/* The first max items of l, "a, b e c" / "a, b and c", into out; false when l is empty. */
static bool join(const struct strlist *l, size_t max, int lang, struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n && n < max; i++)
        n += l->items[i] && *l->items[i];
    size_t k = 0;
    for (size_t i = 0; i < l->n && k < n; i++) {
        if (!l->items[i] || !*l->items[i])
            continue;
        if (k > 0)
            buf_adds(out, k + 1 == n ? (lang == OFFLINE_LANG_PT ? " e " : " and ") : ", ");
        add_item(out, l->items[i]);
        k++;
    }
    return n > 0;
}

/* Answers from one list of the persona, or says there is not much to say. */
static void answer_list(struct reply *rp, enum intent it, const char *key, const struct strlist *l,
                        const struct strlist *fallback)
{
    struct buf v;
    buf_init(&v, PIECE_MAX);
    if (join(l, LIST_ITEMS, rp->lang, &v) ||
        (fallback && join(fallback, LIST_ITEMS, rp->lang, &v))) {
        put_value(rp, key, v.data);
    } else {
        struct phrase_vars pv = { .topic = INTENTS[it].label[rp->lang] };
        put(rp, "converse.none", &pv);
    }
    buf_release(&v);
}

/* The city of the persona's residence ("Porto Alegre, Brasil" -> "Porto Alegre"), into out. */
static bool city(const struct persona *p, struct buf *out)
{
    if (!p->residence)
        return false;
    struct span rest = span_cstr(p->residence);
    struct span c = span_trim(span_cut(&rest, ','));
    buf_add(out, c.ptr, c.len);
    return c.len > 0;
}

static void answer_home(struct reply *rp)
{
    struct buf v;
    buf_init(&v, PIECE_MAX);
    if (city(rp->p, &v)) {
        put_value(rp, "converse.home", v.data);
    } else {
        struct phrase_vars pv = { .topic = INTENTS[INTENT_HOME].label[rp->lang] };
        put(rp, "converse.none", &pv);
    }
    buf_release(&v);
}

/* Work: the job, where, what it involves; told again, what it involves (or where). */
static void answer_work(struct reply *rp, const char *occupation, bool again)
{
    const struct persona *p = rp->p;
    const char *org = p->occupation_organization, *about = p->occupation_description;
    bool has_org = org && *org, has_about = about && *about;
    struct phrase_vars v = { .name = p->name, .occupation = occupation };
    if (!occupation || !*occupation) {
        struct phrase_vars pv = { .topic = INTENTS[INTENT_WORK].label[rp->lang] };
        put(rp, "converse.none", &pv);
        return;
    }
    if (!again || (!has_org && !has_about))
        put(rp, "converse.job", &v);
    struct buf item;
    buf_init(&item, PIECE_MAX);
    if (has_org && !(again && has_about)) {
        add_item(&item, org);
        put_value(rp, "converse.job.org", item.data);
    }
    if (has_about) {
        buf_reset(&item);
        add_item(&item, about);
        put_value(rp, "converse.job.about", item.data);
    }
    buf_release(&item);
}

static void answer_family(struct reply *rp)
{
    const struct persona *p = rp->p;
    struct buf v;
    buf_init(&v, PIECE_MAX);
    size_t n = 0;
    for (size_t i = 0; i < p->n_relationships && n < LIST_ITEMS; i++)
        n += p->relationships[i].name && *p->relationships[i].name;
    for (size_t i = 0, k = 0; i < p->n_relationships && k < n; i++) {
        const struct persona_relationship *rel = &p->relationships[i];
        if (!rel->name || !*rel->name)
            continue;
        if (k > 0)
            buf_adds(&v, k + 1 == n ? (rp->lang == OFFLINE_LANG_PT ? " e " : " and ") : ", ");
        add_item(&v, rel->name);
        if (rel->description && *rel->description) {
            buf_adds(&v, " (");
            add_item(&v, rel->description);
            buf_addch(&v, ')');
        }
        k++;
    }
    if (n) {
        put_value(rp, "converse.family", v.data);
    } else {
        struct phrase_vars pv = { .topic = INTENTS[INTENT_FAMILY].label[rp->lang] };
        put(rp, "converse.none", &pv);
    }
    buf_release(&v);
}

static void answer_routine(struct reply *rp)
{
    const struct persona *p = rp->p;
    struct strlist whats = { 0 };
    for (size_t i = 0; i < p->n_routines; i++)
        if (p->routines[i].what && *p->routines[i].what)
            strlist_add(&whats, p->routines[i].what);
    answer_list(rp, INTENT_ROUTINE, "converse.routine", &whats, &p->behaviors);
    strlist_release(&whats);
}

/* "Do you like X?": X (the question's topics) against the persona's tastes. */
static void answer_like_it(struct reply *rp, const struct persona_reading *pr, const char *question)
{
    const struct offline_model *m = rp->m;
    struct stimulus_reading sr;
    stimulus_read(m, question, &sr);
    double fit = 0;
    int best = -1;
    for (size_t t = 0; t < m->data->n_topics; t++) {
        fit += sr.topics[t] * pr->affinity[t];
        if (sr.topics[t] > 0 && (best < 0 || sr.topics[t] > sr.topics[best]))
            best = (int)t;
    }
    char subject[64];
    bool has_subject = converse_subject(question, subject, sizeof(subject));
    struct phrase_vars v = { .name = rp->p->name };
    if (fit > 0.1) {
        v.interest = best >= 0 ? persona_words_for(m, rp->p, (size_t)best, +1) : NULL;
        if (!v.interest)
            v.interest = has_subject ? subject : NULL;
        put(rp, "converse.like.yes", &v);
    } else if (fit < -0.1) {
        v.dislike = best >= 0 ? persona_words_for(m, rp->p, (size_t)best, -1) : NULL;
        if (!v.dislike)
            v.dislike = has_subject ? subject : NULL;
        put(rp, "converse.like.no", &v);
    } else {
        put(rp, "converse.like.meh", &v);
    }
    stimulus_reading_release(&sr);
}

/* Answers a question about the person; false for an opinion (INTENT_NONE). */
static bool answer(struct reply *rp, enum intent it, const struct persona_reading *pr,
                   const char *occupation, const char *question, bool again)
{
    const struct persona *p = rp->p;
    struct phrase_vars v = { .name = p->name, .occupation = occupation };
    char years[16];
    switch (it) {
    case INTENT_NONE:
    case INTENT_COUNT_:
        return false;
    case INTENT_WHO:
        put(rp, occupation && *occupation ? "converse.who" : "converse.who.plain", &v);
        if (p->residence && *p->residence)
            answer_home(rp);
        if (p->style && *p->style && prng_unit(rp->r) < 0.5)
            put_value(rp, "converse.style", p->style);
        break;
    case INTENT_AGE:
        if (p->age > 0) {
            snprintf(years, sizeof(years), "%d", p->age);
            put_value(rp, "converse.age", years);
        } else {
            struct phrase_vars pv = { .topic = INTENTS[it].label[rp->lang] };
            put(rp, "converse.none", &pv);
        }
        break;
    case INTENT_WORK:
        answer_work(rp, occupation, again);
        break;
    case INTENT_HOME:
        answer_home(rp);
        break;
    case INTENT_FAMILY:
        answer_family(rp);
        break;
    case INTENT_FREE:
        answer_list(rp, it, "converse.free", &p->interests, &p->likes);
        break;
    case INTENT_ROUTINE:
        answer_routine(rp);
        break;
    case INTENT_LIKES:
        answer_list(rp, it, "converse.likes", &p->likes, &p->interests);
        break;
    case INTENT_DISLIKES:
        answer_list(rp, it, "converse.dislikes", &p->dislikes, NULL);
        break;
    case INTENT_LIKE_IT:
        answer_like_it(rp, pr, question);
        break;
    case INTENT_GOALS:
        answer_list(rp, it, "converse.goals", &p->long_term_goals, NULL);
        break;
    case INTENT_BELIEFS:
        answer_list(rp, it, "converse.beliefs", &p->beliefs, &p->values);
        break;
    case INTENT_MONEY:
        put(rp,
            pr->price_sensitivity > 0.66   ? "converse.money.tight"
            : pr->price_sensitivity > 0.33 ? "converse.money.careful"
                                           : "converse.money.easy",
            &v);
        break;
    case INTENT_HEALTH:
        if (p->health && *p->health) {
            struct buf h;
            buf_init(&h, PIECE_MAX);
            add_item(&h, p->health);
            put_value(rp, "converse.health", h.data);
            buf_release(&h);
        } else {
            struct phrase_vars pv = { .topic = INTENTS[it].label[rp->lang] };
            put(rp, "converse.none", &pv);
        }
        break;
    case INTENT_GREETING:
        put(rp, "converse.greeting", &v);
        break;
    case INTENT_THANKS:
        put(rp, "converse.bye", &v);
        break;
    }
    return true;
}

void converse_reply(const struct offline_model *m, const struct act_input *in,
                    const struct stimulus *question, const struct persona_reading *pr,
                    const char *occupation, size_t limit, struct prng *r,
                    converse_opinion_fn *opinion, void *ctx, struct buf *out)
{
    static char someone[] = "someone";
    static struct persona nobody = { .name = someone };
    const struct persona *p = in->persona ? in->persona : &nobody;
    const char *text = question->content ? question->content : "";
    size_t start = out->len; /* the reply alone counts against the limit */
    struct reply rp = {
        .m = m, .p = p, .lang = pr->lang, .r = r, .out = out, .limit = st_add(start, limit)
    };

    struct asked a;
    classify(m, text, &a);
    struct history h;
    history_build(in, p->name, (size_t)(question - in->stimuli), &h);
    struct words name;
    words_init(&name, p->name ? p->name : "");

    if (a.greets && a.intent != INTENT_GREETING)
        put(&rp, "converse.hello", NULL);

    enum intent it = a.intent;
    const char *earlier = NULL; /* what I said before about it */
    char subject[64] = "";      /* what it is about, when only an earlier message says */
    bool again = false;
    size_t ref;
    if (find_reference(m, &h, text, a.recall, &name, &ref)) {
        const struct line *e = &h.lines[ref];
        struct buf q;
        buf_init(&q, PIECE_MAX);
        quote(e->text, text, &name, &q);
        const char *key = e->mine                        ? "converse.recall.said"
                          : strchr(e->text, '?') != NULL ? "converse.recall.asked"
                                                         : "converse.recall.mentioned";
        if (q.len)
            put_value(&rp, key, q.data);
        buf_release(&q);

        /* the exchange it belongs to: the question asked, and what I answered */
        const char *asked = e->mine ? asked_before(&h, ref) : e->text;
        char now[64];
        if (!converse_subject(text, now, sizeof(now)) && asked)
            converse_subject(asked, subject, sizeof(subject));
        earlier = e->mine ? e->text : reply_to(&h, ref);
        struct asked then;
        classify(m, asked ? asked : "", &then);
        bool told = then.intent != INTENT_NONE && then.intent != INTENT_GREETING &&
                    then.intent != INTENT_THANKS;
        if (it == INTENT_NONE && !a.opinion && told)
            it = then.intent; /* "remember what you told me?": the same fact again */
        again = e->mine && told && it == then.intent; /* I am quoting myself on it */
    } else if (a.recall) {
        put(&rp, "converse.recall.unknown", NULL);
    }

    if (!answer(&rp, it, pr, occupation, text, again) && opinion) {
        /* an opinion may start with a name ("FreshBox ..."): it follows a colon, as written */
        if (rp.continues) {
            out->data[out->len - 1] = ':';
            rp.continues = false;
        }
        struct buf b;
        buf_init(&b, PIECE_MAX);
        opinion(ctx, subject[0] ? subject : NULL, earlier, r, &b);
        append(&rp, b.data, b.len);
        buf_release(&b);
    }
    if (out->len == start || rp.continues) {
        /* never empty, never left hanging on a comma */
        struct phrase_vars pv = { .topic = INTENTS[INTENT_NONE].label[rp.lang] };
        put(&rp, "converse.none", &pv);
    }
    if (out->len == start)
        buf_adds(out, rp.lang == OFFLINE_LANG_PT ? "Não sei." : "I don't know.");
    words_release(&name);
    free(h.lines);
}
