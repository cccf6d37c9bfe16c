/* Tests of the safeguard C ABI, in C: every function, every error code a
 * caller can provoke, null arguments, invalid UTF-8, and 8 threads sharing
 * one engine. Built with -std=c11 -Wall -Wextra -Werror and run plainly,
 * under valgrind (no leaks, no errors) and with -fsanitize=address,undefined
 * by scripts/test-c.
 *
 * Not provoked here: SG_RESULT_INTERNAL and SG_RESULT_PANIC (bugs, with no
 * input that reaches them) and SG_RESULT_UNSUPPORTED_DOMAIN (every domain is
 * decided now). */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            failures++;                                                    \
        }                                                                  \
    } while (0)

#define CHECK_RESULT(expr, want)                                           \
    do {                                                                   \
        sg_result got_ = (expr);                                           \
        if (got_ != (want)) {                                              \
            fprintf(stderr, "%s:%d: %s gave %u, expected %u (%s): %s\n",   \
                    __FILE__, __LINE__, #expr, (unsigned)got_,             \
                    (unsigned)(want), #want, sg_last_error());             \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static const char *DEVICES_REQUEST =
    "{\"schema_version\":1,\"domain\":\"devices\",\"policy\":\"hilldene-primary\","
    "\"actor\":{\"role\":\"pupil\",\"year_group\":6},"
    "\"device\":{\"kind\":\"mobile_phone\",\"owner\":\"personal\"},"
    "\"action\":\"bring_on_site\","
    "\"context\":{\"location\":\"reception\",\"period\":\"before_school\","
    "\"children_present\":true,\"exception\":\"none\"}}";

/* Evaluates `request` and expects `want`; returns the response or NULL. */
static char *evaluate(const sg_engine *engine, const char *request, sg_result want) {
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_evaluate(engine, (const uint8_t *)request, strlen(request), &out, &len), want);
    if (want == SG_RESULT_OK) {
        CHECK(out != NULL);
        CHECK(out != NULL && strlen(out) == len);
    } else {
        CHECK(out == NULL); /* outputs are written only on success */
        CHECK(strstr(sg_last_error(), "\"error\"") != NULL);
    }
    return out;
}

static void test_version_and_presets(void) {
    CHECK(strcmp(sg_version(), "0.1.0") == 0);
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_presets(&out, &len), SG_RESULT_OK);
    CHECK(out && strstr(out, "\"baseline\"") && strstr(out, "\"hilldene-primary\""));
    CHECK(out && len == strlen(out));
    sg_string_free(out);
    CHECK_RESULT(sg_presets(NULL, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_presets(&out, NULL), SG_RESULT_NULL_ARGUMENT);
}

/* The version macros agree with the library; each result has its own
 * message in plain words: static, never null, unchanged by later calls. */
static void test_version_macros_and_error_messages(void) {
    CHECK(strcmp(sg_version(), SAFEGUARD_VERSION) == 0);
    char parts[32];
    snprintf(parts, sizeof parts, "%d.%d.%d", SAFEGUARD_VERSION_MAJOR, SAFEGUARD_VERSION_MINOR,
             SAFEGUARD_VERSION_PATCH);
    CHECK(strcmp(parts, SAFEGUARD_VERSION) == 0);

    sg_engine *engine = NULL;
    sg_result r = sg_engine_from_preset("no-such-school", &engine);
    CHECK(r == SG_RESULT_UNKNOWN_POLICY);
    const char *message = sg_error_message(r);
    CHECK(strcmp(message, "there is no built-in policy of that name") == 0);
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_presets(&out, &len), SG_RESULT_OK); /* clears sg_last_error */
    sg_string_free(out);
    CHECK(sg_error_message(SG_RESULT_UNKNOWN_POLICY) == message);
    CHECK(strcmp(message, "there is no built-in policy of that name") == 0);

    CHECK(strcmp(sg_error_message(SG_RESULT_OK), "success") == 0);
    CHECK(strcmp(sg_error_message(SG_RESULT_NULL_ARGUMENT), "a required pointer argument was null") == 0);
    for (uint32_t i = 0; i <= SG_RESULT_TOO_COMPLEX; i++) {
        const char *m = sg_error_message(i);
        CHECK(m != NULL && m[0] != '\0' && strchr(m, '_') == NULL);
        for (uint32_t j = 0; j < i; j++) CHECK(m && strcmp(m, sg_error_message(j)) != 0);
    }
    CHECK(strcmp(sg_error_message(SG_RESULT_TOO_COMPLEX + 1), "not a result of this library") == 0);
    CHECK(strcmp(sg_error_message(UINT32_MAX), "not a result of this library") == 0);
}

static void test_engines(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("no-such-school", &engine), SG_RESULT_UNKNOWN_POLICY);
    CHECK(engine == NULL);
    CHECK(strstr(sg_last_error(), "unknown_policy") != NULL);
    CHECK_RESULT(sg_engine_from_preset(NULL, &engine), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_engine_from_preset("baseline", NULL), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_engine_from_preset("bas\xff", &engine), SG_RESULT_INVALID_UTF8);

    /* A policy of our own, extending the baseline. */
    const char *toml =
        "[policy]\nid = \"c-test\"\nname = \"C test school\"\nversion = \"1\"\n"
        "source = \"test\"\nextends = \"baseline\"\n";
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)toml, strlen(toml), SG_FORMAT_TOML, &engine),
                 SG_RESULT_OK);
    CHECK(engine != NULL);
    sg_engine_free(engine);
    engine = NULL;

    const char *bad_toml = "[policy\nid = ";
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)bad_toml, strlen(bad_toml), SG_FORMAT_TOML, &engine),
                 SG_RESULT_INVALID_TOML);
    const char *bad_json = "{\"policy\": ";
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)bad_json, strlen(bad_json), SG_FORMAT_JSON, &engine),
                 SG_RESULT_INVALID_JSON);
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)toml, strlen(toml), 7, &engine),
                 SG_RESULT_INVALID_ARGUMENT);
    CHECK_RESULT(sg_engine_from_policy(NULL, 10, SG_FORMAT_TOML, &engine), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)toml, strlen(toml), SG_FORMAT_TOML, NULL),
                 SG_RESULT_NULL_ARGUMENT);
    const uint8_t not_utf8[] = {'[', 0xc3, 0x28, ']'};
    CHECK_RESULT(sg_engine_from_policy(not_utf8, sizeof not_utf8, SG_FORMAT_TOML, &engine),
                 SG_RESULT_INVALID_UTF8);
    /* Dropping a floor rule is refused. */
    const char *weakened =
        "[policy]\nid = \"c-weak\"\nname = \"Weak\"\nversion = \"1\"\nsource = \"test\"\n"
        "extends = \"baseline\"\n[escalation]\nremove = [\"escalation.floor.immediate_danger\"]\n";
    CHECK_RESULT(sg_engine_from_policy((const uint8_t *)weakened, strlen(weakened), SG_FORMAT_TOML, &engine),
                 SG_RESULT_FLOOR_VIOLATION);
    CHECK(engine == NULL);
    sg_engine_free(NULL); /* ignored */
}

