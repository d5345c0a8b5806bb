"""The application as production builds it, with rate limits off: the load comes from one address.

The limits themselves are tested in tests/hostile/test_rate_limits.py; here they would only turn
the 20-per-minute verification limit into 429s for the load generator.
"""

from directory import create_app

app = create_app({"RATELIMIT_ENABLED": False})
