/*
 * engine/validator.h - the persona validator (TinyTroupe's
 * TinyPersonValidator, fixed): a strict interviewer, played by the model,
 * asks the persona questions over several rounds - facts first, then
 * dilemmas - and the persona answers each in character (an agent turn);
 * the last round scores from 0 to 1 how well the answers fit the persona
 * and the caller's expectations, with the reasons.
 *
 * The interview happens with a copy of the persona: whoever called keeps
 * an agent whose memory the interview did not touch.
 */
#ifndef ENGINE_VALIDATOR_H
#define ENGINE_VALIDATOR_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/engine.h"
#include "engine/persona.h"
#include "engine/tasks.h"

#define VALIDATOR_MAX_ROUNDS  10
#define VALIDATOR_INTERVIEWER "Interviewer"

struct validation {
    double score;                /* 0 (nothing like the persona) .. 1 (exactly it) */
    char *justification;         /* the reasons */
    struct transcript interview; /* the questions and the persona's answers */
    int rounds;                  /* model rounds it took (questions + the score) */
    char *model;                 /* who judged */
};

void validation_release(struct validation *v);

/*
 * Interviews persona (borrowed) in rounds - 2..VALIDATOR_MAX_ROUNDS, the
 * last of which scores - about expectations (what the persona should be
 * like; may be NULL: the persona's own spec is the yardstick). ERR_INVALID
 * for a bad round count; a failed call's error otherwise.
 */
enum err_code persona_validate(const struct engine *e, const struct persona *persona,
                               const char *expectations, int rounds, struct engine_usage *usage,
                               struct validation *out, struct err *err);

#endif
