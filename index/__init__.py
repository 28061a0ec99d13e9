"""Postings on disk become a Chroma index: load, extract, chunk, embed, store."""
