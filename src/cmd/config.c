/*
 * cmd/config.c - "crowdelic config": the effective configuration, secrets
 * masked (STYLE.md K3).
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/log.h"

int cmd_config(int argc, char **argv)
{
    struct config c;
    int rc = cmd_no_arguments("config", argc, argv);
    if (!rc)
        rc = cmd_setup(&c, false);
    if (rc)
        return rc;
    struct buf out;
    buf_init(&out, 1024 * 1024);
    config_print(&c, &out);
    if (c.dotenv_path)
        buf_addf(&out, "# read %s\n", c.dotenv_path);
    fwrite(out.data, 1, out.len, stdout);
    buf_release(&out);
    config_release(&c);
    log_close();
    return 0;
}
