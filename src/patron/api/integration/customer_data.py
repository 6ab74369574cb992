"""Erasing a customer's data (Integration API)."""

from datetime import datetime
from typing import Annotated

import msgspec

from patron.api.integration import api
from patron.api.operations import Answer, Call, Params
from patron.domain.tenancy import ApplicationScope
from patron.services import customer_data
from patron.store.database import Transaction


class CustomerDataPath(Params, kw_only=True):
    integration_id: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


@api.write(
    "DELETE",
    "/v1/customer_data/{integrationId}",
    "deleteCustomerData",
    tags=["Customer profiles"],
    params=CustomerDataPath,
    answers={204: None},
    subject="profile",
)
async def delete_customer_data(
    tx: Transaction, scope: ApplicationScope, call: Call[CustomerDataPath, None], now: datetime
) -> Answer:
    """Delete a customer profile and blank its data in every Application of the environment."""
    await customer_data.delete_customer_data(tx, scope, call.params.integration_id)
    return Answer.no_content()
