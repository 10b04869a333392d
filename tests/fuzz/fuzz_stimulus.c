/*
 * tests/fuzz/fuzz_stimulus.c - fuzzes the offline model's reading of a
 * stimulus (engine/offline/read.c, stimulus_read, STYLE.md Z1): any text a
 * test shows its panel, read for topics, language, price, tone, hype,
 * jargon, novelty and a short product name.
 *
 * The input, cut at its first NUL, is the text. Checked: every topic weight
 * is in 0..1 and they sum to 1 when a keyword matched (all 0 otherwise); the
 * tone is in -1..1, the counts are not negative, chars is the text's
 * length, the language is one the model knows; a price is finite and not
 * negative and so is its monthly cost, and its text is part of the input;
 * the product name is a NUL-terminated string in its array; when the input
 * is valid UTF-8, the price text and the product name are too (they end up
 * in the model's JSON answers).
 * The model (the embedded tables) is loaded once and only read.
 * Corpus: tests/fuzz/corpus/stimulus/ (the stimuli of examples/ and
 * tests/e2e).
 */
#include "core/compat.h"

#include <math.h>

#include "core/utf8.h"
#include "engine/offline/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct offline_model *the_model(void)
{
    static struct offline_model *model;
    struct err err = ERR_INIT;
    if (!model && offline_model_load(NULL, &model, &err))
        abort();
    return model;
}

/* Is s[0..n) somewhere in text[0..len)? */
static bool inside(const char *text, size_t len, const char *s, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(text + i, s, n) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct offline_model *m = the_model();
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);

    struct stimulus_reading r;
    stimulus_read(m, text, &r);
    double sum = 0;
    for (size_t t = 0; t < m->data->n_topics; t++) {
        if (!(r.topics[t] >= 0 && r.topics[t] <= 1))
            abort();
        sum += r.topics[t];
    }
    if (r.topic_hits > 0 ? fabs(sum - 1) > 1e-9 : sum != 0)
        abort();
    if (!(r.tone >= -1 && r.tone <= 1) || r.hype < 0 || r.jargon < 0 || r.required < 0 ||
        r.chars != len || r.lang < 0 || r.lang >= OFFLINE_N_LANGS)
        abort();

    size_t price_len = strnlen(r.price_text, sizeof(r.price_text));
    size_t product_len = strnlen(r.product, sizeof(r.product));
    if (price_len == sizeof(r.price_text) || product_len == sizeof(r.product))
        abort(); /* not terminated */
    if (r.has_price) {
        if (!isfinite(r.price) || r.price < 0 || !isfinite(r.monthly_usd) || r.monthly_usd < 0)
            abort();
        if (!inside(text, len, r.price_text, price_len))
            abort();
    } else if (price_len) {
        abort();
    }
    if (utf8_valid(text, len) &&
        (!utf8_valid(r.price_text, price_len) || !utf8_valid(r.product, product_len)))
        abort(); /* cut inside a character */
    stimulus_reading_release(&r);
    free(text);
    return 0;
}
