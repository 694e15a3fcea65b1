"""Cache entries as objects in an S3 bucket, through boto3.

Settings (``[cache.remote]``): ``bucket`` (required), ``prefix``,
``region``, ``endpoint_url`` (MinIO, R2 and other S3-compatible stores;
path-style addressing then, unless ``addressing_style = "virtual"``) and
``profile``. Credentials come from boto3's default chain: environment,
``AWS_PROFILE``/``profile``, ``~/.aws``, the instance role.

Every request is one attempt bounded by the remote's ``timeout``. Entries
above :data:`~zr_plugin_cache.object_store.backend.PART_SIZE` go up as a
multipart upload, which S3 makes visible only when it is completed: an
upload cut off halfway leaves no entry (only parts, which a bucket
lifecycle rule ``AbortIncompleteMultipartUpload`` cleans up).
"""

from __future__ import annotations

from zr_plugin_cache.object_store.backend import PART_SIZE, Found, ObjectStoreBackend
from zr_plugin_cache.remote import string_setting

from .plugin import SPEC

CHUNK = 1 << 20
# Codes S3 (and MinIO, R2) answer when the credentials themselves are wrong.
REFUSED_CREDENTIALS = frozenset({
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken",
    "TokenRefreshRequired", "InvalidClientTokenId"})


class S3Backend(ObjectStoreBackend):
    spec = SPEC

    def __init__(self, settings: dict, project_root=None):
        super().__init__(settings, project_root)
        self.region = string_setting(settings, "region") or None
        self.endpoint_url = string_setting(settings, "endpoint_url") or None
        self.profile = string_setting(settings, "profile") or None
        self.addressing_style = string_setting(settings, "addressing_style") or (
            "path" if self.endpoint_url else "auto")

    def location(self) -> str:
        if self.endpoint_url:
            return f" at {self.endpoint_url}"
        return f" in {self.region}" if self.region else ""

    def connect(self):
        import boto3
        from botocore.config import Config

        config = Config(connect_timeout=self.timeout, read_timeout=self.timeout,
                        retries={"max_attempts": 1, "mode": "standard"},
                        s3={"addressing_style": self.addressing_style})
        session = boto3.session.Session(profile_name=self.profile)
        return session.client("s3", region_name=self.region, endpoint_url=self.endpoint_url,
                              config=config)

    def open(self, name: str):
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.container, Key=name)
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404"):
                return None
            raise
        body = response["Body"]
        return Found(body.iter_chunks(CHUNK), response["ContentLength"], response.get("Metadata"))

    def upload(self, name: str, path: str, metadata: dict) -> None:
        from boto3.s3.transfer import TransferConfig

        # Parts go one at a time, in this (the cache plugin's upload) thread:
        # s3transfer's worker threads would be joined at interpreter exit,
        # so an upload the cache plugin gives up on would still hold zr open.
        transfer = TransferConfig(multipart_threshold=PART_SIZE, multipart_chunksize=PART_SIZE,
                                  use_threads=False)
        self.client.upload_file(path, self.container, name, Config=transfer, ExtraArgs={
            "Metadata": metadata, "ContentType": "application/octet-stream"})

    def remove(self, name: str) -> None:
        self.client.delete_object(Bucket=self.container, Key=name)

    def explain(self, error: Exception):
        from boto3.exceptions import S3UploadFailedError
        from botocore import exceptions as aws

        if isinstance(error, S3UploadFailedError):
            error = error.__cause__ or error.__context__ or error  # the ClientError inside
        if isinstance(error, aws.ClientError):
            return self._explain_answer(error)
        if isinstance(error, aws.NoCredentialsError):
            return ("no AWS credentials found (looked in AWS_ACCESS_KEY_ID/"
                    "AWS_SECRET_ACCESS_KEY, the profile, ~/.aws and the instance role)")
        if isinstance(error, aws.ProfileNotFound):
            return f"the AWS profile '{self.profile or 'from AWS_PROFILE'}' does not exist"
        if isinstance(error, aws.EndpointConnectionError):
            return f"cannot connect to {self.endpoint_url or error.kwargs.get('endpoint_url')}"
        if isinstance(error, (aws.ConnectTimeoutError, aws.ReadTimeoutError)):
            return f"no answer within {self.timeout:g}s"
        if isinstance(error, aws.ConnectionClosedError):
            return "the connection was closed before the request completed"
        return None

    def _explain_answer(self, error) -> str:
        code = _code(error)
        message = error.response.get("Error", {}).get("Message") or ""
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "NoSuchBucket" or (code == "404" and error.operation_name == "HeadBucket"):
            return f"bucket '{self.container}' does not exist{self.location()}"
        if code in REFUSED_CREDENTIALS:
            return f"the AWS credentials were refused ({code}: {message})"
        if code in ("AccessDenied", "AllAccessDisabled", "403") or status == 403:
            return (f"access denied to bucket '{self.container}' ({code}: {message}); the "
                    f"credentials need s3:GetObject, s3:PutObject (and s3:DeleteObject, to "
                    f"remove bad entries and for zr cache remote check)")
        if code in ("PermanentRedirect", "301", "AuthorizationHeaderMalformed"):
            return (f"bucket '{self.container}' is in another region than "
                    f"'{self.region or 'the default'}'; set region in [cache.remote]")
        return f"{error.operation_name} answered {code or status}: {message}".rstrip(": ")


def _code(error) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
