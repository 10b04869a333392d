/*
 * llm/repair.c - finding the JSON object or array inside a model's answer
 * (llm/repair.h): the whole text, then Markdown code fences, then balanced
 * {...} / [...] spans, each candidate parsed strictly with jsonio_parse
 * (duplicate keys refused, scalars refused).
 *
 * Invariants: the work is bounded: input over REPAIR_MAX_INPUT bytes is
 * refused before anything else, and at most REPAIR_MAX_CANDIDATES fences
 * and span starts are tried, each costing one linear scan and at most one
 * parse. A span that balances but does not parse is skipped whole: a
 * broken answer is never replaced by a fragment found inside it. Nothing
 * is invented: the value returned is exactly what one candidate held.
 *
 * Threading: a pure function of its input; reentrant; no global state.
 */
#include "core/compat.h"

#include "llm/repair.h"

#include "core/jsonio.h"
#include "core/span.h"

/* Answers longer than this are refused with ERR_TOO_LARGE (1 MiB). */
#define REPAIR_MAX_INPUT ((size_t)1 << 20)

/* Fence contents and span starts tried at most, whole text not counted. */
#define REPAIR_MAX_CANDIDATES 64

/* The parse budget shared by the fence and span passes. */
struct attempts {
    int left;
};

/* True for the whitespace a model puts around an answer. */
static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Parses s strictly; a new reference, or NULL (the error is not kept). */
static json_t *try_parse(struct span s)
{
    json_t *v = NULL;
    if (jsonio_parse(s.ptr, s.len, &v, NULL) != ERR_OK)
        return NULL;
    return v;
}

/* ---- fences -------------------------------------------------------------------- */

/* Finds the next "```" in text[from..len); returns len when there is none. */
static size_t find_fence(const char *text, size_t len, size_t from)
{
    if (from >= len)
        return len;
    const char *hit = memmem(text + from, len - from, "```", 3);
    return hit ? (size_t)(hit - text) : len;
}

/* Whether the info string of a fence names JSON: empty, or "json" in any case. */
static bool is_json_tag(struct span tag)
{
    return tag.len == 0 || span_eq_nocase(tag, "json");
}

/*
 * Tries the content of each ```json (or bare ```) fence in order; the first
 * that parses wins. The info string runs from the fence to the first space,
 * brace, bracket or line end; the content starts on the next line, or
 * right there for an inline fence (```json {...}```), and ends at the next
 * fence, or at the end of the text when the fence is never closed.
 */
static json_t *from_fences(const char *text, size_t len, struct attempts *budget)
{
    size_t at = find_fence(text, len, 0);
    while (at < len && budget->left > 0) {
        size_t i = at + 3;
        while (i < len && text[i] == '`')
            i++;
        size_t tag_start = i;
        while (i < len && !is_space(text[i]) && text[i] != '{' && text[i] != '[' && text[i] != '`')
            i++;
        struct span tag = span_make(text + tag_start, i - tag_start);
        while (i < len && (text[i] == ' ' || text[i] == '\t'))
            i++;
        if (i < len && text[i] != '{' && text[i] != '[') {
            /* the content starts on the next line */
            while (i < len && text[i] != '\n')
                i++;
            if (i < len)
                i++;
        }
        size_t end = find_fence(text, len, i);
        if (is_json_tag(tag)) {
            budget->left--;
            json_t *v = try_parse(span_make(text + i, end - i));
            if (v)
                return v;
        }
        /* past the closing fence, to the next opening one */
        at = find_fence(text, len, end < len ? end + 3 : len);
    }
    return NULL;
}

/* ---- balanced spans ------------------------------------------------------------ */

/*
 * From the '{' or '[' at text[start], finds the end (one past) of the span
 * where the brackets balance, ignoring brackets inside JSON strings (with
 * their backslash escapes). Bracket kinds are not matched here; the parser
 * refuses a mismatch. Returns 0 when the text ends first.
 */
static size_t balanced_end(const char *text, size_t len, size_t start)
{
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = start; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return 0;
}

/*
 * Tries each balanced span in order of its start. A start whose span never
 * closes moves on to the next bracket (the real answer may follow a stray
 * one); a span that closes but does not parse is skipped whole.
 */
static json_t *from_spans(const char *text, size_t len, struct attempts *budget)
{
    size_t i = 0;
    while (i < len && budget->left > 0) {
        if (text[i] != '{' && text[i] != '[') {
            i++;
            continue;
        }
        budget->left--;
        size_t end = balanced_end(text, len, i);
        if (end == 0) {
            i++;
            continue;
        }
        json_t *v = try_parse(span_make(text + i, end - i));
        if (v)
            return v;
        i = end;
    }
    return NULL;
}

/* ---- repair_json --------------------------------------------------------------- */

enum err_code repair_json(const char *text, size_t len, json_t **out, bool *repaired,
                          struct err *err)
{
    *out = NULL;
    if (repaired)
        *repaired = false;
    if (len > REPAIR_MAX_INPUT)
        return err_set(err, ERR_TOO_LARGE, NULL,
                       "the answer is %zu bytes, more than the %zu accepted", len,
                       REPAIR_MAX_INPUT);

    size_t i = 0;
    while (i < len && is_space(text[i]))
        i++;
    if (i == len)
        return err_set(err, ERR_BAD_JSON, NULL,
                       "the answer is empty: expected a JSON object or array");

    struct err whole = ERR_INIT;
    json_t *v = NULL;
    if (jsonio_parse(text, len, &v, &whole) == ERR_OK) {
        *out = v;
        return ERR_OK;
    }

    struct attempts budget = { .left = REPAIR_MAX_CANDIDATES };
    v = from_fences(text, len, &budget);
    if (!v)
        v = from_spans(text, len, &budget);
    if (!v)
        return err_set(err, ERR_BAD_JSON, NULL, "%s", whole.msg);
    *out = v;
    if (repaired)
        *repaired = true;
    return ERR_OK;
}
