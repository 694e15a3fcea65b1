"""Input and output globs: what a task's `inputs`/`outputs` lists select."""

from zr_plugin_cache.globs import select


def make(root, *paths):
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path)


def test_star_stays_in_one_directory_and_double_star_spans_them(tmp_path):
    make(tmp_path, "a.py", "src/b.py", "src/deep/c.py", "src/deep/d.txt")
    assert select(["*.py"], tmp_path).files == ["a.py"]
    assert select(["src/**/*.py"], tmp_path).files == ["src/b.py", "src/deep/c.py"]
    assert select(["**/*.py"], tmp_path).files == ["a.py", "src/b.py", "src/deep/c.py"]


def test_a_directory_pattern_takes_everything_below_it(tmp_path):
    make(tmp_path, "dist/app.js", "dist/css/site.css", "other.js")
    assert select(["dist"], tmp_path).files == ["dist/app.js", "dist/css/site.css"]
    assert select(["dist/"], tmp_path).files == ["dist/app.js", "dist/css/site.css"]


def test_negation_removes_what_earlier_patterns_added(tmp_path):
    make(tmp_path, "src/a.py", "src/a_test.py", "src/gen/b.py")
    selection = select(["src/**", "!src/**/*_test.py", "!src/gen"], tmp_path)
    assert selection.files == ["src/a.py"]


def test_later_positive_pattern_wins_over_earlier_negation(tmp_path):
    make(tmp_path, "src/a.py", "src/keep_test.py", "src/drop_test.py")
    selection = select(["src/**", "!src/*_test.py", "src/keep_test.py"], tmp_path)
    assert selection.files == ["src/a.py", "src/keep_test.py"]


def test_gitignore_is_respected_only_when_asked(tmp_path):
    make(tmp_path, "src/a.py", "src/build/out.py", "src/notes.log", "pkg/x.py")
    (tmp_path / ".gitignore").write_text("*.log\n")
    (tmp_path / "src" / ".gitignore").write_text("build/\n")
    everything = select(["**"], tmp_path / "src", project_root=tmp_path).files
    assert "build/out.py" in everything and "notes.log" in everything
    respected = select(["**"], tmp_path / "src", project_root=tmp_path,
                       respect_gitignore=True).files
    assert respected == [".gitignore", "a.py"]


def test_patterns_that_match_nothing_are_reported(tmp_path):
    make(tmp_path, "dist/app.js")
    selection = select(["dist/**", "coverage", "!dist/x"], tmp_path)
    assert selection.unmatched == ["coverage"]


def test_git_directory_and_symlinked_directories_are_not_walked(tmp_path):
    make(tmp_path, ".git/config", "real/file.txt")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert select(["**"], tmp_path).files == ["link", "real/file.txt"]


def test_exclude_removes_declared_outputs_from_default_inputs(tmp_path):
    make(tmp_path, "src/a.c", "out/a.o")
    assert select(["**"], tmp_path, exclude=["out"]).files == ["src/a.c"]


def test_paths_above_the_cwd_can_be_named(tmp_path):
    make(tmp_path, "shared/lib.py", "app/main.py")
    files = select(["../shared/*.py", "*.py"], tmp_path / "app").files
    assert files == ["../shared/lib.py", "main.py"]
