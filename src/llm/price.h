/*
 * llm/price.h - what model calls cost: a table of prices per model, in
 * integer micro-dollars per million tokens (SPEC.md 6: money is integer),
 * parsed from LLM_PRICES ("gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00": US
 * dollars per million input/output tokens). A model matches the longest
 * entry that is a prefix of its name, so dated versions
 * ("gpt-4o-mini-2024-07-18") take their family's price. Immutable after
 * parsing; any thread may read it.
 */
#ifndef LLM_PRICE_H
#define LLM_PRICE_H

#include "core/compat.h"
#include "core/err.h"

struct llm_prices;

/*
 * Parses spec (may be empty: no prices). ERR_INVALID naming the bad entry,
 * e.g. "LLM_PRICES: 'gpt-4o=abc/1' is not model=input/output (US dollars
 * per million tokens, up to 6 decimals)".
 */
enum err_code llm_prices_parse(const char *spec, struct llm_prices **out, struct err *err);
void llm_prices_free(struct llm_prices *p);

/*
 * The cost of a call in micro-dollars, rounded half up; 0 for a model with
 * no price (*known false then, when known is not NULL).
 */
int64_t llm_prices_cost(const struct llm_prices *p, const char *model, int64_t tokens_in,
                        int64_t tokens_out, bool *known);

#endif
