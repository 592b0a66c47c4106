"""Ingest: read sources into Article records (or Reject records saying why not)."""
