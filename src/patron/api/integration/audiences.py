"""Audiences and their memberships (Integration API)."""

from datetime import datetime
from typing import Annotated, Any, Final

import msgspec

from patron.api.integration import api
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.audiences import Audience, CustomerProfileAudienceRequest, NewAudience, UpdateAudience
from patron.api.schemas.common import MAX_ID, MIN_ID
from patron.domain import audiences as domain
from patron.domain.tenancy import ApplicationScope
from patron.services import audiences
from patron.services.audiences import MembershipAction
from patron.store.database import Transaction

_TAGS: Final = ["Audiences"]


class AudiencePath(Params, kw_only=True):
    audience_id: Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID)]


@api.write(
    "POST",
    "/v2/audiences",
    "createAudienceV2",
    tags=_TAGS,
    body=NewAudience,
    answers={201: Audience},
    idempotent=True,
    subject="audience",
)
async def create_audience(
    tx: Transaction, scope: ApplicationScope, call: Call[Any, NewAudience], now: datetime
) -> Answer:
    """Create an audience."""
    body = call.body
    audience = domain.new_audience(
        account_id=scope.account_id,
        # The key's environment unless the body names one; a contradiction is refused (14.2).
        sandbox=scope.sandbox if body.sandbox is None else body.sandbox,
        name=body.name,
        now=now,
        description=body.description,
        integration=body.integration,
        integration_id=body.integration_id,
        created_in_3rd_party=body.created_in_3rd_party,
        subscribed_applications_ids=tuple(body.subscribed_applications_ids or ()),
    )
    return Answer.json(Audience.of(await audiences.create_audience(tx, scope, audience)), 201)


@api.write(
    "PUT",
    "/v2/audiences/{audienceId}",
    "updateAudienceV2",
    tags=_TAGS,
    params=AudiencePath,
    body=UpdateAudience,
    answers={200: Audience},
    idempotent=True,
    subject="audience",
)
async def update_audience(
    tx: Transaction, scope: ApplicationScope, call: Call[AudiencePath, UpdateAudience], now: datetime
) -> Answer:
    """Update an audience's name."""
    subscribed = call.body.subscribed_applications_ids
    updated = await audiences.update_audience(
        tx,
        scope,
        call.params.audience_id,
        name=call.body.name,
        subscribed=None if subscribed is None else tuple(subscribed),
    )
    return Answer.json(Audience.of(updated))


@api.write(
    "DELETE",
    "/v2/audiences/{audienceId}",
    "deleteAudienceV2",
    tags=_TAGS,
    params=AudiencePath,
    answers={204: None},
    idempotent=True,
    subject="audience",
)
async def delete_audience(
    tx: Transaction, scope: ApplicationScope, call: Call[AudiencePath, None], now: datetime
) -> Answer:
    """Delete an audience and all its memberships."""
    await audiences.delete_audience(tx, scope, call.params.audience_id)
    return Answer.no_content()


@api.write(
    "DELETE",
    "/v2/audiences/{audienceId}/memberships",
    "deleteAudienceMembershipsV2",
    tags=_TAGS,
    params=AudiencePath,
    answers={204: None},
    idempotent=True,
    subject="audience",
)
async def delete_audience_memberships(
    tx: Transaction, scope: ApplicationScope, call: Call[AudiencePath, None], now: datetime
) -> Answer:
    """Remove every member of an audience."""
    await audiences.delete_audience_memberships(tx, scope, call.params.audience_id, now=now)
    return Answer.no_content()


@api.write(
    "POST",
    "/v2/customer_audiences",
    "updateCustomerProfileAudiences",
    tags=_TAGS,
    body=CustomerProfileAudienceRequest,
    answers={204: None},
    finds=True,
    idempotent=True,
    subject="profile",
)
async def update_customer_profile_audiences(
    tx: Transaction, scope: ApplicationScope, call: Call[Any, CustomerProfileAudienceRequest], now: datetime
) -> Answer:
    """Add customer profiles to audiences or remove them."""
    actions = [
        MembershipAction(item.action, item.profile_integration_id, item.audience_id)
        for item in call.body.data
    ]
    await audiences.update_customer_profile_audiences(tx, scope, actions, now=now)
    return Answer.no_content()


@api.write(
    "PUT",
    "/v2/audience_customers/{audienceId}/attributes",
    "updateAudienceCustomersAttributes",
    tags=_TAGS,
    params=AudiencePath,
    body=dict,
    answers={204: None},
    idempotent=True,
    subject="profile",
)
async def update_audience_customers_attributes(
    tx: Transaction, scope: ApplicationScope, call: Call[AudiencePath, dict[str, Any]], now: datetime
) -> Answer:
    """Set attributes on every member of an audience."""
    await audiences.update_audience_customers_attributes(tx, scope, call.params.audience_id, call.body)
    return Answer.no_content()
