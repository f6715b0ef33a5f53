"""Findings → output. Reporters format; they never check, print or exit."""
