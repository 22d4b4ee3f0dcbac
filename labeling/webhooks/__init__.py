"""Webhooks: retailers hear of status changes of the labels they received (docs/webhooks.md)."""
