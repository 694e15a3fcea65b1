"""zr plugin: a remote task cache in Google Cloud Storage."""
