/* A zr WASM plugin in C, compiled by zig cc to wasm32-wasi (a WASI reactor).
 *
 * It speaks the Extism ABI with its own declarations of the imports (the
 * C PDK's header declares the same ones):
 *   zr_task_start  logs the task's name and the first line of /data/motd.txt
 *   zr_task_plan   sets GREETING in the task's env from its config
 *   expr_shout     "abc" -> "ABC" for conditions
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTISM(name) __attribute__((import_module("extism:host/env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

EXTISM("input_length") extern uint64_t input_length(void);
EXTISM("input_load_u8") extern uint8_t input_load_u8(uint64_t offset);
EXTISM("alloc") extern uint64_t extism_alloc(uint64_t size);
EXTISM("length") extern uint64_t extism_length(uint64_t handle);
EXTISM("load_u8") extern uint8_t load_u8(uint64_t at);
EXTISM("store_u8") extern void store_u8(uint64_t at, uint8_t byte);
EXTISM("output_set") extern void output_set(uint64_t handle, uint64_t size);
EXTISM("error_set") extern void error_set(uint64_t handle);
EXTISM("config_get") extern uint64_t config_get(uint64_t key);
EXTISM("log_info") extern void log_info(uint64_t handle);

static char *input(void) {
    uint64_t n = input_length();
    char *text = malloc(n + 1);
    for (uint64_t i = 0; i < n; i++) text[i] = (char)input_load_u8(i);
    text[n] = 0;
    return text;
}

static uint64_t block(const char *text) {
    uint64_t n = strlen(text);
    uint64_t handle = extism_alloc(n);
    for (uint64_t i = 0; i < n; i++) store_u8(handle + i, (uint8_t)text[i]);
    return handle;
}

static void output(const char *text) { output_set(block(text), strlen(text)); }

/* The string value after "key": in a flat JSON text (enough for a test). */
static char *string_after(const char *json, const char *key) {
    const char *at = strstr(json, key);
    if (!at) return NULL;
    at = strchr(at + strlen(key), '"');
    if (!at) return NULL;
    const char *end = strchr(at + 1, '"');
    char *value = malloc(end - at);
    memcpy(value, at + 1, end - at - 1);
    value[end - at - 1] = 0;
    return value;
}

EXPORT("zr_task_start") int32_t zr_task_start(void) {
    char *name = string_after(input(), "\"name\":");
    char motd[128] = "no motd";
    FILE *file = fopen("/data/motd.txt", "r");
    if (file) {
        if (!fgets(motd, sizeof motd, file)) strcpy(motd, "empty motd");
        fclose(file);
        motd[strcspn(motd, "\n")] = 0;
    }
    char line[512];
    snprintf(line, sizeof line, "C plugin saw task %s; motd: %s", name ? name : "?", motd);
    log_info(block(line));
    return 0;
}

EXPORT("zr_task_plan") int32_t zr_task_plan(void) {
    uint64_t handle = config_get(block("greeting"));
    char greeting[128] = "none";
    if (handle) {
        uint64_t n = extism_length(handle);
        if (n >= sizeof greeting) n = sizeof greeting - 1;
        for (uint64_t i = 0; i < n; i++) greeting[i] = (char)load_u8(handle + i);
        greeting[n] = 0;
    }
    char answer[256];
    snprintf(answer, sizeof answer, "{\"env\": {\"GREETING\": \"%s\"}}", greeting);
    output(answer);
    return 0;
}

EXPORT("expr_shout") int32_t expr_shout(void) {
    char *text = input(); /* ["abc"] */
    char *word = string_after(text, "[");
    if (!word) {
        error_set(block("shout takes one string"));
        return 1;
    }
    for (char *c = word; *c; c++) *c = (char)toupper((unsigned char)*c);
    char answer[256];
    snprintf(answer, sizeof answer, "\"%s\"", word);
    output(answer);
    return 0;
}
