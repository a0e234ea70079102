"""Prototypes: selected ideas built and tested with member testers, iteration by iteration."""
