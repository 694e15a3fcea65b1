module zr-wasm-__NAME__

go 1.24
