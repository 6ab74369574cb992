"""Declared routes whose behaviour is not built yet answer 501 with Talon.One's error body."""

from typing import NoReturn

from patron.errors import NotImplementedYetError


def unbuilt(operation_id: str) -> NoReturn:
    raise NotImplementedYetError(f"{operation_id} is declared but not implemented yet in patron")
