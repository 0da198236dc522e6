"""The newsdesk exception hierarchy.

    NewsdeskError
    ├── ConfigError          a setting is missing or unsafe
    ├── InputError           one input record or file cannot be used (carries its origin)
    │   ├── FormatError      the input's format is unknown or not what --format said
    │   └── QueryError       a search query that cannot be searched as asked (field ``q``)
    ├── StoreError           the archive cannot be opened or migrated
    ├── NotFound             an article, tag, entity, thread or source does not exist
    └── FetchError           a URL could not be fetched (reason in the message)
        └── BlockedURL       the URL is refused (private address, robots.txt)

Messages name the input (file, line, field), the bad value and, where one exists, the fix.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    pass


class InputError(NewsdeskError):
    """A record or file that cannot be ingested.  ``str()`` is one line: ``origin: reason``."""

    def __init__(self, reason: str, origin: object | None = None, field: str | None = None):
        self.reason = reason
        self.origin = origin
        self.field = field
        where = f"{origin}: " if origin else ""
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}{what}{reason}")


class InputWarning(InputError):
    """A record stored with a correction the message names (a publication date in the future, dropped)."""


class FormatError(InputError):
    pass


class QueryError(InputError):
    """A search query refused rather than searched loosely (only exclusions, too many words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, field="q")


class StoreError(NewsdeskError):
    pass


class NotFound(NewsdeskError):
    pass


class FetchError(NewsdeskError):
    pass


class BlockedURL(FetchError):
    pass
