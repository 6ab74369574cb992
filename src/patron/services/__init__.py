"""Use cases: one function per operation; each opens a unit of work and commits at most once."""
