"""`zr watch` with the real `zr`, real files and real file-system events.

Each task appends a line to a log outside the watched files, so the number
of runs is counted from what really ran, not from zr's messages.
"""

from __future__ import annotations

RUN_DONE = "waiting for changes"

COUNTING = """
    [watch]
    debounce = "150ms"
    poll_interval = "100ms"

    [tasks.build]
    cmd = "echo run >> runs.log; echo built"
    watch = ["src/**"]
    """


def runs(project) -> int:
    log = project.path / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_change_reruns_the_task_through_inotify(zr_project, start_watch):
    zr_project.write(COUNTING)
    zr_project.file("src/app.c", "int main;\n")
    watch = start_watch("build")
    watch.wait_for(RUN_DONE)
    assert watch.count("with inotify") == 1, watch.output()
    zr_project.file("src/app.c", "int main(void);\n")
    watch.wait_for(RUN_DONE, 2)
    assert runs(zr_project) == 2
    assert watch.count("src/app.c changed; running again") == 1
    assert watch.interrupt() == 130


def test_poll_reruns_the_task_by_polling(zr_project, start_watch):
    zr_project.write(COUNTING)
    zr_project.file("src/app.c", "int main;\n")
    watch = start_watch("build", "--poll")
    watch.wait_for(RUN_DONE)
    assert watch.count("with polling every 0.1s") == 1, watch.output()
    zr_project.file("src/new.c", "int x;\n")
    watch.wait_for(RUN_DONE, 2)
    assert runs(zr_project) == 2
    assert watch.interrupt() == 130


def test_a_burst_of_saves_is_one_run(zr_project, start_watch):
    zr_project.write(COUNTING.replace('"150ms"', '"700ms"'))  # room for a slow machine
    zr_project.file("src/app.c", "")
    watch = start_watch("build")
    watch.wait_for(RUN_DONE)
    for i in range(30):  # a formatter rewriting a tree
        zr_project.file(f"src/gen/file{i}.c", f"int v{i};\n")
    watch.wait_for(RUN_DONE, 2)
    watch.stays(RUN_DONE, 2, seconds=1.5)
    assert runs(zr_project) == 2
    assert watch.interrupt() == 130


def test_unwatched_and_ignored_files_do_not_trigger(zr_project, start_watch):
    zr_project.write(COUNTING.replace('debounce = "150ms"',
                                      'debounce = "150ms"\n    ignore = ["src/**/*.tmp"]'))
    zr_project.file(".gitignore", "src/generated/\n")
    zr_project.file("src/app.c", "")
    watch = start_watch("build")
    watch.wait_for(RUN_DONE)
    zr_project.file("docs/readme.md", "not watched\n")
    zr_project.file("src/scratch.tmp", "ignored by [watch] ignore\n")
    zr_project.file("src/generated/out.c", "ignored by .gitignore\n")
    zr_project.file("src/.app.c.swp", "editor noise\n")
    watch.stays(RUN_DONE, 1, seconds=1.0)
    zr_project.file("src/app.c", "int x;\n")
    watch.wait_for(RUN_DONE, 2)
    assert runs(zr_project) == 2
    assert watch.interrupt() == 130


def test_a_task_writing_its_outputs_into_a_watched_dir_does_not_loop(zr_project,
                                                                     start_watch):
    zr_project.write("""
        [watch]
        debounce = "150ms"

        [tasks.gen]
        cmd = "echo run >> runs.log; mkdir -p src/out; date +%N > src/out/stamp.txt"
        outputs = ["src/out/**"]

        [tasks.compile]
        cmd = "mkdir -p build; date +%N > build/app.o"
        deps = ["gen"]
        """)
    zr_project.file(".gitignore", "build/\nruns.log\n")
    zr_project.file("src/app.c", "")
    watch = start_watch("compile")  # everything is watched: no patterns declared
    watch.wait_for(RUN_DONE)
    assert watch.count("watching every file of the project") == 1, watch.output()
    watch.stays(RUN_DONE, 1, seconds=1.0)
    assert runs(zr_project) == 1
    zr_project.file("src/app.c", "int x;\n")
    watch.wait_for(RUN_DONE, 2)
    watch.stays(RUN_DONE, 2, seconds=1.0)
    assert runs(zr_project) == 2
    assert watch.interrupt() == 130


def test_a_change_during_a_long_task_restarts_it_and_leaves_no_orphan(
        zr_project, start_watch, wait_dead):
    zr_project.write("""
        [settings]
        kill_grace = "1s"  # the background sleep ignores SIGINT, as in any sh script

        [watch]
        debounce = "100ms"

        [tasks.serve]
        cmd = "sleep 60 & echo $! >> pids.log; echo $$ >> pids.log; echo serving; wait"
        watch = ["src/**"]
        """)
    zr_project.file("src/page.html", "<p>one</p>\n")
    watch = start_watch("serve")
    watch.wait_for("serve | serving")
    zr_project.file("src/page.html", "<p>two</p>\n")
    watch.wait_for("changed; restarting")
    watch.wait_for("serve | serving", 2)
    pids = [int(p) for p in (zr_project.path / "pids.log").read_text().split()]
    assert len(pids) == 4
    assert wait_dead(pids[:2]) == [], "the first server was not stopped"
    assert wait_dead(pids[2:], timeout=0.5) == pids[2:], "the new server is not running"
    assert watch.interrupt() == 130
    assert wait_dead(pids) == []
    assert watch.count("serving") == 2  # restarted, never stacked


def test_queue_lets_the_run_finish_then_runs_again(zr_project, start_watch):
    zr_project.write("""
        [watch]
        debounce = "100ms"
        on_change = "queue"

        # the first run lasts until the changes below were made, and a moment
        [tasks.slow]
        cmd = "echo started; while [ ! -e src/b.txt ]; do sleep 0.05; done; sleep 1; echo run >> runs.log; echo finished"
        watch = ["src/**"]
        """)
    zr_project.file("src/a.txt", "1\n")
    watch = start_watch("slow")
    watch.wait_for("slow | started")
    zr_project.file("src/a.txt", "2\n")
    zr_project.file("src/b.txt", "3\n")
    watch.wait_for("slow | finished", 2)
    watch.wait_for(RUN_DONE)
    assert watch.count("slow | finished") == 2, watch.output()
    assert watch.count("interrupted") == 0
    assert runs(zr_project) == 2
    assert watch.interrupt() == 130


def test_ctrl_c_during_a_run_interrupts_it_and_exits_130(zr_project, start_watch,
                                                         wait_dead):
    zr_project.write("""
        [tasks.long]
        cmd = "echo $$ > pid.txt; echo working; sleep 60"
        """)
    watch = start_watch("long")
    watch.wait_for("long | working")
    pid = int((zr_project.path / "pid.txt").read_text())
    assert watch.interrupt() == 130
    assert wait_dead([pid]) == []
    assert "long interrupted" in watch.output()


def test_an_unknown_task_is_a_usage_error(zr_project):
    zr_project.write(COUNTING)
    result = zr_project.run("watch", "biuld", timeout=30)
    assert result.returncode == 2
    assert "biuld" in result.stderr and "did you mean 'build'" in result.stderr


def test_options_reach_the_runs(zr_project, start_watch):
    zr_project.write("""
        [tasks.show]
        cmd = "echo mode=$MODE"
        """)
    watch = start_watch("show", "--env", "MODE=watch")
    watch.wait_for(RUN_DONE)
    assert watch.count("show | mode=watch") == 1, watch.output()
    assert watch.interrupt() == 130
