/*
 * cmd/cmd.h - the subcommands of the crowdelic binary, one file each, and
 * the set-up they share. Each returns the process exit status: 0 success,
 * 1 failure at run time, 2 bad usage or bad configuration.
 */
#ifndef CMD_CMD_H
#define CMD_CMD_H

#include "conf/config.h"
#include "core/compat.h"

#include <signal.h>

struct store;

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* shown by "crowdelic help NAME" and "NAME --help" */
};

extern const struct command commands[];
extern const size_t n_commands;

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_llm_serve(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_admin(int argc, char **argv);

/* The command with this name, or NULL. */
const struct command *command_find(const char *name);

/* True when argv holds -h or --help (the command then prints its usage). */
bool cmd_wants_help(int argc, char **argv);
/* Prints the usage of the named command to stdout; returns 0. */
int cmd_print_usage(const char *name);

/* For a command that takes no arguments: 0, or 2 after naming the first one. */
int cmd_no_arguments(const char *name, int argc, char **argv);

/*
 * Loads the configuration and opens the log (stdout for serve, stderr for
 * the other commands, G4). Prints every configuration problem to stderr
 * and returns 2; 0 on success, with *c to be config_release'd.
 */
int cmd_setup(struct config *c, bool log_to_stdout);

/*
 * Opens the database at c->database_url and applies pending migrations;
 * 0, or 1 after logging why.
 */
int cmd_open_store(const struct config *c, struct store **out);

struct redis;

/*
 * Opens the Redis client of REDIS_URL (*out NULL when it is empty): 0, or 1
 * after logging why (a bad URL). A server that does not answer is not an
 * error: the client starts down and keeps trying (store/redis.h).
 */
int cmd_open_redis(const struct config *c, const char *component, struct redis **out);

/* Blocks until SIGINT or SIGTERM (blocked in set by the caller); returns the signal. */
int cmd_wait_for_stop(const sigset_t *set);

#endif
