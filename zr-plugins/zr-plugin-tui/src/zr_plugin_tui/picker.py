"""The task picker of a bare ``zr`` (and ``zr pick``): type to filter
(fuzzy, over names, aliases and descriptions), arrows to move, Enter to
run, Esc to leave; the selected task's commands and dependencies are shown
below the list."""

from __future__ import annotations

from . import fuzzy
from .terminal import Keys, Screen, env_allows_cursor_moves, fit, size, tty_streams

_REVERSE = "\x1b[7m"
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def choose_on_terminal(config):
    """``zr_choose_targets``: the picker when stdin and stdout are a
    terminal that can move its cursor and the project has visible tasks;
    None (zr's help) otherwise."""
    streams = tty_streams()
    if streams is None or not env_allows_cursor_moves():
        return None
    entries = picker_entries(config)
    if not entries:
        return None
    return Picker(entries, *streams).choose()


class Entry:
    """One task in the list: what is searched and what the preview shows."""

    __slots__ = ("name", "aliases", "description", "commands", "deps")

    def __init__(self, name, aliases, description, commands, deps):
        self.name = name
        self.aliases = aliases
        self.description = description
        self.commands = commands
        self.deps = deps

    def fields(self):
        return ([(self.name, 3)] + [(alias, 2) for alias in self.aliases]
                + [(self.description, 1)])


def picker_entries(config) -> list:
    """Every task ``zr list`` shows, sorted by name, with its aliases."""
    from zr.api import display_command, task_argvs

    aliases: dict = {}
    for alias, target in (getattr(config, "aliases", None) or {}).items():
        aliases.setdefault(target, []).append(alias)
    entries = []
    for name in sorted(config.tasks):
        task = config.tasks[name]
        if task.private:
            continue
        try:
            commands = [display_command(argv) for argv in task_argvs(task, config)]
        except Exception:  # a preview is never worth failing the picker
            commands = [str(c) for c in task.cmds]
        entries.append(Entry(name, sorted(set(aliases.get(name, [])) | set(task.aliases)),
                             task.description or "", commands, task.all_deps))
    return entries


class Picker:
    def __init__(self, entries: list, key_fd: int, out):
        self.entries = entries
        self.keys = Keys(key_fd)
        self.key_fd = key_fd
        self.out = out
        self.query = ""
        self.matches = entries
        self.selected = 0
        self.top = 0

    def choose(self):
        """The chosen task's name as a one-word list; [] for Esc; raises
        KeyboardInterrupt on Ctrl-C (zr exits 130)."""
        try:
            return self._choose()
        finally:
            self.keys.close()

    def _choose(self):
        with Screen(self.key_fd, self.out, own_signals=True) as screen:
            shown = None
            while True:
                now = size(1)
                if shown != now:  # a key was typed or the terminal was resized
                    screen.write(self.render(*now))
                    shown = now
                for key in self.keys.read(0.25):
                    shown = None
                    outcome = self.handle(key)
                    if outcome is not None:
                        if outcome == "interrupt":
                            raise KeyboardInterrupt
                        return outcome

    def handle(self, key: str):
        """Apply one key; the outcome when the picker is done, else None."""
        if key == "enter":
            return [self.matches[self.selected].name] if self.matches else None
        if key in ("esc", "eof"):
            return []
        if key == "ctrl-c":
            return "interrupt"
        if key == "up":
            self.selected = max(0, self.selected - 1)
        elif key == "down":
            self.selected = min(len(self.matches) - 1, self.selected + 1)
        elif key == "pgup":
            self.selected = max(0, self.selected - 10)
        elif key == "pgdn":
            self.selected = min(len(self.matches) - 1, self.selected + 10)
        elif key == "home":
            self.selected = 0
        elif key == "end":
            self.selected = len(self.matches) - 1
        elif key in ("backspace", "ctrl-u", "ctrl-w") or len(key) == 1 and key.isprintable():
            if key == "backspace":
                self.query = self.query[:-1]
            elif key == "ctrl-u":
                self.query = ""
            elif key == "ctrl-w":
                self.query = self.query.rstrip().rpartition(" ")[0]
            else:
                self.query += key
            self.matches = fuzzy.rank(self.query, self.entries, Entry.fields) \
                if self.query else self.entries
            self.selected = 0
        self.selected = max(0, self.selected)
        return None

    def render(self, columns: int, rows: int) -> str:
        width = columns - 1
        preview_rows = min(8, max(3, rows // 3))
        list_rows = max(1, rows - 3 - preview_rows)
        if self.selected < self.top:
            self.top = self.selected
        elif self.selected >= self.top + list_rows:
            self.top = self.selected - list_rows + 1
        name_width = min(28, max((len(e.name) for e in self.entries), default=4))
        lines = [fit(f"> {self.query}", width),
                 _DIM + fit(f"  {len(self.matches)}/{len(self.entries)} tasks · Enter run · "
                            "Esc quit", width) + _RESET]
        for index in range(self.top, min(len(self.matches), self.top + list_rows)):
            entry = self.matches[index]
            aliases = f" ({', '.join(entry.aliases)})" if entry.aliases else ""
            text = fit(f"  {fit(entry.name, name_width)}  {entry.description}{aliases}", width)
            lines.append(_REVERSE + text + _RESET if index == self.selected else text)
        lines += [""] * (2 + list_rows - len(lines))
        lines.append(_DIM + "─" * width + _RESET)
        lines += self._preview(width, preview_rows)
        cursor = f"\x1b[1;{min(columns, len(self.query) + 3)}H"
        return "\x1b[H\x1b[2J" + "\r\n".join(lines[:rows]) + cursor + "\x1b[?25h"

    def _preview(self, width: int, rows: int) -> list:
        if not self.matches:
            return [fit("  no task matches", width)]
        entry = self.matches[self.selected]
        lines = [_BOLD + fit(entry.name + (f": {entry.description}" if entry.description
                                            else ""), width) + _RESET]
        if entry.deps:
            lines.append(fit("deps: " + ", ".join(entry.deps), width))
        for command in entry.commands:
            for line in command.splitlines() or [""]:
                lines.append(fit("$ " + line, width))
        return lines[:rows]
