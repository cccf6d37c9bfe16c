/* Soak test of the safeguard C ABI (issue 8 part 5; SPEC §9: "memory flat
 * across 10 million evaluations through the C ABI").
 *
 *     soak COUNT EXAMPLE.json...
 *
 * Makes COUNT calls in one process, cycling through a fixed mix: the
 * `request` object of every example file (devices, sexting, images and
 * escalation), each on the engine of the preset it names; five requests
 * that are refused (truncated JSON, a policy mismatch, an unknown field, an
 * impossible date, text that is not UTF-8); one JSONL batch of every example plus a bad line; and
 * stripping the location from a small JPEG. Every call must give the same
 * result and the same bytes as the first time it was made, and every output
 * is freed.
 *
 * Resident memory (from /proc/self/statm) is sampled after a warm-up, in the
 * middle and at the end: after 100,000 calls, 1,000,000 calls and COUNT for
 * COUNT = 10,000,000 (in general after min(100000, M/10) and
 * M = min(1000000, COUNT/10) calls). The run fails (exit 1) if memory grows
 * by 1 MiB or more from the middle sample to the end, or if any call gives
 * a different answer. Prints the samples and the calls per second.
 *
 * Built and run by scripts/soak (gcc -std=c11 -O2 -Wall -Wextra -Werror). */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ITEMS 64
#define MIB (1024L * 1024L)

enum kind { EVALUATE, EVALUATE_JSONL, STRIP_LOCATION };

/* One call of the mix and what it gave the first time. */
struct item {
    enum kind kind;
    const char *label;
    const sg_engine *engine;
    uint8_t *input;
    size_t input_len;
    sg_result want;
    uint8_t *first; /* the first output (or error JSON), to compare with */
    size_t first_len;
};

static struct item items[MAX_ITEMS];
static size_t n_items = 0;

/* The engine of every built-in preset (see load_presets). */
#define MAX_PRESETS 64
static sg_engine *engines[MAX_PRESETS];
static size_t n_presets = 0;

/* A JPEG with an EXIF GPS block (latitude reference only). */
static const uint8_t JPEG[] = {
    0xff, 0xd8, 0xff, 0xe1, 0x00, 0x34, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00,
    0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x25, 0x88,
    0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00,
    0x4e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b,
    0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00, 0xff, 0xda, 0x00,
    0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34, 0x56, 0xff, 0xd9};

static void die(const char *what, const char *detail) {
    fprintf(stderr, "soak: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}

static uint8_t *copy_bytes(const void *p, size_t n) {
    uint8_t *c = xmalloc(n + 1);
    memcpy(c, p, n);
    c[n] = 0;
    return c;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (!bigger) die("out of memory", NULL);
            buf = bigger;
        }
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* The end of the JSON string starting at s[i] == '"' (the index after it). */
static size_t skip_string(const char *s, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '"') return i + 1;
    }
    return n;
}

/* The end of the JSON object or array starting at s[i] (the index after it). */
static size_t skip_value(const char *s, size_t n, size_t i) {
    int depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, n, i);
            continue;
        }
        if (c == '{' || c == '[') depth++;
        if ((c == '}' || c == ']') && --depth == 0) return i + 1;
        i++;
    }
    return n;
}

/* The value of the top-level key "request" of an example file, on one line
 * (a JSON text has no raw newline inside a string), or NULL. */
static char *request_of(const char *text, size_t n, size_t *len) {
    size_t i = 0;
    while (i < n && text[i] != '{') i++;
    for (i++; i < n;) {
        char c = text[i];
        if (c == '"') {
            size_t end = skip_string(text, n, i);
            int is_request = end - i == 9 && memcmp(text + i, "\"request\"", 9) == 0;
            i = end;
            while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) i++;
            if (i < n && text[i] == ':') {
                i++;
                while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) i++;
                size_t value_end = (text[i] == '{' || text[i] == '[') ? skip_value(text, n, i)
                                   : text[i] == '"'                  ? skip_string(text, n, i)
                                                                     : i;
                if (is_request) {
                    char *r = (char *)copy_bytes(text + i, value_end - i);
                    *len = value_end - i;
                    for (size_t k = 0; k < *len; k++)
                        if (r[k] == '\n' || r[k] == '\r') r[k] = ' ';
                    return r;
                }
                i = value_end;
                continue;
            }
        } else if (c == '}') {
            break;
        } else {
            i++;
        }
    }
    return NULL;
}

/* Makes the call of `it` once. On success the output is copied to *copy
 * (when copy is not NULL) and freed; on failure the error JSON is copied. */
