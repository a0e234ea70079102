"""Reputation: the points ledger, levels, expert status per category, badges and
leaderboards. It listens to the domain events of ideas/core/events.py; no domain
module imports it."""
