"""Version numbers and version specs, one syntax for every toolchain.

Toolchains spell versions differently (``v20.11.1``, ``go1.22.1``,
``bun-v1.1.0``, ``21.0.5+11``, ``1.22rc1``); :func:`parse_version` reads them
all as numbers plus an optional pre-release tag. A spec (what a user
writes) is one of:

- an exact version ``20.11.1`` or a partial one ``20`` / ``20.11``
  (the newest release with that prefix, as mise and proto do);
- a range: ``^1.22``, ``~1.2``, ``>=18 <21``, ``1.x``, ``*``, alternatives
  joined by ``||`` (proto's grammar);
- an alias: ``latest`` (also ``stable``), ``lts``, ``lts/<codename>``
  (``lts/*`` is ``lts``); what ``lts`` means comes from the index;
- a pre-release channel: ``beta``, ``nightly`` (the newest build, which
  only the index knows) or a dated build ``nightly-2026-11-01`` (a fixed
  one): for a toolchain that publishes channels (rust), the release's tag
  names the channel and, for a dated build, ends with the date.

Pre-releases match only a spec that names them exactly.
"""

from __future__ import annotations

import re

_VERSION = re.compile(r"(\d+(?:\.\d+)*)(?:[-+._]?([0-9A-Za-z][0-9A-Za-z.+_-]*))?$")
_LEADING = re.compile(r"^[^\d]*")
_PRERELEASE_WORDS = ("rc", "alpha", "beta", "dev", "pre", "nightly", "canary", "preview", "ea")
_CHANNEL = re.compile(r"^(beta|nightly)(?:-(\d{4}-\d\d-\d\d))?$")


class Version:
    """A comparable version: numeric parts, then a pre-release tag or build."""

    __slots__ = ("text", "parts", "tag", "prerelease")

    def __init__(self, text: str, parts: tuple, tag: str):
        self.text = text
        self.parts = parts
        self.tag = tag
        self.prerelease = any(word in tag.lower() for word in _PRERELEASE_WORDS)

    def key(self) -> tuple:
        padded = self.parts + (0,) * (6 - len(self.parts))
        # a release sorts after its pre-releases; builds (21.0.5+11) by number
        build = tuple(int(n) for n in re.findall(r"\d+", self.tag)) if not self.prerelease else ()
        return padded, 0 if self.prerelease else 1, build, self.tag

    def __lt__(self, other: "Version") -> bool:
        return self.key() < other.key()

    def __eq__(self, other) -> bool:
        return isinstance(other, Version) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Version({self.text!r})"


def parse_version(text: str) -> Version | None:
    """A :class:`Version` from any toolchain's spelling, or None."""
    stripped = _LEADING.sub("", text.strip())
    match = _VERSION.match(stripped)
    if not match:
        return None
    parts = tuple(int(n) for n in match.group(1).split("."))
    return Version(stripped, parts, match.group(2) or "")


class SpecError(ValueError):
    """A spec that cannot be parsed; the message says what is accepted."""


SPEC_HELP = ("an exact or partial version (20.11.1, 20), a range (^1.22, ~1.2, >=18 <21, "
             "1.x), latest, lts, lts/<codename>, or a channel (beta, nightly, "
             "nightly-2026-11-01)")


class Spec:
    """What the user asked for; :meth:`matches` says whether a release fits."""

    def __init__(self, text: str):
        self.text = text.strip()
        lowered = self.text.lower()
        self.alias = None
        self.lts = None  # None: any; "*": any LTS; name: that codename
        self.exact = None
        self.alternatives: list = []  # [[(op, parts), ...], ...]
        self.channel = None  # "beta"/"nightly"
        self.channel_date = None  # "2026-11-01" for a dated build
        channel = _CHANNEL.match(lowered)
        if channel:
            self.channel, self.channel_date = channel.groups()
            if self.channel_date is None:  # the newest build: only the index knows it
                self.alias = "channel"
        elif lowered in ("latest", "stable", "*", "x", ""):
            self.alias = "latest"
        elif lowered == "lts" or lowered in ("lts/*", "lts/latest"):
            self.alias, self.lts = "lts", "*"
        elif lowered.startswith("lts/"):
            self.alias, self.lts = "lts", lowered[4:]
        else:
            self.alternatives = [_parse_range(part, self.text)
                                 for part in self.text.split("||")]
            single = self.alternatives[0] if len(self.alternatives) == 1 else None
            if single and len(single) == 1 and single[0][0] == "=":
                self.exact = single[0][1]

    @property
    def is_alias(self) -> bool:
        return self.alias is not None

    @property
    def is_exact(self) -> bool:
        """A full version (three parts, or a tag): nothing newer may match."""
        return self.exact is not None and (len(self.exact[0]) >= 3 or bool(self.exact[1]))

    def matches(self, version: Version, lts=None) -> bool:
        """Whether ``version`` (with the index's ``lts`` value) fits this spec."""
        if self.channel is not None:
            return _channel_of(version) == (self.channel, self.channel_date or
                                            _channel_of(version)[1])
        if self.alias == "latest":
            return not version.prerelease
        if self.alias == "lts":
            if not lts:
                return False
            return self.lts == "*" or str(lts).lower() == self.lts
        return any(all(_compare(version, op, want) for op, want in alt)
                   for alt in self.alternatives)

    def __str__(self) -> str:
        return self.text


