from flask.cli import AppGroup

votes_cli = AppGroup("votes", help="votes commands")
