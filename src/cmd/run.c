/*
 * cmd/run.c - "crowdelic run TEST.json": one test run with no server and no
 * database (SPEC.md 3 "A test, as the API, the UI and `crowdelic run` all
 * write it"). The test file is read and checked by domain/test_spec.h, the
 * panel is made here from the template catalogue, a --personas file or the
 * engine's factory, domain/run_exec.h runs it through the model gateway
 * that cmd/llm_wiring.h builds from the configuration (the offline model by
 * default), with a sink that keeps every step in memory, and the results
 * are written as three files: results.json, results.csv and report.html.
 *
 * Invariants: nothing in results.json depends on the clock, the run's
 * timing or a random draw - the seed (the test's, else --seed, else 1) fixes
 * every model call - so the same test and seed give the same bytes. The
 * output files are never overwritten without --force, and each is written
 * to a temporary name and renamed, so a file is either whole or absent.
 *
 * Threading: the main thread runs everything; the gateway's threads answer
 * the model calls. SIGINT and SIGTERM only set a flag (STYLE.md G6): the
 * run stops before its next step and the command exits 128 + the signal,
 * writing nothing; a second signal ends the process at once.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "cmd/llm_wiring.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/log.h"
#include "core/span.h"
#include "core/xalloc.h"
#include "domain/run_exec.h"
#include "domain/run_report.h"
#include "domain/templates.h"
#include "domain/test_spec.h"
#include "engine/population.h"
#include "report/report_html.h"

#include <signal.h>
#include <sys/stat.h>

#define TEST_FILE_MAX     (16u << 20)  /* bytes of a test file */
#define PERSONAS_FILE_MAX (64u << 20)  /* bytes of a --personas file */
#define OUTPUT_MAX        (512u << 20) /* bytes of one output file */
#define SLUG_MAX          60           /* characters of a name made into a path or an id */
#define DEFAULT_SEED      1
#define TEMPLATE_PREFIX   "template:"
#define GENERATED_PREFIX  "generated-"
#define BAR_WIDTH         30

static const char *const OUTPUTS[] = { "results.json", "results.csv", "report.html" };

/* The signal that asked the run to stop (0: none); set by the handler only. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

static bool is_alnum_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- options ------------------------------------------------------------------------------
 *
 * The command line, read into one struct. Every problem is exit 2 with the
 * option named; the run itself starts only when all of them are right.
 */

struct run_options {
    const char *test_path;
    const char *out_dir; /* NULL: ./crowdelic-run-<slug of the test's name> */
    const char *model;   /* NULL: the test's, else the configuration's */
    const char *personas_path;
    bool has_seed;
    uint64_t seed;
    bool quiet, force;
};

/*
 * The value of option argv[*i], given as "NAME VALUE" or "NAME=VALUE"
 * (*i moves past it); NULL when it is missing.
 */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* Whether a is the option name, alone or as "name=value". */
static bool is_option(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* Reads the command line into o; 0, or 2 after saying what is wrong. */
static int parse_options(int argc, char **argv, struct run_options *o)
{
    memset(o, 0, sizeof(*o));
    const struct {
        const char *name;
        const char **value;
    } texts[] = { { "--out", &o->out_dir },
                  { "--model", &o->model },
                  { "--personas", &o->personas_path } };
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool done = false;
        for (size_t k = 0; k < ARRAY_SIZE(texts) && !done; k++) {
            if (!is_option(a, texts[k].name))
                continue;
            const char *v = option_value(argc, argv, &i, texts[k].name);
            if (!v || !*v) {
                fprintf(stderr, "crowdelic run: %s needs a value (see --help)\n", texts[k].name);
                return 2;
            }
            *texts[k].value = v;
            done = true;
        }
        if (done)
            continue;
        if (is_option(a, "--seed")) {
            const char *v = option_value(argc, argv, &i, "--seed");
            if (!v) {
                fprintf(stderr, "crowdelic run: --seed needs a value (see --help)\n");
                return 2;
            }
            if (!span_parse_u64(span_cstr(v), TEST_SEED_MAX, &o->seed)) {
                fprintf(stderr,
                        "crowdelic run: --seed: '%s' is not a whole number from 0 to %" PRIu64 "\n",
                        v, (uint64_t)TEST_SEED_MAX);
                return 2;
            }
            o->has_seed = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--force") == 0 || strcmp(a, "-f") == 0) {
            o->force = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "crowdelic run: unknown option '%s' (see --help)\n", a);
            return 2;
        } else if (o->test_path) {
            fprintf(stderr, "crowdelic run: one test file at a time (got '%s' and '%s')\n",
                    o->test_path, a);
            return 2;
        } else {
            o->test_path = a;
        }
    }
    if (!o->test_path) {
        fprintf(stderr, "crowdelic run: no test file given (usage: crowdelic run TEST.json "
                        "[OPTIONS]; see --help)\n");
        return 2;
    }
    if (o->model && strlen(o->model) > TEST_MODEL_NAME_MAX) {
        fprintf(stderr, "crowdelic run: --model: at most %d characters\n", TEST_MODEL_NAME_MAX);
        return 2;
    }
    return 0;
}

/* ---- reading files -------------------------------------------------------------------------
 *
 * A file that cannot be read, is too large, is not JSON or breaks a rule is
 * exit 2 with a message naming the file and, where there is one, the JSON
 * path of the field at fault.
 */

/*
 * The whole file at path (malloc'd, NUL-terminated, its length in *len),
 * or NULL after printing why: it cannot be read, or is larger than max.
 */