static sg_result call(const struct item *it, uint8_t **copy, size_t *copy_len) {
    sg_result r;
    if (it->kind == STRIP_LOCATION) {
        uint8_t *out = NULL;
        size_t len = 0;
        r = sg_image_strip_location(it->input, it->input_len, &out, &len);
        if (r == SG_RESULT_OK) {
            if (copy) {
                *copy = copy_bytes(out, len);
                *copy_len = len;
            }
            sg_bytes_free(out, len);
            return r;
        }
    } else {
        char *out = NULL;
        size_t len = 0;
        r = it->kind == EVALUATE ? sg_evaluate(it->engine, it->input, it->input_len, &out, &len)
                                 : sg_evaluate_jsonl(it->engine, it->input, it->input_len, &out, &len);
        if (r == SG_RESULT_OK) {
            if (copy) {
                *copy = copy_bytes(out, len);
                *copy_len = len;
            }
            sg_string_free(out);
            return r;
        }
        if (out != NULL) die("a failed call wrote its output", it->label);
    }
    if (copy) {
        const char *e = sg_last_error();
        *copy = copy_bytes(e, strlen(e));
        *copy_len = strlen(e);
    }
    return r;
}

/* Adds an item, making its first call; `want` is the result it must give
 * (SG_RESULT_OK, or an error). */
static void add(enum kind kind, const char *label, const sg_engine *engine, const void *input,
                size_t len, sg_result want) {
    if (n_items == MAX_ITEMS) die("too many items", label);
    struct item *it = &items[n_items++];
    it->kind = kind;
    it->label = label;
    it->engine = engine;
    it->input = copy_bytes(input, len);
    it->input_len = len;
    it->want = want;
    sg_result r = call(it, &it->first, &it->first_len);
    if (r != want) {
        fprintf(stderr, "soak: %s gave %u, expected %u: %s\n", label, (unsigned)r, (unsigned)want,
                (const char *)it->first);
        exit(1);
    }
}

/* Loads the engine of every preset sg_presets lists: a JSON array of ids,
 * which are lower-case letters, digits and hyphens (no escapes to read).
 * Each id is copied out: the list itself is freed unchanged. */
static void load_presets(void) {
    char *list = NULL;
    size_t len = 0;
    if (sg_presets(&list, &len) != SG_RESULT_OK) die("presets", sg_last_error());
    for (const char *start = strchr(list, '"'); start; start = strchr(start + 1, '"')) {
        const char *end = strchr(start + 1, '"');
        char id[128];
        size_t id_len = end ? (size_t)(end - start - 1) : 0;
        if (!end || id_len >= sizeof id) die("presets: an id that cannot be read", list);
        if (n_presets == MAX_PRESETS) die("presets: more than MAX_PRESETS", list);
        memcpy(id, start + 1, id_len);
        id[id_len] = '\0';
        if (sg_engine_from_preset(id, &engines[n_presets]) != SG_RESULT_OK)
            die("preset", sg_last_error());
        n_presets++;
        start = end;
    }
    sg_string_free(list);
    if (n_presets == 0) die("presets: none listed", NULL);
}

/* The engine whose policy the request names: the one that decides it. */
static const sg_engine *engine_for(const char *request, size_t len, const char *label) {
    for (size_t p = 0; p < n_presets; p++) {
        char *out = NULL;
        size_t out_len = 0;
        sg_result r = sg_evaluate(engines[p], (const uint8_t *)request, len, &out, &out_len);
        sg_string_free(out);
        if (r == SG_RESULT_OK) return engines[p];
    }
    die("no preset decides the example", label);
    return NULL;
}

