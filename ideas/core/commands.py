from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="mail commands")
