"""Errors an ingest reports per file, with a reason an administrator can act on."""


class IngestError(Exception):
    """A file could not be ingested; ``str(err)`` is the reason shown in the summary."""


class SkippedFile(Exception):
    """A file that is deliberately not a document (README.md, MANIFEST.md, _index.md …)."""
