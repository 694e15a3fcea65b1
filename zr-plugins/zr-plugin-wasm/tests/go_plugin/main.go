// A zr WASM plugin in Go with no PDK: the Extism imports declared with
// go:wasmimport, the functions exported with go:wasmexport, built as a WASI
// reactor (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared).
//
//	expr_words  words('a b c') -> 3, for conditions
//	zr_task_finish  fails a task whose name starts with "forbidden"
package main

import (
	"encoding/json"
	"strings"
)

//go:wasmimport extism:host/env input_length
func inputLength() uint64

//go:wasmimport extism:host/env input_load_u8
func inputLoadU8(offset uint64) uint32

//go:wasmimport extism:host/env alloc
func alloc(size uint64) uint64

//go:wasmimport extism:host/env store_u8
func storeU8(at uint64, b uint32)

//go:wasmimport extism:host/env output_set
func outputSet(handle uint64, size uint64)

//go:wasmimport extism:host/env error_set
func errorSet(handle uint64)

func input() []byte {
	n := inputLength()
	out := make([]byte, n)
	for i := uint64(0); i < n; i++ {
		out[i] = byte(inputLoadU8(i))
	}
	return out
}

func block(data []byte) uint64 {
	h := alloc(uint64(len(data)))
	for i, b := range data {
		storeU8(h+uint64(i), uint32(b))
	}
	return h
}

func answer(value any) int32 {
	data, err := json.Marshal(value)
	if err != nil {
		errorSet(block([]byte(err.Error())))
		return 1
	}
	outputSet(block(data), uint64(len(data)))
	return 0
}

//go:wasmexport expr_words
func exprWords() int32 {
	var args []string
	if err := json.Unmarshal(input(), &args); err != nil || len(args) != 1 {
		errorSet(block([]byte("words takes one string")))
		return 1
	}
	return answer(len(strings.Fields(args[0])))
}

//go:wasmexport zr_task_finish
func zrTaskFinish() int32 {
	var event struct {
		Task struct {
			Name string `json:"name"`
		} `json:"task"`
	}
	if err := json.Unmarshal(input(), &event); err != nil {
		errorSet(block([]byte(err.Error())))
		return 1
	}
	if strings.HasPrefix(event.Task.Name, "forbidden") {
		return answer(map[string]string{"fail": "Go policy: " + event.Task.Name + " may not run"})
	}
	return answer(map[string]string{})
}

func main() {}
