"""The demo account that `patron quickstart` creates on an empty database."""

from datetime import UTC, datetime

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.domain.tenancy import AccountScope
from patron.services import attributes, tenancy
from patron.store.database import Transaction

# Talon.One refuses attributes nobody defined; the demo account defines a few to start with.
DEMO_ATTRIBUTES = (
    (Entity.CUSTOMER_PROFILE, "LoyaltyTier", AttributeType.STRING, None),
    (Entity.CUSTOMER_PROFILE, "Newsletter", AttributeType.BOOLEAN, None),
    (Entity.CUSTOMER_SESSION, "Channel", AttributeType.STRING, None),
    (Entity.CART_ITEM, "Color", AttributeType.STRING, None),
    (Entity.EVENT, "Page", AttributeType.STRING, "pageViewed"),
)


async def create(tx: Transaction, *, base_url: str) -> str:
    """Create the demo account with a sandbox and a live Application; return what to print."""
    now = datetime.now(UTC)
    account = await tenancy.create_account(tx, "Demo", now=now)
    sandbox = await tenancy.create_application(
        tx, account_id=account.account.id, name="Demo sandbox", sandbox=True, now=now
    )
    live = await tenancy.create_application(
        tx, account_id=account.account.id, name="Demo live", sandbox=False, now=now
    )
    for entity, name, kind, event_type in DEMO_ATTRIBUTES:
        definition = AttributeDefinition(
            id=0,
            account_id=account.account.id,
            entity=entity,
            name=name,
            title=name,
            type=kind,
            created=now,
            description=f"Demo {entity} attribute",
            event_type=event_type,
        )
        await attributes.create_attribute(tx, AccountScope(account.account.id), definition)
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

Attributes must be defined before use, as in Talon.One. Besides the built-in ones (Name,
Email, ShippingCost, ...) the demo account defines LoyaltyTier and Newsletter (profiles),
Channel (sessions), Color (cart items) and Page (event type pageViewed); define more with
POST {base_url}/v1/attributes.

API docs: {base_url}/docs
"""
