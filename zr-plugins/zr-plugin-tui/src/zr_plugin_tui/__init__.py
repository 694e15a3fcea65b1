"""zr in a terminal: a live progress block below the streamed output, a task
picker for a bare ``zr``, ``zr live`` (a pane per task) and ``zr
interactive-run`` (pause, resume, cancel, retry). Plain ANSI and termios:
nothing is imported unless a terminal view is shown."""
