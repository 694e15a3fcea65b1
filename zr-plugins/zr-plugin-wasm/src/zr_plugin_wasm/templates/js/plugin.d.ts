declare module "main" {
  export function zr_task_start(): I32;
  export function expr_greet(): I32;
}
