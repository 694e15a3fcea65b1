/* The Extism host functions zr provides (module extism:host/env), declared
 * for C, with small helpers on top: the call's input as text, its output or
 * error, a setting of the plugin's config, a log line. Enough for a plugin
 * that builds with `zig cc` alone; the Extism C PDK
 * (https://github.com/extism/c-pdk) declares the same imports. */
#ifndef ZR_WASM_PDK_H
#define ZR_WASM_PDK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXTISM_IMPORT(name) \
    __attribute__((import_module("extism:host/env"), import_name(name)))
/* Exports a function to zr under this name: a hook (zr_task_start, ...) or
 * an expression function (expr_NAME). It returns 0, or 1 after pdk_error. */
#define PDK_EXPORT(name) __attribute__((export_name(name)))

EXTISM_IMPORT("input_length") extern uint64_t extism_input_length(void);
EXTISM_IMPORT("input_load_u8") extern uint8_t extism_input_load_u8(uint64_t offset);
EXTISM_IMPORT("alloc") extern uint64_t extism_alloc(uint64_t size);
EXTISM_IMPORT("free") extern void extism_free(uint64_t handle);
EXTISM_IMPORT("length") extern uint64_t extism_length(uint64_t handle);
EXTISM_IMPORT("load_u8") extern uint8_t extism_load_u8(uint64_t at);
EXTISM_IMPORT("store_u8") extern void extism_store_u8(uint64_t at, uint8_t byte);
EXTISM_IMPORT("output_set") extern void extism_output_set(uint64_t handle, uint64_t size);
EXTISM_IMPORT("error_set") extern void extism_error_set(uint64_t handle);
EXTISM_IMPORT("config_get") extern uint64_t extism_config_get(uint64_t key);
EXTISM_IMPORT("log_info") extern void extism_log_info(uint64_t handle);
EXTISM_IMPORT("log_warn") extern void extism_log_warn(uint64_t handle);
EXTISM_IMPORT("log_error") extern void extism_log_error(uint64_t handle);

/* Copies n bytes into a new block of the kernel's memory; its handle. */
static inline uint64_t pdk_store(const char *data, uint64_t n) {
    uint64_t handle = extism_alloc(n);
    for (uint64_t i = 0; i < n; i++) extism_store_u8(handle + i, (uint8_t)data[i]);
    return handle;
}

/* The block at handle as a NUL-terminated string (free it). */
static inline char *pdk_load(uint64_t handle) {
    uint64_t n = extism_length(handle);
    char *text = malloc(n + 1);
    for (uint64_t i = 0; i < n; i++) text[i] = (char)extism_load_u8(handle + i);
    text[n] = 0;
    return text;
}

/* The call's input, the JSON document zr passes, as a string (free it). */
static inline char *pdk_input(void) {
    uint64_t n = extism_input_length();
    char *text = malloc(n + 1);
    for (uint64_t i = 0; i < n; i++) text[i] = (char)extism_input_load_u8(i);
    text[n] = 0;
    return text;
}

/* Sets the call's output (JSON text). */
static inline void pdk_output(const char *json) {
    uint64_t n = strlen(json);
    extism_output_set(pdk_store(json, n), n);
}

/* Makes the call fail with this message (then return 1 from the export). */
static inline void pdk_error(const char *message) {
    extism_error_set(pdk_store(message, strlen(message)));
}

/* One setting of the plugin's [NAME] table (or config = {...}) as text, or
 * NULL when it is not set (free it). */
static inline char *pdk_config(const char *key) {
    uint64_t key_handle = pdk_store(key, strlen(key));
    uint64_t handle = extism_config_get(key_handle);
    extism_free(key_handle);
    if (!handle) return NULL;
    char *value = pdk_load(handle);
    extism_free(handle);
    return value;
}

/* A line on zr's stderr: "zr: wasm plugin 'NAME': ...". */
static inline void pdk_log_info(const char *message) {
    uint64_t handle = pdk_store(message, strlen(message));
    extism_log_info(handle);
    extism_free(handle);
}

#endif
