/* replay [--threads N] POLICY-ID FILE.jsonl: decides every line of FILE
 * under the built-in policy and prints the responses, one per line. Used by
 * scripts/test-consistency to compare C with Rust and Python byte for byte.
 *
 * replay --whole POLICY-ID FILE: decides the whole of FILE as one request
 * with sg_evaluate and prints the response or the error JSON
 * (sg_last_error), then a newline (for the malformed corpus, whose
 * requests may span lines).
 *
 * replay --cases DIR: answers every case DIR/cases.tsv lists (written by
 * `cargo run -p safeguard-tests --example json_answers -- DIR`, which
 * describes the files) through the C ABI, one line per case: the response
 * JSON, "loaded", "stripped" (the copy written to DIR/stripped/NAME.c),
 * "built" (the policy sg_build_policy wrote, in DIR/built/NAME.c) or the
 * error JSON. scripts/test-consistency compares the lines with the
 * engine's json module's, and with Python's and WebAssembly's.
 *
 * Without --threads, the whole file goes through sg_evaluate_jsonl in one
 * call. With --threads N, N threads share one engine, each thread goes
 * through every line with sg_evaluate, and the run fails, naming the line,
 * if two threads answered a line differently; the output is the same as
 * without --threads, so the script compares it with the single-threaded
 * Rust CLI's.
 *
 * replay --explain [--threads N] POLICY-ID FILE.jsonl: every line through
 * sg_explain instead (on one thread, or on N as above), one line out per
 * line in: the explanation JSON or the error JSON, as
 * `safeguard eval --jsonl --explain-json` prints them. A case of
 * replay --cases whose entry is "explain" goes through sg_explain too. */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More would say nothing more about sharing an engine, and keeps
 * N * lines far from overflowing. */
#define MAX_THREADS 1024

typedef struct {
    const uint8_t *text;
    size_t len;
} line;

/* One answer: a decision from sg_evaluate (freed with sg_string_free) or a
 * copy of the thread's last error (freed with free). */
typedef struct {
    sg_result result;
    char *text;
    size_t len;
} answer;

/* sg_evaluate or sg_explain: a request in, a string out. */
typedef sg_result (*answer_fn)(const sg_engine *, const uint8_t *, size_t, char **, size_t *);

typedef struct {
    answer_fn call;
    const sg_engine *engine;
    const line *lines;
    size_t count;
    size_t start;
    pthread_barrier_t *go;
    answer *answers; /* by line index */
} worker_args;

/* The whole of PATH (freed with free), its length in *len; NULL if it cannot
 * be read (said on stderr) or memory runs out. */
static uint8_t *read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *input = malloc(cap);
    size_t n;
    while (input && (n = fread(input + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(input, cap *= 2);
            if (!bigger) free(input);
            input = bigger;
        }
    }
    fclose(f);
    *len_out = len;
    return input;
}

static int replay(const char *policy, const uint8_t *input, size_t len) {
    sg_engine *engine = NULL;
    char *out = NULL;
    size_t out_len = 0;
    int rc = 2;
    if (sg_engine_from_preset(policy, &engine) == SG_RESULT_OK &&
        sg_evaluate_jsonl(engine, input, len, &out, &out_len) == SG_RESULT_OK) {
        fwrite(out, 1, out_len, stdout);
        rc = 0;
    } else {
        fprintf(stderr, "%s\n", sg_last_error());
    }
    sg_string_free(out);
    sg_engine_free(engine);
    return rc;
}

static int replay_whole(const char *policy, const uint8_t *input, size_t len) {
    sg_engine *engine = NULL;
    char *out = NULL;
    size_t out_len = 0;
    if (sg_engine_from_preset(policy, &engine) != SG_RESULT_OK) {
        fprintf(stderr, "%s\n", sg_last_error());
        return 2;
    }
    if (sg_evaluate(engine, input, len, &out, &out_len) == SG_RESULT_OK) {
        fwrite(out, 1, out_len, stdout);
        putchar('\n');
    } else {
        printf("%s\n", sg_last_error());
    }
    sg_string_free(out);
    sg_engine_free(engine);
    return 0;
}

/* Prints a string output of a call that returned r, else its error JSON. */
static void print_answer(sg_result r, char *out, size_t out_len, const char *ok) {
    if (r != SG_RESULT_OK) {
        printf("%s\n", sg_last_error());
        return;
    }
    if (ok) {
        printf("%s\n", ok);
    } else {
        fwrite(out, 1, out_len, stdout);
        putchar('\n');
    }
}

