"""Tests of the organisations domain (a package: tests/openbadges also has a test_keys.py)."""
