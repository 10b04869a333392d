/*
 * tests/unit/http/test_static.c - the pure helpers of http/static.h:
 * static_path_is_safe (ordinary paths accepted; traversal, dot segments,
 * dot files, empty segments, backslashes, control characters and relative
 * paths refused) and static_mime_type (known extensions in any case,
 * unknown ones, none, and a dot in a directory name).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "http/static.h"

#define OCTET "application/octet-stream"

static void assert_safe(const char *path)
{
    if (!static_path_is_safe(path))
        fail_msg("'%s' was refused", path);
}

static void assert_unsafe(const char *path)
{
    if (static_path_is_safe(path))
        fail_msg("'%s' was accepted", path);
}

/* ---- static_path_is_safe ------------------------------------------------------------- */

static void ordinary_paths_are_safe(void **state)
{
    (void)state;
    assert_safe("/");
    assert_safe("/index.html");
    assert_safe("/assets/app-1a2b.js");
    assert_safe("/personas/42");
    assert_safe("/favicon.ico");
}

static void final_slash_is_allowed(void **state)
{
    (void)state;
    assert_safe("/assets/");
}

static void dots_inside_a_segment_are_allowed(void **state)
{
    (void)state;
    assert_safe("/a..b");
    assert_safe("/app.min.js");
    assert_safe("/a/b.");
    assert_safe("/caf\xc3\xa9.html"); /* UTF-8 bytes above 0x7f */
}

static void parent_segments_are_refused(void **state)
{
    (void)state;
    assert_unsafe("/../etc/passwd");
    assert_unsafe("/a/../b");
    assert_unsafe("/a/..");
    assert_unsafe("/..");
}

static void current_dir_segments_are_refused(void **state)
{
    (void)state;
    assert_unsafe("/./a");
    assert_unsafe("/a/.");
    assert_unsafe("/.");
}

static void dot_files_are_refused(void **state)
{
    (void)state;
    assert_unsafe("/.env");
    assert_unsafe("/.git/config");
    assert_unsafe("/assets/.hidden");
}

static void empty_segments_are_refused(void **state)
{
    (void)state;
    assert_unsafe("/a//b");
    assert_unsafe("//");
    assert_unsafe("//etc/passwd");
    assert_unsafe("/a//");
}

static void backslash_is_refused(void **state)
{
    (void)state;
    assert_unsafe("/a\\b");
    assert_unsafe("/\\..\\etc");
}

static void control_characters_are_refused(void **state)
{
    (void)state;
    assert_unsafe("/a\x01"
                  "b");
    assert_unsafe("/a\tb");
    assert_unsafe("/a\nb");
    assert_unsafe("/a\rb");
    assert_unsafe("/a\x1f");
    assert_unsafe("/a\x7f");
    assert_unsafe("/\x1b[0m");
}

static void relative_and_empty_paths_are_refused(void **state)
{
    (void)state;
    assert_unsafe("index.html");
    assert_unsafe("a/b");
    assert_unsafe("");
    assert_unsafe("../x");
}

/* ---- static_mime_type ------------------------------------------------------------------ */

static void known_extensions_have_their_types(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/index.html"), "text/html; charset=utf-8");
    assert_string_equal(static_mime_type("/assets/app-1a2b.js"), "text/javascript; charset=utf-8");
    assert_string_equal(static_mime_type("/assets/app.css"), "text/css; charset=utf-8");
    assert_string_equal(static_mime_type("/data.json"), "application/json");
    assert_string_equal(static_mime_type("/logo.svg"), "image/svg+xml");
    assert_string_equal(static_mime_type("/fonts/inter.woff2"), "font/woff2");
    assert_string_equal(static_mime_type("/img.png"), "image/png");
}

static void extension_match_ignores_case(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/INDEX.HTML"), "text/html; charset=utf-8");
    assert_string_equal(static_mime_type("/Logo.Svg"), "image/svg+xml");
}

static void only_the_last_extension_counts(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/app.css.js"), "text/javascript; charset=utf-8");
    assert_string_equal(static_mime_type("/app.js.gz"), OCTET);
    /* "woff" must not be taken for a prefix of "woff2" or the reverse */
    assert_string_equal(static_mime_type("/f.woff"), "font/woff");
    assert_string_equal(static_mime_type("/f.woff3"), OCTET);
}

static void unknown_extension_is_octet_stream(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/archive.xyz"), OCTET);
    assert_string_equal(static_mime_type("/file."), OCTET);
}

static void no_extension_is_octet_stream(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/LICENSE"), OCTET);
    assert_string_equal(static_mime_type(""), OCTET);
    assert_string_equal(static_mime_type("/"), OCTET);
}

static void dot_in_a_directory_name_is_not_an_extension(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("/a.b/c"), OCTET);
    assert_string_equal(static_mime_type("/v1.html/readme"), OCTET);
    assert_string_equal(static_mime_type("/a.b/c.css"), "text/css; charset=utf-8");
}

static void bare_file_name_without_slash_works(void **state)
{
    (void)state;
    assert_string_equal(static_mime_type("index.html"), "text/html; charset=utf-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_paths_are_safe),
        cmocka_unit_test(final_slash_is_allowed),
        cmocka_unit_test(dots_inside_a_segment_are_allowed),
        cmocka_unit_test(parent_segments_are_refused),
        cmocka_unit_test(current_dir_segments_are_refused),
        cmocka_unit_test(dot_files_are_refused),
        cmocka_unit_test(empty_segments_are_refused),
        cmocka_unit_test(backslash_is_refused),
        cmocka_unit_test(control_characters_are_refused),
        cmocka_unit_test(relative_and_empty_paths_are_refused),
        cmocka_unit_test(known_extensions_have_their_types),
        cmocka_unit_test(extension_match_ignores_case),
        cmocka_unit_test(only_the_last_extension_counts),
        cmocka_unit_test(unknown_extension_is_octet_stream),
        cmocka_unit_test(no_extension_is_octet_stream),
        cmocka_unit_test(dot_in_a_directory_name_is_not_an_extension),
        cmocka_unit_test(bare_file_name_without_slash_works),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