static char *read_whole_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "crowdelic run: %s: cannot read it: %s\n", path, strerror(errno));
        return NULL;
    }
    struct buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf_add(&b, chunk, n))
        ;
    bool failed = ferror(f) != 0;
    int saved = errno;
    fclose(f);
    if (failed || b.failed) {
        if (b.failed)
            fprintf(stderr, "crowdelic run: %s: larger than %zu MiB\n", path, max >> 20);
        else
            fprintf(stderr, "crowdelic run: %s: cannot read it: %s\n", path, strerror(saved));
        buf_release(&b);
        return NULL;
    }
    char *text = buf_detach(&b, len);
    buf_release(&b);
    return text;
}

/*
 * Prints a file's error as "crowdelic run: FILE: FIELD: MESSAGE", the
 * field left out when the message already starts with it.
 */
static void print_file_error(const char *path, const struct err *err)
{
    size_t fl = strlen(err->field);
    if (err->code == ERR_BAD_JSON)
        fprintf(stderr, "crowdelic run: %s: not JSON: %s\n", path, err->msg);
    else if (fl == 0 || strncmp(err->msg, err->field, fl) == 0)
        fprintf(stderr, "crowdelic run: %s: %s\n", path, err->msg);
    else
        fprintf(stderr, "crowdelic run: %s: %s: %s\n", path, err->field, err->msg);
}

/*
 * The test in text with "template:" dropped from its config.personas ids
 * (the form a server run writes them in), as new text (malloc'd) - or NULL
 * when there is nothing to drop (or the text is not JSON: the test's own
 * reader says so).
 */
static char *without_template_prefix(const char *text, size_t len, size_t *out_len)
{
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    const json_t *ids = json_object_get(json_object_get(root, "config"), "personas");
    size_t i;
    json_t *v;
    bool changed = false;
    json_array_foreach (ids, i, v) {
        const char *s = json_string_value(v);
        if (s && strncasecmp(s, TEMPLATE_PREFIX, strlen(TEMPLATE_PREFIX)) == 0) {
            json_string_set(v, s + strlen(TEMPLATE_PREFIX));
            changed = true;
        }
    }
    char *out = changed ? jsonio_dump(root, 0, out_len) : NULL;
    json_decref(root);
    return out;
}

/* Reads and checks the test file; 0, or 2 after saying what is wrong. */
static int read_test(const char *path, struct test_spec **out)
{
    size_t len = 0, fixed_len = 0;
    char *text = read_whole_file(path, TEST_FILE_MAX, &len);
    if (!text)
        return 2;
    char *fixed = without_template_prefix(text, len, &fixed_len);
    struct err err = ERR_INIT;
    enum err_code rc = fixed ? test_spec_parse(fixed, fixed_len, out, &err)
                             : test_spec_parse(text, len, out, &err);
    free(fixed);
    free(text);
    if (rc) {
        print_file_error(path, &err);
        return 2;
    }
    return 0;
}

/* ---- the panel -----------------------------------------------------------------------------
 *
 * Who the run asks: ids of config.personas (a --personas file's first, then
 * the template catalogue), every template, or personas generated now by the
 * engine's factory. Libraries and filters are a workspace's: they need a
 * server. Member ids: "template:<id>" for a template (as a server run
 * writes them), the file's id for a file's persona, "generated-<n>" for a
 * generated one.
 */

/* One persona of a --personas file. */
struct file_persona {
    char *id;                /* its id, or its name as an id (slug_of) */
    struct persona *persona; /* owned */
};

struct file_personas {
    struct file_persona *items;
    size_t n;
};

struct panel {
    struct run_member *members; /* ids point into ids, personas into the catalogue or own */
    size_t n;
    struct strlist ids;
    struct persona **own; /* personas the panel owns (generated ones), freed with it */
    size_t n_own;
};

static void file_personas_release(struct file_personas *fp)
{
    for (size_t i = 0; i < fp->n; i++) {
        free(fp->items[i].id);
        persona_free(fp->items[i].persona);
    }
    free(fp->items);
    memset(fp, 0, sizeof(*fp));
}

static void panel_release(struct panel *p)
{
    for (size_t i = 0; i < p->n_own; i++)
        persona_free(p->own[i]);
    free(p->own);
    free(p->members);
    strlist_release(&p->ids);
    memset(p, 0, sizeof(*p));
}

/*
 * The Latin-1 letters (U+00C0..U+00FF, the second byte of C3 xx) in ASCII,
 * by code & 0x1f; NULL for the two signs (x and the division sign). The
 * last one, U+00FF, is apart.
 */
static const char *const LATIN1_ASCII[32] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
};

/*
 * s made into a name for a path or an id, appended to out: lower-case
 * ASCII letters and digits, every other run of characters one '-', none at
 * either end; accented Latin letters lose their accents and letters of
 * other scripts are left out. At most SLUG_MAX characters; nothing for a
 * text with no letter or digit.
 */
static void slug_of(const char *s, struct buf *out)
{
    size_t start = out->len;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)s; *p && out->len - start < SLUG_MAX;) {
        const char *ascii = NULL;
        char one[2] = { 0, 0 };
        if (is_alnum_ascii(*p)) {
            one[0] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            ascii = one;
            p++;
        } else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
            ascii = p[1] == 0xbf ? "y" : LATIN1_ASCII[(p[1] - 0x80) & 0x1f];
            p += 2;
        } else if (*p >= 0x80) {
            for (p++; (*p & 0xc0) == 0x80; p++)
                ;
            continue; /* a letter of another script: left out, not a separator */
        } else {
            p++;
        }
        if (!ascii) {
            dash = out->len > start;
            continue;
        }
        if (dash)
            buf_addch(out, '-');
        dash = false;
        buf_adds(out, ascii);
    }
}

