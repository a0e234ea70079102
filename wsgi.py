"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from ideas import create_app

app = create_app()
