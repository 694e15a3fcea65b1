"""What one invocation asked for and what git has answered so far.

Kept apart from :mod:`.repo` (which imports subprocess) so that
``zr_configure``, called by every ``zr list``, only touches this module.
"""

since = None      # the --since REF, if given
toplevels: dict = {}   # directory -> repository root (or the error to raise)
answers: dict = {}     # (root, question) -> answer


def start(since_ref) -> None:
    """Forget cached answers at the start of an invocation."""
    global since
    since = since_ref or None
    toplevels.clear()
    answers.clear()
