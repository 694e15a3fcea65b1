"""zr plugin: a remote task cache in Amazon S3 or an S3-compatible store."""
