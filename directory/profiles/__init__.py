"""Entrepreneurs' profiles: curation, import, export, erasure."""
