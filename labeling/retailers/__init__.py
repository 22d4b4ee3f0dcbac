"""Retailer organisations and their receipts of labelled items (issue 15, docs/retailers.md)."""
