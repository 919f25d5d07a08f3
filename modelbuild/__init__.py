"""Build-time only: the offline embedding model (multilingual-e5-small, 4-bit-derived) and its int8 ONNX
encoder, made from PyPI packages (`make model`). The query path (index/) never imports this package."""
