"""The WSGI entry point for production servers: `gunicorn webapp.wsgi:application`."""

from webapp import create_app

application = create_app()
