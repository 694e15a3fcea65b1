// Package pdk is the part of the Extism Go PDK (github.com/extism/go-pdk)
// this plugin needs, written straight against the Extism host functions that
// zr provides (module extism:host/env), so that the plugin builds with the Go
// toolchain alone: no module to download. Its functions have go-pdk's names
// and signatures; to use the full go-pdk instead (variables, HTTP, memory
// helpers), import "github.com/extism/go-pdk" in place of this package.
package pdk

import (
	"encoding/binary"
	"encoding/json"
)

//go:wasmimport extism:host/env input_length
func extismInputLength() uint64

//go:wasmimport extism:host/env input_load_u64
func extismInputLoadU64(offset uint64) uint64

//go:wasmimport extism:host/env input_load_u8
func extismInputLoadU8(offset uint64) uint32

//go:wasmimport extism:host/env alloc
func extismAlloc(size uint64) uint64

//go:wasmimport extism:host/env free
func extismFree(handle uint64)

//go:wasmimport extism:host/env length
func extismLength(handle uint64) uint64

//go:wasmimport extism:host/env load_u64
func extismLoadU64(at uint64) uint64

//go:wasmimport extism:host/env load_u8
func extismLoadU8(at uint64) uint32

//go:wasmimport extism:host/env store_u64
func extismStoreU64(at uint64, value uint64)

//go:wasmimport extism:host/env store_u8
func extismStoreU8(at uint64, value uint32)

//go:wasmimport extism:host/env output_set
func extismOutputSet(handle uint64, size uint64)

//go:wasmimport extism:host/env error_set
func extismErrorSet(handle uint64)

//go:wasmimport extism:host/env config_get
func extismConfigGet(key uint64) uint64

//go:wasmimport extism:host/env log_info
func extismLogInfo(handle uint64)

//go:wasmimport extism:host/env log_warn
func extismLogWarn(handle uint64)

//go:wasmimport extism:host/env log_error
func extismLogError(handle uint64)

//go:wasmimport extism:host/env log_debug
func extismLogDebug(handle uint64)

// LogLevel says how important a Log line is; zr shows info, warn and error.
type LogLevel int

const (
	LogDebug LogLevel = iota
	LogInfo
	LogWarn
	LogError
)

// Input is the call's input: the JSON document zr passes to the hook.
func Input() []byte {
	size := extismInputLength()
	data := make([]byte, size)
	at := uint64(0)
	for ; at+8 <= size; at += 8 {
		binary.LittleEndian.PutUint64(data[at:], extismInputLoadU64(at))
	}
	for ; at < size; at++ {
		data[at] = byte(extismInputLoadU8(at))
	}
	return data
}

// InputJSON decodes the call's input into v.
func InputJSON(v any) error {
	return json.Unmarshal(Input(), v)
}

// Output sets the call's output.
func Output(data []byte) {
	extismOutputSet(store(data), uint64(len(data)))
}

// OutputString sets the call's output to text.
func OutputString(text string) {
	Output([]byte(text))
}

// OutputJSON sets the call's output to v as JSON.
func OutputJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	Output(data)
	return nil
}

// SetError makes the call fail with err's text (return 1 from the export
// too); zr reports it naming the plugin and the hook.
func SetError(err error) {
	SetErrorString(err.Error())
}

// SetErrorString makes the call fail with this text.
func SetErrorString(text string) {
	extismErrorSet(store([]byte(text)))
}

// GetConfig is one setting of the plugin's [NAME] table (or of its
// config = {...}) as text, and whether it is set.
func GetConfig(key string) (string, bool) {
	keyHandle := store([]byte(key))
	handle := extismConfigGet(keyHandle)
	extismFree(keyHandle)
	if handle == 0 {
		return "", false
	}
	value := load(handle)
	extismFree(handle)
	return string(value), true
}

// Log writes a line to zr's stderr as "zr: wasm plugin 'NAME': ...".
func Log(level LogLevel, message string) {
	handle := store([]byte(message))
	switch level {
	case LogDebug:
		extismLogDebug(handle)
	case LogWarn:
		extismLogWarn(handle)
	case LogError:
		extismLogError(handle)
	default:
		extismLogInfo(handle)
	}
	extismFree(handle)
}

// store copies data into a new block of the kernel's memory; its handle.
func store(data []byte) uint64 {
	if len(data) == 0 {
		return 0
	}
	handle := extismAlloc(uint64(len(data)))
	size := uint64(len(data))
	at := uint64(0)
	for ; at+8 <= size; at += 8 {
		extismStoreU64(handle+at, binary.LittleEndian.Uint64(data[at:]))
	}
	for ; at < size; at++ {
		extismStoreU8(handle+at, uint32(data[at]))
	}
	return handle
}

// load copies the block at handle out of the kernel's memory.
func load(handle uint64) []byte {
	size := extismLength(handle)
	data := make([]byte, size)
	at := uint64(0)
	for ; at+8 <= size; at += 8 {
		binary.LittleEndian.PutUint64(data[at:], extismLoadU64(handle+at))
	}
	for ; at < size; at++ {
		data[at] = byte(extismLoadU8(handle + at))
	}
	return data
}
