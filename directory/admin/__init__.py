"""Moderation and approval screens; they call the other domains' services."""
