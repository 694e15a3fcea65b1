"""Reading one ``.env`` file with python-dotenv's parser, strictly.

python-dotenv only logs a warning for a line it cannot parse and drops it;
a task silently missing a variable is worse than a clear error, so every
binding is checked and a bad one is reported as ``.env:3: malformed line``.
Interpolation of ``${VAR}`` / ``${VAR:-default}`` is python-dotenv's too.
"""

from __future__ import annotations

import io

from zr.errors import ConfigError


from zr.api import display_path as shown  # noqa: E402  (the kernel's rule)


def read_env_file(path: str, earlier: dict, process_env) -> dict:
    """The variables ``path`` defines, ``${VAR}`` resolved.

    A reference resolves as the task would see the variable: the process
    environment first (it wins over files), then this file's earlier lines,
    then ``earlier`` files (python-dotenv's ``load_dotenv`` without
    ``override``). Raises :class:`ConfigError` naming the file and line of a malformed
    line, or the file if it cannot be read.
    """
    from dotenv.parser import parse_stream
    from dotenv.variables import parse_variables

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", file=shown(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror}", file=shown(path)) from None
    values: dict = {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            line = binding.original.string.strip().splitlines()[0]
            raise ConfigError(f"malformed line {line!r} (expected NAME=value)",
                              file=shown(path), line=binding.original.line)
        if binding.key is None or binding.value is None:
            continue  # a comment, a blank line or a bare NAME (python-dotenv skips it)
        scope = {**earlier, **values, **process_env}
        values[binding.key] = "".join(atom.resolve(scope)
                                      for atom in parse_variables(binding.value))
    return values
