/* Loads a built-in policy, decides one request and prints the answer: its
 * outcome, for a program (sg_evaluate), then its explanation in plain
 * English, for a person (sg_explain's "text", the same words the CLI's
 * --explain prints).
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

/* Prints the JSON string that starts at `s` (just after its opening
 * quote), unescaped: the escapes JSON text uses, \uXXXX written as UTF-8
 * (a surrogate pair joined). */
static void print_json_string(const char *s) {
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') {
            putchar(*s);
            continue;
        }
        s++;
        switch (*s) {
        case 'n': putchar('\n'); break;
        case 't': putchar('\t'); break;
        case 'r': putchar('\r'); break;
        case 'b': putchar('\b'); break;
        case 'f': putchar('\f'); break;
        case 'u': {
            unsigned long c = strtoul((char[5]){s[1], s[2], s[3], s[4], 0}, NULL, 16);
            s += 4;
            if (c >= 0xd800 && c < 0xdc00 && s[1] == '\\' && s[2] == 'u') {
                unsigned long low = strtoul((char[5]){s[3], s[4], s[5], s[6], 0}, NULL, 16);
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                s += 6;
            }
            if (c < 0x80) {
                putchar((int)c);
            } else if (c < 0x800) {
                putchar((int)(0xc0 | c >> 6)), putchar((int)(0x80 | (c & 0x3f)));
            } else if (c < 0x10000) {
                putchar((int)(0xe0 | c >> 12)), putchar((int)(0x80 | (c >> 6 & 0x3f)));
                putchar((int)(0x80 | (c & 0x3f)));
            } else {
                putchar((int)(0xf0 | c >> 18)), putchar((int)(0x80 | (c >> 12 & 0x3f)));
                putchar((int)(0x80 | (c >> 6 & 0x3f))), putchar((int)(0x80 | (c & 0x3f)));
            }
            break;
        }
        case '\0': return;
        default: putchar(*s); /* \" \\ \/ */
        }
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
    sg_string_free(response);

    /* The explanation: the same arguments, the same failures. Its "text" is
     * for a person; its other fields (steps, questions, rules) are for a
     * program that lays them out itself. */
    char *explanation = NULL;
    size_t explanation_len = 0;
    r = sg_explain(engine, request, len, &explanation, &explanation_len);
    if (r != SG_RESULT_OK) {
        fprintf(stderr, "refused (%u): %s\n", (unsigned)r, sg_last_error());
        sg_engine_free(engine);
        return 2;
    }
    const char *text = strstr(explanation, "\"text\":\"");
    if (text) {
        putchar('\n');
        print_json_string(text + strlen("\"text\":\""));
    }
    sg_string_free(explanation);
    sg_engine_free(engine);
    return text ? 0 : 1;
}
