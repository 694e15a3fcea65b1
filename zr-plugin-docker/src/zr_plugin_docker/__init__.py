"""zr-plugin-docker: image tasks (``docker = { build = {...} }``) and container
tasks (``container = "image:tag"``), driven through the Docker CLI so that
``DOCKER_HOST``, contexts and BuildKit behave exactly as they do for ``docker``."""
