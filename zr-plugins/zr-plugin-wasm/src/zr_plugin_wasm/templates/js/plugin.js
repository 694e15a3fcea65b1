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
