"""One error hierarchy.  Every message says what went wrong and how to fix it."""


class MarsadError(Exception):
    """Base class of every error marsad raises on purpose."""


class InputError(MarsadError):
    """An input file or record cannot be read or is not an article (lands in the rejects ledger)."""


class ConfigError(MarsadError):
    """Bad options or arguments."""


class StoreError(MarsadError):
    """The DuckDB store cannot be opened or written."""


class ModelError(MarsadError):
    """A bundled model or resource is missing or broken."""


class SetupError(MarsadError):
    """A package or model that a run needs cannot be loaded (raised before any input is read)."""
