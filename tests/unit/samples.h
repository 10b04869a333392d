/*
 * tests/unit/samples.h - realistic sample inputs for the engine's tests:
 * a persona (Ana Souza, 34, nurse in Porto Alegre) and one task of every
 * kind of the catalogue, each with every field its wire form carries.
 */
#ifndef TESTS_UNIT_SAMPLES_H
#define TESTS_UNIT_SAMPLES_H

#include "core/compat.h"
#include "engine/tasks.h"

struct persona *sample_persona_ana(void);
/* A survey turn about a meal kit with one question of every kind. */
struct task *sample_act_task(void);
/* A task of kind with a realistic input (free with task_free). */
struct task *sample_task(enum task_kind kind);

#endif
