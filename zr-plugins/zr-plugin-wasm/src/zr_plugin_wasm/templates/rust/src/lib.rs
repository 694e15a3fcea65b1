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
