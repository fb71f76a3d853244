"""The progress callback every long-running step accepts (ingest, index builds, embedding, jobs)."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: ``stage`` names the step (``"embed"``, ``"tokenize"``, a file name …);
``done`` and ``total`` count its units (files, texts, pages); ``total`` 0 means not yet known."""