/* One case of replay --cases: its answer on stdout. */
static int answer_case(const char *dir, const char *name, const char *entry,
                       const char *preset) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cases/%s", dir, name);
    size_t len = 0;
    uint8_t *input = read_file(path, &len);
    if (!input) return 2;
    sg_engine *engine = NULL;
    char *out = NULL;
    size_t out_len = 0;
    sg_result r;
    int rc = 0;
    if (strcmp(entry, "request") == 0 || strcmp(entry, "explain") == 0) {
        answer_fn call = strcmp(entry, "request") == 0 ? sg_evaluate : sg_explain;
        r = sg_engine_from_preset(preset, &engine);
        if (r == SG_RESULT_OK) r = call(engine, input, len, &out, &out_len);
        print_answer(r, out, out_len, NULL);
    } else if (strcmp(entry, "policy_toml") == 0 || strcmp(entry, "policy_json") == 0) {
        uint32_t format = strcmp(entry, "policy_toml") == 0 ? SG_FORMAT_TOML : SG_FORMAT_JSON;
        r = sg_engine_from_policy(input, len, format, &engine);
        print_answer(r, NULL, 0, "loaded");
    } else if (strcmp(entry, "policy_lint") == 0) {
        r = sg_engine_from_policy(input, len, SG_FORMAT_TOML, &engine);
        if (r == SG_RESULT_OK) r = sg_lint(engine, &out, &out_len);
        print_answer(r, out, out_len, NULL);
    } else if (strcmp(entry, "review") == 0) {
        r = sg_engine_from_policy(input, len, SG_FORMAT_TOML, &engine);
        if (r == SG_RESULT_OK) r = sg_review(engine, SG_REVIEW_FORMAT_JSON, &out, &out_len);
        print_answer(r, out, out_len, NULL);
    } else if (strcmp(entry, "build_policy_toml") == 0 || strcmp(entry, "build_policy_json") == 0) {
        uint32_t format = strcmp(entry, "build_policy_toml") == 0 ? SG_FORMAT_TOML : SG_FORMAT_JSON;
        r = sg_build_policy(input, len, format, &out, &out_len);
        if (r == SG_RESULT_OK) {
            snprintf(path, sizeof path, "%s/built/%s.c", dir, name);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(out, 1, out_len, f) != out_len) rc = 2;
            if (f && fclose(f) != 0) rc = 2;
        }
        print_answer(r, NULL, 0, "built");
    } else if (strcmp(entry, "image_inspect") == 0) {
        r = sg_image_inspect(input, len, &out, &out_len);
        print_answer(r, out, out_len, NULL);
    } else if (strcmp(entry, "image_strip") == 0) {
        uint8_t *copy = NULL;
        size_t copy_len = 0;
        r = sg_image_strip_location(input, len, &copy, &copy_len);
        if (r == SG_RESULT_OK) {
            snprintf(path, sizeof path, "%s/stripped/%s.c", dir, name);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(copy, 1, copy_len, f) != copy_len) rc = 2;
            if (f && fclose(f) != 0) rc = 2;
            sg_bytes_free(copy, copy_len);
        }
        print_answer(r, NULL, 0, "stripped");
    } else {
        fprintf(stderr, "%s: no entry point %s\n", name, entry);
        rc = 2;
    }
    if (out) sg_string_free(out);
    sg_engine_free(engine);
    free(input);
    return rc;
}

/* replay --cases DIR: every case of DIR/cases.tsv (name, entry, preset,
 * tab-separated; a fourth column is for the bindings that take strings). */
static int answer_cases(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cases.tsv", dir);
    size_t len = 0;
    uint8_t *list = read_file(path, &len);
    if (!list) return 2;
    char *text = malloc(len + 1);
    if (!text) return 2;
    memcpy(text, list, len);
    text[len] = '\0';
    free(list);
    int rc = 0;
    char *save = NULL;
    for (char *row = strtok_r(text, "\n", &save); row && rc == 0;
         row = strtok_r(NULL, "\n", &save)) {
        char *name = row, *entry = strchr(name, '\t');
        char *preset = entry ? strchr(entry + 1, '\t') : NULL;
        char *rest = preset ? strchr(preset + 1, '\t') : NULL;
        if (!rest) {
            fprintf(stderr, "%s: a line is not name, entry, preset, valid\n", path);
            rc = 2;
            break;
        }
        *entry++ = '\0', *preset++ = '\0', *rest = '\0';
        rc = answer_case(dir, name, entry, preset);
    }
    free(text);
    return rc;
}

static void *worker(void *p) {
    worker_args *a = p;
    /* All threads enter the engine together, rather than the first being
     * done before the last has started. */
    pthread_barrier_wait(a->go);
    for (size_t k = 0; k < a->count; k++) {
        /* Each thread starts at its own offset and wraps around, so the same
         * request is decided on different threads at different moments. */
        size_t i = (a->start + k) % a->count;
        answer *ans = &a->answers[i];
        ans->result = a->call(a->engine, a->lines[i].text, a->lines[i].len,
                                &ans->text, &ans->len);
        if (ans->result != SG_RESULT_OK) {
            /* Borrowed until this thread's next call: copy it now. */
            ans->text = strdup(sg_last_error());
            ans->len = ans->text ? strlen(ans->text) : 0;
        }
    }
    return NULL;
}

static void answer_free(answer *ans) {
    if (ans->result == SG_RESULT_OK) sg_string_free(ans->text);
    else free(ans->text);
}

