"""SECON best-practice knowledge base: load, validate, index and search social-economy practice entries."""

import warnings

__version__ = "0.1.0"

# Whoosh 2.7.4 (unmaintained) has regex literals with invalid escapes and `x is 0` comparisons, which Python
# reports when it first compiles those modules. Narrow: only these messages, only from whoosh's own files.
warnings.filterwarnings(
    "ignore", message="invalid escape sequence", category=SyntaxWarning, module=r".*whoosh"
)
warnings.filterwarnings(
    "ignore", message="invalid escape sequence", category=DeprecationWarning, module=r".*whoosh"
)
warnings.filterwarnings("ignore", message='"is" with a literal', category=SyntaxWarning, module=r".*whoosh")
