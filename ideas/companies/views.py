from flask import Blueprint

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.get("/")
def index():
    return "TODO"


@bp.get("/<slug>")
def show(slug):
    return "TODO"
