"""Analyses over the store: what happened, how widely it was reported, what to show."""
