"""The ``notify`` plugin: ``[notify]`` webhooks and desktop notifications.

Nothing is imported unless the project has a ``[notify]`` table; the work
is in :mod:`.dispatch`.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_config_sections(registry):
    from .schema import NOTIFY

    registry.section("notify", NOTIFY, help="Webhooks ([[notify.webhooks]]: url_env, "
                     "format, on, timeout, retries) and desktop = true, sent when a run ends.")


@hookimpl
def zr_run_finish(run, summary):
    settings = run.config.doc.get("notify")
    if not settings:
        return
    from .dispatch import notify

    notify(settings, run, summary)
