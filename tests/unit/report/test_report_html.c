/*
 * tests/unit/report/test_report_html.c - the HTML export of a report
 * (report/report_html.h). The fixture is a hand-written report document of
 * a message test (two variants and a winner; every kind of question; slots,
 * segments with a group too small, criteria passed, failed and undecided, a
 * journey's funnel, themes, insights). Every page rendered here goes
 * through markup_check (markup.h) with the rules of the markup the page may
 * use (the doctype, balanced tags of a known set, quoted attributes without
 * duplicates and no event handlers, only the references html.h writes,
 * valid UTF-8, a style element holding no markup), so a text from the
 * document can never open an element. Covered: each section and its
 * figures, the offline badge iff run.offline, markup in every text field,
 * nothing external, sections left out when absent, every member of the
 * fixture removed or replaced by a value of another type, bad JSON, a
 * document that is not an object, the buf's maximum. With REPORT_HTML_OUT
 * set, the fixture's page is written to that file (to look at it in a
 * browser).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>
#include <jansson.h>

#include "markup.h"
#include "testutil.h"

#include "core/buf.h"
#include "report/report_html.h"

/* What a text of the fixture carries in the injection tests, and how it must come out. */
#define EVIL     "<script>alert('x')</script>\\\" onload=\\\"x" /* as JSON text */
#define EVIL_OUT "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onload=&quot;x"

#define REPL   "\xef\xbf\xbd" /* U+FFFD */
#define EN     "\xe2\x80\x93" /* U+2013 */
#define SVG_NS "xmlns=\"http://www.w3.org/2000/svg\""

/*
 * The fixture: a report document in which "$X" marks every text that the
 * injection test fills with markup, and "$OFF" the value of run.offline.
 */
