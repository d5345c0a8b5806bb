"""JSON-LD context files shipped as package data (see loader.py)."""
