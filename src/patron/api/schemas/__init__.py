"""Wire schemas, named after Talon.One's own; they read domain dataclasses by attribute."""
