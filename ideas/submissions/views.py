from flask import Blueprint

bp = Blueprint("submissions", __name__)


@bp.get("/me/contributions")
def mine():
    return "TODO"
