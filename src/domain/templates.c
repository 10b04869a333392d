/*
 * domain/templates.c - the template catalogue (domain/templates.h): every
 * embedded file under TEMPLATES_DIR read once, sorted by id.
 */
#include "core/compat.h"

#include "domain/templates.h"

#include <pthread.h>

#include "core/embed.h"
#include "core/xalloc.h"

static struct {
    struct persona_template *items;
    size_t n;
    struct err err; /* the first bad file, when there is one */
} catalogue;

static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct persona_template *)a)->id,
                  ((const struct persona_template *)b)->id);
}

/* "data/personas/ana-souza.json" -> "ana-souza"; false for any other path. */
static bool template_id_of(const char *path, char id[TEMPLATE_ID_MAX + 1])
{
    size_t dir = strlen(TEMPLATES_DIR);
    size_t len = strlen(path);
    if (strncmp(path, TEMPLATES_DIR, dir) != 0 || len < dir + 6 ||
        strcmp(path + len - 5, ".json") != 0)
        return false;
    size_t n = len - dir - 5;
    if (n > TEMPLATE_ID_MAX || memchr(path + dir, '/', n))
        return false;
    memcpy(id, path + dir, n);
    id[n] = '\0';
    return true;
}

static void template_release(struct persona_template *t)
{
    free(t->spec);
    strlist_release(&t->tags);
    persona_free(t->persona);
}

static void load_catalogue(void)
{
    err_clear(&catalogue.err);
    catalogue.items = xcalloc(n_embedded_files, sizeof(*catalogue.items));
    for (size_t i = 0; i < n_embedded_files; i++) {
        const struct embedded_file *f = &embedded_files[i];
        struct persona_template *t = &catalogue.items[catalogue.n];
        if (!template_id_of(f->path, t->id))
            continue;
        struct err err = ERR_INIT;
        if (template_read(f->data, f->len, t, &err)) {
            template_release(t);
            memset(t, 0, sizeof(*t));
            if (!catalogue.err.code)
                err_set(&catalogue.err, ERR_INTERNAL, err.field, "template %s: %s", f->path,
                        err.msg);
            continue;
        }
        catalogue.n++;
    }
    qsort(catalogue.items, catalogue.n, sizeof(*catalogue.items), by_id);
}

enum err_code templates_get(const struct persona_template **out, size_t *n, struct err *err)
{
    pthread_once(&catalogue_once, load_catalogue);
    *out = catalogue.items;
    *n = catalogue.n;
    if (catalogue.err.code)
        return err_set(err, catalogue.err.code, catalogue.err.field, "%s", catalogue.err.msg);
    return ERR_OK;
}

const struct persona_template *templates_find(const char *id)
{
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    if (!id || templates_get(&all, &n, &err))
        return NULL;
    struct persona_template key = { 0 };
    if (strlen(id) > TEMPLATE_ID_MAX)
        return NULL;
    snprintf(key.id, sizeof(key.id), "%s", id);
    return bsearch(&key, all, n, sizeof(*all), by_id);
}
