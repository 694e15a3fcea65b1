"""zr plugin: a remote task cache in Azure Blob Storage."""
