"""Queries: what the data say, as plain tables and numbers (no presentation)."""