static const char *const fixture_parts[] = {
    "{\"test\":{\"id\":\"0192f5a0-7c1e-7000-8000-00000000t001\","
    "\"name\":\"Spring launch message$X\",\"type\":\"message\"},"
    "\"run\":{\"id\":\"0192f5a1-0000-7000-8000-00000000r001\",\"status\":\"succeeded\","
    "\"model\":\"gpt-4o-mini$X\",\"offline\":$OFF,\"seed\":42,\"calls\":160,\"cache_hits\":12,"
    "\"tokens_in\":184321,\"tokens_out\":20456,\"cost_usd\":0.0427,\"duration_s\":93.4,"
    "\"started_at\":\"2026-03-01T14:03:10.000Z\",\"finished_at\":\"2026-03-01T14:04:43.512Z\"},"
    "\"respondents\":80,"
    "\"units\":{\"total\":160,\"failed\":2,\"abandoned\":0},"
    "\"questions\":[",

    /* a rating */
    "{\"id\":\"appeal$X\",\"kind\":\"rating\",\"prompt\":\"How appealing is this message?$X\","
    "\"n\":158,\"scale\":{\"min\":1,\"max\":10},\"mean\":6.842,\"ci\":[6.511,7.173],"
    "\"sd\":2.104,\"median\":7,\"min\":1,\"max\":10,"
    "\"top2_box\":{\"share\":0.247,\"ci\":[0.185,0.321]},"
    "\"distribution\":[{\"value\":1,\"count\":4,\"share\":0.025},"
    "{\"value\":2,\"count\":6,\"share\":0.038},{\"value\":3,\"count\":9,\"share\":0.057},"
    "{\"value\":4,\"count\":12,\"share\":0.076},{\"value\":5,\"count\":17,\"share\":0.108},"
    "{\"value\":6,\"count\":21,\"share\":0.133},{\"value\":7,\"count\":28,\"share\":0.177},"
    "{\"value\":8,\"count\":22,\"share\":0.139},{\"value\":9,\"count\":21,\"share\":0.133},"
    "{\"value\":10,\"count\":18,\"share\":0.114}]},",

    /* yes / no */
    "{\"id\":\"buy\",\"kind\":\"yes_no\",\"prompt\":\"Would you buy it?$X\",\"n\":158,"
    "\"distribution\":[{\"value\":\"yes\",\"count\":67,\"share\":0.424,\"ci\":[0.349,0.503]},"
    "{\"value\":\"no\",\"count\":91,\"share\":0.576,\"ci\":[0.497,0.651]}]},",

    /* a choice */
    "{\"id\":\"channel\",\"kind\":\"choice\",\"prompt\":\"Where would you look for it first?$X\","
    "\"n\":158,\"distribution\":["
    "{\"value\":\"Instagram$X\",\"count\":71,\"share\":0.449,\"ci\":[0.374,0.527]},"
    "{\"value\":\"Search\",\"count\":52,\"share\":0.329,\"ci\":[0.261,0.405]},"
    "{\"value\":\"A friend\",\"count\":35,\"share\":0.222,\"ci\":[0.164,0.292]}]},",

    /* a ranking */
    "{\"id\":\"features\",\"kind\":\"ranking\",\"prompt\":\"Rank what matters most$X\","
    "\"n\":158,\"distribution\":["
    "{\"value\":\"Price$X\",\"count\":80,\"share\":0.506,\"ci\":[0.429,0.583]},"
    "{\"value\":\"Design\",\"count\":45,\"share\":0.285,\"ci\":[0.219,0.361]},"
    "{\"value\":\"Battery\",\"count\":33,\"share\":0.209,\"ci\":[0.152,0.279]}],"
    "\"mean_rank\":[{\"value\":\"Price$X\",\"mean\":1.62},{\"value\":\"Design\",\"mean\":2.01},"
    "{\"value\":\"Battery\",\"mean\":2.37}]},",

    /* open text */
    "{\"id\":\"why\",\"kind\":\"text\",\"prompt\":\"What would make you try it?$X\",\"n\":158,"
    "\"quotes\":[\"A trial month without a card would get me to sign up today.$X\","
    "\"If my sister used it I would try it.\",\"Show me the price up front.\"]}],",

    /* one scenario, a slot per variant */
    "\"scenarios\":[{\"id\":\"s1\",\"title\":\"Launch post$X\",\"variants\":[\"A\",\"B$X\"],"
    "\"slots\":[{\"key\":\"s1/A\",\"variant\":\"A\",\"n\":79,\"questions\":["
    "{\"id\":\"appeal$X\",\"kind\":\"rating\",\"prompt\":\"How appealing is this message?$X\","
    "\"n\":79,\"mean\":6.127,\"ci\":[5.66,6.594]},"
    "{\"id\":\"buy\",\"kind\":\"yes_no\",\"prompt\":\"Would you buy it?$X\",\"n\":79,"
    "\"distribution\":[{\"value\":\"yes\",\"count\":29,\"share\":0.367,\"ci\":[0.268,0.479]},"
    "{\"value\":\"no\",\"count\":50,\"share\":0.633,\"ci\":[0.521,0.732]}]}]},"
    "{\"key\":\"s1/B$X\",\"variant\":\"B$X\",\"n\":79,\"questions\":["
    "{\"id\":\"appeal$X\",\"kind\":\"rating\",\"prompt\":\"How appealing is this message?$X\","
    "\"n\":79,\"mean\":7.557,\"ci\":[7.139,7.975]},"
    "{\"id\":\"buy\",\"kind\":\"yes_no\",\"prompt\":\"Would you buy it?$X\",\"n\":79,"
    "\"distribution\":[{\"value\":\"yes\",\"count\":38,\"share\":0.481,\"ci\":[0.374,0.59]},"
    "{\"value\":\"no\",\"count\":41,\"share\":0.519,\"ci\":[0.41,0.626]}]}]}]}],",

    /* the comparisons: a significant rating, a yes / no that is not */
    "\"comparisons\":[{\"scenario\":\"s1\",\"question\":\"appeal$X\",\"kind\":\"rating\","
    "\"variants\":[{\"id\":\"A\",\"n\":79,\"mean\":6.127,\"ci\":[5.66,6.594]},"
    "{\"id\":\"B$X\",\"n\":79,\"mean\":7.557,\"ci\":[7.139,7.975]}],"
    "\"test\":\"permutation\",\"statistic\":1.43,\"p\":0.0001,"
    "\"effect\":{\"name\":\"cohens_d\",\"value\":0.712},"
    "\"welch\":{\"t\":-4.47,\"df\":153.2,\"p\":0.00001473},"
    "\"mann_whitney\":{\"u\":1984.5,\"p\":0.00003121,\"rank_biserial\":-0.364},"
    "\"best\":\"B$X\",\"runner_up\":\"A\",\"significant\":true,\"winner\":\"B$X\"},"
    "{\"scenario\":\"s1\",\"question\":\"buy\",\"kind\":\"yes_no\","
    "\"variants\":[{\"id\":\"A\",\"n\":79,\"share\":0.367,\"ci\":[0.268,0.479]},"
    "{\"id\":\"B$X\",\"n\":79,\"share\":0.481,\"ci\":[0.374,0.59]}],"
    "\"test\":\"chi_square\",\"statistic\":2.07,\"p\":0.1502,"
    "\"effect\":{\"name\":\"cramers_v\",\"value\":0.115},"
    "\"best\":\"B$X\",\"runner_up\":\"A\",\"significant\":false}],"
    "\"winner\":\"B$X\",",

    /* segments: a group too small */
    "\"segments\":[{\"dimension\":\"age\",\"label\":\"Age group$X\",\"groups\":["
    "{\"value\":\"18-29$X\",\"n\":52,\"too_small\":false,\"questions\":["
    "{\"id\":\"appeal$X\",\"n\":52,\"mean\":7.231,\"ci\":[6.64,7.822]},"
    "{\"id\":\"buy\",\"n\":52,\"share\":0.5,\"ci\":[0.368,0.632]}]},"
    "{\"value\":\"30-49\",\"n\":102,\"too_small\":false,\"questions\":["
    "{\"id\":\"appeal$X\",\"n\":102,\"mean\":6.664,\"ci\":[6.25,7.078]},"
    "{\"id\":\"buy\",\"n\":102,\"share\":0.392,\"ci\":[0.302,0.489]}]},"
    "{\"value\":\"65+\",\"n\":4,\"too_small\":true,\"questions\":["
    "{\"id\":\"appeal$X\",\"n\":4,\"mean\":5.25,\"ci\":[2.1,8.4]},"
    "{\"id\":\"buy\",\"n\":4,\"share\":0.25,\"ci\":[0.046,0.699]}]}]},"
    "{\"dimension\":\"gender\",\"label\":\"Gender\",\"groups\":["
    "{\"value\":\"female\",\"n\":81,\"too_small\":false,\"questions\":["
    "{\"id\":\"appeal$X\",\"n\":81,\"mean\":7.012,\"ci\":[6.55,7.474]}]},"
    "{\"value\":\"male\",\"n\":77,\"too_small\":false,\"questions\":["
    "{\"id\":\"appeal$X\",\"n\":77,\"mean\":6.664,\"ci\":[6.19,7.138]}]}]}],",

    /* criteria: passed, failed, undecided */
    "\"criteria\":[{\"text\":\"mean(appeal) >= 6.5$X\",\"passed\":true,"
    "\"figures\":{\"mean(appeal)$X\":6.842}},"
    "{\"text\":\"share(buy == \\\"yes\\\") >= 0.5\",\"passed\":false,"
    "\"figures\":{\"share(buy == \\\"yes\\\")\":0.424}},"
    "{\"text\":\"winner == \\\"C\\\"\",\"passed\":null,"
    "\"error\":\"no variant C in this test$X\",\"figures\":{}}],",

    /* a journey's funnel */
    "\"funnel\":{\"steps\":["
    "{\"id\":\"landing\",\"title\":\"Landing page$X\",\"reached\":80,\"continued\":71,"
    "\"abandoned\":8,\"failed\":1,\"drop_off\":0.113,\"reasons\":["
    "{\"text\":\"Price not shown$X\",\"count\":5},{\"text\":\"Too much text\",\"count\":3}]},"
    "{\"id\":\"signup\",\"title\":\"Sign up\",\"reached\":71,\"continued\":50,\"abandoned\":21,"
    "\"failed\":0,\"drop_off\":0.296,\"reasons\":[{\"text\":\"Asked for a phone number\","
    "\"count\":14},{\"text\":\"Password rules\",\"count\":7}]},"
    "{\"id\":\"pay\",\"reached\":50,\"continued\":44,\"abandoned\":6,\"failed\":0,"
    "\"drop_off\":0.12,\"reasons\":[]}]},",

    /* themes */
    "\"themes\":{\"positive\":[{\"name\":\"Clear price$X\",\"count\":31,"
    "\"quotes\":[\"Nine dollars a month is fair.$X\"]},"
    "{\"name\":\"Friendly tone\",\"count\":18,\"quotes\":[\"It talks like a person.\"]}],"
    "\"negative\":[{\"name\":\"Too long\",\"count\":22,"
    "\"quotes\":[\"I stopped reading halfway.\"]}],"
    "\"neutral\":[{\"name\":\"Compared with rivals\",\"count\":9,\"quotes\":[]}]},",

    /* insights */
    "\"insights\":{\"summary\":\"Variant B is more appealing (7.557 against 6.127), and the "
    "difference is significant.$X\",\"highlights\":[\"42.4% would buy it.$X\","
    "\"A quarter rate it 9 or 10.\"],\"model\":\"gpt-4o-mini\"}}",
};

