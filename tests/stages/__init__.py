"""Unit tests of single modules of the search package and the query language's neighbours, each pinning behaviour
the wider tests reach only indirectly (written against the survivors of `make mutation`). They share the small
on-disk collection of tests/search_corpus.py."""