def _channel_of(version: Version) -> tuple:
    """``("nightly", "2026-11-01")`` for a channel build's tag
    (``nightly-2026-11-01``, ``beta.3-2026-11-01``), else ``(None, None)``."""
    match = re.match(r"^(beta|nightly)(?:\.\d+)?(?:-(\d{4}-\d\d-\d\d))?$", version.tag.lower())
    return match.groups() if match else (None, None)


def _parse_range(text: str, whole: str) -> list:
    tokens = [t for t in re.split(r"[\s,]+", text.strip()) if t]
    if not tokens:
        raise SpecError(f"'{whole}' is not a version spec; expected {SPEC_HELP}")
    out = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        op_match = re.match(r"^(\^|~>|~|>=|<=|>|<|=|==)?(.*)$", token)
        op, rest = op_match.group(1) or "", op_match.group(2)
        if op and not rest and index + 1 < len(tokens):  # ">= 18"
            index += 1
            rest = tokens[index]
        out.extend(_expand(op, rest, whole))
        index += 1
    return out


def _expand(op: str, rest: str, whole: str) -> list:
    """One comparator into primitive ``(op, (parts, tag))`` checks."""
    wild = re.match(r"^v?(\d+(?:\.\d+)*)((?:\.[xX*])+)$", rest)
    if wild:
        rest = wild.group(1)
        op = op or ""
    version = parse_version(rest) if re.match(r"^v?\d", rest) else None
    if version is None:
        raise SpecError(f"'{whole}' is not a version spec; expected {SPEC_HELP}")
    parts, tag = version.parts, version.tag
    if op in ("", "=", "=="):
        return [("=", (parts, tag))]
    if op == "^":
        first = next((i for i, n in enumerate(parts) if n != 0), len(parts) - 1)
        upper = parts[:first] + (parts[first] + 1,)
        return [(">=", (parts, tag)), ("<", (upper, ""))]
    if op in ("~", "~>"):
        keep = max(1, len(parts) - 1) if op == "~>" else (1 if len(parts) == 1 else 2)
        upper = parts[:keep - 1] + (parts[keep - 1] + 1,)
        return [(">=", (parts, tag)), ("<", (upper, ""))]
    return [(op, (parts, tag))]


def _compare(version: Version, op: str, want: tuple) -> bool:
    parts, tag = want
    if op == "=":
        if version.parts[:len(parts)] != parts:
            return False
        if tag:
            return version.tag == tag
        # a partial or exact spec never picks a pre-release unless it names it
        return not version.prerelease
    if version.prerelease:
        return False
    width = max(len(parts), len(version.parts))
    have = version.parts + (0,) * (width - len(version.parts))
    need = parts + (0,) * (width - len(parts))
    return {">=": have >= need, ">": have > need, "<=": have <= need, "<": have < need}[op]


def parse_spec(text: str) -> Spec:
    """A :class:`Spec`, or :class:`SpecError` with the accepted forms."""
    return Spec(str(text))


def nearest(spec: Spec, versions: list, count: int = 3) -> list:
    """The released versions closest to what ``spec`` asked for, newest first
    within each distance: for "no version matches" errors."""
    stable = [v for v in versions if not v.prerelease] or list(versions)
    target = None
    if spec.alternatives:
        target = spec.alternatives[0][0][1][0]
    if not target:
        return sorted(stable, reverse=True)[:count]

    def distance(v: Version) -> tuple:
        common = 0
        for a, b in zip(v.parts, target):
            if a != b:
                break
            common += 1
        first_diff = abs((v.parts + (0,) * 6)[common] - (target + (0,) * 6)[common])
        return (-common, first_diff)

    return sorted(sorted(stable, reverse=True), key=distance)[:count]
