/* replay_threads POLICY-ID FILE.jsonl: decides every line of FILE under the
 * built-in policy on 8 threads sharing one engine, each thread through
 * every line with sg_evaluate, and prints the responses one per line, as
 * replay does. Fails, naming the line, if two threads answered a line
 * differently. Used by scripts/test-consistency, which compares the output
 * with the single-threaded Rust CLI's. */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8

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

typedef struct {
    const sg_engine *engine;
    const line *lines;
    size_t count;
    size_t start;
    pthread_barrier_t *go;
    answer *answers; /* by line index */
} worker_args;

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
        ans->result = sg_evaluate(a->engine, a->lines[i].text, a->lines[i].len,
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

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: replay_threads POLICY-ID FILE.jsonl\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
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
    if (!input) return 2;

    /* Lines as sg_evaluate_jsonl splits them: on '\n', a final '\n' ending
     * the last line rather than starting an empty one, '\r' dropped. */
    size_t count = 0;
    for (size_t i = 0; i < len; i++) count += input[i] == '\n';
    if (len > 0 && input[len - 1] != '\n') count++;
    line *lines = calloc(count ? count : 1, sizeof *lines);
    answer *answers = calloc(THREADS * (count ? count : 1), sizeof *answers);
    if (!lines || !answers) return 2;
    for (size_t i = 0, at = 0; i < count; i++) {
        const uint8_t *end = memchr(input + at, '\n', len - at);
        size_t l = end ? (size_t)(end - (input + at)) : len - at;
        lines[i] = (line){input + at, l};
        if (l > 0 && input[at + l - 1] == '\r') lines[i].len--;
        at += l + 1;
    }

    sg_engine *engine = NULL;
    if (sg_engine_from_preset(argv[1], &engine) != SG_RESULT_OK) {
        fprintf(stderr, "%s\n", sg_last_error());
        return 2;
    }
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, THREADS);
    pthread_t threads[THREADS];
    worker_args args[THREADS];
    for (int t = 0; t < THREADS; t++) {
        args[t] = (worker_args){engine, lines, count, t * count / THREADS, &go,
                                answers + t * count};
        if (pthread_create(&threads[t], NULL, worker, &args[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;
        }
    }
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&go);

    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const answer *first = &answers[i];
        if (!first->text) {
            fprintf(stderr, "line %zu: no answer (out of memory)\n", i + 1);
            rc = 1;
        }
        for (int t = 1; t < THREADS && rc == 0; t++) {
            const answer *other = &answers[t * count + i];
            if (other->result != first->result || other->len != first->len ||
                !other->text || memcmp(other->text, first->text, first->len) != 0) {
                fprintf(stderr,
                        "%s line %zu: thread %d answered differently from thread 0\n"
                        "thread 0: %.*s\nthread %d: %.*s\n",
                        argv[2], i + 1, t, (int)first->len, first->text, t,
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

    for (size_t i = 0; i < THREADS * count; i++) answer_free(&answers[i]);
    sg_engine_free(engine);
    free(answers);
    free(lines);
    free(input);
    return rc;
}
