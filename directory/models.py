"""Every model, imported in one place so the metadata (and Alembic) sees the whole schema."""


def register_models() -> None:
    """Import each domain's models; calling it twice is harmless."""
    import directory.accounts.models  # noqa: F401
    import directory.badges.models  # noqa: F401
    import directory.core.models  # noqa: F401
    import directory.endorsements.models  # noqa: F401
    import directory.organisations.models  # noqa: F401
    import directory.profiles.models  # noqa: F401
    import directory.search.models  # noqa: F401
