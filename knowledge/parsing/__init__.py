"""Parsers for the run-together table text that portal crawls produce.

Each parser is pure (str in, schema models out) and source-agnostic, so any importer whose
source flattened the national portal's tables the same way can reuse it. Unparseable input
gives an empty result: a missing fact is better than an invented one.
"""
