"""Endorsements of badge classes and issuers by partner organisations."""
