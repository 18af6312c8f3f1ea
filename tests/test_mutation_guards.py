"""Small, fast checks of single functions of the search package, written to pin behaviour the wider tests reach
only indirectly (found by mutation testing: `make mutation`)."""

from __future__ import annotations
