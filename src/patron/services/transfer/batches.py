"""Imports go in batches of rows, one transaction each; rejected rows are reported, never fatal."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

DEFAULT_BATCH_SIZE: Final = 1000


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: int
    rejected: int


RejectionHandler = Callable[[Rejection], None]


def batches(records: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    for entry in records:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
