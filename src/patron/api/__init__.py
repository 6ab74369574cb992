"""HTTP: Talon.One's Integration and Management APIs on one ASGI application."""
