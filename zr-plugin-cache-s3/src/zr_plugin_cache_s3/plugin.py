"""The ``cache-s3`` plugin: ``[cache.remote] type = "s3"``, a declaration (see
:mod:`zr_plugin_cache.object_store.spec`); boto3 loads only in :mod:`.backend`."""

from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "s3", backend="zr_plugin_cache_s3.backend:S3Backend",
    settings=("region", "endpoint_url", "profile", "addressing_style"),
    credentials_help=("Give S3 credentials the way AWS tools take them: AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY in the environment, a profile (profile = \"name\" "
                      "or AWS_PROFILE), or the machine's instance role."))

zr_cache_backends = SPEC.backends_hook()
