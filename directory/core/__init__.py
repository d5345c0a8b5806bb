"""Plumbing shared by two or more domains."""
