"""Forms of the profile space: editing, privacy, curation, import, evidence, contact."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.validators import URL
from wtforms.validators import ValidationError

from directory.profiles import communes
from directory.profiles.editing import MAX_LINKS
from directory.profiles.editing import MAX_SECTORS
from directory.profiles.editing import clean_siret
from directory.profiles.editing import split_list
from directory.profiles.models import OPEN_TO

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public : tout le monde")),
    SelectChoice("partners", _l("Partenaires connectés seulement")),
    SelectChoice("private", _l("Privé : moi seulement")),
]
OPEN_TO_CHOICES = [
    SelectChoice("missions", _l("Missions")),
    SelectChoice("partnerships", _l("Partenariats")),
    SelectChoice("hiring", _l("Recrutement")),
    SelectChoice("mentoring", _l("Mentorat")),
]
assert [choice.value for choice in OPEN_TO_CHOICES] == list(OPEN_TO)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProfileForm(FlaskForm):
    """What the entrepreneur says about themselves."""

    display_name = StringField(_l("Nom affiché"), validators=[DataRequired(), Length(max=200)])
    headline = StringField(_l("Accroche"), validators=[Optional(), Length(max=255)],
                           description=_l("Une phrase : votre métier et ce que vous apportez."))
    bio = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=5000)],
                        description=_l("Markdown simple accepté : **gras**, *italique*, listes, liens."))
    company_name = StringField(_l("Entreprise"), validators=[Optional(), Length(max=255)])
    siret = StringField(_l("SIRET (facultatif)"), validators=[Optional(), Length(max=20)],
                        description=_l("14 chiffres ; montré seulement aux partenaires connectés."))
    commune = StringField(_l("Commune"), validators=[Optional(), Length(max=160)],
                          description=_l("Son nom, par exemple « Arras », ou « Saint-Martin (59) » s'il y en a plusieurs."))
    sectors = StringField(_l("Secteurs d'activité"), validators=[Optional(), Length(max=600)],
                          description=_l("Séparés par des virgules, %(count)s au plus.", count=MAX_SECTORS))
    open_to = CheckboxesField(_l("Ouvert à"), choices=OPEN_TO_CHOICES, validate_choice=True)
    links = TextAreaField(_l("Liens"), validators=[Optional(), Length(max=2500)],
                          description=_l("Une adresse web (https://…) par ligne, %(count)s au plus.", count=MAX_LINKS))
    accepts_contact = BooleanField(_l("Les visiteurs peuvent m'écrire par le formulaire de contact (mon adresse reste masquée)"))
    photo = FileField(_l("Photo (JPEG, PNG ou WebP, 5 Mo au plus)"))
    remove_photo = BooleanField(_l("Retirer la photo"))

    def validate_siret(self, field) -> None:
        try:
            clean_siret(field.data)
        except ValueError as exc:
            raise ValidationError(_l("Ce SIRET n'est pas valide : il faut 14 chiffres qui passent la clé de contrôle.")) from exc

    def validate_commune(self, field) -> None:
        if not (field.data or "").strip():
            return
        found = communes.matching(field.data)
        if not found:
            raise ValidationError(_l("Commune inconnue : vérifiez l'orthographe, ou donnez son code INSEE."))
        if len(found) > 1:
            choices = ", ".join(c.label for c in found[:8])
            raise ValidationError(_l("Plusieurs communes portent ce nom ; précisez le département : %(choices)s.", choices=choices))

    def validate_links(self, field) -> None:
        for link in self.link_list():
            if not link.startswith(("https://", "http://")) or " " in link:
                raise ValidationError(_l("Chaque lien doit être une adresse web commençant par https://."))

    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.links.data or "").splitlines() if line.strip()][:MAX_LINKS]

    def commune_choice(self) -> communes.Commune | None:
        found = communes.matching(self.commune.data or "")
        return found[0] if len(found) == 1 else None

    def fields(self) -> dict:
        """The cleaned values the editing service takes."""
        return {
            "display_name": self.display_name.data, "headline": self.headline.data, "bio": self.bio.data,
            "company_name": self.company_name.data, "siret": clean_siret(self.siret.data),
            "sectors": split_list(self.sectors.data, MAX_SECTORS), "open_to": self.open_to.data or [],
            "links": self.link_list(), "accepts_contact": self.accepts_contact.data,
        }

    def fill(self, profile) -> None:
        """Show the profile's current values."""
        for name in ("display_name", "headline", "bio", "company_name", "siret", "accepts_contact"):
            getattr(self, name).data = getattr(profile, name)
        self.commune.data = f"{profile.commune} ({profile.departement_code})" if profile.commune_code else profile.commune
        self.sectors.data = ", ".join(profile.sectors or [])
        self.open_to.data = list(profile.open_to or [])
        self.links.data = "\n".join(profile.links or [])