static void test_evaluate(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("hilldene-primary", &engine), SG_RESULT_OK);

    char *out = evaluate(engine, DEVICES_REQUEST, SG_RESULT_OK);
    CHECK(out && strstr(out, "\"outcome\":\"allow_with_conditions\""));
    CHECK(out && strstr(out, "hand_in_to_office"));
    sg_string_free(out);

    evaluate(engine, "{\"domain\": \"devices\", ", SG_RESULT_INVALID_JSON);
    evaluate(engine, "{\"domain\":\"escalation\",\"category\":\"cyberbullying\",\"concern_about\":\"pupil\","
                     "\"reported_at\":\"2026-03-04T10:15\",\"mood\":\"grim\"}",
             SG_RESULT_UNKNOWN_FIELD);
    /* The unknown key is not quoted: the path is its object's. */
    CHECK(strstr(sg_last_error(), "\"path\":\"$\"") != NULL);
    CHECK(strstr(sg_last_error(), "mood") == NULL);
    evaluate(engine, "{\"domain\":\"escalation\",\"category\":\"cyberbullying\",\"reported_at\":\"2026-03-04T10:15\"}",
             SG_RESULT_MISSING_FIELD);
    evaluate(engine, "{\"domain\":\"escalation\",\"domain\":\"escalation\"}", SG_RESULT_DUPLICATE_FIELD);
    evaluate(engine, "{\"domain\":\"escalation\",\"category\":\"phishing\",\"concern_about\":\"pupil\","
                     "\"reported_at\":\"2026-03-04T10:15\"}",
             SG_RESULT_INVALID_VALUE);
    evaluate(engine, "{\"domain\":\"escalation\",\"category\":\"cyberbullying\",\"concern_about\":\"pupil\","
                     "\"reported_at\":\"2026-02-30T10:15\"}",
             SG_RESULT_INVALID_DATE);
    evaluate(engine, "{\"domain\":\"escalation\",\"policy\":\"baseline\",\"category\":\"cyberbullying\","
                     "\"concern_about\":\"pupil\",\"reported_at\":\"2026-03-04T10:15\"}",
             SG_RESULT_POLICY_MISMATCH);

    /* Over the 1 MiB request limit. */
    size_t big = 2 * 1024 * 1024;
    char *huge = malloc(big + 1);
    CHECK(huge != NULL);
    if (huge) {
        memset(huge, ' ', big);
        huge[0] = '{';
        huge[big - 1] = '}';
        huge[big] = '\0';
        evaluate(engine, huge, SG_RESULT_TOO_LARGE);
        free(huge);
    }

    /* Invalid UTF-8 and null arguments. */
    const uint8_t bad[] = {'{', '"', 0xff, '"', '}'};
    char *o = NULL;
    size_t n = 0;
    CHECK_RESULT(sg_evaluate(engine, bad, sizeof bad, &o, &n), SG_RESULT_INVALID_UTF8);
    CHECK(o == NULL);
    /* The engine's own error, at the bad byte's line and column, as the CLI,
       Python and JavaScript give it (issue 21). */
    CHECK(strcmp(sg_last_error(),
                 "{\"schema_version\":1,\"error\":{\"code\":\"invalid_utf8\",\"message\":"
                 "\"the request is not valid UTF-8 at line 1, column 3\",\"line\":1,\"column\":3}}") == 0);
    CHECK_RESULT(sg_evaluate(NULL, (const uint8_t *)"{}", 2, &o, &n), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_evaluate(engine, NULL, 2, &o, &n), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_evaluate(engine, (const uint8_t *)"{}", 2, NULL, &n), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_evaluate(engine, (const uint8_t *)"{}", 2, &o, NULL), SG_RESULT_NULL_ARGUMENT);
    /* A zero-length request may be null: it is invalid JSON, not a crash. */
    CHECK_RESULT(sg_evaluate(engine, NULL, 0, &o, &n), SG_RESULT_INVALID_JSON);

    /* After a success the last error is empty. */
    out = evaluate(engine, DEVICES_REQUEST, SG_RESULT_OK);
    CHECK(strcmp(sg_last_error(), "") == 0);
    sg_string_free(out);
    sg_engine_free(engine);
}

