"""Pydantic models shared by services, the JSON API and the CLI (Create / Public families)."""
