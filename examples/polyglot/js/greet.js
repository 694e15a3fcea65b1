"use strict";
// The JavaScript half of polyglot: the same greetings as the C program,
// read from the module tools/gen.py generates (build/gen/greetings.js).

const path = require("node:path");

const catalog = require(path.join(__dirname, "..", "build", "gen", "greetings.js"));

/** The greeting for `name` in `language`; throws on a language we do not know. */
function greet(name = "world", language = catalog.defaultLanguage) {
  const greeting = catalog.greetings[language];
  if (greeting === undefined) {
    throw new RangeError(`no greeting for '${language}' (known: ${languages().join(", ")})`);
  }
  return `${greeting}, ${name}!`;
}

/** Every language code, sorted. */
function languages() {
  return Object.keys(catalog.greetings).sort();
}

module.exports = { greet, languages, version: catalog.version };
