"""Pure rules and values: no I/O, no framework."""
