/*
 * tests/unit/samples.h - realistic sample inputs for the engine's tests:
 * a persona (Ana Souza, 34, nurse in Porto Alegre) and one task of every
 * kind of the catalogue, each with every field its wire form carries.
 */
#ifndef TESTS_UNIT_SAMPLES_H
#define TESTS_UNIT_SAMPLES_H

#include "core/compat.h"
#include "engine/tasks.h"
#include "llm/gateway.h"

struct persona *sample_persona_ana(void);
/* A persona from its spec JSON (the engine's shape); fails the test when it does not parse. */
struct persona *sample_persona(const char *spec_json);
/* A gateway in front of the offline model (max_reasks re-asks); free with llm_gateway_free. */
struct llm_gateway *sample_offline_gateway(int max_reasks);
/* A survey turn about a meal kit with one question of every kind. */
struct task *sample_act_task(void);
/*
 * A survey turn for p (taken) shown stimulus: five questions, one of each
 * kind (appeal on 1..5, subscribe yes/no, the price among three options,
 * a ranking of three, why in words). Used by tests and benchmarks alike.
 */
struct task *sample_survey(struct persona *p, const char *stimulus);
/* A task of kind with a realistic input (free with task_free). */
struct task *sample_task(enum task_kind kind);

#endif