/* sg_explain: the explanation of a decision as JSON, with its plain-English
 * text; a request it cannot decide is refused with sg_evaluate's result
 * and error, outputs untouched. */
static void test_explain(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("hilldene-primary", &engine), SG_RESULT_OK);
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_explain(engine, (const uint8_t *)DEVICES_REQUEST, strlen(DEVICES_REQUEST), &out, &len),
                 SG_RESULT_OK);
    CHECK(out != NULL && strlen(out) == len);
    CHECK(strcmp(sg_last_error(), "") == 0);
    /* A text field, not empty, and no token of the decision in it. */
    const char *text = out ? strstr(out, "\"text\":\"") : NULL;
    CHECK(text != NULL && text[8] != '"');
    CHECK(out && strstr(out, "\"outcome\":\"allow_with_conditions\""));
    if (text) CHECK(strstr(text, "hand_in_to_office") == NULL);
    sg_string_free(out);

    const char *bad[] = {
        "{\"domain\": \"devices\", ",
        "{\"domain\":\"escalation\",\"category\":\"cyberbullying\",\"reported_at\":\"2026-03-04T10:15\"}",
        "{\"domain\":\"escalation\",\"policy\":\"baseline\",\"category\":\"cyberbullying\","
        "\"concern_about\":\"pupil\",\"reported_at\":\"2026-03-04T10:15\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *evaluated = NULL, *explained = NULL;
        size_t n = 7;
        sg_result want = sg_evaluate(engine, (const uint8_t *)bad[i], strlen(bad[i]), &evaluated, &n);
        char *error = strdup(sg_last_error());
        CHECK(want != SG_RESULT_OK && evaluated == NULL);
        /* A refused request is explained, not failed: the answer's "error"
           is the error object of the envelope sg_evaluate left. */
        CHECK_RESULT(sg_explain(engine, (const uint8_t *)bad[i], strlen(bad[i]), &explained, &n), SG_RESULT_OK);
        const char *envelope = "{\"schema_version\":1,\"error\":";
        const char *refused = "{\"schema_version\":1,\"kind\":\"refused\",\"error\":";
        CHECK(error && strncmp(error, envelope, strlen(envelope)) == 0);
        CHECK(explained && strncmp(explained, refused, strlen(refused)) == 0);
        if (error && explained && strlen(error) > strlen(envelope)) {
            const char *object = error + strlen(envelope);
            size_t object_len = strlen(object) - 1; /* without the envelope's last brace */
            CHECK(strncmp(explained + strlen(refused), object, object_len) == 0);
            CHECK(strstr(explained, "\"text\":\"") != NULL);
        }
        sg_string_free(explained);
        free(error);
    }
    const uint8_t not_utf8[] = {'{', '"', 0xff, '"', '}'};
    CHECK_RESULT(sg_explain(engine, not_utf8, sizeof not_utf8, &out, &len), SG_RESULT_INVALID_UTF8);
    CHECK_RESULT(sg_explain(NULL, (const uint8_t *)"{}", 2, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_explain(engine, NULL, 2, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_explain(engine, (const uint8_t *)"{}", 2, NULL, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_explain(engine, (const uint8_t *)"{}", 2, &out, NULL), SG_RESULT_NULL_ARGUMENT);
    /* No text at all is a request refused as invalid JSON, and explained. */
    CHECK_RESULT(sg_explain(engine, NULL, 0, &out, &len), SG_RESULT_OK);
    CHECK(out && strstr(out, "{\"schema_version\":1,\"kind\":\"refused\",\"error\":{\"code\":\"invalid_json\"") == out);
    sg_string_free(out);
    sg_engine_free(engine);
}

static void test_jsonl_and_lint(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("hilldene-primary", &engine), SG_RESULT_OK);
    char input[4096];
    int k = snprintf(input, sizeof input, "%s\nnot json\n\n%s\n", DEVICES_REQUEST, DEVICES_REQUEST);
    CHECK(k > 0 && (size_t)k < sizeof input);
    /* A line of invalid UTF-8 spoils only itself. */
    strcat(input, "{\"x\":\"\xff\"}\n");
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_evaluate_jsonl(engine, (const uint8_t *)input, strlen(input), &out, &len), SG_RESULT_OK);
    int lines = 0;
    for (size_t i = 0; out && i < len; i++) lines += out[i] == '\n';
    CHECK(lines == 5);
    if (out) {
        char *second = strchr(out, '\n') + 1;
        CHECK(strncmp(out, "{\"schema_version\":1,\"domain\":\"devices\"", 38) == 0);
        CHECK(strncmp(second, "{\"schema_version\":1,\"error\":{\"code\":\"invalid_json\"", 50) == 0);
        CHECK(strstr(out, "invalid_utf8") != NULL);
    }
    sg_string_free(out);
    CHECK_RESULT(sg_evaluate_jsonl(NULL, (const uint8_t *)input, 1, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_evaluate_jsonl(engine, (const uint8_t *)"", 0, &out, &len), SG_RESULT_OK);
    CHECK(out && len == 0);
    sg_string_free(out);

    CHECK_RESULT(sg_lint(engine, &out, &len), SG_RESULT_OK);
    CHECK(out && out[0] == '{' && len == strlen(out));
    sg_string_free(out);
    CHECK_RESULT(sg_lint(NULL, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_lint(engine, NULL, &len), SG_RESULT_NULL_ARGUMENT);
    sg_engine_free(engine);
}

/* A minimal JPEG carrying EXIF GPS (latitude 51.5 N): SOI, APP1 "Exif" with
 * a little-endian TIFF whose IFD0 points to a GPS IFD, a stub scan, EOI. */
static const uint8_t GPS_JPEG[] = {
    0xff, 0xd8, 0xff, 0xe1, 0x00, 0x58, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x49, 0x49, 0x2a, 0x00,
    0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00,
    0x4e, 0x00, 0x00, 0x00, 0x02, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x33, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08,
    0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34, 0x56, 0xff, 0xd9,
};

static void test_images(void) {
    char *info = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_image_inspect(GPS_JPEG, sizeof GPS_JPEG, &info, &len), SG_RESULT_OK);
    CHECK(info && strstr(info, "\"has_location\":true") && strstr(info, "exif_gps"));
    sg_string_free(info);

    uint8_t *stripped = NULL;
    size_t n = 0;
    CHECK_RESULT(sg_image_strip_location(GPS_JPEG, sizeof GPS_JPEG, &stripped, &n), SG_RESULT_OK);
    CHECK(stripped != NULL && n > 0);
    CHECK_RESULT(sg_image_inspect(stripped, n, &info, &len), SG_RESULT_OK);
    CHECK(info && strstr(info, "\"has_location\":false"));
    sg_string_free(info);
    /* The scan (pixels) is unchanged: the last 11 bytes are SOS..EOI. */
    CHECK(n >= 11 && memcmp(stripped + n - 11, GPS_JPEG + sizeof GPS_JPEG - 11, 11) == 0);
    sg_bytes_free(stripped, n);

    /* The identifying strip removes the location too, pixels unchanged. */
    stripped = NULL;
    CHECK_RESULT(sg_image_strip_identifying(GPS_JPEG, sizeof GPS_JPEG, &stripped, &n), SG_RESULT_OK);
    CHECK(stripped != NULL && n == sizeof GPS_JPEG);
    CHECK_RESULT(sg_image_inspect(stripped, n, &info, &len), SG_RESULT_OK);
    CHECK(info && strstr(info, "\"has_location\":false") && strstr(info, "\"identifying\":[]"));
    sg_string_free(info);
    CHECK(memcmp(stripped + n - 11, GPS_JPEG + sizeof GPS_JPEG - 11, 11) == 0);
    sg_bytes_free(stripped, n);
    CHECK_RESULT(sg_image_strip_identifying(GPS_JPEG, sizeof GPS_JPEG, NULL, &n), SG_RESULT_NULL_ARGUMENT);

    const uint8_t truncated[] = {0xff, 0xd8, 0xff, 0xe1, 0x00, 0x58, 0x45};
    info = NULL;
    CHECK_RESULT(sg_image_inspect(truncated, sizeof truncated, &info, &len), SG_RESULT_INVALID_IMAGE);
    CHECK(info == NULL);
    const uint8_t gif[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
    CHECK_RESULT(sg_image_inspect(gif, sizeof gif, &info, &len), SG_RESULT_UNSUPPORTED_IMAGE);
    CHECK_RESULT(sg_image_strip_location(gif, sizeof gif, &stripped, &n), SG_RESULT_UNSUPPORTED_IMAGE);
    CHECK_RESULT(sg_image_inspect(NULL, 5, &info, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_image_strip_location(GPS_JPEG, sizeof GPS_JPEG, NULL, &n), SG_RESULT_NULL_ARGUMENT);
    sg_bytes_free(NULL, 0); /* ignored */
    sg_string_free(NULL);   /* ignored */
}

/* A school's answers: one choice that differs from the national default
 * (pupils' phones handed in at the office), the rest left to the defaults. */
static const char *ANSWERS_JSON =
    "{\"school\":{\"id\":\"c-built-school\",\"name\":\"C Built School\",\"version\":\"2026-09\","
    "\"source\":\"C Built School, Online Safety Policy, September 2026\"},"
    "\"answers\":[{\"question\":\"devices.pupil_phones\",\"choice\":\"hand_in_to_office\","
    "\"cite\":{\"source\":\"C Built School, Online Safety Policy, September 2026\",\"section\":\"Mobiles\"}}]}";

/* The same answers as TOML, with a cited section. */
static const char *ANSWERS_TOML =
    "[school]\nid = \"c-built-school\"\nname = \"C Built School\"\nversion = \"2026-09\"\n"
    "source = \"C Built School, Online Safety Policy, September 2026\"\n\n"
    "[[answers]]\nquestion = \"devices.pupil_phones\"\nchoice = \"hand_in_to_office\"\n"
    "cite = { source = \"C Built School, Online Safety Policy, September 2026\", section = \"Phones\" }\n";

/* DEVICES_REQUEST without its "policy" field, so any engine decides it. */
static const char *PHONE_REQUEST =
    "{\"schema_version\":1,\"domain\":\"devices\","
    "\"actor\":{\"role\":\"pupil\",\"year_group\":6},"
    "\"device\":{\"kind\":\"mobile_phone\",\"owner\":\"personal\"},"
    "\"action\":\"bring_on_site\","
    "\"context\":{\"location\":\"reception\",\"period\":\"before_school\","
    "\"children_present\":true,\"exception\":\"none\"}}";

/* Builds `answers`, expecting `want`; returns the policy TOML or NULL. */
static char *build(const char *answers, sg_format format, sg_result want) {
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_build_policy((const uint8_t *)answers, strlen(answers), format, &out, &len), want);
    if (want == SG_RESULT_OK) {
        CHECK(out != NULL && strlen(out) == len);
        CHECK(strcmp(sg_last_error(), "") == 0);
    } else {
        CHECK(out == NULL);
    }
    return out;
}

/* sg_questions is the model: a JSON array of questions, each with its
 * choices and exactly the national default marked. */
static void test_questions(void) {
    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_questions(&out, &len), SG_RESULT_OK);
    CHECK(out && out[0] == '[' && out[len - 1] == ']' && strlen(out) == len);
    CHECK(out && strstr(out, "{\"id\":\"devices.pupil_phones\",\"domain\":\"devices\",\"prompt\":\""));
    CHECK(out && strstr(out, "\"default\":\"not_allowed\""));
    CHECK(out && strstr(out, "{\"id\":\"hand_in_to_office\",\"label\":\""));
    CHECK(out && strstr(out, "\"national_default\":true") && strstr(out, "\"national_default\":false"));
    sg_string_free(out);
    CHECK_RESULT(sg_questions(NULL, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_questions(&out, NULL), SG_RESULT_NULL_ARGUMENT);
}

/* The policy sg_build_policy writes loads back through the C ABI and
 * decides as the answers say: the phone the baseline turns away is
 * allowed once handed in at the office, under the built policy's id. */
static void test_build_policy(void) {
    char *from_json = build(ANSWERS_JSON, SG_FORMAT_JSON, SG_RESULT_OK);
    char *from_toml = build(ANSWERS_TOML, SG_FORMAT_TOML, SG_RESULT_OK);
    CHECK(from_json && strstr(from_json, "extends = \"baseline\""));
    CHECK(from_json && strstr(from_json, "id = \"c-built-school\""));
    /* Each file's cited section is the one its rules cite. */
    CHECK(from_json && strstr(from_json, "section = \"Mobiles\"") && !strstr(from_json, "\"Phones\""));
    CHECK(from_toml && strstr(from_toml, "section = \"Phones\"") && !strstr(from_toml, "\"Mobiles\""));

    const char *built[] = {from_json, from_toml};
    for (size_t i = 0; i < 2; i++) {
        if (!built[i]) continue;
        sg_engine *engine = NULL;
        CHECK_RESULT(sg_engine_from_policy((const uint8_t *)built[i], strlen(built[i]), SG_FORMAT_TOML, &engine),
                     SG_RESULT_OK);
        char *decision = evaluate(engine, PHONE_REQUEST, SG_RESULT_OK);
        CHECK(decision && strstr(decision, "\"outcome\":\"allow_with_conditions\""));
        CHECK(decision && strstr(decision, "hand_in_to_office"));
        CHECK(decision && strstr(decision, "\"id\":\"c-built-school\""));
        sg_string_free(decision);
        sg_engine_free(engine);
    }
    /* The baseline (every answer its default) decides otherwise. */
    sg_engine *baseline = NULL;
    CHECK_RESULT(sg_engine_from_preset("baseline", &baseline), SG_RESULT_OK);
    char *national = evaluate(baseline, PHONE_REQUEST, SG_RESULT_OK);
    CHECK(national && !strstr(national, "\"outcome\":\"allow_with_conditions\""));
    CHECK(national && !strstr(national, "hand_in_to_office"));
    sg_string_free(national);
    sg_engine_free(baseline);
    sg_string_free(from_json);
    sg_string_free(from_toml);

    /* An unknown choice: invalid_value at its JSON path, quoting nothing
       from the file (neither the choice nor the school's name). */
    const char *unknown_choice =
        "{\"school\":{\"id\":\"c-built-school\",\"name\":\"Secret Name School\",\"version\":\"2026-09\","
        "\"source\":\"x\"},\"answers\":[{\"question\":\"devices.pupil_phones\",\"choice\":\"zzsecretzz\"}]}";
    build(unknown_choice, SG_FORMAT_JSON, SG_RESULT_INVALID_VALUE);
    CHECK(strstr(sg_last_error(), "\"code\":\"invalid_value\"") != NULL);
    CHECK(strstr(sg_last_error(), "\"path\":\"$.answers[0].choice\"") != NULL);
    CHECK(strstr(sg_last_error(), "zzsecretzz") == NULL);
    CHECK(strstr(sg_last_error(), "Secret") == NULL);
    const char *unknown_question =
        "{\"school\":{\"id\":\"c-built-school\",\"name\":\"n\",\"version\":\"2026-09\",\"source\":\"x\"},"
        "\"answers\":[{\"question\":\"devices.pupil_phones\",\"choice\":\"hand_in_to_office\"},"
        "{\"question\":\"devices.zzsecretzz\",\"choice\":\"x\"}]}";
    build(unknown_question, SG_FORMAT_JSON, SG_RESULT_INVALID_VALUE);
    CHECK(strstr(sg_last_error(), "\"path\":\"$.answers[1].question\"") != NULL);
    CHECK(strstr(sg_last_error(), "zzsecretzz") == NULL);
    /* A field the format does not have, and one it needs. */
    build("{\"school\":{\"id\":\"a\",\"name\":\"n\",\"version\":\"1\",\"source\":\"x\",\"zzsecretzz\":1}}",
          SG_FORMAT_JSON, SG_RESULT_UNKNOWN_FIELD);
    CHECK(strstr(sg_last_error(), "\"path\":\"$.school\"") != NULL);
    CHECK(strstr(sg_last_error(), "zzsecretzz") == NULL);
    build("{\"answers\":[]}", SG_FORMAT_JSON, SG_RESULT_MISSING_FIELD);
    CHECK(strstr(sg_last_error(), "\"path\":\"$.school\"") != NULL);
    /* Broken TOML is placed by line and column; the JSON reader refuses it. */
    build("[school]\nid = \"a\"\nname = zzsecretzz\n", SG_FORMAT_TOML, SG_RESULT_INVALID_TOML);
    CHECK(strstr(sg_last_error(), "\"line\":3") != NULL);
    CHECK(strstr(sg_last_error(), "zzsecretzz") == NULL);
    build("{\"school\": ", SG_FORMAT_JSON, SG_RESULT_INVALID_JSON);
    /* A custom rule may not drop a floor rule: the built policy would not
       load, so nothing is handed back. */
    build("[school]\nid = \"a\"\nname = \"A\"\nversion = \"1\"\nsource = \"s\"\n\n[custom]\n"
          "devices_remove = [\"devices.floor.no_personal_devices_in_private_areas\"]\n",
          SG_FORMAT_TOML, SG_RESULT_FLOOR_VIOLATION);
    CHECK(strstr(sg_last_error(), "\"rule\":\"devices.floor.no_personal_devices_in_private_areas\"") != NULL);

    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_build_policy((const uint8_t *)ANSWERS_JSON, strlen(ANSWERS_JSON), 7, &out, &len),
                 SG_RESULT_INVALID_ARGUMENT);
    const uint8_t not_utf8[] = {'{', '"', 0xff, '"', '}'};
    CHECK_RESULT(sg_build_policy(not_utf8, sizeof not_utf8, SG_FORMAT_JSON, &out, &len), SG_RESULT_INVALID_UTF8);
    CHECK(strstr(sg_last_error(), "the answers file is not valid UTF-8 at line 1, column 3") != NULL);
    CHECK_RESULT(sg_build_policy(NULL, 5, SG_FORMAT_JSON, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_build_policy((const uint8_t *)"{}", 2, SG_FORMAT_JSON, NULL, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_build_policy((const uint8_t *)"{}", 2, SG_FORMAT_JSON, &out, NULL), SG_RESULT_NULL_ARGUMENT);
    CHECK(out == NULL);
}

/* sg_review in its three formats: the JSON report carries the policy's
 * name, the national changes since its date and its Markdown and HTML;
 * the Markdown and the HTML are those texts alone. */
static void test_review(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("hilldene-primary", &engine), SG_RESULT_OK);
    char *json = NULL, *markdown = NULL, *html = NULL;
    size_t json_len = 0, markdown_len = 0, html_len = 0;
    CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_JSON, &json, &json_len), SG_RESULT_OK);
    CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_MARKDOWN, &markdown, &markdown_len), SG_RESULT_OK);
    CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_HTML, &html, &html_len), SG_RESULT_OK);
    CHECK(json && json[0] == '{' && strlen(json) == json_len);
    CHECK(json && strstr(json, "\"name\":\"Hilldene Primary School\""));
    /* A 2018 policy: the 2024 guidance on AI-generated imagery is listed,
       and its own text does not cover it. */
    const char *ai = json ? strstr(json, "\"id\":\"ukcis-2024-ai-imagery\"") : NULL;
    CHECK(ai != NULL);
    CHECK(ai && strstr(ai, "\"addressed\":false"));
    CHECK(json && strstr(json, "\"markdown\":\"#") && strstr(json, "\"html\":\"<!DOCTYPE html>"));
    CHECK(markdown && markdown[0] == '#' && strlen(markdown) == markdown_len);
    CHECK(markdown && strstr(markdown, "Hilldene Primary School"));
    CHECK(markdown && !strstr(markdown, "ukcis-2024-ai-imagery")); /* no ids for people */
    CHECK(html && strncmp(html, "<!DOCTYPE html>", 15) == 0 && strlen(html) == html_len);
    CHECK(html && !strstr(html, "<script"));
    sg_string_free(json);
    sg_string_free(markdown);
    sg_string_free(html);

    char *out = NULL;
    size_t len = 0;
    CHECK_RESULT(sg_review(engine, 3, &out, &len), SG_RESULT_INVALID_ARGUMENT);
    CHECK(out == NULL && strstr(sg_last_error(), "invalid_argument") != NULL);
    CHECK_RESULT(sg_review(NULL, SG_REVIEW_FORMAT_JSON, &out, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_JSON, NULL, &len), SG_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_JSON, &out, NULL), SG_RESULT_NULL_ARGUMENT);
    sg_engine_free(engine);

    /* A built policy is reviewed under its own name. */
    char *built = build(ANSWERS_JSON, SG_FORMAT_JSON, SG_RESULT_OK);
    if (built) {
        CHECK_RESULT(sg_engine_from_policy((const uint8_t *)built, strlen(built), SG_FORMAT_TOML, &engine),
                     SG_RESULT_OK);
        CHECK_RESULT(sg_review(engine, SG_REVIEW_FORMAT_MARKDOWN, &out, &len), SG_RESULT_OK);
        CHECK(out && strstr(out, "C Built School"));
        sg_string_free(out);
        sg_engine_free(engine);
    }
    sg_string_free(built);
}