/* Whether s is an id a test may name: 1..TEST_ID_MAX letters, digits, '-' or '_'. */
static bool is_test_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > TEST_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum_ascii((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

/*
 * Reads one persona of a --personas file (item, borrowed; at index i): the
 * API's shape when it has demographics or profile, else the engine's
 * (TinyTroupe's, also wrapped as {"persona": {...}}). The API layer's own
 * keys (template_id, validation) and the spec's id are not persona fields.
 */
static enum err_code read_file_persona(const json_t *item, size_t i, struct file_persona *out,
                                       struct err *err)
{
    if (!json_is_object(item))
        return err_set(err, ERR_INVALID, "", "[%zu]: a persona must be a JSON object (got %s)", i,
                       jsonio_kind(item));
    const json_t *inner = json_object_get(item, "persona");
    if (json_is_object(inner) && !json_object_get(item, "name"))
        item = inner;
    bool api = json_object_get(item, "demographics") || json_object_get(item, "profile");
    const json_t *id = json_object_get(item, "id");
    if (id && !json_is_null(id) && !json_is_string(id))
        return err_set(err, ERR_INVALID, "", "[%zu].id: must be a string (got %s)", i,
                       jsonio_kind(id));
    json_t *copy = json_copy((json_t *)item);
    json_object_del(copy, "id");
    json_object_del(copy, "template_id");
    json_object_del(copy, "validation");
    struct persona *p = NULL;
    enum err_code rc =
        persona_from_json(copy, api ? PERSONA_SHAPE_API : PERSONA_SHAPE_SPEC, &p, err);
    json_decref(copy);
    if (rc) {
        /* the reader's message names the field ("age: must be ..."): put the item first */
        struct err why = *err;
        size_t fl = strlen(why.field);
        if (fl && strncmp(why.msg, why.field, fl) == 0)
            return err_set(err, rc, "", "[%zu].%s", i, why.msg);
        return err_set(err, rc, "", "[%zu]%s%s: %s", i, fl ? "." : "", why.field, why.msg);
    }
    struct buf b;
    buf_init(&b, 256);
    if (json_string_value(id))
        buf_adds(&b, json_string_value(id));
    else
        slug_of(p->name, &b);
    out->id = buf_detach(&b, NULL);
    buf_release(&b);
    out->persona = p;
    if (!is_test_id(out->id))
        return err_set(err, ERR_INVALID, "",
                       "[%zu].id: '%s' cannot be named in config.personas "
                       "(1 to %d letters, digits, '-' or '_'); give the persona such an id",
                       i, out->id, TEST_ID_MAX);
    return ERR_OK;
}

/*
 * Reads a --personas file: a JSON array of personas, or an object holding
 * one as "personas" or "items" (GET /api/personas). 0, or 2 after saying
 * what is wrong (the message names the item and its field).
 */
static int read_personas_file(const char *path, struct file_personas *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = 0;
    char *text = read_whole_file(path, PERSONAS_FILE_MAX, &len);
    if (!text)
        return 2;
    json_t *root = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = jsonio_parse(text, len, &root, &err);
    free(text);
    const json_t *list = root;
    if (!rc && json_is_object(root))
        list = json_object_get(root, "personas") ? json_object_get(root, "personas")
                                                 : json_object_get(root, "items");
    if (!rc && !json_is_array(list))
        rc = err_set(&err, ERR_INVALID, "",
                     "must be a JSON array of personas (the API's shape or the engine's)");
    if (!rc && json_array_size(list) == 0)
        rc = err_set(&err, ERR_INVALID, "", "holds no persona");
    if (!rc)
        out->items = xcalloc(json_array_size(list), sizeof(*out->items));
    for (size_t i = 0; !rc && i < json_array_size(list); i++) {
        struct file_persona one = { 0 };
        rc = read_file_persona(json_array_get(list, i), i, &one, &err);
        for (size_t k = 0; !rc && k < out->n; k++)
            if (strcasecmp(out->items[k].id, one.id) == 0)
                rc = err_set(&err, ERR_INVALID, "",
                             "[%zu].id: '%s' is also the id of persona [%zu] (ids must differ)", i,
                             one.id, k);
        if (rc) {
            free(one.id);
            persona_free(one.persona);
        } else {
            out->items[out->n++] = one;
        }
    }
    json_decref(root);
    if (rc) {
        print_file_error(path, &err);
        file_personas_release(out);
        return 2;
    }
    return 0;
}

static void panel_add(struct panel *p, const char *id, const struct persona *who)
{
    strlist_add(&p->ids, id);
    p->members = xrealloc(p->members, st_mult(p->ids.n, sizeof(*p->members)));
    p->members[p->n++] = (struct run_member){ .id = NULL, .persona = who };
}

/* The template catalogue, or NULL after printing why (a defect of the build). */
static const struct persona_template *catalogue(size_t *n)
{
    const struct persona_template *all = NULL;
    struct err err = ERR_INIT;
    if (templates_get(&all, n, &err)) {
        fprintf(stderr, "crowdelic run: the template personas cannot be read: %s\n", err.msg);
        return NULL;
    }
    return all;
}

/* config.personas: each id from the file, else the catalogue. 0, or 2 naming the unknown id. */
static int panel_of_ids(const char *test_path, const struct test_spec *t,
                        const struct file_personas *fp, struct panel *p)
{
    const struct strlist *ids = &t->panel.persona_ids;
    for (size_t i = 0; i < ids->n; i++) {
        const char *id = ids->items[i];
        const struct file_persona *found = NULL;
        for (size_t k = 0; k < fp->n && !found; k++)
            if (strcasecmp(fp->items[k].id, id) == 0)
                found = &fp->items[k];
        if (found) {
            panel_add(p, found->id, found->persona);
            continue;
        }
        char lower[TEMPLATE_ID_MAX + 1];
        size_t n = strlen(id) < TEMPLATE_ID_MAX ? strlen(id) : TEMPLATE_ID_MAX;
        for (size_t k = 0; k < n; k++)
            lower[k] = (char)(id[k] >= 'A' && id[k] <= 'Z' ? id[k] - 'A' + 'a' : id[k]);
        lower[n] = '\0';
        const struct persona_template *tp = templates_find(lower);
        if (!tp) {
            fprintf(stderr,
                    "crowdelic run: %s: config.personas[%zu]: no persona '%s' %s (template ids "
                    "are the names of data/personas/*.json, e.g. 'sophie-brennan-london')\n",
                    test_path, i, id,
                    fp->n ? "in the --personas file nor among the templates"
                          : "among the templates");
            return 2;
        }
        char member[TEMPLATE_ID_MAX + sizeof(TEMPLATE_PREFIX)];
        snprintf(member, sizeof(member), TEMPLATE_PREFIX "%s", tp->id);
        panel_add(p, member, tp->persona);
    }
    return 0;
}

/*
 * config.panel.generate: the factory's personas, made with e (its seed is
 * the run's); the cost is added to usage. 0, or 1 after saying why.
 */
static int panel_generate(const struct engine *e, const struct test_spec *t, bool quiet,
                          struct panel *p, struct engine_usage *usage)
{
    if (!quiet)
        fprintf(stderr, "generating %d personas: %s\n", t->panel.generate, t->panel.description);
    struct population_request req = { .description = t->panel.description, .n = t->panel.generate };
    struct population_result *pop = NULL;
    struct err err = ERR_INIT;
    if (population_generate(e, &req, usage, &pop, &err)) {
        fprintf(stderr, "crowdelic run: generating the panel failed: %s\n", err.msg);
        return 1;
    }
    p->own = xcalloc(pop->n_samples ? pop->n_samples : 1, sizeof(*p->own));
    const char *why = NULL;
    for (size_t i = 0; i < pop->n_samples; i++) {
        struct population_sample *s = &pop->samples[i];
        if (!s->persona) {
            why = why ? why : s->err.msg;
            continue;
        }
        char id[32];
        snprintf(id, sizeof(id), GENERATED_PREFIX "%zu", p->n_own + 1);
        p->own[p->n_own++] = s->persona;
        s->persona = NULL; /* the panel's now */
        panel_add(p, id, p->own[p->n_own - 1]);
    }
    if (why && !quiet)
        fprintf(stderr, "crowdelic run: %zu of %d personas could not be generated (%s)\n",
                (size_t)t->panel.generate - p->n_own, t->panel.generate, why);
    population_result_free(pop);
    return 0;
}

/*
 * Whether this command can make t's panel: a library or a filter is a
 * workspace's. 0, or 2 after saying so (before any model is asked).
 */
static int panel_supported(const char *test_path, const struct test_spec *t, bool has_file,
                           bool quiet)
{
    enum panel_kind k = t->panel.kind;
    if (k == PANEL_LIBRARY || k == PANEL_FILTER) {
        fprintf(stderr,
                "crowdelic run: %s: config.panel: a %s panel is a workspace's and needs a server "
                "(crowdelic serve); here give config.personas (template ids, or the ids of a "
                "--personas file), \"panel\": {\"templates\": \"all\"} or \"panel\": "
                "{\"generate\": N, \"description\": \"...\"}\n",
                test_path, k == PANEL_LIBRARY ? "library" : "filter");
        return 2;
    }
    if (has_file && k != PANEL_PERSONAS && !quiet)
        fprintf(stderr, "crowdelic run: --personas is not used: the test's panel is config.panel, "
                        "not config.personas\n");
    return 0;
}

/*
 * The run's panel; 0, 1 (generating failed) or 2 (a panel this command
 * cannot make, an unknown id, a focus group of the wrong size).
 */
static int make_panel(const char *test_path, const struct test_spec *t,
                      const struct file_personas *fp, const struct engine *e, bool quiet,
                      struct panel *p, struct engine_usage *usage)
{
    memset(p, 0, sizeof(*p));
    int rc = 0;
    size_t n_all = 0;
    const struct persona_template *all = NULL;
    switch (t->panel.kind) {
    case PANEL_PERSONAS:
        rc = panel_of_ids(test_path, t, fp, p);
        break;
    case PANEL_TEMPLATES:
        all = catalogue(&n_all);
        if (!all)
            return 1;
        for (size_t i = 0; i < n_all; i++) {
            char member[TEMPLATE_ID_MAX + sizeof(TEMPLATE_PREFIX)];
            snprintf(member, sizeof(member), TEMPLATE_PREFIX "%s", all[i].id);
            panel_add(p, member, all[i].persona);
        }
        break;
    case PANEL_GENERATE:
        rc = panel_generate(e, t, quiet, p, usage);
        break;
    case PANEL_LIBRARY:
    case PANEL_FILTER:
    default:
        return 2; /* refused by panel_supported before anything ran */
    }
    for (size_t i = 0; i < p->n; i++)
        p->members[i].id = p->ids.items[i];
    if (!rc && t->type == TEST_FOCUS_GROUP && (p->n < 2 || p->n > TEST_FOCUS_GROUP_MAX)) {
        fprintf(stderr,
                "crowdelic run: %s: config.panel: a focus group seats 2 to %d personas (this "
                "panel has %zu); list them in config.personas\n",
                test_path, TEST_FOCUS_GROUP_MAX, p->n);
        rc = 2;
    }
    return rc;
}

/* ---- the run: an in-memory sink, progress ---------------------------------------------------
 *
 * The sink keeps every unit's rows (run_rows_add_unit, as a server run
 * stores them), a focus group's last world state and its transcript, and
 * the model's usage; it draws the progress on stderr after every step and
 * stops the run on a signal or at the test's timeout.
 */

struct mem_run {
    struct run_rows rows;
    char *state; /* the focus group's world, as the last step left it */
    size_t state_len;
    struct buf transcript;  /* the focus group's lines as JSON objects, comma-separated */
    struct run_lines lines; /* ... and as the report takes them */
    struct engine_usage usage;
    int steps;
    int64_t done, total;
    int64_t started_ms, deadline_ms; /* monotonic */
    bool quiet, tty, drawn;
    const char *counting; /* what done and total count: "units" or "steps" */
};

/* Draws the progress: a bar redrawn in place on a terminal, a line a step otherwise. */
static void progress_draw(struct mem_run *m)
{
    if (m->quiet)
        return;
    double secs = (double)(clock_mono_ms() - m->started_ms) / 1000.0;
    if (!m->tty) {
        fprintf(stderr, "step %d: %" PRId64 "/%" PRId64 " %s\n", m->steps, m->done, m->total,
                m->counting);
        return;
    }
    int filled = m->total > 0 ? (int)(m->done * BAR_WIDTH / m->total) : 0;
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %" PRId64 "/%" PRId64 " %s  %.1f s\033[K", bar, m->done, m->total,
            m->counting, secs);
    fflush(stderr);
    m->drawn = true;
}

/* Ends the bar's line, so the next message starts on its own. */
static void progress_end(struct mem_run *m)
{
    if (m->drawn)
        fputc('\n', stderr);
    m->drawn = false;
}

static void usage_add(struct engine_usage *into, const struct engine_usage *u)
{
    into->calls += u->calls;
    into->failures += u->failures;
    into->cache_hits += u->cache_hits;
    into->reasks += u->reasks;
    into->tokens_in += u->tokens_in;
    into->tokens_out += u->tokens_out;
    into->cost_micros += u->cost_micros;
}

/* One line of the discussion as a JSON object, appended to the transcript. */
static void said_add(struct buf *b, const struct run_said *l)
{
    if (b->len)
        buf_adds(b, ",\n  ");
    buf_adds(b, "{\"scenario\":");
    buf_add_json_string(b, l->scenario);
    buf_addf(b, ",\"round\":%d,\"persona_id\":", l->round);
    buf_add_json_string(b, l->member_id);
    buf_adds(b, ",\"speaker\":");
    buf_add_json_string(b, l->speaker);
    buf_adds(b, ",\"target\":");
    buf_add_json_string(b, l->target);
    buf_adds(b, ",\"text\":");
    buf_add_json_string(b, l->text);
    buf_addch(b, '}');
}

static enum err_code sink_save_step(void *ctx, const struct run_step *step, struct err *err)
{
    struct mem_run *m = ctx;
    for (size_t i = 0; i < step->n_units; i++)
        run_rows_add_unit(&m->rows, &step->units[i]);
    for (size_t i = 0; i < step->n_said; i++) {
        said_add(&m->transcript, &step->said[i]);
        run_lines_add(&m->lines, &step->said[i]);
    }
    if (m->transcript.failed)
        return err_set(err, ERR_TOO_LARGE, NULL, "the discussion's transcript passed %zu MiB",
                       m->transcript.max >> 20);
    if (step->state) {
        free(m->state);
        m->state = xmemdupz(step->state, step->state_len);
        m->state_len = step->state_len;
    }
    if (step->usage)
        usage_add(&m->usage, step->usage);
    m->steps++;
    m->done = step->done;
    m->total = step->total;
    progress_draw(m);
    return ERR_OK;
}

static enum err_code sink_load_state(void *ctx, char **state, size_t *len, struct err *err)
{
    (void)err;
    const struct mem_run *m = ctx;
    *state = m->state ? xmemdupz(m->state, m->state_len) : NULL;
    *len = m->state ? m->state_len : 0;
    return ERR_OK;
}

static enum run_control sink_control(void *ctx)
{
    (void)ctx;
    return stop_signal ? RUN_CANCEL : RUN_GO;
}

static bool sink_expired(void *ctx)
{
    const struct mem_run *m = ctx;
    return clock_mono_ms() > m->deadline_ms;
}

/* ---- outputs -------------------------------------------------------------------------------
 *
 * results.json holds the test as run (canonical), the panel, every row and
 * the report; results.csv is run_rows_csv's; report.html is report_html's
 * page of the report. Built in memory, then each written to a temporary
 * name in the directory and renamed over its name.
 */

/* Whether path exists (as anything). */
static bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/*
 * Checks the output directory before anything runs: not a file, and none
 * of the outputs already there unless force. 0, or 2 after saying why.
 */
static int check_out_dir(const char *dir, bool force)
{
    struct stat st;
    if (strlen(dir) + 32 > PATH_MAX) {
        fprintf(stderr, "crowdelic run: the output directory's path is too long\n");
        return 2;
    }
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr,
                "crowdelic run: %s exists and is not a directory; give another --out directory\n",
                dir);
        return 2;
    }
    for (size_t i = 0; i < ARRAY_SIZE(OUTPUTS) && !force; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, OUTPUTS[i]);
        if (path_exists(path)) {
            fprintf(stderr,
                    "crowdelic run: %s exists; give another --out directory, or --force to "
                    "overwrite it\n",
                    path);
            return 2;
        }
    }
    return 0;
}