class PrivacyForm(FlaskForm):
    """Who sees the profile, and consent to be listed in the directory."""

    visibility = RadioField(_l("Qui voit mon profil"), choices=VISIBILITY_CHOICES, validators=[DataRequired()])
    listing_consent = BooleanField(_l("J'accepte que mon profil figure dans l'annuaire et ses résultats de recherche"))


class AwardCurationForm(FlaskForm):
    """One badge: who sees it, and whether it is featured."""

    visibility = SelectField(_l("Visible par"), choices=VISIBILITY_CHOICES)
    featured = BooleanField(_l("À la une"))


class MoveForm(FlaskForm):
    """Move a badge up or down."""

    direction = HiddenField(validators=[DataRequired()])


class CollectionForm(FlaskForm):
    """Create a named collection."""

    name = StringField(_l("Nom de la collection"), validators=[DataRequired(), Length(max=120)])


class CollectionAwardsForm(FlaskForm):
    """Which badges a collection holds."""

    awards = CheckboxesField(_l("Badges de la collection"), choices=[], validate_choice=False)


class ImportForm(FlaskForm):
    """A badge earned elsewhere: an image, an address, or JSON / JWT text."""

    file = FileField(_l("Image du badge (PNG ou SVG)"))
    url = StringField(_l("Adresse du badge (URL)"), validators=[Optional(), URL(require_tld=False), Length(max=1000)])
    credential = TextAreaField(_l("Badge Open Badges 3.0 en JSON, ou jeton JWT"), validators=[Optional(), Length(max=1_000_000)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.file.data or (self.url.data or "").strip() or (self.credential.data or "").strip()):
            self.file.errors.append(_l("Choisissez une image, ou collez une adresse ou un badge."))
            return False
        return True


class EvidenceForm(FlaskForm):
    """Evidence added to a badge after it was awarded."""

    name = StringField(_l("Titre"), validators=[Optional(), Length(max=255)])
    narrative = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    url = StringField(_l("Lien"), validators=[Optional(), URL(), Length(max=1000)])
    file = FileField(_l("Fichier (PDF, PNG ou JPEG, 5 Mo au plus)"))


class ContactForm(FlaskForm):
    """A visitor writes to the entrepreneur."""

    name = StringField(_l("Votre nom"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("Votre adresse e-mail"), validators=[DataRequired(), Regexp(EMAIL_PATTERN, message=_l("Indiquez une adresse e-mail valide.")), Length(max=320)],
                        description=_l("Elle n'est montrée à la personne que si elle vous répond."))
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(min=10, max=4000)])


class ReplyForm(FlaskForm):
    """The entrepreneur's reply to a relayed message."""

    body = TextAreaField(_l("Votre réponse"), validators=[DataRequired(), Length(max=4000)],
                         description=_l("Votre réponse et votre adresse e-mail seront envoyées à cette personne."))


class EraseForm(FlaskForm):
    """Confirm erasure by typing a word."""

    confirmation = StringField(_l("Pour confirmer, écrivez SUPPRIMER"), validators=[DataRequired()])
