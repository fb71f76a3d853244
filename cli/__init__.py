"""The ``e-assistant`` command line (top of the import graph)."""
