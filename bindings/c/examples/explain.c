/* Loads a built-in policy, decides one request and prints the answer.
 *
 *   explain POLICY-ID REQUEST.json
 *
 * The request file holds one JSON request (the wire format of SPEC §2). */
#define _POSIX_C_SOURCE 200809L
#include "safeguard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the string value of "key" in a flat part of `json`, if any. */
static void print_field(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr(json, pattern);
    if (at) {
        at += strlen(pattern);
        printf("%s: %.*s\n", key, (int)strcspn(at, "\""), at);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: explain POLICY-ID REQUEST.json\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    static uint8_t request[1 << 20];
    size_t len = fread(request, 1, sizeof request, f);
    fclose(f);

    sg_engine *engine = NULL;
    if (sg_engine_from_preset(argv[1], &engine) != SG_RESULT_OK) {
        fprintf(stderr, "cannot load %s: %s\n", argv[1], sg_last_error());
        return 2;
    }
    char *response = NULL;
    size_t response_len = 0;
    sg_result r = sg_evaluate(engine, request, len, &response, &response_len);
    if (r != SG_RESULT_OK) {
        fprintf(stderr, "refused (%u): %s\n", (unsigned)r, sg_last_error());
        sg_engine_free(engine);
        return 2;
    }
    print_field(response, "outcome");
    /* Each reason: its rule id and the section it cites. */
    for (const char *p = strstr(response, "\"rule\":\""); p; p = strstr(p + 1, "\"rule\":\"")) {
        const char *id = p + 8;
        printf("  because of %.*s\n", (int)strcspn(id, "\""), id);
    }
    printf("%s\n", response);
    sg_string_free(response);
    sg_engine_free(engine);
    return 0;
}
