"""Bulk awards from a CSV (e-mail, name, badge class, evidence URL, date). Flush, never commit.

The whole file is checked before anything is written (``plan_bulk_award``); ``apply_plan``
then writes every award in the caller's one transaction, so a failure leaves nothing behind.
On the web, the uploaded file waits in a ``BulkAwardJob`` between the preview and the confirmation.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from directory.accounts.models import User
from directory.badges.awarding import Issued
from directory.badges.awarding import award_badge
from directory.badges.awarding import check_email
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.labels import error_message
from directory.badges.models import BulkAwardJob
from directory.badges.services import IssuingError
from directory.badges.services import command_language
from directory.core.audit import record
from directory.core.jobs import JobError
from directory.core.jobs import reported
from directory.core.db import utcnow
from directory.core.progress import progress_bar
from directory.extensions import db
from directory.organisations.models import Organisation

HEADERS = {
    "email": ("email", "e-mail", "courriel", "adresse e-mail", "mail"),
    "name": ("name", "nom", "nom complet", "prénom nom"),
    "badge": ("badge", "badge class", "badge_class", "classe de badge"),
    "evidence_url": ("evidence url", "evidence_url", "evidence", "preuve", "url de preuve", "lien de preuve"),
    "date": ("date", "issued on", "issued_on", "date d'attribution"),
}
MAX_LINES = 10_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class Line:
    """One line of the file, checked."""

    number: int
    email: str
    name: str
    badge: str
    evidence_url: str
    date: str
    badge_class: BadgeClass | None = None
    issued_on: datetime | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What a file would award, or why it cannot."""

    lines: list[Line] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.lines) and not any(line.errors for line in self.lines)

    @property
    def bad_lines(self) -> list[Line]:
        return [line for line in self.lines if line.errors]


