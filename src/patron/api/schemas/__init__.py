"""The wire: msgspec Structs named after Talon.One's schemas, built from domain values by `of()`."""
