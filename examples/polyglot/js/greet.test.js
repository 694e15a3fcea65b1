"use strict";
// Run with `node --test` from this directory (zr run test:js).

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");

const { greet, languages, version } = require("./greet.js");

test("greets the world in the default language", () => {
  assert.equal(greet(), "Hello, world!");
});

test("greets by name in another language", () => {
  assert.equal(greet("Ada", "fr"), "Bonjour, Ada!");
  assert.equal(greet("Ada", "ja"), "こんにちは, Ada!");
});

test("refuses a language it does not know", () => {
  assert.throws(() => greet("Ada", "xx"), /no greeting for 'xx'/);
});

test("knows the same languages and version as the catalogue", () => {
  const root = path.join(__dirname, "..");
  const source = JSON.parse(fs.readFileSync(path.join(root, "data", "greetings.json"), "utf8"));
  assert.deepEqual(languages(), Object.keys(source.greetings).sort());
  assert.equal(version, fs.readFileSync(path.join(root, "VERSION"), "utf8").trim());
});