/* ---- the markup a page may use ----------------------------------------------------------- */

static const char *const page_elements[] = {
    "html",    "head",    "meta",    "title", "style", "body", "main",       "header",
    "footer",  "section", "article", "div",   "span",  "h1",   "h2",         "h3",
    "p",       "ul",      "li",      "dl",    "dt",    "dd",   "strong",     "table",
    "caption", "thead",   "tbody",   "tr",    "th",    "td",   "blockquote", "br",
    "svg",     "g",       "text",    "rect",  "line",
};
static const char *const page_void_elements[] = { "meta", "br" };

/* The doctype, then one html element (markup.h): its charts inline, a style element, no on*. */
static const struct markup_rules page_markup = {
    .elements = page_elements,
    .n_elements = ARRAY_SIZE(page_elements),
    .void_elements = page_void_elements,
    .n_void_elements = ARRAY_SIZE(page_void_elements),
    .prologue = "<!doctype html>\n",
    .newlines_outside_root = true,
    .style_text = true,
    .no_event_handlers = true,
};

/* ---- helpers ------------------------------------------------------------------------------ */

/* s with every marker replaced by with (malloc'd). */
static char *replace_all(const char *s, const char *marker, const char *with)
{
    struct buf b;
    size_t mlen = strlen(marker);
    buf_init(&b, 1 << 22);
    for (const char *p = strstr(s, marker); p; p = strstr(s, marker)) {
        buf_add(&b, s, (size_t)(p - s));
        buf_adds(&b, with);
        s = p + mlen;
    }
    buf_adds(&b, s);
    assert_false(b.failed);
    return buf_detach(&b, NULL);
}

/* The fixture's text: inject in every "$X", run.offline set to offline (malloc'd). */
static char *fixture(const char *inject, bool offline)
{
    struct buf text;
    buf_init(&text, 1 << 20);
    for (size_t i = 0; i < ARRAY_SIZE(fixture_parts); i++)
        buf_adds(&text, fixture_parts[i]);
    char *a = replace_all(text.data, "$X", inject);
    buf_release(&text);
    char *b = replace_all(a, "$OFF", offline ? "true" : "false");
    free(a);
    return b;
}

/* What no page may ever show: numbers that are not numbers, markup that is not ours. */
static void assert_sane(const char *page)
{
    markup_check(page, &page_markup);
    static const char *const banned[] = { "<script", "https:", "url(",        "@import",
                                          " src=",   " href=", "javascript:", ">nan",
                                          ">inf",    "nan%",   "inf%",        "-nan" };
    for (size_t k = 0; k < ARRAY_SIZE(banned); k++)
        assert_lacks(page, banned[k]);
    /* "http://" only as the SVG namespace's name, which is never fetched */
    assert_int_equal(count(page, "http://"), count(page, SVG_NS));
}

/* The page of json (checked sane); fails the test on an error. The caller frees it. */
static char *render(const char *json)
{
    struct buf b;
    struct err err = ERR_INIT;
    buf_init(&b, 1 << 22);
    assert_ok(report_html(json, strlen(json), &b, &err), &err);
    assert_false(b.failed);
    char *page = buf_detach(&b, NULL);
    buf_release(&b);
    assert_sane(page);
    return page;
}

/* The error code report_html gives json, checking it leaves out as it was. */
static enum err_code render_error(const char *json, size_t len, struct err *err)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_adds(&b, "before");
    enum err_code rc = report_html(json, len, &b, err);
    assert_int_not_equal(rc, ERR_OK);
    assert_string_equal(b.data, "before");
    buf_release(&b);
    return rc;
}

/* The text between the first match of from and the next match of to after it (malloc'd). */
static char *between(const char *page, const char *from, const char *to)
{
    const char *a = strstr(page, from);
    assert_non_null(a);
    const char *b = strstr(a, to);
    assert_non_null(b);
    char *s = malloc((size_t)(b - a) + 1);
    assert_non_null(s);
    memcpy(s, a, (size_t)(b - a));
    s[b - a] = '\0';
    return s;
}

/* ---- the sections ------------------------------------------------------------------------ */

