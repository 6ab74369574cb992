"""Money is Decimal: exact, never a binary float."""

from decimal import Decimal
from typing import Final

ZERO: Final = Decimal(0)
