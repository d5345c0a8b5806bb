"""Forms about organisations: a partner asking to register theirs."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import URLField
from wtforms.validators import URL
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

# Partners register themselves; issuers are set up by the platform's team.
PARTNER_KINDS = ("local_authority", "insurer", "business_network", "public_employment_service", "association", "company")


class RegistrationForm(FlaskForm):
    """What an administrator needs to verify a new partner organisation."""

    name = StringField(_l("Nom de l'organisation"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(_l("Type d'organisation"), choices=[], validators=[DataRequired()])
    website_url = URLField(_l("Site web"), validators=[Optional(), URL(), Length(max=500)])
    description_fr = TextAreaField(_l("Présentation (en français)"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, kind_labels: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = kind_labels or {}
        self.kind.choices = [(kind, labels.get(kind, kind)) for kind in PARTNER_KINDS]

    def organisation_fields(self) -> dict:
        """The values to create the organisation with."""
        return {
            "name": self.name.data.strip(),
            "kind": self.kind.data,
            "website_url": self.website_url.data or None,
            "description_fr": (self.description_fr.data or "").strip(),
        }
