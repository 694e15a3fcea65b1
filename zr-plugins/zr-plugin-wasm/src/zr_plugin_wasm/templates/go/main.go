// zr WASM plugin __NAME__. Hooks are exports named like zr's hooks;
// expression functions are expr_<fn> exports. Each reads its JSON input and
// sets its JSON output (or an error) with the pdk package beside this file.
package main

import "zr-wasm-__NAME__/pdk"

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

// __NAME__.greet('you') in a task's condition: "hello you", or the plugin's
// greeting setting instead of "hello".
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
	greeting, ok := pdk.GetConfig("greeting")
	if !ok {
		greeting = "hello"
	}
	if err := pdk.OutputJSON(greeting + " " + who); err != nil {
		pdk.SetError(err)
		return 1
	}
	return 0
}

func main() {}