/* PATH names the file in the message when two threads disagree; CALL is
 * the function each line goes through. */
static int replay_threads(const char *policy, const char *path,
                          const uint8_t *input, size_t len, int nthreads,
                          answer_fn call) {
    /* Lines as sg_evaluate_jsonl splits them: on '\n', a final '\n' ending
     * the last line rather than starting an empty one, '\r' dropped. */
    size_t count = 0;
    for (size_t i = 0; i < len; i++) count += input[i] == '\n';
    if (len > 0 && input[len - 1] != '\n') count++;
    line *lines = calloc(count ? count : 1, sizeof *lines);
    answer *answers = calloc((size_t)nthreads * (count ? count : 1), sizeof *answers);
    pthread_t *threads = calloc((size_t)nthreads, sizeof *threads);
    worker_args *args = calloc((size_t)nthreads, sizeof *args);
    if (!lines || !answers || !threads || !args) {
        free(args), free(threads), free(answers), free(lines);
        return 2;
    }
    for (size_t i = 0, at = 0; i < count; i++) {
        const uint8_t *end = memchr(input + at, '\n', len - at);
        size_t l = end ? (size_t)(end - (input + at)) : len - at;
        lines[i] = (line){input + at, l};
        if (l > 0 && input[at + l - 1] == '\r') lines[i].len--;
        at += l + 1;
    }

    sg_engine *engine = NULL;
    if (sg_engine_from_preset(policy, &engine) != SG_RESULT_OK) {
        fprintf(stderr, "%s\n", sg_last_error());
        free(args), free(threads), free(answers), free(lines);
        return 2;
    }
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, (unsigned)nthreads);
    for (int t = 0; t < nthreads; t++) {
        args[t] = (worker_args){call, engine, lines, count, (size_t)t * count / nthreads,
                                &go, answers + (size_t)t * count};
        if (pthread_create(&threads[t], NULL, worker, &args[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;
        }
    }
    for (int t = 0; t < nthreads; t++) pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&go);

    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const answer *first = &answers[i];
        if (!first->text) {
            fprintf(stderr, "line %zu: no answer (out of memory)\n", i + 1);
            rc = 1;
        }
        for (int t = 1; t < nthreads && rc == 0; t++) {
            const answer *other = &answers[(size_t)t * count + i];
            if (other->result != first->result || other->len != first->len ||
                !other->text || memcmp(other->text, first->text, first->len) != 0) {
                fprintf(stderr,
                        "%s line %zu: thread %d answered differently from thread 0\n"
                        "thread 0: %.*s\nthread %d: %.*s\n",
                        path, i + 1, t, (int)first->len, first->text, t,
                        other->text ? (int)other->len : 0,
                        other->text ? other->text : "");
                rc = 1;
            }
        }
        if (rc == 0) {
            fwrite(first->text, 1, first->len, stdout);
            putchar('\n');
        }
    }

    for (size_t i = 0; i < (size_t)nthreads * count; i++) answer_free(&answers[i]);
    sg_engine_free(engine);
    free(args);
    free(threads);
    free(answers);
    free(lines);
    return rc;
}

int main(int argc, char **argv) {
    int nthreads = 0; /* 0: one call of sg_evaluate_jsonl, no threads */
    int whole = 0;    /* the whole file is one request */
    int explain = 0;  /* each line through sg_explain */
    if (argc == 3 && strcmp(argv[1], "--cases") == 0) {
        return answer_cases(argv[2]);
    }
    if (argc >= 4 && strcmp(argv[1], "--explain") == 0) {
        explain = 1;
        argv += 1;
        argc -= 1;
    }
    if (argc == 4 && !explain && strcmp(argv[1], "--whole") == 0) {
        whole = 1;
        argv += 1;
    } else if (argc == 5 && strcmp(argv[1], "--threads") == 0) {
        char *end;
        errno = 0;
        long n = strtol(argv[2], &end, 10);
        if (errno != 0 || end == argv[2] || *end != '\0' || n < 1 || n > MAX_THREADS) {
            fprintf(stderr, "replay: --threads wants a number from 1 to %d\n",
                    MAX_THREADS);
            return 2;
        }
        nthreads = (int)n;
        argv += 2;
    } else if (argc != 3) {
        fprintf(stderr, "usage: replay [--explain] [--threads N] POLICY-ID FILE | --whole POLICY-ID FILE"
                        " | --cases DIR\n");
        return 2;
    }
    size_t len = 0;
    uint8_t *input = read_file(argv[2], &len);
    if (!input) return 2;
    int rc = whole     ? replay_whole(argv[1], input, len)
             : explain ? replay_threads(argv[1], argv[2], input, len, nthreads ? nthreads : 1, sg_explain)
             : nthreads == 0 ? replay(argv[1], input, len)
                             : replay_threads(argv[1], argv[2], input, len, nthreads, sg_evaluate);
    free(input);
    return rc;
}
