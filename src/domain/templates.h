/*
 * domain/templates.h - the catalogue of template personas (SPEC.md 3): the
 * pre-built people shipped as data files, data/personas/<id>.json, each a
 * persona in the API's shape with its tags. The files are compiled into the
 * binary (core/embed.h) and read once, on first use, through the same
 * checks as a persona written through the API (domain/personas.h), so a
 * template can always be added to a workspace.
 *
 * Read-only after loading; any thread.
 */
#ifndef DOMAIN_TEMPLATES_H
#define DOMAIN_TEMPLATES_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/persona.h"

#define TEMPLATES_DIR   "data/personas/"
#define TEMPLATE_ID_MAX 80

struct persona_template {
    char id[TEMPLATE_ID_MAX + 1]; /* the file's name without .json */
    char *spec;                   /* canonical API-shape JSON text */
    struct strlist tags;          /* normalised (persona_tags_check) */
    struct persona *persona;      /* the engine's persona, for filters */
};

/*
 * The catalogue, sorted by id: loaded on the first call. ERR_INTERNAL
 * naming the file and the field when a file is bad (a defect of the build:
 * cmd/serve checks at start-up).
 */
enum err_code templates_get(const struct persona_template **out, size_t *n, struct err *err);

/* The template with this id, or NULL (also when the catalogue is bad). */
const struct persona_template *templates_find(const char *id);

/* ---- reading a file (domain/templates_json.c) ----------------------------------------- */

/*
 * Reads one template file's text into t (id already set): its tags and the
 * persona fields, checked by persona_spec_check. ERR_INVALID naming the
 * field.
 */
enum err_code template_read(const char *text, size_t len, struct persona_template *t,
                            struct err *err);

#endif
