"""Sign-in pages."""

from flask import Blueprint
from flask import render_template

from directory.extensions import login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    from directory.accounts.models import User
    from directory.extensions import db

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.get("/connexion")
def login():
    return render_template("accounts/login.html", providers=[])
