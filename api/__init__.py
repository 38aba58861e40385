"""InnoGraph's HTTP API (FastAPI) and web page."""
