"""Serve: the web dashboard (server-rendered pages) and the JSON API over one store."""
