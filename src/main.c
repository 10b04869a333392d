/*
 * main.c - argv to subcommand, and the process-wide set-up that must happen
 * before any thread starts: the random generator, jansson's hash seed,
 * SIGPIPE ignored. Nothing else.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/ids.h"
#include "llm/openai.h"

#include <jansson.h>
#include <signal.h>

int main(int argc, char **argv)
{
    ids_init();
    json_object_seed(0);  /* before threads (STYLE.md J10) */
    openai_global_init(); /* curl_global_init, before threads (STYLE.md D5) */
    signal(SIGPIPE, SIG_IGN);

    if (argc < 2)
        return cmd_help(0, NULL);
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return cmd_help(argc - 1, argv + 1);
    if (strcmp(name, "--version") == 0)
        name = "version";
    const struct command *cmd = command_find(name);
    if (!cmd) {
        fprintf(stderr, "crowdelic: unknown command '%s' (see 'crowdelic help')\n", name);
        return 2;
    }
    int rc = cmd_wants_help(argc - 2, argv + 2) ? cmd_print_usage(cmd->name)
                                                : cmd->run(argc - 2, argv + 2);
    openai_global_cleanup();
    return rc;
}
