/*
 * cmd/common.c - the command table and the set-up every command shares.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/log.h"

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