static long rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) die("cannot read /proc/self/statm", NULL);
    long size = 0, resident = 0;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) die("cannot parse /proc/self/statm", NULL);
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s COUNT EXAMPLE.json...\n", argv[0]);
        return 2;
    }
    char *end = NULL;
    unsigned long long count = strtoull(argv[1], &end, 10);
    if (!end || *end || count == 0) die("COUNT must be a positive number", argv[1]);

    load_presets();

    /* The examples, each on the engine of its preset, and their JSONL batch. */
    size_t jsonl_cap = 1, jsonl_len = 0;
    char *jsonl = xmalloc(jsonl_cap);
    const sg_engine *jsonl_engine = NULL;
    for (int a = 2; a < argc; a++) {
        size_t n = 0, len = 0;
        char *text = read_file(argv[a], &n);
        char *request = request_of(text, n, &len);
        if (!request) die("no \"request\" object in", argv[a]);
        const sg_engine *engine = engine_for(request, len, argv[a]);
        add(EVALUATE, argv[a], engine, request, len, SG_RESULT_OK);
        if (!jsonl_engine) jsonl_engine = engine;
        jsonl_cap += len + 1;
        char *bigger = realloc(jsonl, jsonl_cap);
        if (!bigger) die("out of memory", NULL);
        jsonl = bigger;
        memcpy(jsonl + jsonl_len, request, len);
        jsonl_len += len;
        jsonl[jsonl_len++] = '\n';

        /* Refused: the first example cut in half, the second on the wrong engine. */
        if (a == 2) add(EVALUATE, "truncated example", engine, request, len / 2, SG_RESULT_INVALID_JSON);
        if (a == 3) {
            const sg_engine *other = engines[0] == engine ? engines[1] : engines[0];
            add(EVALUATE, "example on another policy's engine", other, request, len,
                SG_RESULT_POLICY_MISMATCH);
        }
        free(request);
        free(text);
    }
    /* More refusals, each with its own error. */
    static const char UNKNOWN_FIELD[] =
        "{\"domain\":\"escalation\",\"category\":\"cyberbullying\",\"concern_about\":\"pupil\","
        "\"reported_at\":\"2026-03-04T10:15\",\"urgent\":true}";
    add(EVALUATE, "unknown field", engines[0], UNKNOWN_FIELD, sizeof UNKNOWN_FIELD - 1,
        SG_RESULT_UNKNOWN_FIELD);
    static const char BAD_DATE[] =
        "{\"domain\":\"sexting\",\"incident_date\":\"2025-02-30\",\"young_people\":[]}";
    add(EVALUATE, "impossible date", engines[0], BAD_DATE, sizeof BAD_DATE - 1, SG_RESULT_INVALID_DATE);
    static const char NOT_UTF8[] = "{\"domain\":\"dev\xff\xfeices\"}";
    add(EVALUATE, "not UTF-8", engines[0], NOT_UTF8, sizeof NOT_UTF8 - 1, SG_RESULT_INVALID_UTF8);
    /* The JSONL batch, with a bad line, on the first example's engine. */
    static const char BAD_LINE[] = "{\"domain\":\n";
    jsonl_cap += sizeof BAD_LINE;
    char *bigger = realloc(jsonl, jsonl_cap);
    if (!bigger) die("out of memory", NULL);
    jsonl = bigger;
    memcpy(jsonl + jsonl_len, BAD_LINE, sizeof BAD_LINE - 1);
    jsonl_len += sizeof BAD_LINE - 1;
    add(EVALUATE_JSONL, "JSONL batch", jsonl_engine, jsonl, jsonl_len, SG_RESULT_OK);
    free(jsonl);
    add(STRIP_LOCATION, "strip location", NULL, JPEG, sizeof JPEG, SG_RESULT_OK);

    unsigned long long mid = count / 10 < 1000000ULL ? count / 10 : 1000000ULL;
    unsigned long long warm = mid / 10 < 100000ULL ? mid / 10 : 100000ULL;
    printf("soak: %llu calls through the C ABI, cycling through %zu requests "
           "(examples, refusals, a JSONL batch, an image)\n",
           count, n_items);
    fflush(stdout);

    long rss_warm = 0, rss_mid = 0;
    unsigned long long errors_seen = 0;
    double start = now();
    for (unsigned long long i = 0; i < count; i++) {
        const struct item *it = &items[i % n_items];
        uint8_t *copy = NULL;
        size_t copy_len = 0;
        /* Compare every answer with the first one now and then; otherwise
         * check the result only, so the loop measures the library. */
        int compare = i % 1000 < n_items;
        sg_result r = call(it, compare ? &copy : NULL, &copy_len);
        if (r != it->want) {
            fprintf(stderr, "soak: call %llu (%s) gave %u, expected %u: %s\n", i, it->label,
                    (unsigned)r, (unsigned)it->want, sg_last_error());
            return 1;
        }
        if (r != SG_RESULT_OK) errors_seen++;
        if (compare) {
            if (copy_len != it->first_len || memcmp(copy, it->first, copy_len) != 0) {
                fprintf(stderr, "soak: call %llu (%s) answered differently from its first call\n", i,
                        it->label);
                return 1;
            }
            free(copy);
        }
        if (i + 1 == warm) {
            rss_warm = rss_bytes();
            printf("rss after %llu calls (warm-up): %ld KiB\n", warm, rss_warm / 1024);
            fflush(stdout);
        }
        if (i + 1 == mid) {
            rss_mid = rss_bytes();
            printf("rss after %llu calls: %ld KiB\n", mid, rss_mid / 1024);
            fflush(stdout);
        }
    }
    double seconds = now() - start;
    long rss_end = rss_bytes();
    printf("rss after %llu calls (end): %ld KiB\n", count, rss_end / 1024);
    printf("%llu calls (%llu refused) in %.2f s: %.0f calls/s\n", count, errors_seen, seconds,
           (double)count / seconds);
    long growth = rss_end - rss_mid;
    printf("growth from %llu calls to the end: %ld KiB (limit: under 1024 KiB)\n", mid, growth / 1024);

    for (size_t k = 0; k < n_items; k++) {
        free(items[k].input);
        free(items[k].first);
    }
    for (size_t p = 0; p < n_presets; p++) sg_engine_free(engines[p]);
    if (rss_mid == 0 || rss_warm == 0) die("too few calls to sample memory (COUNT >= 100)", NULL);
    if (growth >= MIB) {
        fprintf(stderr, "soak: FAILED: resident memory grew by %ld KiB\n", growth / 1024);
        return 1;
    }
    printf("soak: ok\n");
    return 0;
}
