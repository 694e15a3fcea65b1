"""zr's plugin manager: the ``zr plugin`` commands and ``[plugins]`` in zr.toml.

- ``zr plugin install|remove|update`` change the environment zr itself runs
  from, and prove afterwards that the plugin loads (or roll back);
- ``zr plugin info|list`` say what is installed, from where, adding what;
- ``zr plugin search`` reads a plugin registry index (a static JSON file,
  format in docs/plugins.md);
- ``zr plugin create`` scaffolds a ready-to-publish plugin distribution;
- ``[plugins] required`` makes a project say which plugins it needs.
"""

__version__ = "0.1.0"
