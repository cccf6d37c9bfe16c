/* Embedding libsafeguard in a C program (docs/embedding.md, "C"): load a
 * built-in policy, decide one request, read the decision, and handle a
 * request that cannot be decided by its error code and path.
 *
 * Build: cc evaluate.c $(pkg-config --cflags --libs safeguard libcjson)
 * The answers are JSON; this example reads them with cJSON (Debian's
 * libcjson-dev), any JSON library will do. */
#include "safeguard.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

static const char DECIDABLE[] =
    "{\"domain\":\"sexting\",\"incident_date\":\"2025-01-20\","
    "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
    "\"facts\":{\"adult_involved\":\"no\",\"coercion_blackmail_or_grooming\":\"yes\"}}";
static const char BAD_DATE[] =
    "{\"domain\":\"sexting\",\"incident_date\":\"2025-02-30\","
    "\"young_people\":[{\"id\":\"a\",\"age\":15,\"role\":\"subject\"}],"
    "\"facts\":{\"adult_involved\":\"no\"}}";

/* The string value of `key` in `object`, or "" when there is none. */
static const char *text(const cJSON *object, const char *key) {
    const char *value = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, key));
    return value ? value : "";
}

/* Reports a failed call: the error's code and path, from sg_last_error()'s
 * JSON (read on this thread before its next call), then the result's
 * number and its message for a person. Nothing here parses a message. */
static void report(sg_result result) {
    cJSON *envelope = cJSON_Parse(sg_last_error());
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(envelope, "error");
    const char *path = text(error, "path");
    printf("refused: %s at %s\n", text(error, "code"), *path ? path : "(no path)");
    printf("result %d: %s\n", (int)result, sg_error_message(result));
    cJSON_Delete(envelope);
}

int main(void) {
    /* The engine is ours until sg_engine_free; any number of threads may
     * share it. */
    sg_engine *engine = NULL;
    sg_result result = sg_engine_from_preset("hilldene-primary", &engine);
    if (result != SG_RESULT_OK) {
        report(result);
        return 1;
    }

    /* The response is ours too: freed with sg_string_free. */
    char *response = NULL;
    size_t length = 0;
    result = sg_evaluate(engine, (const uint8_t *)DECIDABLE, strlen(DECIDABLE), &response, &length);
    if (result != SG_RESULT_OK) {
        report(result);
        sg_engine_free(engine);
        return 1;
    }
    cJSON *decision = cJSON_ParseWithLength(response, length);
    sg_string_free(response);
    /* Act on the tokens (outcome, action, who, deadline), never on the words. */
    printf("outcome: %s\n", text(decision, "outcome"));
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(decision, "actions")) {
        printf("step: %s %s %s\n", text(step, "action"), text(step, "who"), text(step, "deadline"));
    }
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(decision, "policy");
    printf("policy: %s %s\n", text(policy, "id"), text(policy, "digest"));
    cJSON_Delete(decision);

    /* A request that cannot be decided: no output is written, the result
     * says what kind of failure, sg_last_error() which field. */
    response = NULL;
    result = sg_evaluate(engine, (const uint8_t *)BAD_DATE, strlen(BAD_DATE), &response, &length);
    if (result == SG_RESULT_OK) {
        printf("decided: %s\n", response);
        sg_string_free(response);
    } else {
        report(result);
    }

    sg_engine_free(engine);
    return 0;
}
