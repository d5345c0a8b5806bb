"""Deterministic French demo data."""
