"""Badge classes, competencies, applications and review, awards, revocation, hosted OB endpoints."""
