/*
 * engine/offline/compose.c - sentences from the phrase banks: one
 * alternative of a key, chosen by the caller's generator, with its
 * placeholders filled.
 */
#include "core/compat.h"

#include "engine/offline/model.h"

/* The value of placeholder name[0..n), or NULL when unknown. */
static const char *var(const struct phrase_vars *v, const char *name, size_t n, int lang,
                       char *step)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        { "topic", offsetof(struct phrase_vars, topic) },
        { "interest", offsetof(struct phrase_vars, interest) },
        { "dislike", offsetof(struct phrase_vars, dislike) },
        { "occupation", offsetof(struct phrase_vars, occupation) },
        { "price", offsetof(struct phrase_vars, price) },
        { "product", offsetof(struct phrase_vars, product) },
        { "name", offsetof(struct phrase_vars, name) },
        { "speaker", offsetof(struct phrase_vars, speaker) },
        { "value", offsetof(struct phrase_vars, value) },
    };
    if (n == 4 && memcmp(name, "step", 4) == 0) {
        snprintf(step, 16, "%d", v ? v->step : 0);
        return step;
    }
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        if (strlen(fields[i].name) != n || memcmp(fields[i].name, name, n) != 0)
            continue;
        const char *s = v ? *(const char *const *)((const char *)v + fields[i].offset) : NULL;
        if (s && *s)
            return s;
        /* a neutral stand-in, so a sentence never shows an empty hole */
        return lang == OFFLINE_LANG_PT ? "isso" : "this";
    }
    return NULL;
}

void compose(const struct offline_model *m, const char *key, int lang, const struct phrase_vars *v,
             struct prng *r, struct buf *out)
{
    const struct strlist *alts = offline_phrases_find(m->data, key, lang);
    if (!alts || alts->n == 0)
        return;
    const char *tpl = alts->items[prng_below(r, alts->n)];
    if (out->len && out->data[out->len - 1] != ' ' && out->data[out->len - 1] != '\n')
        buf_addch(out, ' ');
    char step[16];
    for (const char *p = tpl; *p;) {
        const char *open = strchr(p, '{');
        if (!open) {
            buf_adds(out, p);
            break;
        }
        const char *close = strchr(open, '}');
        if (!close) {
            buf_adds(out, p);
            break;
        }
        buf_add(out, p, (size_t)(open - p));
        const char *value = var(v, open + 1, (size_t)(close - open - 1), lang, step);
        if (value)
            buf_adds(out, value);
        else
            buf_add(out, open, (size_t)(close - open + 1)); /* not ours: left as written */
        p = close + 1;
    }
}