static void the_page_is_an_html5_document(void **state)
{
    (void)state;
    char *json = fixture("", true);
    char *page = render(json);
    assert_int_equal(strncmp(page, "<!doctype html>\n<html lang=\"en\">\n<head>\n", 40), 0);
    assert_contains(page, "<meta charset=\"utf-8\">");
    assert_contains(page, "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">");
    assert_contains(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                          "'none'; style-src 'unsafe-inline'; img-src data:\">");
    assert_contains(page, "<title>Spring launch message \xe2\x80\x94 Crowdelic report</title>");
    assert_int_equal(count(page, "<style>"), 1);
    assert_contains(page, "background:#F8F9FA");
    assert_contains(page, "#4FD1C5");
    assert_contains(page, "@media print{");
    assert_contains(page, "break-inside:avoid");
    assert_contains(page, "@page{size:A4");
    assert_lacks(page, "e+"); /* no number of the fixture needs an exponent */
    assert_lacks(page, "e-0");
    assert_int_equal(strcmp(page + strlen(page) - 8, "</html>\n"), 0);

    const char *out = getenv("REPORT_HTML_OUT");
    if (out && *out) {
        FILE *f = fopen(out, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(page, 1, strlen(page), f), strlen(page));
        assert_int_equal(fclose(f), 0);
    }
    free(page);
    free(json);
}

static void the_header_names_the_test_and_the_run(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *header = between(page, "<header", "</header>");
    assert_contains(header, "<h1>Spring launch message</h1>");
    assert_contains(header, "<span class=\"badge type\">Message test</span>");
    assert_contains(header, "<dt>Run</dt><dd class=\"mono\">0192f5a1-0000-7000-8000-00000000r001"
                            "</dd>");
    assert_contains(header, "<dt>Status</dt><dd>succeeded</dd>");
    assert_contains(header, "<dt>Model</dt><dd>gpt-4o-mini</dd>");
    assert_contains(header, "<dt>Finished</dt><dd>2026-03-01 14:04 UTC</dd>");
    assert_lacks(header, "Offline model");
    free(header);
    free(page);
    free(json);
}

static void the_offline_badge_shows_iff_the_offline_model_answered(void **state)
{
    (void)state;
    char *json = fixture("", true);
    char *page = render(json);
    assert_int_equal(count(page, "Offline model \xe2\x80\x94 simulated answers, not a language "
                                 "model"),
                     1);
    assert_contains(page, "<span class=\"badge offline\">");
    free(page);
    free(json);

    json = fixture("", false);
    page = render(json);
    assert_lacks(page, "Offline model");
    assert_lacks(page, "badge offline");
    free(page);
    free(json);

    page = render("{\"test\":{\"name\":\"x\",\"type\":\"product\"},\"run\":{\"offline\":\"yes\"}}");
    assert_lacks(page, "Offline model"); /* only true is true */
    free(page);
}

static void key_figures_are_shown_as_the_document_has_them(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *fig = between(page, "<section class=\"figures\"", "</section>");
    assert_contains(fig, "Respondents</div><div class=\"value\">80</div>");
    assert_contains(fig, "Units</div><div class=\"value\">160</div><div class=\"sub\">2 failed "
                         "\xc2\xb7 0 abandoned</div>");
    assert_contains(fig, "Model calls</div><div class=\"value\">160</div>");
    assert_contains(fig, "Cache hits</div><div class=\"value\">12</div>");
    assert_contains(fig, "Tokens</div><div class=\"value\">204,777</div><div class=\"sub\">"
                         "184,321 in \xc2\xb7 20,456 out</div>");
    assert_contains(fig, "Cost</div><div class=\"value\">$0.0427</div>");
    assert_contains(fig, "Duration</div><div class=\"value\">93.4 s</div>");
    free(fig);
    free(page);
    free(json);

    /* a cost with fewer than two decimals gets two */
    page = render("{\"test\":{\"name\":\"x\"},\"run\":{\"cost_usd\":0.5,\"calls\":1234567}}");
    assert_contains(page, "$0.50</div>");
    assert_contains(page, ">1,234,567</div>");
    free(page);
}

static void numbers_are_written_as_the_document_has_them(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "0.1", "0.1" },
        { "0.30000000000000004", "0.3" },
        { "0.00001473", "0.00001473" },
        { "1234567.5", "1,234,567.5" },
        { "-1234", "-1,234" },
        { "-0.0", "0" },
        { "7.0", "7" },
        { "999", "999" },
        { "1000", "1,000" },
        { "9007199254740993", "9,007,199,254,740,993" },
        { "-9223372036854775808", "-9,223,372,036,854,775,808" },
        { "1e20", "1e+20" },
        { "2.5e-12", "2.5e-12" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char json[256], want[128];
        snprintf(json, sizeof(json),
                 "{\"test\":{\"name\":\"x\"},\"criteria\":[{\"text\":\"t\",\"passed\":true,"
                 "\"figures\":{\"v\":%s}}]}",
                 cases[i][0]);
        snprintf(want, sizeof(want), "<span class=\"mono\">v</span> = %s</td>", cases[i][1]);
        char *page = render(json);
        assert_contains(page, want);
        free(page);
    }
    /* shares: a percentage with one decimal, never rounded by more */
    char *page = render("{\"test\":{\"name\":\"x\"},\"funnel\":{\"steps\":[{\"id\":\"a\","
                        "\"reached\":3,\"drop_off\":0.0005},{\"id\":\"b\",\"reached\":2,"
                        "\"drop_off\":0.333},{\"id\":\"c\",\"reached\":2,\"drop_off\":1}]}}");
    assert_contains(page, ">0.1%</td>");
    assert_contains(page, ">33.3%</td>");
    assert_contains(page, ">100.0%</td>");
    free(page);
}

static void insights_show_the_summary_and_highlights(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "<section class=\"card\" id=\"insights\">", "</section>");
    assert_contains(s, "<p>Variant B is more appealing (7.557 against 6.127), and the difference "
                       "is significant.</p>");
    assert_contains(s, "<ul><li>42.4% would buy it.</li><li>A quarter rate it 9 or 10.</li></ul>");
    assert_lacks(s, "left out");
    free(s);
    free(page);
    free(json);
}

static void dropped_insights_show_the_note_only(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"x\"},\"insights\":{\"summary\":\"Everyone loved "
                        "it\",\"highlights\":[\"99% would buy\"],\"dropped\":\"the summary was "
                        "dropped: twice it stated a number the results do not hold (99)\"}}");
    assert_contains(page, "<p class=\"note\"><strong>No written summary.</strong> The summary was "
                          "dropped: twice it stated a number the results do not hold (99)</p>");
    assert_lacks(page, "Everyone loved it");
    assert_lacks(page, "99% would buy");
    free(page);

    page = render("{\"test\":{\"name\":\"x\"},\"insights\":{\"summary\":\"S\",\"dropped\":true}}");
    assert_contains(page, "<strong>No written summary.</strong> It stated something the figures "
                          "of this report do not hold.");
    assert_lacks(page, "<p>S</p>");
    free(page);

    page = render("{\"test\":{\"name\":\"x\"},\"insights\":{\"summary\":\"S\",\"dropped\":false,"
                  "\"model\":\"gpt-4o\"}}");
    assert_contains(page, "<p>S</p>");
    assert_contains(page, "<p class=\"muted\">Written by gpt-4o; every number in it is a figure "
                          "of this report.</p>");
    assert_lacks(page, "No written summary");
    free(page);
}

static void locked_segments_and_failed_themes_are_explained(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"x\"},\"segments\":null,\"segments_locked\":"
                        "\"advanced_analytics\",\"themes\":{\"positive\":[],\"negative\":[],"
                        "\"neutral\":[]},\"themes_error\":\"the model timed out <b>\"}");
    assert_contains(page, "Segment breakdowns are not part of this plan (they need the feature "
                          "\xe2\x80\x9c"
                          "advanced_analytics\xe2\x80\x9d).");
    assert_contains(page, "<p class=\"note\"><strong>Themes could not be found.</strong> The "
                          "model timed out &lt;b&gt;</p>");
    assert_lacks(page, "<div class=\"themes\">");
    free(page);
}

static void criteria_show_passed_failed_and_undecided(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"criteria\"", "</section>");
    assert_contains(s, "<span class=\"badge pass\">Passed</span></td><td class=\"mono\">"
                       "mean(appeal) &gt;= 6.5</td><td><span class=\"mono\">mean(appeal)</span>"
                       " = 6.842</td>");
    assert_contains(s, "<span class=\"badge fail\">Failed</span></td><td class=\"mono\">"
                       "share(buy == &quot;yes&quot;) &gt;= 0.5</td>");
    assert_contains(s, "= 0.424</td>");
    assert_contains(s, "<span class=\"badge undecided\">Undecided</span></td><td class=\"mono\">"
                       "winner == &quot;C&quot;<div class=\"err\">no variant C in this test</div>");
    assert_int_equal(count(s, "<tr><td><span class=\"badge"), 3);
    free(s);
    free(page);
    free(json);
}

