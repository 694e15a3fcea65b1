"""The ``cache-gcs`` plugin: ``[cache.remote] type = "gcs"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
the backend, and google-cloud-storage with it, is imported only when a run
actually uses the bucket (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl
from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "gcs",
    settings=("project", "endpoint_url"),
    credentials_help=("Give Google Cloud credentials as Google tools take them: application "
                      "default credentials (`gcloud auth application-default login`, "
                      "GOOGLE_APPLICATION_CREDENTIALS naming a key file, or the machine's "
                      "service account)."))


@hookimpl
def zr_cache_backends(register):
    from .backend import GcsBackend

    register(SPEC.kind, GcsBackend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache.object_store.validation import remote_problems

    return remote_problems(config, SPEC)
