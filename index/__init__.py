"""Semantic search index: the offline embedding model, embedder and FAISS index."""
