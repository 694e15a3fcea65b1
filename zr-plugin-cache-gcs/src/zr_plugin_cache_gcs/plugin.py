"""The ``cache-gcs`` plugin: ``[cache.remote] type = "gcs"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
google-cloud-storage is imported only when a run actually talks to the
bucket (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

CREDENTIALS = ("Give Google Cloud credentials as Google tools take them: application default "
               "credentials (`gcloud auth application-default login`, "
               "GOOGLE_APPLICATION_CREDENTIALS naming a key file, or the machine's service "
               "account).")


@hookimpl
def zr_cache_backends(register):
    from .backend import GcsBackend

    register("gcs", GcsBackend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.secret_settings import plaintext_secrets

    return plaintext_secrets(config, "gcs", CREDENTIALS)
