/*
 * engine/offline/offline.h - the built-in offline model as an llm provider
 * (ENGINE.md 6; SPEC.md 6): the default when no model is configured. It
 * answers every task of the catalogue in-process - from the typed task the
 * engine attached to the request, or rebuilt from the wire (llm-serve) -
 * and a plain chat with a plain reply. Every answer says
 * model "crowdelic-offline". Deterministic: the request's seed and the
 * task fix the answer.
 *
 * Threading: submit may be called from any thread and answers inside the
 * call (its callback runs before submit returns).
 */
#ifndef ENGINE_OFFLINE_OFFLINE_H
#define ENGINE_OFFLINE_OFFLINE_H

#include "core/compat.h"
#include "core/err.h"
#include "llm/llm.h"

struct offline_model;

/*
 * Loads the tables (from the embedded data, or from data_dir when not NULL)
 * and returns the provider. ERR_INVALID naming the file and line of a bad
 * table entry.
 */
enum err_code offline_provider_new(const char *data_dir, struct llm_provider **out,
                                   struct err *err);

/*
 * Answers req as the offline model would, into *content (malloc'd): for
 * crowdelic llm-serve, which answers over HTTP what the provider answers
 * in-process. ERR_INVALID for a task that does not parse.
 */
enum err_code offline_provider_answer(struct llm_provider *p, const struct llm_request *req,
                                      char **content, struct err *err);

/*
 * The English name of a country written as any name the factory knows it
 * by (its English name and aliases, "USA", or its Portuguese name,
 * "Brasil"), into out; false for a country it does not know. For callers
 * that compare countries across the languages personas are written in.
 */
bool offline_country_english(const char *name, char *out, size_t size);

#endif