/* 8 threads share one engine; each answer must equal the single-thread one. */
typedef struct {
    const sg_engine *engine;
    const char *expected;
    int mismatches;
} worker_args;

static void *worker(void *p) {
    worker_args *a = p;
    for (int i = 0; i < 200; i++) {
        char *out = NULL;
        size_t len = 0;
        sg_result r = sg_evaluate(a->engine, (const uint8_t *)DEVICES_REQUEST, strlen(DEVICES_REQUEST), &out, &len);
        if (r != SG_RESULT_OK || strcmp(out, a->expected) != 0) a->mismatches++;
        sg_string_free(out);
        /* Errors are per thread: a failure here leaves the others alone. */
        r = sg_evaluate(a->engine, (const uint8_t *)"{", 1, &out, &len);
        if (r != SG_RESULT_INVALID_JSON || strstr(sg_last_error(), "invalid_json") == NULL) a->mismatches++;
    }
    return NULL;
}

static void test_threads(void) {
    sg_engine *engine = NULL;
    CHECK_RESULT(sg_engine_from_preset("hilldene-primary", &engine), SG_RESULT_OK);
    char *expected = evaluate(engine, DEVICES_REQUEST, SG_RESULT_OK);
    pthread_t threads[8];
    worker_args args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (worker_args){engine, expected, 0};
        CHECK(pthread_create(&threads[i], NULL, worker, &args[i]) == 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        CHECK(args[i].mismatches == 0);
    }
    sg_string_free(expected);
    sg_engine_free(engine);
}

int main(void) {
    test_version_and_presets();
    test_version_macros_and_error_messages();
    test_engines();
    test_evaluate();
    test_explain();
    test_jsonl_and_lint();
    test_images();
    test_questions();
    test_build_policy();
    test_review();
    test_threads();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("C ABI tests: all passed\n");
    return 0;
}
