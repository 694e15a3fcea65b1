"""The ``cache-gcs`` plugin: ``[cache.remote] type = "gcs"``, a declaration (see
:mod:`zr_plugin_cache.object_store.spec`); google-cloud-storage loads only in :mod:`.backend`."""

from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "gcs", backend="zr_plugin_cache_gcs.backend:GcsBackend",
    settings=("project", "endpoint_url"),
    credentials_help=("Give Google Cloud credentials as Google tools take them: application "
                      "default credentials (`gcloud auth application-default login`, "
                      "GOOGLE_APPLICATION_CREDENTIALS naming a key file, or the machine's "
                      "service account)."))

zr_cache_backends = SPEC.backends_hook()
