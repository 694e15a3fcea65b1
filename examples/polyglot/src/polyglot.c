/*
 * polyglot: say hello in the language of your choice.
 *
 *   polyglot                 Hello, world!
 *   polyglot fr Ada          Bonjour, Ada!
 *   polyglot --list          every language and its greeting
 *   polyglot --version       polyglot 1.4.0
 *
 * The greetings and the version come from polyglot_data.h, which
 * tools/gen.py generates from the catalogue, so this file never changes
 * when a language is added.
 */
#include <stdio.h>
#include <string.h>

#include "polyglot_data.h"

static const char *find_greeting(const char *language)
{
    size_t i;
    for (i = 0; i < POLYGLOT_GREETING_COUNT; i++) {
        if (strcmp(POLYGLOT_GREETINGS[i].language, language) == 0) {
            return POLYGLOT_GREETINGS[i].text;
        }
    }
    return NULL;
}

static void list_greetings(void)
{
    size_t i;
    for (i = 0; i < POLYGLOT_GREETING_COUNT; i++) {
        printf("%s  %s\n", POLYGLOT_GREETINGS[i].language, POLYGLOT_GREETINGS[i].text);
    }
}

int main(int argc, char **argv)
{
    const char *language = POLYGLOT_DEFAULT_LANGUAGE;
    const char *name = "world";
    const char *greeting;

    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("polyglot %s\n", POLYGLOT_VERSION);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        list_greetings();
        return 0;
    }
    if (argc > 3) {
        fprintf(stderr, "usage: polyglot [--version | --list | LANGUAGE [NAME]]\n");
        return 2;
    }
    if (argc > 1) {
        language = argv[1];
    }
    if (argc > 2) {
        name = argv[2];
    }
    greeting = find_greeting(language);
    if (greeting == NULL) {
        fprintf(stderr, "polyglot: no greeting for '%s' (see polyglot --list)\n", language);
        return 2;
    }
    printf("%s, %s!\n", greeting, name);
    return 0;
}
