/*
 * report/criteria.c - the success-criteria language (report/criteria.h): a
 * lexer that reads one token ahead, a recursive-descent parser that checks
 * types against the test's questions and variants as it builds, and a
 * three-valued evaluator.
 *
 * A parsed criterion is an array of nodes. A node's children are a list
 * (first, next), so "a and b and c" is one node with three children: the
 * tree is never deeper than the nesting of "(" and "not", which the parser
 * caps at CRITERION_DEPTH_MAX, so both the parser's and the evaluator's
 * recursion are bounded. Every parse error goes through fail(), which
 * prefixes the column (characters, from 1) of the token at fault.
 *
 * Reentrant; no state outside the calls.
 */
#include "core/compat.h"

#include "report/criteria.h"

#include <math.h>

#include "core/utf8.h"
#include "core/xalloc.h"

/* ---- tokens and nodes -------------------------------------------------------
 * The lexer works on the validated text (UTF-8, at most CRITERION_MAX bytes)
 * and keeps one token of lookahead; question ids are read by their own rule
 * (lex_question) because they may start with a digit or hold '-'.
 */

enum op { OP_GE, OP_LE, OP_GT, OP_LT, OP_EQ, OP_NE };

static const char *const op_text[] = { ">=", "<=", ">", "<", "==", "!=" };

#define ALL_OPS ">=, <=, >, <, ==, !="
#define EQ_OPS  "==, !="

enum tok_kind {
    T_END,
    T_NUMBER,
    T_STRING, /* pos and len include the quotes */
    T_WORD,
    T_LPAREN,
    T_RPAREN,
    T_OP,
    T_ASSIGN, /* a lone '=': never valid, reported where it stands */
};

struct token {
    enum tok_kind kind;
    size_t pos;    /* byte offset in the text */
    size_t len;    /* bytes */
    enum op op;    /* T_OP */
    double number; /* T_NUMBER */
};

enum node_kind { N_OR, N_AND, N_NOT, N_CMP, N_NUMBER, N_STRING, N_WINNER, N_STAT, N_SHARE };

enum vtype { V_BOOL, V_NUMBER, V_STRING };

struct node {
    enum node_kind kind;
    enum vtype type;
    int first;      /* first child, -1 when none */
    int next;       /* next sibling, -1 when none */
    enum op op;     /* N_CMP, N_SHARE */
    double number;  /* N_NUMBER; N_SHARE when is_number */
    bool is_number; /* N_SHARE: the literal is a number */
    const char *fn; /* N_STAT: a static name ("mean", ...) */
    char *question; /* owned: N_STAT, N_SHARE */
    char *text;     /* owned: N_STRING's value; N_SHARE's literal (a number as written) */
    size_t pos;     /* source bytes [pos, end), for messages */
    size_t end;
};

struct criterion {
    struct node *nodes; /* owned */
    size_t n, alloc;
    int root;
};

struct parser {
    const char *text; /* borrowed, valid UTF-8 */
    size_t len;
    const struct criteria_env *env;
    struct criterion *c;
    struct token tok; /* the lookahead */
    size_t at;        /* where the token after tok starts to be looked for */
    int depth;        /* "(" and "not" open around the current point */
    struct err *err;
};

static const char *const stat_fns[] = { "mean", "median", "min", "max", "stdev", "count" };

static const char *kind_name(enum criteria_kind k)
{
    switch (k) {
    case CRITERIA_RATING:
        return "rating";
    case CRITERIA_CHOICE:
        return "choice";
    case CRITERIA_YES_NO:
        return "yes_no";
    case CRITERIA_RANKING:
        return "ranking";
    case CRITERIA_TEXT:
        return "text";
    }
    return "unknown";
}

/* ---- messages ----------------------------------------------------------------
 * Quoted text is cut to SHOW_CHARS characters (with "..."), whitespace shown
 * as spaces; a message is cut on a character boundary to fit struct err.
 */

#define SHOW_CHARS 40
#define SHOW_SIZE  (SHOW_CHARS * 4 + 8)
#define LIST_MAX   120 /* bytes of a list of names in a message */

