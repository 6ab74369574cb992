"""Free-form attribute bags and how updates merge into them."""

from typing import Any

Attributes = dict[str, Any]


def merge_attributes(stored: Attributes, update: Attributes | None) -> Attributes:
    """Set the keys given, keep the rest; a key given as null is removed (SEMANTICS 4.8)."""
    if not update:
        return dict(stored)
    merged = {**stored, **update}
    return {key: value for key, value in merged.items() if value is not None}
