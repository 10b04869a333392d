/*
 * cmd/common.c - the command table and the set-up every command shares.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/ids.h"
#include "core/log.h"
#include "domain/system.h"
#include "llm/price.h"
#include "store/migrate.h"
#include "store/redis.h"
#include "store/store.h"

const struct command commands[] = {
    { "serve", cmd_serve, "run the HTTP server (API, events, web UI)",
      "usage: crowdelic serve\n\n"
      "Applies pending migrations, then serves on PORT until SIGINT or SIGTERM.\n"
      "On a signal it stops accepting, lets in-flight requests finish for up to\n"
      "HTTP_SHUTDOWN_GRACE seconds, closes the database and exits 0.\n"
      "Configuration comes from the environment and ./.env (see 'crowdelic config').\n" },
    { "migrate", cmd_migrate, "apply database migrations, or list them",
      "usage: crowdelic migrate [--status]\n\n"
      "Applies every pending migration to DATABASE_URL, each in its own transaction.\n"
      "--status lists every migration and whether it is applied, without changing anything.\n" },
    { "config", cmd_config, "print the effective configuration, secrets masked",
      "usage: crowdelic config\n\n"
      "Prints every variable with its effective value and where it came from\n"
      "(default, .env, environment, derived). Exits 2 if any value is invalid.\n" },
    { "llm-serve", cmd_llm_serve, "run an OpenAI-compatible model server for tests and benchmarks",
      "usage: crowdelic llm-serve [OPTIONS]\n\n"
      "Serves an OpenAI-compatible API with no real model behind it, for tests and\n"
      "benchmarks, with exact fault injection (docs/llm-serve.md). Logging and HTTP limits\n"
      "come from the configuration (see 'crowdelic config'); PORT is replaced by --port.\n"
      "SIGINT or SIGTERM stops it (hung requests are answered 503 at once); exit 0.\n\n"
      "routes:\n"
      "  POST /v1/chat/completions                              (stream: true for SSE)\n"
      "  POST /v1/embeddings\n"
      "  GET  /v1/models, GET /v1/models/MODEL\n"
      "  POST /openai/deployments/DEPLOYMENT/chat/completions?api-version=V   (Azure)\n"
      "  POST /openai/deployments/DEPLOYMENT/embeddings?api-version=V         (Azure)\n"
      "  GET  /stats                 exact counters; POST /stats/reset zeroes them\n\n"
      "options:\n"
      "  --port N               listen port (default 8090; 0 picks a free one)\n"
      "  --api-key KEY          require 'Authorization: Bearer KEY' (OpenAI paths) or\n"
      "                         'api-key: KEY' (Azure paths)\n"
      "  --model NAME           the model listed and echoed when a request names none\n"
      "                         (default crowdelic-echo)\n"
      "  --responder offline|echo|script\n"
      "                         offline (default): the built-in offline model answers\n"
      "                         a task in the wire format, a plain chat in words;\n"
      "                         echo: the last user message as text, as {\"echo\": ...}\n"
      "                         for json_object, or an example of the json_schema built\n"
      "                         from it; script: answers from --script\n"
      "  --script FILE          JSON Lines, one answer a line (a string is the content,\n"
      "                         any other value its compact JSON), served in order\n"
      "  --script-loop          start the script again when it is exhausted (else 500)\n"
      "  --latency-ms N         delay every chat and embeddings answer by N ms (default 0)\n"
      "  --latency-jitter-ms N  plus a uniform random 0..N ms\n"
      "  --fault KIND[,KIND...] inject faults into chat requests: 429, 500, 503, timeout,\n"
      "                         malformed, truncated, schema, prose\n"
      "  --fault-rate R         probability 0..1 that a chat request gets one of the\n"
      "                         --fault kinds, chosen uniformly (default 1 with --fault)\n"
      "  --retry-after S        add Retry-After: S to 429 and 503 faults\n"
      "  --hang-ms N            how long a timeout fault holds a request (default 120000)\n"
      "  --embedding-dim N      embedding dimensions, 1..4096 (default 256)\n"
      "  --seed N               seed of the fault and jitter draws (default 0)\n\n"
      "request headers (they win over the flags):\n"
      "  X-Fault: KIND|none     this request's fault\n"
      "  X-Fault-Times: N       only the first N requests with this exact body get it\n"
      "  X-Fault-Retry-After: S Retry-After for a 429 or 503 fault\n"
      "  X-Latency-Ms: N        this request's delay instead of the flags'\n" },
    { "worker", cmd_worker, "execute test runs from the database (no HTTP)",
      "usage: crowdelic worker\n\n"
      "Claims queued runs (and runs whose worker died) from the database and executes\n"
      "them with RUN_WORKERS threads until SIGINT or SIGTERM; each stops at its step's\n"
      "end and leaves its run for another worker. Any number of workers and servers may\n"
      "share one database.\n" },
    { "run", cmd_run, "run a test file on a panel of personas; no server, no database",
      "usage: crowdelic run TEST.json [--out DIR] [--model NAME] [--personas FILE] [--seed N]\n"
      "                     [--force] [--quiet]\n\n"
      "Runs a test - the test JSON of the API (SPEC.md 3): product, message, journey or\n"
      "focus_group - with no server and no database, and writes results.json, results.csv\n"
      "and report.html into DIR. The model is the built-in offline model unless the\n"
      "configuration names one (OPENAI_API_KEY, CROWDELIC_LLM_BASE_URL, AZURE_OPENAI_*;\n"
      "see 'crowdelic config'). examples/ holds a test of each type.\n\n"
      "The panel: config.personas lists template ids (the names of data/personas/*.json,\n"
      "e.g. \"sophie-brennan-london\", also written \"template:sophie-brennan-london\") or\n"
      "the ids of --personas personas; or config.panel is {\"templates\": \"all\"} or\n"
      "{\"generate\": N, \"description\": \"...\"} (made by the persona factory). Library\n"
      "and filter panels are a workspace's: they need the server.\n\n"
      "options:\n"
      "  --out DIR        where the files go (default ./crowdelic-run-<the test's name>);\n"
      "                   created when missing\n"
      "  --force, -f      overwrite results.json, results.csv and report.html in DIR\n"
      "  --model NAME     the model to ask, in place of config.model.name and\n"
      "                   CROWDELIC_LLM_MODEL\n"
      "  --personas FILE  a JSON array of personas (the API's shape or the engine's),\n"
      "                   named in config.personas by their \"id\" (or, without one, by\n"
      "                   their name as an id: \"Ana Souza\" is \"ana-souza\")\n"
      "  --seed N         the seed when the test has no config.seed (default 1); the same\n"
      "                   seed gives the same results.json, byte for byte\n"
      "  --quiet, -q      print nothing but errors\n\n"
      "Progress goes to stderr (a bar on a terminal, a line a step otherwise); the\n"
      "verdicts (success criteria, winner, drop-off) and the files written to stdout.\n"
      "Ctrl-C stops the run between two steps and writes nothing (exit 130).\n"
      "Exit status: 0 done, 1 the run failed, 2 bad usage or a bad test file.\n" },
    { "admin", cmd_admin, "show a workspace's billing; set enterprise terms",
      "usage: crowdelic admin workspace ID [--plan PLAN] [--max-personas N] [--max-projects N]\n"
      "                                    [--team-members N] [--price-cents N]\n\n"
      "Without options, prints the workspace's plan, price, billing period, scheduled\n"
      "change, usage against its limits and its newest invoices (the ledger).\n"
      "With options, sets them first (no charge is made), then prints:\n"
      "  --plan PLAN        free, individual, business, agency or enterprise; a change\n"
      "                     of plan drops a scheduled one and notifies the workspace;\n"
      "                     leaving enterprise drops its terms\n"
      "  --max-personas N   the enterprise contract's limits: a whole number or\n"
      "  --max-projects N   'unlimited' (bought extra personas come on top)\n"
      "  --team-members N\n"
      "  --price-cents N    the contract's price a month in cents, invoiced at each\n"
      "                     period's start and used for proration\n"
      "The four terms apply to the enterprise plan only, and moving a workspace to\n"
      "enterprise needs all four. Works on DATABASE_URL directly; a running server\n"
      "sees the change at its next request.\n"
      "Exit status: 0 done, 1 no such workspace or a database failure, 2 bad usage.\n" },
    { "routes", cmd_routes, "list the API's routes",
      "usage: crowdelic routes\n\n"
      "Prints the route table, one route a line: METHOD PATTERN and its flags\n"
      "(public: no sign-in needed; json: takes a JSON body; test: only under\n"
      "CROWDELIC_ENV=test).\n" },
    { "version", cmd_version, "print the version", "usage: crowdelic version\n" },
    { "help", cmd_help, "list the commands, or describe one", "usage: crowdelic help [COMMAND]\n" },
};

const size_t n_commands = ARRAY_SIZE(commands);

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < n_commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

bool cmd_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

int cmd_print_usage(const char *name)
{
    const struct command *cmd = command_find(name);
    if (!cmd) {
        fprintf(stderr, "crowdelic: unknown command '%s' (see 'crowdelic help')\n", name);
        return 2;
    }
    printf("%s", cmd->usage);
    return 0;
}

int cmd_help(int argc, char **argv)
{
    if (argc >= 1 && argv[0][0] != '-')
        return cmd_print_usage(argv[0]);
    printf("Crowdelic - test products, messages and journeys on panels of AI personas.\n\n"
           "usage: crowdelic COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < n_commands; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("\n'crowdelic help COMMAND' or 'crowdelic COMMAND --help' describes one.\n");
    return 0;
}

int cmd_no_arguments(const char *name, int argc, char **argv)
{
    if (argc == 0)
        return 0;
    fprintf(stderr, "crowdelic %s: unexpected argument '%s' (see --help)\n", name, argv[0]);
    return 2;
}

int cmd_setup(struct config *c, bool log_to_stdout)
{
    struct buf problems;
    buf_init(&problems, 64 * 1024);
    enum err_code rc = config_load(c, NULL, &problems);
    if (rc) {
        fprintf(stderr, "crowdelic: invalid configuration:\n%s", problems.data);
        buf_release(&problems);
        config_release(c);
        return 2;
    }
    buf_release(&problems);

    /* values checked by the layer that owns them, still before anything opens */
    struct llm_prices *prices = NULL;
    struct err perr = ERR_INIT;
    if (llm_prices_parse(c->llm_prices, &prices, &perr)) {
        fprintf(stderr, "crowdelic: invalid configuration:\n%s\n", perr.msg);
        config_release(c);
        return 2;
    }
    llm_prices_free(prices);

    struct log_options lo = {
        .level = (enum log_level)c->log_level,
        .console_fd = log_to_stdout ? 1 : 2,
        .dir = c->log_dir,
        .max_bytes = (size_t)c->log_max_bytes,
        .max_files = (unsigned)c->log_max_files,
    };
    struct err err = ERR_INIT;
    if (log_open(&lo, &err)) {
        fprintf(stderr, "crowdelic: %s\n", err.msg);
        config_release(c);
        return 2;
    }
    return 0;
}