/* mkdir -p dir; true when it is a directory afterwards, *created when this made it. */
static bool make_dirs(const char *dir, bool *created)
{
    *created = false;
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    if (mkdir(path, 0777) == 0) {
        *created = true;
        return true;
    }
    struct stat st;
    return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Writes data to dir/name through a temporary file; false after printing why. */
static bool write_output(const char *dir, const char *name, const char *data, size_t len)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "crowdelic run: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    return ok;
}

/* results.json (see the top of the section), appended to out. */
static void results_json(const char *test_json, const struct panel *p, const struct mem_run *m,
                         bool focus_group, const char *report, struct buf *out)
{
    buf_adds(out, "{\"test\": ");
    buf_adds(out, test_json);
    buf_adds(out, ",\n \"personas\": [");
    for (size_t i = 0; i < p->n; i++) {
        buf_adds(out, i ? ",\n  " : "\n  ");
        buf_adds(out, "{\"id\":");
        buf_add_json_string(out, p->members[i].id);
        buf_adds(out, ",\"name\":");
        buf_add_json_string(out, p->members[i].persona->name);
        buf_addch(out, '}');
    }
    buf_adds(out, "],\n \"results\": [");
    for (size_t i = 0; i < m->rows.n; i++) {
        const struct run_row *r = &m->rows.rows[i];
        buf_adds(out, i ? ",\n  " : "\n  ");
        buf_adds(out, "{\"member_id\":");
        buf_add_json_string(out, r->member_id);
        buf_adds(out, ",\"scenario\":");
        buf_add_json_string(out, r->key);
        buf_addf(out, ",\"sample\":%d,\"answers\":", r->sample);
        buf_adds(out, r->answers && *r->answers ? r->answers : "{}");
        buf_adds(out, ",\"thought\":");
        buf_add_json_string(out, r->thought);
        buf_adds(out, ",\"talk\":");
        buf_add_json_string(out, r->talk);
        buf_adds(out, r->abandoned ? ",\"abandoned\":true" : ",\"abandoned\":false");
        buf_adds(out, ",\"reason\":");
        buf_add_json_string(out, r->reason);
        buf_adds(out, ",\"error\":");
        buf_add_json_string(out, r->error);
        buf_addch(out, '}');
    }
    buf_adds(out, "]");
    if (focus_group) {
        buf_adds(out, ",\n \"transcript\": [\n  ");
        buf_add(out, m->transcript.data, m->transcript.len);
        buf_adds(out, "]");
    }
    buf_adds(out, ",\n \"report\": ");
    buf_adds(out, report);
    buf_adds(out, "}\n");
}

