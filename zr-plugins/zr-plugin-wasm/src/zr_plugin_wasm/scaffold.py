"""``zr plugin create --wasm rust|go|js NAME``: a WASM plugin project on an Extism PDK.

Writes ``./zr-wasm-NAME/`` with the plugin source (a ``zr_task_start``
hook and a ``NAME.greet(...)`` expression function), the PDK dependency,
the build command and the ``[plugins.wasm.NAME]`` table to use it. Never
overwrites.
"""

from __future__ import annotations

import os
import re

from zr.errors import UsageError

LANGUAGES = ("rust", "go", "js")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

RUST = {
    "Cargo.toml": """\
[package]
name = "zr-wasm-__NAME__"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]

[dependencies]
extism-pdk = "1"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
""",
    "src/lib.rs": """\
//! zr WASM plugin `__NAME__` (Extism Rust PDK). Hooks are exports named
//! like zr's hooks; expression functions are `expr_<fn>` exports.
use extism_pdk::*;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Task {
    name: String,
}

#[derive(Deserialize)]
struct TaskStart {
    task: Task,
}

/// Called before each task starts; the answer is ignored.
#[plugin_fn]
pub fn zr_task_start(Json(input): Json<TaskStart>) -> FnResult<Json<Value>> {
    info!("__NAME__ saw task {}", input.task.name);
    Ok(Json(json!({})))
}

/// `__NAME__.greet('you')` in a task's condition.
#[plugin_fn]
pub fn expr_greet(Json(args): Json<Vec<Value>>) -> FnResult<Json<Value>> {
    let who = args.first().and_then(Value::as_str).unwrap_or("world");
    Ok(Json(json!(format!("hello {who}"))))
}
""",
}

GO = {
    "go.mod": """\
module zr-wasm-__NAME__

go 1.24

require github.com/extism/go-pdk v1.1.3
""",
    "main.go": """\
// zr WASM plugin __NAME__ (Extism Go PDK). Hooks are exports named like
// zr's hooks; expression functions are expr_<fn> exports.
package main

import "github.com/extism/go-pdk"

type taskStart struct {
	Task struct {
		Name string `json:"name"`
	} `json:"task"`
}

// Called before each task starts; the answer is ignored.
//
//go:wasmexport zr_task_start
func zrTaskStart() int32 {
	var input taskStart
	if err := pdk.InputJSON(&input); err != nil {
		pdk.SetError(err)
		return 1
	}
	pdk.Log(pdk.LogInfo, "__NAME__ saw task "+input.Task.Name)
	return 0
}

// __NAME__.greet('you') in a task's condition.
//
//go:wasmexport expr_greet
func exprGreet() int32 {
	var args []any
	if err := pdk.InputJSON(&args); err != nil {
		pdk.SetError(err)
		return 1
	}
	who := "world"
	if len(args) > 0 {
		if text, ok := args[0].(string); ok {
			who = text
		}
	}
	if err := pdk.OutputJSON("hello " + who); err != nil {
		pdk.SetError(err)
		return 1
	}
	return 0
}

func main() {}
""",
}

JS = {
    "plugin.js": """\
// zr WASM plugin __NAME__ (Extism JS PDK). Hooks are exports named like
// zr's hooks; expression functions are expr_<fn> exports.

// Called before each task starts; the answer is ignored.
function zr_task_start() {
  const input = JSON.parse(Host.inputString());
  console.log(`__NAME__ saw task ${input.task.name}`);
  Host.outputString("{}");
}

// __NAME__.greet('you') in a task's condition.
function expr_greet() {
  const args = JSON.parse(Host.inputString());
  const who = typeof args[0] === "string" ? args[0] : "world";
  Host.outputString(JSON.stringify(`hello ${who}`));
}

module.exports = { zr_task_start, expr_greet };
""",
    "plugin.d.ts": """\
declare module "main" {
  export function zr_task_start(): I32;
  export function expr_greet(): I32;
}
""",
}

BUILD = {
    "rust": ("rustup target add wasm32-unknown-unknown\n"
             "cargo build --release --target wasm32-unknown-unknown\n"
             "cp target/wasm32-unknown-unknown/release/zr_wasm___NAME__.wasm __NAME__.wasm"),
    "go": ("go mod tidy\n"
           "GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o __NAME__.wasm .\n"
           "# or: tinygo build -target wasip1 -buildmode=c-shared -o __NAME__.wasm ."),
    "js": ("# extism-js: https://github.com/extism/js-pdk (needs binaryen's wasm-merge)\n"
           "extism-js plugin.js -i plugin.d.ts -o __NAME__.wasm"),
}

README = """\
# __NAME__: a zr WASM plugin (__LANGUAGE__, Extism PDK)

Build:

```sh
__BUILD__
```

Use it in a project (or `zr plugin install __NAME__.wasm` there, which copies
it to `.zr/wasm/` and pins its SHA-256):

```toml
[plugins.wasm.__NAME__]
path = "path/to/__NAME__.wasm"
# granted nothing unless listed: allowed_paths, allowed_env, allowed_hosts
```

Then `zr run` logs `__NAME__ saw task ...` for each task, and a condition can
call `__NAME__.greet('you')`. `zr wasm list` shows what the plugin exports and
is granted. The hooks, their JSON and the limits are in zr's
docs/wasm-plugins.md.
"""


def create(given: str, parent: str, language: str) -> str:
    """Write ``zr-wasm-NAME/`` under ``parent``; its path."""
    name = given.strip().lower().replace("-", "_")
    if name.startswith("zr_wasm_"):
        name = name[len("zr_wasm_"):]
    if not _NAME.match(name):
        raise UsageError(f"'{given}' is not a usable WASM plugin name: lowercase letters, "
                         "digits and underscores, starting with a letter (it prefixes the "
                         "plugin's expression functions)")
    if language not in LANGUAGES:
        raise UsageError(f"--wasm {language}: expected one of {', '.join(LANGUAGES)}")
    root = os.path.join(parent, f"zr-wasm-{name.replace('_', '-')}")
    if os.path.exists(root):
        raise UsageError(f"{root} already exists; choose another name or remove it first "
                         "(zr plugin create never overwrites)")
    files = dict({"rust": RUST, "go": GO, "js": JS}[language])
    build = BUILD[language].replace("__NAME__", name)
    files["README.md"] = README.replace("__BUILD__", build).replace("__LANGUAGE__", language)
    for relative, text in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.replace("__NAME__", name))
    return root


def next_steps(root: str, language: str) -> str:
    """What ``zr plugin create --wasm`` prints after writing ``root``."""
    name = os.path.basename(root)[len("zr-wasm-"):].replace("-", "_")
    shown = os.path.relpath(root)
    steps = BUILD[language].replace("__NAME__", name).replace("\n", "\n  ")
    return (f"created {shown}/ (a zr WASM plugin in {language}). Build it there:\n  {steps}\n"
            f"then, in a project: zr plugin install {shown}/{name}.wasm")