static void the_winner_and_comparisons_are_shown_in_words(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"variants\"", "</section>");
    assert_contains(s, "<span class=\"eyebrow\">Winner</span><strong>B</strong><span>"
                       "significantly ahead on \xe2\x80\x9cHow appealing is this message?"
                       "\xe2\x80\x9d (p = 0.0001)</span>");
    /* the rating comparison: the variants chart, the tests, significant */
    assert_contains(s, "<h3>How appealing is this message?</h3>\n<p class=\"muted\">Mean by "
                       "variant, with its 95% confidence interval</p>");
    assert_contains(s, "7.557 [7.139, 7.975] (n=79)");
    assert_contains(s, "6.127 [5.660, 6.594] (n=79)");
    assert_contains(s, "Permutation test of the difference in means: statistic = 1.43, p = "
                       "0.0001; effect size Cohen&#39;s d = 0.712.");
    assert_contains(s, "Welch&#39;s t = -4.47, df = 153.2, p = 0.00001473.");
    assert_contains(s, "Mann\xe2\x80\x93Whitney U = 1,984.5, p = 0.00003121, rank-biserial r "
                       "= -0.364.");
    assert_contains(s, "<span class=\"badge sig\">significant</span> The difference is "
                       "significant (p &lt; 0.05); best: <strong>B</strong>, runner-up: A; "
                       "winner: <strong>B</strong>.");
    /* the yes / no comparison: shares as bars, chi-square, not significant */
    assert_contains(s, "<h3>Would you buy it?</h3>\n<p class=\"muted\">Share answering "
                       "\xe2\x80\x9cyes\xe2\x80\x9d by variant, with its 95% Wilson interval</p>");
    assert_contains(s, "<title>A: 36.7% n=79</title>");
    assert_contains(s, "<title>B: 48.1% n=79</title>");
    assert_contains(s, "Chi-square test of independence: statistic = 2.07, p = 0.1502; effect "
                       "size Cram\xc3\xa9r&#39;s V = 0.115.");
    assert_contains(s, "<span class=\"badge nsig\">not significant</span> The difference is "
                       "not significant at p &lt; 0.05; best: <strong>B</strong>");
    assert_int_equal(count(s, "<svg"), 2);
    free(s);
    free(page);
    free(json);
}

static void without_a_winner_the_page_says_so(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *nowin = replace_all(json, "\"winner\":\"B\"}", "\"winner\":null}");
    char *doc = replace_all(nowin, "\"winner\":\"B\",", "");
    char *page = render(doc);
    assert_contains(page, "Winner</span><span>None: no difference between the variants is "
                          "significant.</span>");
    assert_lacks(page, "<strong>B</strong></span>");
    free(page);
    free(doc);
    free(nowin);
    free(json);
}

static void a_choice_comparison_names_the_option_its_shares_count(void **state)
{
    (void)state;
    char *page = render(
        "{\"test\":{\"name\":\"x\"},\"questions\":[{\"id\":\"c\",\"kind\":\"choice\","
        "\"prompt\":\"Pick\",\"n\":20,\"distribution\":[{\"value\":\"Red & blue\",\"count\":12,"
        "\"share\":0.6,\"ci\":[0.387,0.781]},{\"value\":\"Green\",\"count\":8,\"share\":0.4,"
        "\"ci\":[0.219,0.613]}]}],\"comparisons\":[{\"scenario\":\"s\",\"question\":\"c\","
        "\"kind\":\"choice\",\"variants\":[{\"id\":\"A\",\"n\":10,\"share\":0.7,\"ci\":[0.397,"
        "0.892]},{\"id\":\"B\",\"n\":10,\"share\":0.5,\"ci\":[0.237,0.763]}],\"test\":"
        "\"chi_square\",\"statistic\":0.833,\"p\":0.3613,\"best\":\"A\",\"runner_up\":\"B\","
        "\"significant\":false}]}");
    assert_contains(page, "<div class=\"eyebrow\">s \xc2\xb7 Choice</div>\n<h3>Pick</h3>");
    assert_contains(page, "Share choosing \xe2\x80\x9cRed &amp; blue\xe2\x80\x9d by variant");
    assert_contains(page, "<title>A: 70.0% n=10</title>");
    assert_contains(page, "Chi-square test of independence: statistic = 0.833, p = 0.3613.");
    assert_contains(page, "None: no difference between the variants is significant.");
    free(page);
}

static void each_question_shows_its_figures_and_chart(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *q = between(page, "<section id=\"questions\">", "</section>");
    /* a rating: mean [CI], sd, median, range, top-two-box, its distribution */
    assert_contains(q, "<div class=\"eyebrow\">appeal \xc2\xb7 Rating 1" EN "10 \xc2\xb7 n = "
                       "158</div>\n<h2>How appealing is this message?</h2>");
    assert_contains(q, "<dt>Mean [95% CI]</dt><dd>6.842<span> [6.511, 7.173]</span></dd>");
    assert_contains(q, "<dt>SD</dt><dd>2.104</dd>");
    assert_contains(q, "<dt>Median</dt><dd>7</dd>");
    assert_contains(q, "<dt>Range</dt><dd>1" EN "10</dd>");
    assert_contains(q, "<dt>Top-two-box</dt><dd>24.7%<span> [18.5%, 32.1%]</span></dd>");
    assert_contains(q, "<title>7: 28 of 158 (18%)</title>");
    /* yes / no and choice: bars of shares with their Wilson intervals */
    assert_contains(q, "<title>Yes: 42.4% n=67</title>");
    assert_contains(q, "<title>No: 57.6% n=91</title>");
    assert_contains(q, "<title>Instagram: 44.9% n=71</title>");
    assert_contains(q, "<title>A friend: 22.2% n=35</title>");
    /* a ranking: first places, mean ranks */
    assert_contains(q, "<title>Price: 50.6% n=80</title>");
    assert_contains(q, "<tr><td>Design</td><td class=\"num\">2.01</td></tr>");
    /* open text: quotes */
    assert_contains(q, "<li><blockquote>Show me the price up front.</blockquote></li>");
    assert_int_equal(count(q, "<article class=\"card\">"), 5);
    assert_int_equal(count(q, "<svg"), 4);
    free(q);
    free(page);
    free(json);
}

