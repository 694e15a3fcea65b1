"""What the generator writes must compile as C and load as JavaScript."""

import unittest

from polyglot_gen.catalog import parse_catalog
from polyglot_gen.render import c_string, render_c_header, render_js_module


class CStringTest(unittest.TestCase):
    def test_plain_ascii_is_unchanged(self):
        self.assertEqual(c_string("Hello"), '"Hello"')

    def test_quotes_backslashes_and_newlines_are_escaped(self):
        self.assertEqual(c_string('say "hi"\\\n'), r'"say \"hi\"\\\012"')

    def test_non_ascii_becomes_octal_utf8_bytes(self):
        self.assertEqual(c_string("Olá"), r'"Ol\303\241"')


class RenderTest(unittest.TestCase):
    def setUp(self):
        self.catalog = parse_catalog("2.3.4", {"default": "de",
                                               "greetings": {"en": "Hello", "de": "Hallo"}})

    def test_c_header_has_version_default_and_sorted_table(self):
        header = render_c_header(self.catalog)
        self.assertIn('#define POLYGLOT_VERSION "2.3.4"', header)
        self.assertIn('#define POLYGLOT_DEFAULT_LANGUAGE "de"', header)
        self.assertIn("#define POLYGLOT_GREETING_COUNT 2", header)
        self.assertLess(header.index('{"de", "Hallo"}'), header.index('{"en", "Hello"}'))

    def test_js_module_exports_the_same_data(self):
        module = render_js_module(self.catalog)
        self.assertIn('"version": "2.3.4"', module)
        self.assertIn('"defaultLanguage": "de"', module)
        self.assertIn('"de": "Hallo"', module)
        self.assertTrue(module.rstrip().endswith("});"))


if __name__ == "__main__":
    unittest.main()
