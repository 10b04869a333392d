/*
 * engine/reducer.c - the results reducer: its rules, the reduction of
 * events into rows, and rows as RFC 4180 CSV. See reducer.h.
 */
#include "core/compat.h"

#include "engine/reducer.h"

#include "core/xalloc.h"

struct rule {
    enum event_kind kind;
    int type; /* or REDUCER_ANY_TYPE */
    reducer_rule_fn *fn;
    void *ctx; /* borrowed */
};

struct reducer {
    struct rule *rules; /* in the order added: the order they are called */
    size_t n, alloc;
};

struct reducer *reducer_new(void)
{
    return xcalloc(1, sizeof(struct reducer));
}

void reducer_free(struct reducer *r)
{
    if (!r)
        return;
    free(r->rules);
    free(r);
}

void reducer_add_rule(struct reducer *r, enum event_kind kind, int type, reducer_rule_fn *fn,
                      void *ctx)
{
    assert(fn && (unsigned)kind < EVENT_KIND_COUNT_ && type >= REDUCER_ANY_TYPE);
    ALLOC_GROW(r->rules, r->n + 1, r->alloc);
    r->rules[r->n++] = (struct rule){ .kind = kind, .type = type, .fn = fn, .ctx = ctx };
}

/* Moves *row (its items) into rows, leaving *row empty. */
static void rows_take(struct reducer_rows *rows, struct strlist *row)
{
    ALLOC_GROW(rows->rows, rows->n + 1, rows->alloc);
    rows->rows[rows->n++] = *row;
    *row = (struct strlist){ 0 };
}

void reducer_reduce_event(const struct reducer *r, const char *agent, const struct event *e,
                          struct reducer_rows *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct rule *rule = &r->rules[i];
        if (rule->kind != e->kind || (rule->type != REDUCER_ANY_TYPE && rule->type != e->type))
            continue;
        struct strlist row = { 0 };
        if (rule->fn(rule->ctx, agent, e, &row))
            rows_take(out, &row);
        else
            strlist_release(&row);
    }
}

void reducer_reduce(const struct reducer *r, const char *agent, const struct episodic *m,
                    struct reducer_rows *out)
{
    for (size_t i = 0; i < m->n; i++)
        reducer_reduce_event(r, agent, &m->events[i], out);
}

void reducer_rows_add(struct reducer_rows *rows, const struct strlist *row)
{
    struct strlist copy = { 0 };
    for (size_t i = 0; i < row->n; i++)
        strlist_add(&copy, row->items[i]);
    rows_take(rows, &copy);
}

void reducer_rows_release(struct reducer_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        strlist_release(&rows->rows[i]);
    free(rows->rows);
    *rows = (struct reducer_rows){ 0 };
}

/* ---- CSV -------------------------------------------------------------------------------- */

/* One field: as it is, or quoted with its quotes doubled when it holds , " CR or LF. */
static void csv_field(struct buf *out, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        buf_adds(out, s);
        return;
    }
    buf_addch(out, '"');
    const char *quote = strchr(s, '"');
    while (quote) {
        buf_add(out, s, (size_t)(quote - s) + 1);
        buf_addch(out, '"');
        s = quote + 1;
        quote = strchr(s, '"');
    }
    buf_adds(out, s);
    buf_addch(out, '"');
}

static void csv_line(struct buf *out, const struct strlist *fields)
{
    if (fields->n == 1 && !*fields->items[0]) {
        buf_adds(out, "\"\"\r\n"); /* one empty field: not an empty line, which readers skip */
        return;
    }
    for (size_t i = 0; i < fields->n; i++) {
        if (i > 0)
            buf_addch(out, ',');
        csv_field(out, fields->items[i]);
    }
    buf_adds(out, "\r\n");
}

enum err_code reducer_rows_csv(const struct reducer_rows *rows, const struct strlist *columns,
                               struct buf *out, struct err *err)
{
    size_t width = columns ? columns->n : rows->n ? rows->rows[0].n : 0;
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].n != width)
            return err_set(err, ERR_INVALID, "rows", "row %zu has %zu fields, expected %zu", i,
                           rows->rows[i].n, width);

    size_t start = out->len;
    if (columns)
        csv_line(out, columns);
    for (size_t i = 0; i < rows->n; i++)
        csv_line(out, &rows->rows[i]);
    if (out->failed) {
        buf_truncate(out, start);
        return err_set(err, ERR_TOO_LARGE, NULL, "the CSV is larger than %zu bytes", out->max);
    }
    return ERR_OK;
}