static void each_slot_has_a_compact_table(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"scenarios\"", "</section>");
    assert_contains(s, "<table><caption>Launch post<br><span class=\"muted\">variant A \xc2\xb7 "
                       "s1/A \xc2\xb7 n = 79</span></caption>");
    assert_contains(s, "<caption>Launch post<br><span class=\"muted\">variant B \xc2\xb7 s1/B");
    assert_contains(s, "<td>How appealing is this message?</td><td class=\"num\">79</td><td>"
                       "mean 7.557 [7.139, 7.975]</td>");
    assert_contains(s, "<td>Would you buy it?</td><td class=\"num\">79</td><td>yes 36.7% "
                       "[26.8%, 47.9%]</td>");
    assert_int_equal(count(s, "<table>"), 2);
    free(s);
    free(page);
    free(json);
}

static void segments_mark_small_groups(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"segments\"", "</section>");
    assert_contains(s, "<h3>Age group</h3>");
    assert_contains(s, "<th class=\"num\">How appealing is this message?</th><th class=\"num\">"
                       "Would you buy it?</th>");
    assert_contains(s, "<tr><td>18-29</td><td class=\"num\">52</td><td class=\"num\">7.231 "
                       "[6.64, 7.822] <span class=\"muted\">n=52</span></td><td class=\"num\">"
                       "50.0% [36.8%, 63.2%] <span class=\"muted\">n=52</span></td></tr>");
    assert_contains(s, "<tr class=\"small\"><td>65+<span class=\"tag\">fewer than 5 people"
                       "</span></td><td class=\"num\">4</td>");
    assert_int_equal(count(s, "fewer than 5 people"), 1);
    assert_int_equal(count(s, "<tr class=\"small\">"), 1);
    assert_contains(s, "<h3>Gender</h3>");
    free(s);
    free(page);
    free(json);
}

static void the_funnel_shows_steps_drop_offs_and_reasons(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"funnel\"", "</section>");
    assert_int_equal(count(s, "<svg"), 1);
    assert_contains(s, "aria-label=\"Journey funnel\"");
    assert_contains(s, "<tr><td>Landing page</td><td class=\"num\">80</td><td class=\"num\">71"
                       "</td><td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\">"
                       "11.3%</td></tr>");
    assert_contains(s, "<tr><td>pay</td>"); /* no title: the id */
    assert_contains(s, "<h3>Why they left at \xe2\x80\x9cSign up\xe2\x80\x9d</h3>\n<ul><li>Asked "
                       "for a phone number <span class=\"count\">(14)</span></li>");
    assert_lacks(s, "left at \xe2\x80\x9cpay"); /* no reasons: no list */
    free(s);
    free(page);
    free(json);
}

static void themes_are_listed_by_sentiment_with_counts_and_quotes(void **state)
{
    (void)state;
    char *json = fixture("", false);
    char *page = render(json);
    char *s = between(page, "id=\"themes\"", "</section>");
    assert_contains(s, "<h3><span class=\"dot positive\"></span>Positive</h3>");
    assert_contains(s, "<h3><span class=\"dot negative\"></span>Negative</h3>");
    assert_contains(s, "<h3><span class=\"dot neutral\"></span>Neutral</h3>");
    assert_contains(s, "<span>Clear price</span><span class=\"count\">31</span></div><ul "
                       "class=\"quotes\"><li><blockquote>Nine dollars a month is fair."
                       "</blockquote></li></ul>");
    assert_contains(s, "<span>Compared with rivals</span><span class=\"count\">9</span>");
    free(s);
    free(page);
    free(json);
}

static void sections_come_in_order(void **state)
{
    (void)state;
    static const char *const order[] = { "<header",          "id=\"figures\"",  "id=\"insights\"",
                                         "id=\"criteria\"",  "id=\"variants\"", "id=\"questions\"",
                                         "id=\"scenarios\"", "id=\"segments\"", "id=\"funnel\"",
                                         "id=\"themes\"",    "<footer" };
    char *json = fixture("", false);
    char *page = render(json);
    const char *at = page;
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        const char *next = strstr(at, order[i]);
        if (!next)
            fail_msg("'%s' missing or out of order", order[i]);
        assert_int_equal(count(page, order[i]), 1);
        at = next;
    }
    assert_contains(page, "seed 42");
    free(page);
    free(json);
}

/* ---- text from outside ------------------------------------------------------------------- */

static void markup_in_every_text_comes_out_escaped(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Spring launch message",          /* test name (h1 and <title>) */
        "gpt-4o-mini",                    /* model */
        "How appealing is this message?", /* a prompt */
        "Instagram",                      /* an option (chart title) */
        "Price",                          /* a ranked option (chart and table) */
        "A trial month without a card would get me to sign up today.", /* a quote */
        "Launch post",                                                 /* a scenario's title */
        "B",                                  /* a variant's id and the winner */
        "s1/B",                               /* a slot's key */
        "Age group",                          /* a segment's label */
        "18-29",                              /* a group's value */
        "mean(appeal) &gt;= 6.5",             /* a criterion */
        "mean(appeal)",                       /* a criterion's figure */
        "no variant C in this test",          /* a criterion's error */
        "Landing page",                       /* a funnel step */
        "Price not shown",                    /* a reason */
        "Clear price",                        /* a theme */
        "Nine dollars a month is fair.",      /* a theme's quote */
        "and the difference is significant.", /* insights' summary */
        "42.4% would buy it.",                /* a highlight */
        "appeal",                             /* a question id */
    };
    char *json = fixture(EVIL, false);
    char *page = render(json);
    assert_lacks(page, "<script");
    assert_lacks(page, "\" onload=\"");
    char want[512];
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        snprintf(want, sizeof(want), "%s" EVIL_OUT, texts[i]);
        assert_contains(page, want);
    }
    /* the winner, matched with the comparison it won */
    assert_contains(page, "<strong>B" EVIL_OUT "</strong><span>significantly ahead");
    free(page);
    free(json);
}

static void control_characters_in_texts_become_replacement_characters(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"a\\u0001b\\u001fc\\ufffe\",\"type\":\"product\"}}");
    assert_contains(page, "<h1>a" REPL "b" REPL "c" REPL "</h1>");
    free(page);

    /* jansson itself refuses U+0000 and bytes that are not UTF-8 */
    struct err err = ERR_INIT;
    static const char nul[] = "{\"test\":{\"name\":\"a\\u0000b\"}}";
    static const char bad[] = "{\"test\":{\"name\":\"a\xff\"}}";
    assert_int_equal(render_error(nul, sizeof(nul) - 1, &err), ERR_BAD_JSON);
    assert_int_equal(render_error(bad, sizeof(bad) - 1, &err), ERR_BAD_JSON);
}

