"""Shared test support: builders of synthetic inputs and project set-ups (not tests)."""
