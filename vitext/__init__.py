"""Vietnamese text, one module a task, shared by the catalog, the search index and the bot.

- ``normalize``: NFC, control characters out, whitespace collapsed; ``fold`` (no diacritics, lower
  case), ``words``, ``has_diacritics``, ``clean_field``. Standard library only.
- ``segment``: word spans with exact offsets into the citizen's text (underthesea), for Rasa's tokenizer.
- ``tokens``: the lexical index's terms (folded syllables and compound words).
- ``restore``: diacritics put back on a question typed without them (a syllable trigram model).
- ``frames``: the question frame ("mất bao lâu", "cần giấy tờ gì") stripped from a question
  (``question_frames.yml``).

Both Python environments import it: it needs nothing beyond the standard library, ``common``,
underthesea and PyYAML (``tests/test_import_graph.py`` checks).
"""
