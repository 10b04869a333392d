/*
 * cmd/llm_serve_options.c - the command line of crowdelic llm-serve: a table
 * of flags (name, kind, range, field), "--flag value" and "--flag=value",
 * and the rules between flags (--script and --responder, --fault-rate and
 * --fault). Every problem is one line on stderr naming the flag, and exit
 * status 2. Called once, from main, before any thread starts.
 */
#include "core/compat.h"

#include "cmd/llm_serve.h"
#include "core/span.h"

#include <math.h>

enum opt_kind { OPT_INT, OPT_U64, OPT_STR, OPT_FLAG, OPT_RATE };

static const struct opt {
    const char *name;
    enum opt_kind kind;
    int64_t min, max;
    size_t offset;
} opts[] = {
    { "--port", OPT_INT, 0, 65535, offsetof(struct ls_options, port) },
    { "--api-key", OPT_STR, 0, 0, offsetof(struct ls_options, api_key) },
    { "--model", OPT_STR, 0, 0, offsetof(struct ls_options, model) },
    { "--responder", OPT_STR, 0, 0, offsetof(struct ls_options, responder) },
    { "--script", OPT_STR, 0, 0, offsetof(struct ls_options, script_path) },
    { "--script-loop", OPT_FLAG, 0, 0, offsetof(struct ls_options, script_loop) },
    { "--latency-ms", OPT_INT, 0, LS_MAX_DELAY_MS, offsetof(struct ls_options, latency_ms) },
    { "--latency-jitter-ms", OPT_INT, 0, LS_MAX_DELAY_MS, offsetof(struct ls_options, jitter_ms) },
    { "--fault", OPT_STR, 0, 0, offsetof(struct ls_options, faults) },
    { "--fault-rate", OPT_RATE, 0, 1, offsetof(struct ls_options, fault_rate) },
    { "--retry-after", OPT_INT, 0, LS_MAX_RETRY_AFTER_S,
      offsetof(struct ls_options, retry_after_s) },
    { "--hang-ms", OPT_INT, 0, LS_MAX_HANG_MS, offsetof(struct ls_options, hang_ms) },
    { "--embedding-dim", OPT_INT, 1, LS_MAX_DIM, offsetof(struct ls_options, embedding_dim) },
    { "--seed", OPT_U64, 0, 0, offsetof(struct ls_options, seed) },
};

static int usage_error(const char *fmt, ...) ATTR_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "crowdelic llm-serve: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'crowdelic llm-serve --help')\n");
    va_end(ap);
    return 2;
}

/* Stores value for option o; 2 after a message when it is malformed. */
static int set_option(struct ls_options *o, const struct opt *d, const char *value)
{
    void *field = (char *)o + d->offset;
    switch (d->kind) {
    case OPT_INT:
        if (!span_parse_i64(span_cstr(value), d->min, d->max, field))
            return usage_error("%s: '%s' is not a whole number in %" PRId64 "..%" PRId64, d->name,
                               value, d->min, d->max);
        break;
    case OPT_U64:
        if (!span_parse_u64(span_cstr(value), UINT64_MAX, field))
            return usage_error("%s: '%s' is not a whole number in 0..%" PRIu64, d->name, value,
                               UINT64_MAX);
        break;
    case OPT_STR:
        if (!*value)
            return usage_error("%s: the value is empty", d->name);
        *(const char **)field = value;
        break;
    case OPT_RATE: {
        char *end = NULL;
        errno = 0;
        double r = strtod(value, &end);
        if (!*value || *end || errno || !isfinite(r) || r < 0 || r > 1)
            return usage_error("%s: '%s' is not a number in 0..1", d->name, value);
        *(double *)field = r;
        o->has_rate = true;
        break;
    }
    case OPT_FLAG:
        *(bool *)field = true;
        break;
    }
    return 0;
}

int ls_options_parse(int argc, char **argv, struct ls_options *o, struct ls_fault_plan *plan)
{
    *o = (struct ls_options){ .port = LS_DEFAULT_PORT,
                              .model = LS_DEFAULT_MODEL,
                              .retry_after_s = -1,
                              .hang_ms = LS_DEFAULT_HANG_MS,
                              .embedding_dim = LS_DEFAULT_DIM };
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const struct opt *d = NULL;
        for (size_t k = 0; k < ARRAY_SIZE(opts) && !d; k++)
            if (strlen(opts[k].name) == name_len && strncmp(opts[k].name, arg, name_len) == 0)
                d = &opts[k];
        if (!d)
            return usage_error("unknown option '%s'", arg);
        const char *value = eq ? eq + 1 : NULL;
        if (d->kind == OPT_FLAG && value)
            return usage_error("%s takes no value", d->name);
        if (d->kind != OPT_FLAG && !value) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", d->name);
            value = argv[++i];
        }
        if (set_option(o, d, value ? value : ""))
            return 2;
    }

    if (!o->responder)
        o->responder = o->script_path ? "script" : "offline";
    if (strcmp(o->responder, "offline") != 0 && strcmp(o->responder, "echo") != 0 &&
        strcmp(o->responder, "script") != 0)
        return usage_error(
            "--responder: '%s' is not a responder (expected offline, echo or script)",
            o->responder);
    bool script = strcmp(o->responder, "script") == 0;
    if (script && !o->script_path)
        return usage_error("--responder script needs --script FILE");
    if (!script && o->script_path)
        return usage_error("--script is used only with --responder script");
    if (!script && o->script_loop)
        return usage_error("--script-loop is used only with --responder script");

    *plan = (struct ls_fault_plan){ .rate = 0 };
    if (o->faults) {
        struct err err = ERR_INIT;
        if (ls_fault_plan_parse(plan, o->faults, &err))
            return usage_error("%s", err.msg);
        plan->rate = o->has_rate ? o->fault_rate : 1.0;
    } else if (o->has_rate) {
        return usage_error("--fault-rate needs --fault KINDS");
    }
    return 0;
}