static void nothing_outside_the_page_is_referenced(void **state)
{
    (void)state;
    char *json = fixture("", true);
    char *page = render(json); /* assert_sane: no script, link, url(), src, href, import */
    assert_lacks(page, "<link");
    assert_lacks(page, "<img");
    assert_lacks(page, "<iframe");
    assert_lacks(page, "@font-face");
    assert_lacks(page, "style=\"");
    assert_true(count(page, SVG_NS) > 0);
    free(page);
    free(json);
}

/* ---- what is not there -------------------------------------------------------------------- */

static void a_minimal_document_is_a_header_only(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"x\",\"type\":\"product\"}}");
    assert_contains(page, "<h1>x</h1>");
    assert_contains(page, "Product test");
    static const char *const absent[] = { "id=\"figures\"",   "id=\"insights\"",
                                          "id=\"criteria\"",  "id=\"variants\"",
                                          "id=\"questions\"", "id=\"scenarios\"",
                                          "id=\"segments\"",  "id=\"funnel\"",
                                          "id=\"themes\"",    "<svg",
                                          "Offline model",    "<dt>" };
    for (size_t i = 0; i < ARRAY_SIZE(absent); i++)
        assert_lacks(page, absent[i]);
    free(page);

    page = render("{\"test\":{}}");
    assert_contains(page, "<h1>Untitled test</h1>");
    free(page);
}

static void a_focus_groups_discussion_is_shown_line_by_line(void **state)
{
    (void)state;
    char *page = render(
        "{\"test\":{\"name\":\"Coffee\",\"type\":\"focus_group\"},\"transcript\":["
        "{\"speaker\":\"Moderator\",\"text\":\"What do you drink?\",\"scenario\":\"morning\","
        "\"round\":1},"
        "{\"speaker\":\"Ana <b>Souza</b>\",\"text\":\"Espresso </p><script>x()</script>\","
        "\"scenario\":\"morning\",\"round\":1},"
        "{\"speaker\":\"Moderator\",\"text\":\"And later?\",\"scenario\":\"morning\","
        "\"round\":2}]}");
    assert_contains(page, "<section class=\"card\" id=\"transcript\">");
    assert_contains(page, "<h3>morning · round 1</h3>");
    assert_contains(page, "<h3>morning · round 2</h3>");
    assert_contains(page,
                    "<p class=\"line moderator\"><span class=\"who\">Moderator</span>What do");
    assert_contains(page, "Ana &lt;b&gt;Souza&lt;/b&gt;</span>Espresso &lt;/p&gt;&lt;script&gt;");
    assert_lacks(page, "<script");
    free(page);
    page = render("{\"test\":{\"name\":\"x\"},\"transcript\":[]}");
    assert_lacks(page, "id=\"transcript\"");
    free(page);
}

static void null_and_empty_sections_are_left_out(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"x\",\"type\":\"journey\",\"id\":null},\"run\":null,"
                        "\"respondents\":null,\"units\":null,\"questions\":[],\"scenarios\":null,"
                        "\"comparisons\":[],\"winner\":null,\"segments\":null,\"criteria\":[],"
                        "\"funnel\":{\"steps\":[]},\"themes\":{\"positive\":[],\"negative\":null},"
                        "\"insights\":{\"summary\":null,\"highlights\":[]}}");
    static const char *const absent[] = { "id=\"figures\"",   "id=\"insights\"",
                                          "id=\"criteria\"",  "id=\"variants\"",
                                          "id=\"questions\"", "id=\"scenarios\"",
                                          "id=\"segments\"",  "id=\"funnel\"",
                                          "id=\"themes\"",    "<svg" };
    for (size_t i = 0; i < ARRAY_SIZE(absent); i++)
        assert_lacks(page, absent[i]);
    assert_contains(page, "Journey test");
    free(page);
}

static void a_single_slot_is_not_repeated_by_scenario(void **state)
{
    (void)state;
    char *page = render("{\"test\":{\"name\":\"x\"},\"scenarios\":[{\"id\":\"s1\",\"slots\":"
                        "[{\"key\":\"s1\",\"n\":3,\"questions\":[]}]}]}");
    assert_lacks(page, "id=\"scenarios\"");
    free(page);
}

static void questions_without_answers_say_so(void **state)
{
    (void)state;
    char *page =
        render("{\"test\":{\"name\":\"x\"},\"questions\":["
               "{\"id\":\"r\",\"kind\":\"rating\",\"prompt\":\"R\",\"n\":0,\"scale\":{\"min\":1,"
               "\"max\":5},\"mean\":null,\"ci\":null,\"distribution\":[{\"value\":1,\"count\":0,"
               "\"share\":null},{\"value\":2,\"count\":0,\"share\":null}]},"
               "{\"id\":\"y\",\"kind\":\"yes_no\",\"prompt\":\"Y\",\"n\":0,\"distribution\":["
               "{\"value\":\"yes\",\"count\":0,\"share\":null,\"ci\":null}]},"
               "{\"id\":\"t\",\"kind\":\"text\",\"prompt\":\"T\",\"n\":0,\"quotes\":[]},"
               "{\"id\":\"u\",\"kind\":\"video\",\"prompt\":\"U\"}]}");
    assert_int_equal(count(page, "No answers"), 2);
    assert_lacks(page, "<dt>Mean");
    assert_contains(page, "<h2>T</h2>");
    assert_contains(page, "u \xc2\xb7 video</div>"); /* an unknown kind: as it is */
    free(page);
}

/*
 * Replaces (or removes) every member and element of node in turn, renders
 * the whole document root each time and checks the page; returns the pages
 * rendered.
 */