def decode(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def plan_bulk_award(text: str, issuer: Organisation | None, now: datetime | None = None) -> Plan:
    """Read and check every line; ``issuer`` limits the classes to one issuer's (None: any)."""
    plan = Plan()
    with command_language():
        rows, plan.file_errors = _rows(text)
        if plan.file_errors:
            return plan
        plan.lines = [Line(number, **row) for number, row in rows]
        classes = _classes({line.badge for line in plan.lines}, issuer)
        for line in plan.lines:
            _check(line, classes, now or utcnow())
        _check_duplicates(plan.lines)
    return plan


def apply_plan(plan: Plan, actor: User | None, progress: Callable | None = None) -> list[Issued]:
    """Award every line of a checked plan; refuses a plan with any error."""
    if not plan.ok:
        raise IssuingError("invalid_file")
    issued = []
    with progress_bar(progress, plan.lines, "Attributions") as lines:
        for line in lines:
            issued.append(
                award_badge(line.badge_class, line.email, line.name, actor,
                            issued_on=line.issued_on, evidence_url=line.evidence_url or None)
            )
    db.session.flush()
    return issued


# --------------------------------------------------------------------- reading


def _rows(text: str) -> tuple[list[tuple[int, dict]], list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    columns = _columns(header or [])
    if columns is None:
        return [], [str(_l("La première ligne doit nommer les colonnes : email, nom, badge, preuve, date."))]
    rows = [(reader.line_num, _row(cells, columns)) for cells in reader if any(c.strip() for c in cells)]
    if not rows:
        return [], [str(_l("Le fichier ne contient aucune ligne à attribuer."))]
    if len(rows) > MAX_LINES:
        return [], [str(_l("Le fichier dépasse %(max)s lignes : découpez-le.", max=MAX_LINES))]
    return rows, []


def _columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    columns = {key: next((i for i, n in enumerate(names) if n in aliases), None) for key, aliases in HEADERS.items()}
    if columns["email"] is None or columns["badge"] is None:
        return None
    return columns


def _row(cells: list[str], columns: dict[str, int | None]) -> dict:
    def cell(key: str) -> str:
        index = columns[key]
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return {key: cell(key) for key in HEADERS}


def _classes(references: set[str], issuer: Organisation | None) -> dict[str, BadgeClass]:
    """The classes the file names, by slug or uuid (one query)."""
    query = select(BadgeClass).where(or_(BadgeClass.slug.in_(references), BadgeClass.uuid.in_(references)))
    if issuer is not None:
        query = query.where(BadgeClass.issuer_id == issuer.id)
    found = db.session.scalars(query).all()
    return {**{c.slug: c for c in found}, **{c.uuid: c for c in found}}


# --------------------------------------------------------------------- checking


def _check(line: Line, classes: dict[str, BadgeClass], now: datetime) -> None:
    try:
        line.email = check_email(line.email)
    except IssuingError:
        line.errors.append(str(_l("adresse e-mail invalide")))
    line.badge_class = classes.get(line.badge)
    if line.badge_class is None:
        line.errors.append(str(_l("badge inconnu : %(badge)s", badge=line.badge or "—")))
    elif line.badge_class.state != "published":
        line.errors.append(str(_l("ce badge n'est pas publié")))
    if line.evidence_url and not line.evidence_url.startswith(("https://", "http://")):
        line.errors.append(str(_l("le lien de preuve doit commencer par https://")))
    line.issued_on = _date(line, now)


def _date(line: Line, now: datetime) -> datetime | None:
    if not line.date:
        return now
    for pattern in DATE_FORMATS:
        try:
            moment = datetime.strptime(line.date, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        if moment > now:
            line.errors.append(str(_l("la date est dans le futur")))
        return moment
    line.errors.append(str(_l("date illisible (AAAA-MM-JJ ou JJ/MM/AAAA)")))
    return None


def _check_duplicates(lines: list[Line]) -> None:
    """The same badge twice for one address, in the file or already held, is an error."""
    seen: set[tuple[str, int]] = set()
    held = _held({line.badge_class.id for line in lines if line.badge_class}, {line.email for line in lines})
    for line in lines:
        if line.badge_class is None:
            continue
        key = (line.email, line.badge_class.id)
        if key in seen:
            line.errors.append(str(_l("ligne en double")))
        elif key in held:
            line.errors.append(str(_l("cette personne a déjà ce badge")))
        seen.add(key)


def _held(class_ids: set[int], emails: set[str]) -> set[tuple[str, int]]:
    query = select(Award.recipient_email, Award.badge_class_id).where(
        Award.badge_class_id.in_(class_ids), Award.recipient_email.in_(emails), Award.revoked_at.is_(None)
    )
    return {(email.lower(), class_id) for email, class_id in db.session.execute(query)}


# --------------------------------------------------------------------- web jobs


def create_job(organisation: Organisation, actor: User, filename: str, text: str) -> BulkAwardJob:
    """Keep an uploaded file until its preview is confirmed."""
    plan = plan_bulk_award(text, organisation)
    job = BulkAwardJob(
        organisation_id=organisation.id,
        created_by_id=actor.id,
        filename=(filename or "")[:255],
        content=text,
        line_count=len(plan.lines),
    )
    db.session.add(job)
    db.session.flush()
    return job


def run_job(job_id: int, actor_id: int) -> dict:
    """The background job behind a confirmed upload: award every line in one transaction, then e-mail.

    A crash before the commit leaves nothing written and the upload still waiting for
    confirmation, so the issuer can confirm it again; a second confirmation of an applied file
    is refused.
    """
    from directory.badges.notifications import notify_all

    job = db.session.get(BulkAwardJob, job_id)
    actor = db.session.get(User, actor_id)
    if job is None or actor is None:
        raise JobError("Ce fichier n'existe plus.")
    organisation = db.session.get(Organisation, job.organisation_id)
    with command_language():
        try:
            issued = apply_job(job, organisation, actor, progress=reported)
        except IssuingError as error:
            raise JobError(error_message(error)) from error
        db.session.commit()
        notify_all(issued)
    return {"count": len(issued)}


def apply_job(job: BulkAwardJob, organisation: Organisation, actor: User, progress: Callable | None = None) -> list[Issued]:
    """Check the file again and award it, once: a second confirmation finds the job applied."""
    taken = db.session.execute(
        update(BulkAwardJob)
        .where(BulkAwardJob.id == job.id, BulkAwardJob.state == "preview")
        .values(state="applied", applied_at=utcnow())
    ).rowcount
    if taken != 1:
        raise IssuingError("already_applied")
    issued = apply_plan(plan_bulk_award(job.content, organisation), actor, progress)
    db.session.refresh(job)
    # The addresses now live in the awards; the uploaded copy is no longer needed.
    job.content, job.award_count = "", len(issued)
    record("award.bulk", job, actor, count=len(issued))
    db.session.flush()
    return issued
