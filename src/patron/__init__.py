"""patron: a self-hosted customer-profile engine speaking Talon.One's customer API."""

__version__ = "0.1.0"
