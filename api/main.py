"""``uvicorn api.main:app``: the app over the store configured by the environment."""

from api.app import create_app

app = create_app()
