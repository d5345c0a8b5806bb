"""Forms of the issuing screens: badge classes, reviews, awards, applications."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import EmailField
from wtforms import IntegerField
from wtforms import MultipleFileField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import Regexp

from directory.accounts.forms import EMAIL_SHAPE
from directory.badges.lifecycle import CONTENT_FIELDS


class BadgeClassForm(FlaskForm):
    """A badge class's content in French (required) and English; competencies are read apart."""

    name_fr = StringField(_l("Nom (français)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Nom (anglais)"), validators=[Optional(), Length(max=255)])
    description_fr = TextAreaField(_l("Description (français)"), validators=[DataRequired(), Length(max=2000)])
    description_en = TextAreaField(_l("Description (anglais)"), validators=[Optional(), Length(max=2000)])
    criteria_fr = TextAreaField(_l("Critères d'obtention (français, Markdown)"), validators=[DataRequired(), Length(max=10000)])
    criteria_en = TextAreaField(_l("Critères d'obtention (anglais, Markdown)"), validators=[Optional(), Length(max=10000)])
    tags = StringField(_l("Mots-clés, séparés par des virgules"), validators=[Optional(), Length(max=500)])
    expiry_months = IntegerField(
        _l("Durée de validité en mois (vide : sans expiration)"), validators=[Optional(), NumberRange(min=1, max=240)]
    )
    image = FileField(_l("Image du badge (PNG ou SVG, 2 Mo au plus)"))
    competency_query = StringField(_l("Rechercher une compétence (ESCO ou référentiel importé)"), validators=[Optional()])

    def content(self) -> dict:
        """The values of the content fields, tags split."""
        values = {name: getattr(self, name).data for name in CONTENT_FIELDS}
        values["tags"] = [tag for tag in (self.tags.data or "").split(",")]
        return values

    def fill(self, badge_class) -> None:
        """Show a class's current content."""
        for name in CONTENT_FIELDS:
            getattr(self, name).data = getattr(badge_class, name)
        self.tags.data = ", ".join(badge_class.tags or [])


class ReviewForm(FlaskForm):
    """A committee member's or a partner's word on a badge class in review."""

    decision = RadioField(
        _l("Votre avis"),
        choices=[
            SelectChoice("comment", _l("Commenter")),
            SelectChoice("approve", _l("Approuver")),
            SelectChoice("request_changes", _l("Demander des modifications")),
        ],
        default="comment",
        validators=[DataRequired()],
    )
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=4000)])


class PartnerForm(FlaskForm):
    """Invite a partner organisation on a badge class."""

    organisation_id = SelectField(_l("Organisation partenaire"), coerce=int, validators=[DataRequired()])
    role = SelectField(
        _l("Rôle"),
        choices=[SelectChoice("co_builder", _l("Co-construit et relit")), SelectChoice("assessor", _l("Relit et évalue les candidatures"))],
    )


class ReasonForm(FlaskForm):
    """A destructive action's confirmation, with the reason it needs."""

    reason = TextAreaField(_l("Motif (publié dans la liste de révocation)"), validators=[DataRequired(), Length(max=1000)])


class DirectAwardForm(FlaskForm):
    """Award a published class to one person."""

    badge_class = SelectField(_l("Badge"), validators=[DataRequired()])
    email = EmailField(_l("Adresse e-mail du titulaire"), validators=[DataRequired(), Regexp(EMAIL_SHAPE, message=_l("Adresse e-mail invalide.")), Length(max=320)])
    name = StringField(_l("Nom du titulaire"), validators=[DataRequired(), Length(max=200)])
    evidence_url = URLField(_l("Lien vers une preuve (facultatif)"), validators=[Optional(), URL(), Length(max=1000)])
    issued_on = DateField(_l("Date d'attribution (vide : aujourd'hui)"), validators=[Optional()])
    narrative = TextAreaField(_l("Comment le badge a été obtenu (public, facultatif)"), validators=[Optional(), Length(max=2000)])


class BulkUploadForm(FlaskForm):
    """A CSV of awards to preview."""

    file = FileField(_l("Fichier CSV"), validators=[DataRequired()])


class ApplicationForm(FlaskForm):
    """An entrepreneur's application and its evidence."""

    narrative = TextAreaField(
        _l("Racontez ce que vous avez fait qui répond aux critères"), validators=[Optional(), Length(max=10000)]
    )
    links = TextAreaField(_l("Liens vers vos preuves (un par ligne)"), validators=[Optional(), Length(max=10000)])
    email = EmailField(_l("Adresse e-mail à laquelle le badge sera attribué"), validators=[Optional(), Regexp(EMAIL_SHAPE, message=_l("Adresse e-mail invalide.")), Length(max=320)])
    files = MultipleFileField(_l("Fichiers (PDF, PNG ou JPEG, 5 Mo au plus chacun, 5 fichiers au plus)"))


class DecisionForm(FlaskForm):
    """A reviewer's decision on an application."""

    decision = RadioField(
        _l("Décision"),
        choices=[
            SelectChoice("approve", _l("Approuver et attribuer le badge")),
            SelectChoice("return", _l("Renvoyer pour complément")),
            SelectChoice("refuse", _l("Refuser")),
        ],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Message à la personne (obligatoire pour un renvoi ou un refus)"), validators=[Optional(), Length(max=4000)]
    )
