"""specc: a compiler for architecture documents."""

__version__ = "0.1.0"
