"""The ASGI application uvicorn serves (settings from the environment)."""

from sync.server.app import create_app

app = create_app()
