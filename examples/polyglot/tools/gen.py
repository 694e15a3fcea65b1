"""Generate build/gen/polyglot_data.h and build/gen/greetings.js from the catalogue.

Usage: python3 tools/gen.py [--out DIR]

A file is rewritten only when its content changes, so a C compiler or a
bundler watching modification times sees no spurious change.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "py"))

from polyglot_gen import CatalogError, load_catalog, render_c_header, render_js_module  # noqa: E402


def write_if_changed(path, text):
    """Write ``text`` to ``path`` unless it already holds exactly that; say which."""
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("build", "gen"),
                        help="output directory (default: build/gen)")
    args = parser.parse_args(argv)
    try:
        catalog = load_catalog(os.path.join(ROOT, "VERSION"),
                               os.path.join(ROOT, "data", "greetings.json"))
    except (OSError, CatalogError) as error:
        print(f"generate: {error}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    outputs = {"polyglot_data.h": render_c_header(catalog),
               "greetings.js": render_js_module(catalog)}
    changed = [name for name, text in outputs.items()
               if write_if_changed(os.path.join(args.out, name), text)]
    state = f"updated {', '.join(changed)}" if changed else "already up to date"
    print(f"generate: {len(catalog.greetings)} greetings, version {catalog.version} "
          f"-> {args.out}/ ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
