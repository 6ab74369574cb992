"""The demo account that `patron quickstart` creates on an empty database."""

from datetime import UTC, datetime

from patron.services import tenancy
from patron.store.unit_of_work import UnitOfWork


def create(uow: UnitOfWork, *, base_url: str) -> str:
    """Create the demo account with a sandbox and a live Application; return what to print."""
    now = datetime.now(UTC)
    account = tenancy.create_account(uow, "Demo", now=now)
    sandbox = tenancy.create_application(
        uow, account_id=account.account.id, name="Demo sandbox", sandbox=True, now=now
    )
    live = tenancy.create_application(
        uow, account_id=account.account.id, name="Demo live", sandbox=False, now=now
    )
    return f"""
patron demo account {account.account.id} created. These keys are shown only now:

  Management API key (account):           {account.management_key}
  Integration API key (sandbox app {sandbox.application.id}):   {sandbox.api_key}
  Integration API key (live app {live.application.id}):      {live.api_key}

Try it:

  curl -X PUT {base_url}/v2/customer_sessions/order-1 \\
    -H 'Authorization: ApiKey-v1 {sandbox.api_key}' \\
    -H 'Content-Type: application/json' \\
    -d '{{"customerSession": {{"profileId": "customer-1", "state": "open",
         "cartItems": [{{"sku": "SKU-1", "quantity": 2, "price": 10.5}}]}}}}'

  curl {base_url}/v1/applications -H 'Authorization: ManagementKey-v1 {account.management_key}'

API docs: {base_url}/docs
"""