/* Copies s[0..n) for a message into out (SHOW_SIZE bytes); returns out. */
static const char *show(char *out, const char *s, size_t n)
{
    size_t cut = utf8_prefix(s, n, SHOW_CHARS);
    size_t j = 0;
    for (size_t i = 0; i < cut && j + 4 < SHOW_SIZE; i++) {
        unsigned char ch = (unsigned char)s[i];
        out[j++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    if (cut < n) {
        memcpy(out + j, "...", 3);
        j += 3;
    }
    out[j] = '\0';
    return out;
}

/* err_set with the message cut on a character boundary. */
static enum err_code set_err(struct err *err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static enum err_code set_err(struct err *err, const char *fmt, ...)
{
    char msg[2 * sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof(msg) ? sizeof(msg) - 1 : (size_t)n;
    len = utf8_cut(msg, len, sizeof(err->msg) - 1);
    return err_set(err, ERR_INVALID, NULL, "%.*s", (int)len, msg);
}

static size_t column(const struct parser *p, size_t pos)
{
    return 1 + utf8_chars(p->text, pos);
}

/* Sets the error "column N: <message>" for the byte at pos; returns -1. */
static int fail(struct parser *p, size_t pos, const char *fmt, ...) ATTR_PRINTF(3, 4);
static int fail(struct parser *p, size_t pos, const char *fmt, ...)
{
    char msg[2 * sizeof(p->err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    set_err(p->err, "column %zu: %s", column(p, pos), msg);
    return -1;
}

/* The lookahead as a message shows it: end, "a string" or 'word'. */
static const char *tok_desc(const struct parser *p, char *out)
{
    char shown[SHOW_SIZE];
    if (p->tok.kind == T_END)
        snprintf(out, SHOW_SIZE + 2, "end");
    else if (p->tok.kind == T_STRING)
        snprintf(out, SHOW_SIZE + 2, "%s", show(shown, p->text + p->tok.pos, p->tok.len));
    else
        snprintf(out, SHOW_SIZE + 2, "'%s'", show(shown, p->text + p->tok.pos, p->tok.len));
    return out;
}

/* "column N: unexpected <token>: expected <what>"; returns -1. */
static int unexpected(struct parser *p, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int unexpected(struct parser *p, const char *fmt, ...)
{
    char expected[sizeof(p->err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(expected, sizeof(expected), fmt, ap);
    va_end(ap);
    char desc[SHOW_SIZE + 2];
    return fail(p, p->tok.pos, "unexpected %s: expected %s", tok_desc(p, desc), expected);
}

/* A list of names for a message: "a, b, c" or, past LIST_MAX, "a, b, ...". */
struct list {
    char text[LIST_MAX + 8];
    size_t len;
    bool full;
};

static void list_add(struct list *l, const char *item, bool quoted)
{
    if (l->full)
        return;
    char shown[SHOW_SIZE];
    show(shown, item, strlen(item));
    const char *sep = l->len ? ", " : "";
    const char *q = quoted ? "\"" : "";
    size_t need = strlen(sep) + strlen(shown) + 2 * strlen(q);
    if (l->len + need > LIST_MAX) {
        snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s...", sep);
        l->full = true;
        return;
    }
    l->len +=
        (size_t)snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s%s%s%s", sep, q, shown, q);
}

/* "questions: a, b" (each id once), or "this test has no questions", in out. */
static const char *question_list(const struct criteria_env *env, char *out, size_t size)
{
    struct list l;
    memset(&l, 0, sizeof(l));
    for (size_t i = 0; i < env->n_questions && !l.full; i++) {
        const char *id = env->questions[i].id ? env->questions[i].id : "";
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = env->questions[j].id && strcmp(env->questions[j].id, id) == 0;
        if (!seen)
            list_add(&l, id, false);
    }
    if (env->n_questions)
        snprintf(out, size, "questions: %s", l.text);
    else
        snprintf(out, size, "this test has no questions");
    return out;
}

static const char *string_list(const char *const *items, size_t n, struct list *l)
{
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < n && !l->full; i++)
        list_add(l, items[i] ? items[i] : "", true);
    return l->text;
}

/* ---- the lexer ----------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_word_char(char c)
{
    return is_word_start(c) || is_digit(c) || c == '-';
}

static char at(const struct parser *p, size_t i)
{
    return i < p->len ? p->text[i] : '\0';
}

static void skip_space(struct parser *p)
{
    while (p->at < p->len && is_space(p->text[p->at]))
        p->at++;
}

static void set_tok(struct parser *p, enum tok_kind kind, size_t len)
{
    p->tok.kind = kind;
    p->tok.pos = p->at;
    p->tok.len = len;
    p->at += len;
}

/* A character no token starts with, with a hint for the usual suspects. */
static int bad_char(struct parser *p)
{
    size_t i = p->at;
    unsigned char ch = (unsigned char)p->text[i];
    if (ch < 0x20 || ch == 0x7f)
        return fail(p, i, "unexpected control character U+%04X", ch);
    const char *hint = "";
    switch (ch) {
    case '&':
        hint = " (write 'and')";
        break;
    case '|':
        hint = " (write 'or')";
        break;
    case '!':
        hint = " (write 'not' or '!=')";
        break;
    case '\'':
        hint = " (strings go in double quotes)";
        break;
    case '.':
        hint = " (a number starts with a digit, e.g. 0.5)";
        break;
    default:
        break;
    }
    size_t n = utf8_seq_len((const unsigned char *)p->text + i, p->len - i);
    return fail(p, i, "unexpected character '%.*s'%s", (int)(n ? n : 1), p->text + i, hint);
}

/* A string from the opening quote at p->at: \" and \\ only, on one line. */
static int lex_string(struct parser *p)
{
    size_t i = p->at + 1;
    while (i < p->len) {
        unsigned char ch = (unsigned char)p->text[i];
        if (ch == '"') {
            set_tok(p, T_STRING, i + 1 - p->at);
            return 0;
        }
        if (ch == '\\') {
            char e = at(p, i + 1);
            if (e == '"' || e == '\\') {
                i += 2;
                continue;
            }
            if (i + 1 >= p->len)
                break;
            if ((unsigned char)e < 0x20 || e == 0x7f)
                return fail(p, i + 1, "control character U+%04X in a string", (unsigned char)e);
            size_t n = utf8_seq_len((const unsigned char *)p->text + i + 1, p->len - i - 1);
            return fail(p, i, "unknown escape '\\%.*s' in a string (only \\\" and \\\\)",
                        (int)(n ? n : 1), p->text + i + 1);
        }
        if (ch < 0x20 || ch == 0x7f)
            return fail(p, i, "control character U+%04X in a string", ch);
        i++;
    }
    return fail(p, p->at, "unterminated string: expected a closing '\"'");
}

/* A number from p->at: [-] digits [. digits], and nothing glued to it. */
static int lex_number(struct parser *p)
{
    size_t i = p->at;
    if (p->text[i] == '-')
        i++;
    while (is_digit(at(p, i)))
        i++;
    bool ok = true;
    if (at(p, i) == '.') {
        ok = is_digit(at(p, i + 1));
        i++;
        while (is_digit(at(p, i)))
            i++;
    }
    if (!ok || is_word_char(at(p, i)) || at(p, i) == '.') {
        while (is_word_char(at(p, i)) || at(p, i) == '.')
            i++;
        char shown[SHOW_SIZE];
        return fail(p, p->at,
                    "malformed number '%s' (expected digits, then '.' and digits, e.g. 0.4)",
                    show(shown, p->text + p->at, i - p->at));
    }
    char copy[CRITERION_MAX + 1];
    size_t n = i - p->at;
    memcpy(copy, p->text + p->at, n);
    copy[n] = '\0';
    double x = strtod(copy, NULL);
    if (!isfinite(x)) {
        char shown[SHOW_SIZE];
        return fail(p, p->at, "number too large '%s'", show(shown, copy, n));
    }
    set_tok(p, T_NUMBER, n);
    p->tok.number = x;
    return 0;
}

/* Reads the next token into p->tok; -1 (error set) on a malformed one. */
static int lex(struct parser *p)
{
    skip_space(p);
    memset(&p->tok, 0, sizeof(p->tok));
    p->tok.pos = p->at;
    if (p->at >= p->len) {
        p->tok.kind = T_END;
        return 0;
    }
    char c = p->text[p->at];
    char c1 = at(p, p->at + 1);
    switch (c) {
    case '(':
        set_tok(p, T_LPAREN, 1);
        return 0;
    case ')':
        set_tok(p, T_RPAREN, 1);
        return 0;
    case '>':
    case '<':
        p->tok.op = c == '>' ? (c1 == '=' ? OP_GE : OP_GT) : (c1 == '=' ? OP_LE : OP_LT);
        set_tok(p, T_OP, c1 == '=' ? 2 : 1);
        return 0;
    case '=':
        p->tok.op = OP_EQ;
        set_tok(p, c1 == '=' ? T_OP : T_ASSIGN, c1 == '=' ? 2 : 1);
        return 0;
    case '!':
        if (c1 != '=')
            return bad_char(p);
        p->tok.op = OP_NE;
        set_tok(p, T_OP, 2);
        return 0;
    case '"':
        return lex_string(p);
    default:
        break;
    }
    if (is_digit(c) || (c == '-' && is_digit(c1)))
        return lex_number(p);
    if (is_word_start(c)) {
        size_t i = p->at;
        while (is_word_char(at(p, i)))
            i++;
        set_tok(p, T_WORD, i - p->at);
        return 0;
    }
    return bad_char(p);
}

/* Consumes the lookahead and reads the next token. */
static int advance(struct parser *p)
{
    return lex(p);
}

/*
 * Reads a question id (letters, digits, '_', '-') as a T_WORD. When none
 * stands there, reads the ordinary token instead and returns 1, so the
 * caller can name what it found.
 */
static int lex_question(struct parser *p)
{
    skip_space(p);
    size_t i = p->at;
    while (is_word_char(at(p, i)))
        i++;
    if (i == p->at)
        return lex(p) < 0 ? -1 : 1;
    memset(&p->tok, 0, sizeof(p->tok));
    set_tok(p, T_WORD, i - p->at);
    return 0;
}

static bool tok_is(const struct parser *p, const char *word)
{
    size_t n = strlen(word);
    return p->tok.kind == T_WORD && p->tok.len == n && memcmp(p->text + p->tok.pos, word, n) == 0;
}

/* ---- the parser ---------------------------------------------------------------
 * Each parse function returns the index of the node it built, or -1 with
 * the error set. Node pointers are fetched again after add_node (which may
 * move the array).
 */

static struct node *node(struct parser *p, int i)
{
    return &p->c->nodes[i];
}

static int add_node(struct parser *p, enum node_kind kind, enum vtype type, size_t pos, size_t end)
{
    struct criterion *c = p->c;
    ALLOC_GROW(c->nodes, c->n + 1, c->alloc);
    struct node *n = &c->nodes[c->n];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->type = type;
    n->first = -1;
    n->next = -1;
    n->pos = pos;
    n->end = end;
    return (int)c->n++;
}

static const struct criteria_question *find_question(const struct parser *p, size_t pos, size_t len)
{
    for (size_t i = 0; i < p->env->n_questions; i++) {
        const char *id = p->env->questions[i].id;
        if (id && strlen(id) == len && memcmp(id, p->text + pos, len) == 0)
            return &p->env->questions[i];
    }
    return NULL;
}

/* Opens one level of "(" or "not" at the lookahead. */
static int enter(struct parser *p)
{
    if (++p->depth <= CRITERION_DEPTH_MAX)
        return 0;
    char desc[SHOW_SIZE + 2];
    return fail(p, p->tok.pos, "%s nested too deeply (at most %d levels of '(' and 'not')",
                tok_desc(p, desc), CRITERION_DEPTH_MAX);
}

/* "expected a comparison (ops) after '<source [from, to)>'" at the lookahead. */
static int expected_comparison(struct parser *p, const char *ops, size_t from, size_t to)
{
    char what[SHOW_SIZE];
    show(what, p->text + from, to - from);
    return fail(p, p->tok.pos, "%sexpected a comparison (%s) after '%s'",
                p->tok.kind == T_END ? "unexpected end: " : "", ops, what);
}

/* Node i must be a condition: a number or a string alone is not one. */
static int need_bool(struct parser *p, int i)
{
    const struct node *n = node(p, i);
    if (n->type == V_BOOL)
        return 0;
    return expected_comparison(p, n->type == V_NUMBER ? ALL_OPS : EQ_OPS, n->pos, n->end);
}

static int parse_or(struct parser *p);
static int parse_and(struct parser *p);
static int parse_not(struct parser *p);

/* sub { word sub }: one node of kind with every operand as a child. */
static int parse_chain(struct parser *p, const char *word, enum node_kind kind,
                       int (*sub)(struct parser *))
{
    int first = sub(p);
    if (first < 0 || !tok_is(p, word))
        return first;
    if (need_bool(p, first) < 0)
        return -1;
    int chain = add_node(p, kind, V_BOOL, node(p, first)->pos, 0);
    node(p, chain)->first = first;
    int last = first;
    while (tok_is(p, word)) {
        if (advance(p) < 0)
            return -1;
        int next = sub(p);
        if (next < 0 || need_bool(p, next) < 0)
            return -1;
        node(p, last)->next = next;
        last = next;
    }
    node(p, chain)->end = node(p, last)->end;
    return chain;
}

static int parse_or(struct parser *p)
{
    return parse_chain(p, "or", N_OR, parse_and);
}

static int parse_and(struct parser *p)
{
    return parse_chain(p, "and", N_AND, parse_not);
}

#define EXPECT_VALUE                                                                         \
    "a function (mean, median, min, max, stdev, count, share), winner, a number, a string, " \
    "'not' or '('"

/* "(" or ")" from the lookahead "(". */
static int parse_group(struct parser *p)
{
    size_t open = p->tok.pos;
    if (enter(p) < 0 || advance(p) < 0)
        return -1;
    int x = parse_or(p);
    if (x < 0)
        return -1;
    if (p->tok.kind != T_RPAREN) {
        if (node(p, x)->type != V_BOOL)
            return need_bool(p, x);
        return unexpected(p, "'and', 'or' or ')' to close '(' at column %zu", column(p, open));
    }
    p->depth--;
    node(p, x)->pos = open;
    node(p, x)->end = p->tok.pos + 1;
    if (advance(p) < 0)
        return -1;
    return x;
}

/*
 * After fn "(": reads the question id and checks it exists. *q is the
 * question; returns 0, or -1 with the error set.
 */
static int parse_question(struct parser *p, const struct criteria_question **q)
{
    char list[LIST_MAX + 32];
    int rc = lex_question(p);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return unexpected(p, "a question id (%s)", question_list(p->env, list, sizeof(list)));
    *q = find_question(p, p->tok.pos, p->tok.len);
    if (!*q) {
        char shown[SHOW_SIZE];
        return fail(p, p->tok.pos, "unknown question '%s' (%s)",
                    show(shown, p->text + p->tok.pos, p->tok.len),
                    question_list(p->env, list, sizeof(list)));
    }
    return 0;
}

/* The lookahead must be '(' after the function name fn. */
static int expect_open(struct parser *p, const char *fn, size_t *open)
{
    if (advance(p) < 0)
        return -1;
    if (p->tok.kind != T_LPAREN)
        return unexpected(p, "'(' after '%s'", fn);
    *open = p->tok.pos;
    return 0;
}

/* The lookahead must be the ')' closing fn's '(' at open; consumes it. */
static int expect_close(struct parser *p, const char *fn, size_t open, size_t *end)
{
    if (p->tok.kind != T_RPAREN)
        return unexpected(p, "')' to close '%s(' at column %zu", fn, column(p, open));
    *end = p->tok.pos + 1;
    return advance(p);
}

/* fn "(" question ")" from the lookahead fn (a statistic). */
static int parse_stat(struct parser *p, const char *fn)
{
    size_t pos = p->tok.pos, open = 0, end = 0;
    const struct criteria_question *q = NULL;
    if (expect_open(p, fn, &open) < 0 || parse_question(p, &q) < 0)
        return -1;
    struct token qt = p->tok;
    if (strcmp(fn, "count") != 0 && q->kind != CRITERIA_RATING) {
        char shown[SHOW_SIZE];
        return fail(p, qt.pos, "%s needs a rating question, and '%s' is a %s question", fn,
                    show(shown, q->id, strlen(q->id)), kind_name(q->kind));
    }
    if (advance(p) < 0 || expect_close(p, fn, open, &end) < 0)
        return -1;
    int n = add_node(p, N_STAT, V_NUMBER, pos, end);
    node(p, n)->fn = fn;
    node(p, n)->question = xmemdupz(p->text + qt.pos, qt.len);
    return n;
}

/* The value of the string token at [pos, pos + len) (quotes included), unescaped. */
static char *unquote(const char *s, size_t len)
{
    char *out = xmalloc(len);
    size_t j = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] == '\\')
            i++;
        out[j++] = s[i];
    }
    out[j] = '\0';
    return out;
}

/* What a share of question q compares with, for messages. */
static const char *share_literal_hint(const struct criteria_question *q, char *out, size_t size)
{
    struct list l;
    switch (q->kind) {
    case CRITERIA_RATING:
        return "a number";
    case CRITERIA_YES_NO:
        return "\"yes\" or \"no\"";
    case CRITERIA_CHOICE:
    case CRITERIA_RANKING:
        if (q->options && q->n_options) {
            snprintf(out, size, "one of its options: %s",
                     string_list(q->options, q->n_options, &l));
            return out;
        }
        break;
    case CRITERIA_TEXT:
        break;
    }
    return "a string in double quotes";
}

/* Is the literal (token t, value text) one a share of q may compare with? */
static bool share_literal_ok(const struct criteria_question *q, const struct token *t,
                             const char *text)
{
    if (q->kind == CRITERIA_RATING)
        return t->kind == T_NUMBER;
    if (t->kind != T_STRING)
        return false;
    if (q->kind == CRITERIA_YES_NO)
        return strcmp(text, "yes") == 0 || strcmp(text, "no") == 0;
    if ((q->kind == CRITERIA_CHOICE || q->kind == CRITERIA_RANKING) && q->options && q->n_options) {
        for (size_t i = 0; i < q->n_options; i++)
            if (q->options[i] && strcmp(q->options[i], text) == 0)
                return true;
        return false;
    }
    return true;
}

/* "share" "(" question op literal ")" from the lookahead "share". */
static int parse_share(struct parser *p)
{
    size_t pos = p->tok.pos, open = 0, end = 0;
    const struct criteria_question *q = NULL;
    if (expect_open(p, "share", &open) < 0 || parse_question(p, &q) < 0)
        return -1;
    struct token qt = p->tok;
    bool rating = q->kind == CRITERIA_RATING;
    if (advance(p) < 0)
        return -1;
    if (p->tok.kind != T_OP)
        return expected_comparison(p, rating ? ALL_OPS : EQ_OPS, qt.pos, qt.pos + qt.len);
    enum op op = p->tok.op;
    if (!rating && op != OP_EQ && op != OP_NE)
        return fail(p, p->tok.pos, "share of a %s question compares only with == or != (got '%s')",
                    kind_name(q->kind), op_text[op]);
    if (advance(p) < 0)
        return -1;

    char hint[LIST_MAX + 64];
    const char *expected = share_literal_hint(q, hint, sizeof(hint));
    struct token lit = p->tok;
    if (lit.kind != T_NUMBER && lit.kind != T_STRING)
        return unexpected(p, "%s", expected);
    char *text = lit.kind == T_STRING ? unquote(p->text + lit.pos, lit.len)
                                      : xmemdupz(p->text + lit.pos, lit.len);
    if (!share_literal_ok(q, &lit, text)) {
        free(text);
        char shown[SHOW_SIZE];
        return fail(p, lit.pos, "share of a %s question compares with %s (got %s)",
                    kind_name(q->kind), expected, show(shown, p->text + lit.pos, lit.len));
    }
    if (advance(p) < 0 || expect_close(p, "share", open, &end) < 0) {
        free(text);
        return -1;
    }
    int n = add_node(p, N_SHARE, V_NUMBER, pos, end);
    struct node *s = node(p, n);
    s->question = xmemdupz(p->text + qt.pos, qt.len);
    s->op = op;
    s->is_number = lit.kind == T_NUMBER;
    s->number = lit.number;
    s->text = text;
    return n;
}

/* A value that starts with a word: winner, a call, or a mistake to explain. */
static int parse_word(struct parser *p, const char *expected)
{
    struct token t = p->tok;
    char shown[SHOW_SIZE];
    show(shown, p->text + t.pos, t.len);
    if (tok_is(p, "winner")) {
        if (!p->env->n_variants)
            return fail(p, t.pos, "winner needs variants (this test has none)");
        int n = add_node(p, N_WINNER, V_STRING, t.pos, t.pos + t.len);
        return advance(p) < 0 ? -1 : n;
    }
    for (size_t i = 0; i < ARRAY_SIZE(stat_fns); i++)
        if (tok_is(p, stat_fns[i]))
            return parse_stat(p, stat_fns[i]);
    if (tok_is(p, "share"))
        return parse_share(p);

    size_t after = p->at;
    while (is_space(at(p, after)))
        after++;
    if (at(p, after) == '(') {
        for (size_t i = 0; i < ARRAY_SIZE(stat_fns) + 1; i++) {
            const char *fn = i < ARRAY_SIZE(stat_fns) ? stat_fns[i] : "share";
            if (t.len == strlen(fn) && strncasecmp(p->text + t.pos, fn, t.len) == 0)
                return fail(p, t.pos, "unknown function '%s' (write '%s': names are lower-case)",
                            shown, fn);
        }
        return fail(p, t.pos,
                    "unknown function '%s' (functions: mean, median, min, max, stdev, count, "
                    "share)",
                    shown);
    }
    const struct criteria_question *q = find_question(p, t.pos, t.len);
    if (q) {
        char opt[SHOW_SIZE];
        if (q->kind == CRITERIA_RATING)
            return fail(p, t.pos, "'%s' is a question: use a function of it, e.g. mean(%s)", shown,
                        shown);
        if (q->kind == CRITERIA_YES_NO)
            return fail(p, t.pos,
                        "'%s' is a question: use a function of it, e.g. share(%s == \"yes\")",
                        shown, shown);
        if ((q->kind == CRITERIA_CHOICE || q->kind == CRITERIA_RANKING) && q->n_options &&
            q->options && q->options[0])
            return fail(p, t.pos,
                        "'%s' is a question: use a function of it, e.g. share(%s == \"%s\")", shown,
                        shown, show(opt, q->options[0], strlen(q->options[0])));
        return fail(p, t.pos, "'%s' is a question: use a function of it, e.g. count(%s)", shown,
                    shown);
    }
    return unexpected(p, "%s", expected);
}

/* value: number, string, winner, a call or "(" or ")"; expected names it in errors. */
static int parse_value(struct parser *p, const char *expected)
{
    struct token t = p->tok;
    int n;
    switch (t.kind) {
    case T_NUMBER:
        n = add_node(p, N_NUMBER, V_NUMBER, t.pos, t.pos + t.len);
        node(p, n)->number = t.number;
        return advance(p) < 0 ? -1 : n;
    case T_STRING:
        n = add_node(p, N_STRING, V_STRING, t.pos, t.pos + t.len);
        node(p, n)->text = unquote(p->text + t.pos, t.len);
        return advance(p) < 0 ? -1 : n;
    case T_LPAREN:
        return parse_group(p);
    case T_WORD:
        return parse_word(p, expected);
    case T_END:
    case T_RPAREN:
    case T_OP:
    case T_ASSIGN:
        break;
    }
    return unexpected(p, "%s", expected);
}

static bool is_constant(const struct node *n)
{
    return n->kind == N_NUMBER || n->kind == N_STRING;
}

static bool is_variant(const struct criteria_env *env, const char *s)
{
    for (size_t i = 0; i < env->n_variants; i++)
        if (env->variants && env->variants[i] && strcmp(env->variants[i], s) == 0)
            return true;
    return false;
}

/* A string compared with winner must be a variant id. */
static int check_variant(struct parser *p, int winner, int other)
{
    const struct node *o = node(p, other);
    if (node(p, winner)->kind != N_WINNER || o->kind != N_STRING || is_variant(p->env, o->text))
        return 0;
    char shown[SHOW_SIZE];
    struct list l;
    return fail(p, o->pos, "unknown variant %s (variants: %s)",
                show(shown, p->text + o->pos, o->end - o->pos),
                string_list(p->env->variants, p->env->n_variants, &l));
}

/* compare: value [ op value ], with both sides of one type. */
static int parse_compare(struct parser *p)
{
    int l = parse_value(p, EXPECT_VALUE);
    if (l < 0 || p->tok.kind != T_OP)
        return l;
    struct token opt = p->tok;
    char what[SHOW_SIZE];
    show(what, p->text + node(p, l)->pos, node(p, l)->end - node(p, l)->pos);
    if (node(p, l)->type == V_BOOL)
        return fail(p, opt.pos,
                    "unexpected '%s': '%s' is a condition, not a value to compare (combine "
                    "conditions with and, or, not)",
                    op_text[opt.op], what);
    if (node(p, l)->type == V_STRING && opt.op != OP_EQ && opt.op != OP_NE)
        return fail(p, opt.pos, "strings compare only with == or != (got '%s' after '%s')",
                    op_text[opt.op], what);

    char hint[LIST_MAX + 64];
    const char *expected = "a number";
    if (node(p, l)->kind == N_WINNER) {
        struct list vl;
        snprintf(hint, sizeof(hint), "a variant id in double quotes (%s)",
                 string_list(p->env->variants, p->env->n_variants, &vl));
        expected = hint;
    } else if (node(p, l)->kind == N_STRING) {
        expected = "winner";
    }
    if (advance(p) < 0)
        return -1;
    int r = parse_value(p, expected);
    if (r < 0)
        return -1;
    const struct node *ln = node(p, l), *rn = node(p, r);
    if (rn->type != ln->type) {
        char shown[SHOW_SIZE];
        show(shown, p->text + rn->pos, rn->end - rn->pos);
        if (rn->kind == N_STRING)
            return fail(p, rn->pos, "unexpected %s: expected %s", shown, expected);
        return fail(p, rn->pos, "unexpected '%s': expected %s", shown, expected);
    }
    if (check_variant(p, l, r) < 0 || check_variant(p, r, l) < 0)
        return -1;
    if (is_constant(ln) && is_constant(rn)) {
        show(what, p->text + ln->pos, rn->end - ln->pos);
        return fail(p, ln->pos,
                    "'%s' compares two constants (one side must be a function of a question, or "
                    "winner)",
                    what);
    }
    int n = add_node(p, N_CMP, V_BOOL, ln->pos, rn->end);
    node(p, n)->op = opt.op;
    node(p, n)->first = l;
    node(p, l)->next = r;
    return n;
}

/* not: "not" not | compare. */
static int parse_not(struct parser *p)
{
    if (!tok_is(p, "not"))
        return parse_compare(p);
    size_t pos = p->tok.pos;
    if (enter(p) < 0 || advance(p) < 0)
        return -1;
    int x = parse_not(p);
    if (x < 0 || need_bool(p, x) < 0)
        return -1;
    p->depth--;
    int n = add_node(p, N_NOT, V_BOOL, pos, node(p, x)->end);
    node(p, n)->first = x;
    return n;
}

void criterion_free(struct criterion *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->nodes[i].question);
        free(c->nodes[i].text);
    }
    free(c->nodes);
    free(c);
}

enum err_code criterion_parse(const char *text, const struct criteria_env *env,
                              struct criterion **out, struct err *err)
{
    static const struct criteria_env no_env;
    assert(out);
    *out = NULL;
    if (!text)
        text = "";
    if (!env)
        env = &no_env;

    size_t len = strnlen(text, CRITERION_MAX + 1);
    if (len > CRITERION_MAX)
        return set_err(err, "column %zu: criterion too long (at most %d bytes)",
                       utf8_chars(text, CRITERION_MAX + 1), CRITERION_MAX);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len((const unsigned char *)text + i, len - i);
        if (!n)
            return set_err(err, "column %zu: invalid UTF-8 (byte 0x%02x)", 1 + utf8_chars(text, i),
                           (unsigned char)text[i]);
        i += n;
    }

    struct parser p = { .text = text, .len = len, .env = env, .err = err };
    p.c = xcalloc(1, sizeof(*p.c));
    p.c->root = -1;
    int root = -1;
    if (lex(&p) < 0)
        goto fail;
    if (p.tok.kind == T_END) {
        fail(&p, p.tok.pos, "empty criterion: expected a comparison, e.g. mean(appeal) >= 7");
        goto fail;
    }
    root = parse_or(&p);
    if (root < 0 || need_bool(&p, root) < 0)
        goto fail;
    if (p.tok.kind != T_END) {
        unexpected(&p, "'and', 'or' or the end");
        goto fail;
    }
    p.c->root = root;
    *out = p.c;
    return ERR_OK;

fail:
    criterion_free(p.c);
    return ERR_INVALID;
}

/* ---- evaluation -----------------------------------------------------------------
 * Kleene's three-valued logic: an unknown value makes its comparison
 * unknown; "or" is true when any operand is, "and" false when any operand
 * is, "not" keeps unknown. An unknown result carries the index of the
 * leaf it came from, for the message.
 */

enum tri { TRI_FALSE, TRI_TRUE, TRI_UNKNOWN };

static bool number_of(const struct node *n, const struct criteria_values *v, double *out)
{
    double x = 0;
    bool ok = false;
    switch (n->kind) {
    case N_NUMBER:
        x = n->number;
        ok = true;
        break;
    case N_STAT:
        ok = v->stat && v->stat(v->ctx, n->fn, n->question, &x);
        break;
    case N_SHARE:
        ok = v->share &&
             v->share(v->ctx, n->question, op_text[n->op], n->text, n->number, n->is_number, &x);
        break;
    default:
        ok = !NEVER(true);
        break;
    }
    if (!ok || !isfinite(x))
        return false;
    *out = x;
    return true;
}

static const char *string_of(const struct node *n, const struct criteria_values *v)
{
    if (n->kind == N_STRING)
        return n->text;
    if (n->kind == N_WINNER)
        return v->winner;
    (void)NEVER(true);
    return NULL;
}

static bool compare_numbers(enum op op, double a, double b)
{
    switch (op) {
    case OP_GE:
        return a >= b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    case OP_LT:
        return a < b;
    case OP_EQ:
        return a == b;
    case OP_NE:
        return a != b;
    }
    return false;
}

static enum tri eval_compare(const struct criterion *c, const struct node *n,
                             const struct criteria_values *v, int *why)
{
    int li = n->first, ri = c->nodes[li].next;
    const struct node *l = &c->nodes[li], *r = &c->nodes[ri];
    if (l->type == V_NUMBER) {
        double a = 0, b = 0;
        if (!number_of(l, v, &a)) {
            *why = li;
            return TRI_UNKNOWN;
        }
        if (!number_of(r, v, &b)) {
            *why = ri;
            return TRI_UNKNOWN;
        }
        return compare_numbers(n->op, a, b) ? TRI_TRUE : TRI_FALSE;
    }
    const char *a = string_of(l, v), *b = string_of(r, v);
    if (!a || !b) {
        *why = a ? ri : li;
        return TRI_UNKNOWN;
    }
    bool equal = strcmp(a, b) == 0;
    return (n->op == OP_EQ) == equal ? TRI_TRUE : TRI_FALSE;
}

/* Node i as a condition; on TRI_UNKNOWN, *why is the unknown leaf. */
static enum tri eval_node(const struct criterion *c, int i, const struct criteria_values *v,
                          int *why)
{
    const struct node *n = &c->nodes[i];
    switch (n->kind) {
    case N_OR:
    case N_AND: {
        /* the value that decides: true for or, false for and */
        enum tri decides = n->kind == N_OR ? TRI_TRUE : TRI_FALSE;
        int unknown = -1;
        for (int k = n->first; k >= 0; k = c->nodes[k].next) {
            int w = -1;
            enum tri r = eval_node(c, k, v, &w);
            if (r == decides)
                return decides;
            if (r == TRI_UNKNOWN && unknown < 0)
                unknown = w;
        }
        if (unknown >= 0) {
            *why = unknown;
            return TRI_UNKNOWN;
        }
        return decides == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
    }
    case N_NOT: {
        enum tri r = eval_node(c, n->first, v, why);
        return r == TRI_UNKNOWN ? r : r == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
    }
    case N_CMP:
        return eval_compare(c, n, v, why);
    case N_NUMBER:
    case N_STRING:
    case N_WINNER:
    case N_STAT:
    case N_SHARE:
        break;
    }
    (void)NEVER(true); /* the parser makes only conditions of these */
    *why = i;
    return TRI_UNKNOWN;
}

/* How a leaf is named in "no value for ...": mean(q), share(q == "x"), winner. */
static void describe(const struct node *n, char *out, size_t size)
{
    switch (n->kind) {
    case N_STAT:
        snprintf(out, size, "%s(%s)", n->fn, n->question);
        return;
    case N_SHARE:
        if (n->is_number) {
            snprintf(out, size, "share(%s %s %s)", n->question, op_text[n->op], n->text);
        } else {
            char lit[2 * CRITERION_MAX + 1];
            size_t j = 0;
            for (const char *s = n->text; *s && j + 2 < sizeof(lit); s++) {
                if (*s == '"' || *s == '\\')
                    lit[j++] = '\\';
                lit[j++] = *s;
            }
            lit[j] = '\0';
            snprintf(out, size, "share(%s %s \"%s\")", n->question, op_text[n->op], lit);
        }
        return;
    case N_WINNER:
        snprintf(out, size, "winner");
        return;
    default:
        snprintf(out, size, "a value");
        return;
    }
}

enum err_code criterion_eval(const struct criterion *c, const struct criteria_values *v,
                             bool *passed, struct err *err)
{
    assert(passed);
    *passed = false;
    if (NEVER(!c || !v || c->root < 0))
        return err_set(err, ERR_INTERNAL, NULL, "criterion_eval: no criterion or values");
    int why = -1;
    enum tri r = eval_node(c, c->root, v, &why);
    if (r == TRI_UNKNOWN) {
        char name[3 * CRITERION_MAX];
        describe(&c->nodes[why], name, sizeof(name));
        return set_err(err, "no value for %s", name);
    }
    *passed = r == TRI_TRUE;
    return ERR_OK;
}