/*
 * Prints what the report concluded to stdout: the success criteria, the
 * winner, the journey's drop-off. Reads the report's JSON; prints nothing
 * it cannot read.
 */
static void print_summary(const char *report, const char *dir)
{
    json_t *root = json_loads(report, 0, NULL);
    const json_t *criteria = json_object_get(root, "criteria");
    size_t i;
    const json_t *c;
    json_array_foreach (criteria, i, c) {
        const json_t *passed = json_object_get(c, "passed");
        const char *verdict = json_is_true(passed)    ? "pass"
                              : json_is_false(passed) ? "FAIL"
                                                      : "n/a ";
        const char *error = json_string_value(json_object_get(c, "error"));
        printf("  %s  %s%s%s\n", verdict, json_string_value(json_object_get(c, "text")),
               error ? "  - " : "", error ? error : "");
    }
    const char *winner = json_string_value(json_object_get(root, "winner"));
    const json_t *comparisons = json_object_get(root, "comparisons");
    if (winner)
        printf("winner: %s\n", winner);
    else if (json_array_size(comparisons) > 0)
        printf("winner: none (no variant is significantly better)\n");
    const json_t *steps = json_object_get(json_object_get(root, "funnel"), "steps");
    json_array_foreach (steps, i, c) {
        json_int_t abandoned = json_integer_value(json_object_get(c, "abandoned"));
        if (abandoned > 0)
            printf("abandoned at %s: %" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT "\n",
                   json_string_value(json_object_get(c, "id")), abandoned,
                   json_integer_value(json_object_get(c, "reached")));
    }
    printf("wrote %s/report.html, results.json, results.csv\n", dir);
    json_decref(root);
}

