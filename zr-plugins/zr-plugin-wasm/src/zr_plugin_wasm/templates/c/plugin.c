/* zr WASM plugin __NAME__. Hooks are exports named like zr's hooks;
 * expression functions are expr_<fn> exports. Each reads its JSON input and
 * sets its JSON output (or an error) with pdk.h.
 *
 * C has no JSON library at hand: json_string below is just enough for
 * these inputs. A real plugin would add one (cJSON is a single file). */
#include <stdio.h>

#include "pdk.h"

/* A copy of the string value after the first "key": in json, or NULL
 * (escaped quotes are not handled). */
static char *json_string(const char *json, const char *key) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *at = strstr(json, quoted);
    if (!at) return NULL;
    at = strchr(at + strlen(quoted), '"');
    const char *end = at ? strchr(at + 1, '"') : NULL;
    if (!end) return NULL;
    char *value = malloc(end - at);
    memcpy(value, at + 1, end - at - 1);
    value[end - at - 1] = 0;
    return value;
}

/* Called before each task starts ({"task": {"name": ...}}); the answer is
 * ignored. */
PDK_EXPORT("zr_task_start") int32_t zr_task_start(void) {
    char *input = pdk_input();
    char *name = json_string(input, "name");
    char line[256];
    snprintf(line, sizeof line, "__NAME__ saw task %s", name ? name : "?");
    pdk_log_info(line);
    free(name);
    free(input);
    return 0;
}

/* __NAME__.greet('you') in a task's condition (its input is ["you"]):
 * "hello you", or the plugin's greeting setting instead of "hello". */
PDK_EXPORT("expr_greet") int32_t expr_greet(void) {
    char *input = pdk_input();
    const char *start = strchr(input, '"');
    const char *end = start ? strchr(start + 1, '"') : NULL;
    if (!end) {
        free(input);
        pdk_error("greet takes one string");
        return 1;
    }
    char *greeting = pdk_config("greeting");
    char answer[256];
    snprintf(answer, sizeof answer, "\"%s %.*s\"", greeting ? greeting : "hello",
             (int)(end - start - 1), start + 1);
    pdk_output(answer);
    free(greeting);
    free(input);
    return 0;
}
