"""Buyers' reports of suspected fakes and the certifying body's cases (docs/reports.md)."""
