from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "TODO"


@bp.route("/register", methods=["GET", "POST"])
def register():
    return "TODO"


@bp.post("/logout")
def logout():
    return "TODO"


@bp.get("/members/<username>")
def profile(username):
    return "TODO"


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    return "TODO"


@bp.post("/verify/resend")
def resend_verification():
    return "TODO"