/* ---- the command ---------------------------------------------------------------------------- */

/* Everything one run holds, released in one place. */
struct cli_run {
    struct config c;
    bool has_config;
    struct llm_wiring llm;
    struct test_spec *t;
    struct file_personas fp;
    struct panel panel;
    struct mem_run m;
    char *test_json, *report, *out_dir;
    bool created_dir;
};

static void cli_run_release(struct cli_run *r)
{
    llm_wiring_close(&r->llm);
    test_spec_free(r->t);
    file_personas_release(&r->fp);
    panel_release(&r->panel);
    run_rows_release(&r->m.rows);
    free(r->m.state);
    buf_release(&r->m.transcript);
    run_lines_release(&r->m.lines);
    free(r->test_json);
    free(r->report);
    free(r->out_dir);
    if (r->has_config) {
        config_release(&r->c);
        log_close();
    }
}

/* The output directory: --out, else ./crowdelic-run-<slug of the test's name> (malloc'd). */
static char *out_dir_of(const struct run_options *o, const struct test_spec *t)
{
    if (o->out_dir)
        return xstrdup(o->out_dir);
    struct buf b;
    buf_init(&b, PATH_MAX);
    buf_adds(&b, "crowdelic-run-");
    size_t at = b.len;
    slug_of(t->name, &b);
    if (b.len == at)
        buf_adds(&b, "test");
    char *dir = buf_detach(&b, NULL);
    buf_release(&b);
    return dir;
}

