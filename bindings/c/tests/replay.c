/* replay POLICY-ID FILE.jsonl: decides every line of FILE under the
 * built-in policy through sg_evaluate_jsonl and prints the responses, one
 * per line. Used by scripts/test-consistency to compare C with Rust and
 * Python byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: replay POLICY-ID FILE.jsonl\n");
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

    sg_engine *engine = NULL;
    char *out = NULL;
    size_t out_len = 0;
    int rc = 2;
    if (sg_engine_from_preset(argv[1], &engine) == SG_RESULT_OK &&
        sg_evaluate_jsonl(engine, input, len, &out, &out_len) == SG_RESULT_OK) {
        fwrite(out, 1, out_len, stdout);
        rc = 0;
    } else {
        fprintf(stderr, "%s\n", sg_last_error());
    }
    sg_string_free(out);
    sg_engine_free(engine);
    free(input);
    return rc;
}
