"""Errors that say what went wrong and what to do; the CLI prints them without a traceback."""


class WatchfloorError(Exception):
    """Base class: the message names the input and the fix."""


class ConfigError(WatchfloorError):
    pass


class ModelNotInstalled(WatchfloorError):
    pass


class ReaderError(WatchfloorError):
    """An input that cannot be read; ingest records it as a reject and goes on."""


class CatalogError(WatchfloorError):
    """A data file (taxonomy, preparedness catalog) that does not validate."""