/*
 * Writes the three outputs of a finished run into r->out_dir; 0, or 1
 * after saying why.
 */
static int write_outputs(struct cli_run *r)
{
    struct err err = ERR_INIT;
    struct buf json, csv, html;
    buf_init(&json, OUTPUT_MAX);
    buf_init(&csv, OUTPUT_MAX);
    buf_init(&html, OUTPUT_MAX);
    int rc = 1;
    results_json(r->test_json, &r->panel, &r->m, r->t->type == TEST_FOCUS_GROUP, r->report, &json);
    if (json.failed) {
        fprintf(stderr, "crowdelic run: results.json would pass %u MiB\n", OUTPUT_MAX >> 20);
        goto out;
    }
    if (run_rows_csv(NULL, r->t, r->panel.members, r->panel.n, &r->m.rows, &csv, &err)) {
        fprintf(stderr, "crowdelic run: results.csv: %s\n", err.msg);
        goto out;
    }
    if (report_html(r->report, strlen(r->report), &html, &err)) {
        fprintf(stderr, "crowdelic run: report.html: %s\n", err.msg);
        goto out;
    }
    if (!make_dirs(r->out_dir, &r->created_dir)) {
        fprintf(stderr, "crowdelic run: cannot create %s: %s\n", r->out_dir, strerror(errno));
        goto out;
    }
    if (write_output(r->out_dir, OUTPUTS[0], json.data, json.len) &&
        write_output(r->out_dir, OUTPUTS[1], csv.data, csv.len) &&
        write_output(r->out_dir, OUTPUTS[2], html.data, html.len))
        rc = 0;
out:
    buf_release(&json);
    buf_release(&csv);
    buf_release(&html);
    return rc;
}

/* The model that answered: the first row's, else what the gateway says it asks. */
static const char *answering_model(const struct cli_run *r, const struct llm_status *st)
{
    for (size_t i = 0; i < r->m.rows.n; i++)
        if (r->m.rows.rows[i].model && *r->m.rows.rows[i].model)
            return r->m.rows.rows[i].model;
    return r->t->model_name ? r->t->model_name : st->model;
}

/* How many rows failed; the first failure's message in *first. */
static size_t failed_rows(const struct run_rows *rows, const char **first)
{
    size_t n = 0;
    *first = NULL;
    for (size_t i = 0; i < rows->n; i++) {
        if (!rows->rows[i].error)
            continue;
        *first = *first ? *first : rows->rows[i].error;
        n++;
    }
    return n;
}

/* Says how a run that did not complete ended; returns the exit status. */
static int stopped(struct cli_run *r, enum run_outcome outcome)
{
    progress_end(&r->m);
    if (outcome == RUN_TIMED_OUT) {
        fprintf(stderr,
                "crowdelic run: the test's timeout (%" PRId64 " s, config.timeout) passed after "
                "%" PRId64 " of %" PRId64 " %s; nothing written\n",
                r->t->timeout_s, r->m.done, r->m.total, r->m.counting);
        return 1;
    }
    fprintf(stderr,
            "crowdelic run: interrupted after %" PRId64 " of %" PRId64 " %s; nothing "
            "written\n",
            r->m.done, r->m.total, r->m.counting);
    return 128 + (stop_signal ? stop_signal : SIGINT);
}

