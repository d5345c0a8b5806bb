"""Forms of the sign-in pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Regexp

# A loose shape check: the link itself proves the address works.
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class EmailLinkForm(FlaskForm):
    """Ask for a one-time sign-in link."""

    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(), Length(max=320), Regexp(EMAIL_SHAPE)],
    )


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (decisions, sign-out, link confirmation)."""
