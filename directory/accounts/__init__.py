"""Users, their OpenID Connect identities, sessions and roles."""
