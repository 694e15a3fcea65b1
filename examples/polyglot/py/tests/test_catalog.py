"""The catalogue is checked once, with messages that say where it is wrong."""

import os
import tempfile
import unittest

from polyglot_gen.catalog import CatalogError, load_catalog, parse_catalog

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ParseCatalogTest(unittest.TestCase):
    def test_sorts_languages_and_keeps_the_default(self):
        catalog = parse_catalog("1.0.0", {"default": "fr",
                                          "greetings": {"fr": "Bonjour", "de": "Hallo"}})
        self.assertEqual(catalog.languages, ["de", "fr"])
        self.assertEqual(catalog.default, "fr")

    def test_default_language_falls_back_to_english(self):
        catalog = parse_catalog("1.0.0", {"greetings": {"en": "Hello"}})
        self.assertEqual(catalog.default, "en")

    def test_rejects_a_default_without_greeting(self):
        with self.assertRaisesRegex(CatalogError, "default language 'it' has no greeting"):
            parse_catalog("1.0.0", {"default": "it", "greetings": {"en": "Hello"}})

    def test_rejects_a_bad_language_code(self):
        with self.assertRaisesRegex(CatalogError, "greetings.English: a language code"):
            parse_catalog("1.0.0", {"greetings": {"English": "Hello"}})

    def test_rejects_an_empty_greeting(self):
        with self.assertRaisesRegex(CatalogError, "greetings.en: expected a non-empty string"):
            parse_catalog("1.0.0", {"greetings": {"en": "  "}})


class LoadCatalogTest(unittest.TestCase):
    def test_loads_the_project_catalogue(self):
        catalog = load_catalog(os.path.join(PROJECT, "VERSION"),
                               os.path.join(PROJECT, "data", "greetings.json"))
        self.assertRegex(catalog.version, r"^\d+\.\d+\.\d+$")
        self.assertIn(catalog.default, catalog.languages)

    def test_names_the_file_and_line_of_broken_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            version = os.path.join(tmp, "VERSION")
            greetings = os.path.join(tmp, "greetings.json")
            with open(version, "w") as handle:
                handle.write("1.0.0\n")
            with open(greetings, "w") as handle:
                handle.write('{\n  "greetings": {"en": "Hello",}\n}\n')
            with self.assertRaisesRegex(CatalogError, r"greetings\.json:2: not valid JSON"):
                load_catalog(version, greetings)


if __name__ == "__main__":
    unittest.main()
