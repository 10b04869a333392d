/*
 * tests/unit/markup.h - a small checker of the markup the report writes
 * (report/svg.c's charts, report/report_html.c's page) and a substring
 * counter, for unit tests. The checker is strict on purpose: it knows only
 * the markup our writers emit, so any text that escapes its escaping (a
 * label that opens an element, a bare '&', a quote that ends an attribute)
 * fails the test with the byte offset and what was found there. No state:
 * call it from a test's own thread (a failure longjmps out of it, as every
 * cmocka assertion does). Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_MARKUP_H
#define TESTS_UNIT_MARKUP_H

#include "core/compat.h"

/*
 * What a document may hold beyond what markup_check asks of every one. A
 * zeroed field is the strict XML choice: no prologue, no void elements, no
 * text outside the root, no <style> text.
 */
struct markup_rules {
    const char *const *elements; /* the names of the elements allowed (borrowed) */
    size_t n_elements;
    const char *const *void_elements; /* of those, the ones with no end tag (HTML's br); or NULL */
    size_t n_void_elements;
    const char *prologue;       /* what the text must start with (a doctype), or NULL */
    bool newlines_outside_root; /* a '\n' may stand before or after the root element */
    bool style_text;            /* <style> holds text (no '<', '>' or '&') up to </style> */
    bool no_event_handlers;     /* an attribute named on... fails */
    bool apostrophes_escaped;   /* a raw '\'' in an attribute value fails */
};

/*
 * Fails the cmocka test, saying what and at which byte, unless s (a
 * NUL-terminated document) is: valid UTF-8; r->prologue, then exactly one
 * root element; elements only of r->elements, start and end tags balanced
 * (at most 64 deep), a start tag ending in "/>" or being a void element
 * needing no end tag; attributes as ` name="value"`, none twice in a tag
 * (at most 32); in text and attribute values no raw '<' or '>', no control
 * character but tab and line ends, and a '&' only as a reference html.h
 * writes (&amp; &lt; &gt; &quot; &#39; or &#N;). Returns how many elements
 * it holds.
 */
size_t markup_check(const char *s, const struct markup_rules *r);

/* How many times needle occurs in text, overlapping occurrences included. */
size_t count(const char *text, const char *needle);

#endif
