"""Forms of the endorsement screens: endorse (or accept, or edit), give a reason, ask a partner."""

from datetime import UTC
from datetime import datetime
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from directory.endorsements.services import COMMENT_MAX


class EndorseForm(FlaskForm):
    """The endorser's words and an optional end of validity."""

    comment = TextAreaField(
        _l("Pourquoi votre organisation reconnaît-elle ce badge ? (Markdown, publié)"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
    )
    valid_until = DateField(_l("Valable jusqu'au (facultatif)"), validators=[Optional()])

    def valid_until_moment(self) -> datetime | None:
        """The chosen day's end, in UTC (a day is what people pick; the last second keeps it whole)."""
        day = self.valid_until.data
        return datetime.combine(day, time(23, 59, 59), tzinfo=UTC) if day else None

    def fill(self, endorsement) -> None:
        """Show an endorsement's current words."""
        self.comment.data = endorsement.comment
        self.valid_until.data = endorsement.valid_until.date() if endorsement.valid_until else None


class WithdrawForm(FlaskForm):
    """Withdrawing needs a reason; it stays in the audit log."""

    reason = TextAreaField(_l("Motif du retrait"), validators=[DataRequired(), Length(max=1000)])


class HideForm(FlaskForm):
    """Declining to display an endorsement needs a reason, shown to the endorser."""

    reason = TextAreaField(_l("Motif (communiqué à l'organisation qui reconnaît)"), validators=[DataRequired(), Length(max=1000)])


class DeclineForm(FlaskForm):
    """Declining a request, with an optional word for the issuer."""

    reason = TextAreaField(_l("Un mot pour l'émetteur (facultatif)"), validators=[Optional(), Length(max=1000)])


class RequestForm(FlaskForm):
    """An issuer asks a partner organisation to endorse one of its badge classes, or itself."""

    target = SelectField(_l("Ce que vous souhaitez faire reconnaître"), validators=[DataRequired()])
    partner = SelectField(_l("Organisation partenaire"), coerce=int, validators=[DataRequired()])
    message = TextAreaField(_l("Votre message (facultatif)"), validators=[Optional(), Length(max=1000)])
