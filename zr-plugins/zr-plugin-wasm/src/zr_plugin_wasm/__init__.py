"""zr-plugin-wasm: sandboxed zr plugins compiled to WebAssembly (Extism ABI on wasmtime).

See docs/wasm-plugins.md. Nothing here is imported unless a project has
``[plugins.wasm]``; wasmtime itself only when a plugin is called.
"""
