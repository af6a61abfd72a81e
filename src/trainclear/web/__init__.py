"""The JSON API (FastAPI): thin routes over the application services."""