static size_t mutate_each(json_t *root, json_t *node, bool top)
{
    static const char *const replacements[] = { NULL,     "null", "\"<b>x</b>\"",
                                                "-1e300", "{}",   "[1,\"a\"]" };
    bool is_obj = json_is_object(node);
    size_t rendered = 0, n = is_obj ? json_object_size(node) : json_array_size(node);
    char **keys = calloc(n + 1, sizeof(*keys));
    assert_non_null(keys);
    if (is_obj) {
        size_t k = 0;
        const char *key;
        json_t *v;
        json_object_foreach (node, key, v)
            keys[k++] = strdup(key);
    }
    for (size_t i = 0; i < n; i++) {
        json_t *child = is_obj ? json_object_get(node, keys[i]) : json_array_get(node, i);
        json_incref(child);
        for (size_t r = 0; r < ARRAY_SIZE(replacements); r++) {
            json_t *repl =
                replacements[r] ? json_loads(replacements[r], JSON_DECODE_ANY, NULL) : NULL;
            bool test_gone = top && is_obj && strcmp(keys[i], "test") == 0 && !json_is_object(repl);
            if (is_obj && repl)
                json_object_set(node, keys[i], repl);
            else if (is_obj)
                json_object_del(node, keys[i]);
            else
                json_array_set(node, i, repl ? repl : json_null());
            json_decref(repl);
            char *text = json_dumps(root, JSON_COMPACT);
            struct buf b;
            struct err err = ERR_INIT;
            buf_init(&b, 1 << 22);
            enum err_code rc = report_html(text, strlen(text), &b, &err);
            if (test_gone) {
                assert_int_equal(rc, ERR_INVALID);
            } else {
                assert_ok(rc, &err);
                assert_sane(b.data);
            }
            rendered++;
            buf_release(&b);
            free(text);
            if (is_obj)
                json_object_set(node, keys[i], child);
            else
                json_array_set(node, i, child);
        }
        if (json_is_object(child) || json_is_array(child))
            rendered += mutate_each(root, child, false);
        json_decref(child);
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return rendered;
}

static void every_member_missing_or_of_another_type_still_renders(void **state)
{
    (void)state;
    char *text = fixture(EVIL, true);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    size_t rendered = mutate_each(root, root, true);
    assert_true(rendered > 2500);
    json_decref(root);
    free(text);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void text_that_is_not_json_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = { "",
                                       "   ",
                                       "{",
                                       "not json",
                                       "\"a string\"",
                                       "42",
                                       "{\"test\":{\"name\":\"x\"},}",
                                       "{\"test\":{},\"test\":{}}" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct err err = ERR_INIT;
        assert_int_equal(render_error(bad[i], strlen(bad[i]), &err), ERR_BAD_JSON);
        assert_int_equal(strncmp(err.msg, "report: ", 8), 0);
    }
    struct err err = ERR_INIT;
    assert_int_equal(render_error(NULL, 0, &err), ERR_BAD_JSON);
    /* a document cut anywhere */
    char *json = fixture("", false);
    assert_int_equal(render_error(json, strlen(json) / 2, &err), ERR_BAD_JSON);
    assert_contains(err.msg, "line 1 column");
    free(json);
}

static void a_document_that_is_not_an_object_is_refused(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    assert_int_equal(render_error("[1,2]", 5, &err), ERR_INVALID);
    assert_string_equal(err.msg, "report: the document is array, not an object");
    assert_int_equal(render_error("{}", 2, &err), ERR_INVALID);
    assert_string_equal(err.field, "test");
    assert_string_equal(err.msg, "report: \"test\" is nothing, not an object");
    assert_int_equal(render_error("{\"test\":\"x\"}", 12, &err), ERR_INVALID);
    assert_string_equal(err.msg, "report: \"test\" is string, not an object");
    assert_int_equal(render_error("{\"test\":null}", 13, &err), ERR_INVALID);
}

static void a_page_past_the_maximum_is_refused_and_dropped(void **state)
{
    (void)state;
    char *json = fixture("", false);
    struct buf b;
    struct err err = ERR_INIT;
    buf_init(&b, 4096);
    buf_adds(&b, "kept");
    assert_int_equal(report_html(json, strlen(json), &b, &err), ERR_TOO_LARGE);
    assert_true(b.failed);
    assert_string_equal(b.data, "kept");
    assert_contains(err.msg, "4096 bytes");
    buf_release(&b);

    /* exactly the page's size fits; one byte less does not */
    buf_init(&b, 1 << 22);
    assert_ok(report_html(json, strlen(json), &b, &err), &err);
    size_t size = b.len;
    buf_release(&b);
    buf_init(&b, size);
    assert_ok(report_html(json, strlen(json), &b, &err), &err);
    assert_int_equal(b.len, size);
    buf_release(&b);
    buf_init(&b, size - 1);
    assert_int_equal(report_html(json, strlen(json), &b, &err), ERR_TOO_LARGE);
    assert_int_equal(b.len, 0);
    buf_release(&b);
    free(json);
}

static void the_page_is_appended_after_what_out_holds(void **state)
{
    (void)state;
    struct buf b;
    struct err err = ERR_INIT;
    const char *json = "{\"test\":{\"name\":\"x\"}}";
    buf_init(&b, 1 << 20);
    buf_adds(&b, "HTTP body: ");
    assert_ok(report_html(json, strlen(json), &b, &err), &err);
    assert_int_equal(strncmp(b.data, "HTTP body: <!doctype html>", 26), 0);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_page_is_an_html5_document),
        cmocka_unit_test(the_header_names_the_test_and_the_run),
        cmocka_unit_test(the_offline_badge_shows_iff_the_offline_model_answered),
        cmocka_unit_test(key_figures_are_shown_as_the_document_has_them),
        cmocka_unit_test(numbers_are_written_as_the_document_has_them),
        cmocka_unit_test(insights_show_the_summary_and_highlights),
        cmocka_unit_test(dropped_insights_show_the_note_only),
        cmocka_unit_test(locked_segments_and_failed_themes_are_explained),
        cmocka_unit_test(criteria_show_passed_failed_and_undecided),
        cmocka_unit_test(the_winner_and_comparisons_are_shown_in_words),
        cmocka_unit_test(without_a_winner_the_page_says_so),
        cmocka_unit_test(a_choice_comparison_names_the_option_its_shares_count),
        cmocka_unit_test(each_question_shows_its_figures_and_chart),
        cmocka_unit_test(each_slot_has_a_compact_table),
        cmocka_unit_test(segments_mark_small_groups),
        cmocka_unit_test(the_funnel_shows_steps_drop_offs_and_reasons),
        cmocka_unit_test(themes_are_listed_by_sentiment_with_counts_and_quotes),
        cmocka_unit_test(sections_come_in_order),
        cmocka_unit_test(markup_in_every_text_comes_out_escaped),
        cmocka_unit_test(control_characters_in_texts_become_replacement_characters),
        cmocka_unit_test(nothing_outside_the_page_is_referenced),
        cmocka_unit_test(a_minimal_document_is_a_header_only),
        cmocka_unit_test(a_focus_groups_discussion_is_shown_line_by_line),
        cmocka_unit_test(null_and_empty_sections_are_left_out),
        cmocka_unit_test(a_single_slot_is_not_repeated_by_scenario),
        cmocka_unit_test(questions_without_answers_say_so),
        cmocka_unit_test(every_member_missing_or_of_another_type_still_renders),
        cmocka_unit_test(text_that_is_not_json_is_refused),
        cmocka_unit_test(a_document_that_is_not_an_object_is_refused),
        cmocka_unit_test(a_page_past_the_maximum_is_refused_and_dropped),
        cmocka_unit_test(the_page_is_appended_after_what_out_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
