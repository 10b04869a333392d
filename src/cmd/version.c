/*
 * cmd/version.c - "crowdelic version".
 */
#include "core/compat.h"

#include "cmd/cmd.h"

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("crowdelic %s (git %s)\n", CROWDELIC_VERSION, CROWDELIC_GIT_REV);
    return 0;
}