/* Runs r->t over the panel and writes the outputs; the exit status. */
static int execute(struct cli_run *r, const struct run_options *o, uint64_t seed)
{
    struct llm_status st;
    llm_gateway_status(r->llm.gateway, &st);
    bool offline = strcmp(st.provider, "offline") == 0;
    struct engine e = { .gw = r->llm.gateway, .model = r->t->model_name, .seed = seed };
    snprintf(e.tags.run, sizeof(e.tags.run), "crowdelic-run");
    struct mem_run *m = &r->m;
    m->quiet = o->quiet;
    m->tty = isatty(2) == 1;
    m->counting = r->t->type == TEST_FOCUS_GROUP ? "steps" : "units";
    m->started_ms = clock_mono_ms();
    m->deadline_ms = m->started_ms + r->t->timeout_s * 1000;
    buf_init(&m->transcript, OUTPUT_MAX / 4);

    int rc = make_panel(o->test_path, r->t, &r->fp, &e, o->quiet, &r->panel, &m->usage);
    if (rc)
        return rc;
    if (stop_signal)
        return stopped(r, RUN_CANCELLED);
    m->total = run_units_total(r->t, r->panel.n);
    if (!o->quiet)
        fprintf(stderr,
                "%s: %s test, %zu persona%s, %zu scenario%s, %" PRId64 " %s; %s%s, seed %" PRIu64
                "\n",
                r->t->name, test_type_name(r->t->type), r->panel.n, r->panel.n == 1 ? "" : "s",
                r->t->n_scenarios, r->t->n_scenarios == 1 ? "" : "s", m->total, m->counting,
                offline ? "offline model" : "model ",
                offline ? "" : (r->t->model_name ? r->t->model_name : st.model), seed);

    if (m->tty)
        progress_draw(m); /* the empty bar: the first step may take a while */
    struct run_sink sink = { .save_step = sink_save_step,
                             .load_state = sink_load_state,
                             .control = sink_control,
                             .expired = sink_expired,
                             .ctx = m };
    size_t wave = r->c.llm_concurrency > 0 ? (size_t)r->c.llm_concurrency : 1;
    size_t step = r->c.run_step_units > 0 ? (size_t)r->c.run_step_units : RUN_STEP_UNITS;
    step = (step + wave - 1) / wave * wave;
    enum run_outcome outcome = RUN_COMPLETED;
    struct err err = ERR_INIT;
    enum err_code failed =
        run_exec(&e, r->t, r->panel.members, r->panel.n, step, &sink, &outcome, &err);
    if (failed) {
        progress_end(m);
        fprintf(stderr, "crowdelic run: the run failed: %s\n", err.msg);
        return 1;
    }
    if (outcome != RUN_COMPLETED)
        return stopped(r, outcome);
    progress_end(m);
    const char *first_error = NULL;
    size_t n_failed = failed_rows(&m->rows, &first_error);
    if (m->rows.n > 0 && n_failed == m->rows.n) {
        fprintf(stderr, "crowdelic run: every answer failed, nothing written: %s\n", first_error);
        return 1;
    }
    if (n_failed && !o->quiet)
        fprintf(stderr, "crowdelic run: %zu of %zu answers failed (the first: %s)\n", n_failed,
                m->rows.n, first_error);

    if (!o->quiet)
        fprintf(stderr, "writing the report\n");
    struct run_facts facts = { .status = "completed",
                               .model = answering_model(r, &st),
                               .offline = offline,
                               .seed = seed,
                               .calls = m->usage.calls,
                               .cache_hits = m->usage.cache_hits,
                               .tokens_in = m->usage.tokens_in,
                               .tokens_out = m->usage.tokens_out,
                               .cost_micros = m->usage.cost_micros };
    if (run_report_make(&e, NULL, r->t, r->panel.members, r->panel.n, &m->rows, &m->lines, &facts,
                        true, NULL, &r->report, &err)) {
        fprintf(stderr, "crowdelic run: the report failed: %s\n", err.msg);
        return 1;
    }
    if (stop_signal)
        return stopped(r, RUN_CANCELLED);
    rc = write_outputs(r);
    if (!rc && !o->quiet)
        print_summary(r->report, r->out_dir);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    struct run_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    struct cli_run r = { 0 };
    struct err err = ERR_INIT;
    rc = read_test(o.test_path, &r.t);
    if (!rc)
        rc = panel_supported(o.test_path, r.t, o.personas_path != NULL, o.quiet);
    if (!rc && o.personas_path)
        rc = read_personas_file(o.personas_path, &r.fp);
    if (!rc) {
        r.out_dir = out_dir_of(&o, r.t);
        rc = check_out_dir(r.out_dir, o.force);
    }
    if (!rc) {
        rc = cmd_setup(&r.c, false);
        r.has_config = rc == 0;
    }
    if (rc)
        goto out;
    if (o.quiet)
        log_set_level(LOG_LEVEL_ERROR);
    if (llm_wiring_open(&r.c, NULL, NULL, &r.llm, &err)) {
        fprintf(stderr, "crowdelic run: the model settings are not usable: %s\n", err.msg);
        rc = 2;
        goto out;
    }
    if (!r.llm.gateway) {
        fprintf(stderr, "crowdelic run: no model is available: %s\n",
                r.llm.unavailable ? r.llm.unavailable : "see 'crowdelic config'");
        rc = 1;
        goto out;
    }

    /* the test as run: --model named, the seed written out */
    uint64_t seed = r.t->has_seed ? r.t->seed : o.has_seed ? o.seed : DEFAULT_SEED;
    if (o.has_seed && r.t->has_seed && o.seed != r.t->seed && !o.quiet)
        fprintf(stderr,
                "crowdelic run: the test's config.seed (%" PRIu64 ") is used, not --seed %" PRIu64
                "\n",
                r.t->seed, o.seed);
    r.t->has_seed = true;
    r.t->seed = seed;
    if (o.model) {
        free(r.t->model_name);
        r.t->model_name = xstrdup(o.model);
    }
    r.test_json = test_spec_format(r.t, NULL);

    struct sigaction sa = { .sa_handler = on_stop_signal, .sa_flags = SA_RESETHAND };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rc = execute(&r, &o, seed);
    if (rc && r.created_dir)
        rmdir(r.out_dir); /* only when empty: nothing of a failed run is left behind */
out:
    cli_run_release(&r);
    return rc;
}
