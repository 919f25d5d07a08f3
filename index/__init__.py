"""Query-time search: the hybrid searcher over the saved index (lexical and FAISS dense), the embedder that
encodes a question, the decision model that re-ranks and decides, and `make index`, `make eval`."""
