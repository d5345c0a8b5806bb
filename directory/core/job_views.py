"""Following a background job: a page for the person who started it, and its JSON for the page's script.

Bulk awards, bulk revocations and re-verifications send the user here once enqueued. The page
works without JavaScript (a link reloads it); `static/js/job.js` polls the JSON and moves the
progress bar, then reloads the page once the job is over, so the outcome is always rendered by
the server. Only the user who started a job can see it: anyone else gets a 404, as if it did
not exist.
"""

from flask import Response
from flask import abort
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required

from directory.core import openapi
from directory.core.api import bp as api
from directory.core.jobs import JOB_ID
from directory.core.jobs import JobsUnavailable
from directory.core.jobs import enqueue
from directory.core.jobs import job_status
from directory.core.views import bp

TITLES = {
    "bulk_award": _l("Attribution de badges par fichier"),
    "bulk_revoke": _l("Révocation de badges"),
    "reverify": _l("Nouvelle vérification de vos badges importés"),
    "reindex": _l("Mise à jour de l'annuaire"),
    "task": _l("Tâche en cours"),
}
# What a finished job did, from the count in its result.
DONE = {
    "bulk_award": lambda n: ngettext("%(num)d badge attribué.", "%(num)d badges attribués.", n),
    "bulk_revoke": lambda n: ngettext("%(num)d badge révoqué.", "%(num)d badges révoqués.", n),
    "reverify": lambda n: ngettext("%(num)d badge vérifié à nouveau.", "%(num)d badges vérifiés à nouveau.", n),
    "reindex": lambda n: ngettext("%(num)d profil mis à jour.", "%(num)d profils mis à jour.", n),
}
STATUS_LABELS = {
    "queued": _l("En attente de démarrage"),
    "started": _l("En cours"),
    "finished": _l("Terminé"),
    "failed": _l("Échec"),
}


def start_job(func_path: str, *args, kind: str, back: str) -> Response:
    """Enqueue a job for the signed-in user and send them to its page; if the queue is down, say so."""
    try:
        job_id = enqueue(func_path, *args, user_id=current_user.id, kind=kind, back=back)
    except JobsUnavailable:
        flash(_l("Le service des tâches est momentanément indisponible : rien n'a été fait. "
                 "Réessayez dans quelques minutes."), "error")  # fmt: skip
        return redirect(back)
    return redirect(url_for("core.job", job_id=job_id))


def _own_job(job_id: str) -> dict | None:
    """The job if the signed-in user started it; None otherwise (or for a malformed id)."""
    if not JOB_ID.fullmatch(job_id):
        return None
    return job_status(job_id, user_id=current_user.id)


def done_message(job: dict) -> str | None:
    """The sentence for a finished job, or None when its kind has none."""
    result = job.get("result")
    if job.get("kind") not in DONE or not isinstance(result, dict) or "count" not in result:
        return None
    return DONE[job["kind"]](int(result["count"]))


def _found_or_abort(job_id: str) -> dict:
    try:
        found = _own_job(job_id)
    except JobsUnavailable:
        abort(503, description="The job queue cannot be reached; try again shortly.")
    if found is None:
        abort(404, description="No job of yours has this id.")
    return found


@bp.get("/taches/<job_id>")
@login_required
def job(job_id: str):
    found = _found_or_abort(job_id)
    return render_template(
        "core/job.html", job=found, title=TITLES.get(found.get("kind"), TITLES["task"]),
        status_label=STATUS_LABELS[found["status"]], done=done_message(found),
        poll_url=url_for("api.job", job_id=job_id),
    )  # fmt: skip


@api.get("/jobs/<job_id>", endpoint="job")
def job_api(job_id: str):
    if not current_user.is_authenticated:
        abort(401, description="Sign in to follow your jobs.")
    found = _found_or_abort(job_id)
    return jsonify({key: found[key] for key in ("id", "status", "progress", "error")})


openapi.add_path("/jobs/{job_id}", {"get": {
    "summary": "Progress of a background job you started (bulk award, bulk revocation, re-verification)",
    "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}],
    "responses": {
        "200": {"description": "The job's state", "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["queued", "started", "finished", "failed"]},
                "progress": {"type": "object", "properties": {
                    "done": {"type": "integer"}, "total": {"type": "integer", "nullable": True}, "message": {"type": "string"},
                }},
                "error": {"type": "string", "nullable": True, "description": "Why it failed, for the user"},
            },
        }}}},
        **openapi.errors(401, 404, 503),
    },
}})  # fmt: skip