int cmd_open_store(const struct config *c, struct store **out)
{
    struct err err = ERR_INIT;
    struct store_options so = { .pool_size = (unsigned)c->db_pool_size,
                                .busy_timeout_ms = (int)c->db_busy_timeout_ms,
                                .acquire_timeout_ms = (int)c->db_acquire_timeout_ms,
                                .statement_timeout_ms = (int)c->db_statement_timeout_ms };
    if (store_open(c->database_url, &so, out, &err)) {
        LOG_ERROR("serve", "cannot open the database: %s", err.msg);
        return 1;
    }
    int applied = 0, version = 0;
    char instance[IDS_UUID_LEN];
    if (migrate_run(*out, &applied, &err) || migrate_current_version(*out, &version, &err) ||
        system_instance_id(*out, instance, &err)) {
        LOG_ERROR("serve", "cannot prepare the database: %s", err.msg);
        return 1;
    }
    LOG_KV(LOG_LEVEL_INFO, "serve", "database ready", LOG_STR("backend", store_backend_name(*out)),
           LOG_INT("migrations_applied", applied), LOG_INT("schema_version", version),
           LOG_STR("instance", instance));
    return 0;
}

int cmd_open_redis(const struct config *c, const char *component, struct redis **out)
{
    *out = NULL;
    if (!c->redis_url[0])
        return 0;
    struct err err = ERR_INIT;
    if (redis_open(c->redis_url, NULL, out, &err)) {
        LOG_ERROR(component, "%s", err.msg);
        return 1;
    }
    return 0;
}

/* Blocks until SIGINT or SIGTERM; returns the signal. */
int cmd_wait_for_stop(const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) == 0 && (sig == SIGINT || sig == SIGTERM))
            return sig;
    }
}
