"""``semver.gte`` and friends: compare versions as semver.org orders them.

Lenient where people are: ``v1.2``, ``1.2`` and ``1.2.0`` are the same
version; build metadata (``+abc``) is ignored; a pre-release (``1.0.0-rc.1``)
sorts before its release, identifiers compared numerically when numeric.
"""

from __future__ import annotations

from zr.errors import ZrError

from .arguments import expect_text


def parse_version(text: str) -> tuple:
    """A sortable key for ``text``; raises :class:`ZrError` if it is not a version."""
    core = text.strip()
    if core[:1] in ("v", "V"):
        core = core[1:]
    core = core.split("+", 1)[0]
    core, dash, prerelease = core.partition("-")
    numbers = core.split(".")
    if not 1 <= len(numbers) <= 3 or not all(n.isdigit() and n.isascii() for n in numbers):
        raise ZrError(f"{text!r} is not a version like 1.2.3")
    release = tuple(int(n) for n in numbers) + (0,) * (3 - len(numbers))
    if not dash:
        # A release sorts after every pre-release of the same version.
        return release + ((1,),)
    identifiers = prerelease.split(".")
    if not all(identifiers):
        raise ZrError(f"{text!r} has an empty pre-release identifier")
    # Numeric identifiers sort before alphanumeric ones, and numerically.
    keyed = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in identifiers)
    return release + ((0,) + keyed,)


def _comparison(test):
    def compare_versions(ctx, *args) -> bool:
        left, right = expect_text(args, "version", "other", numbers_as_text=True)
        return test(parse_version(left), parse_version(right))

    return compare_versions


semver_gte = _comparison(lambda a, b: a >= b)
semver_gt = _comparison(lambda a, b: a > b)
semver_lte = _comparison(lambda a, b: a <= b)
semver_lt = _comparison(lambda a, b: a < b)
semver_eq = _comparison(lambda a, b: a == b)
