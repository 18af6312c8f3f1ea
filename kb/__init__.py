"""SECON best-practice knowledge base: load, validate, index and search social-economy practice entries."""

__version__ = "0.1.0"
