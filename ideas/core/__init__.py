"""Shared plumbing: database base, errors, events, markdown, pagination, uploads, mail."""
