"""Customer profiles (Integration API)."""

from datetime import datetime
from typing import Annotated, Any, Final, Literal

import msgspec

from patron.api.integration import api
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.api.schemas.profiles import (
    CustomerProfile,
    CustomerProfileIntegrationRequestV2,
    CustomerProfileUpdateV2Response,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationResponseV2,
)
from patron.domain.tenancy import ApplicationScope
from patron.services import profiles
from patron.services.audiences import AudiencesChanges
from patron.store import locks
from patron.store.database import Transaction

_TAGS: Final = ["Customer profiles"]
Silent = Annotated[Literal["yes", "no"], msgspec.Meta(description="yes: answer 204 without a body.")]


class ProfileParams(Params, kw_only=True):
    integration_id: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    run_rule_engine: bool = False
    dry: bool = False


class ProfilesParams(Params, kw_only=True):
    silent: Silent = "yes"


def _dry(call: Call[ProfileParams, Any]) -> bool:
    # Without the rule engine there is nothing to evaluate: the update is stored (SEMANTICS 5.2).
    return call.params.dry and call.params.run_rule_engine


def _profile_of(scope: ApplicationScope, call: Call[ProfileParams, Any]) -> str:
    return locks.profile(scope.account_id, scope.sandbox, call.params.integration_id)


@api.write(
    "PUT",
    "/v2/customer_profiles/{integrationId}",
    "updateCustomerProfileV2",
    tags=_TAGS,
    params=ProfileParams,
    body=CustomerProfileIntegrationRequestV2,
    answers={200: IntegrationStateV2},
    finds=False,
    idempotent=True,
    subject="profile",
    dry=_dry,
    contended=_profile_of,
)
async def update_customer_profile(
    tx: Transaction,
    scope: ApplicationScope,
    call: Call[ProfileParams, CustomerProfileIntegrationRequestV2],
    now: datetime,
) -> Answer:
    """Create or update a customer profile."""
    body, run_rule_engine = call.body, call.params.run_rule_engine
    # Without the rule engine the answer is the profile itself (SEMANTICS 20.10, 20.11).
    content: set[str] = set(body.response_content or ()) if run_rule_engine else {"customerProfile"}
    changes = body.audiences_changes
    state = await profiles.update_customer_profile(
        tx,
        scope,
        call.params.integration_id,
        new_attributes=body.attributes,
        audiences_changes=None
        if changes is None
        else AudiencesChanges(tuple(changes.adds), tuple(changes.deletes)),
        run_rule_engine=run_rule_engine,
        now=now,
    )
    return Answer.json(integration_state(state, content))


@api.write(
    "PUT",
    "/v2/customer_profiles",
    "updateCustomerProfilesV2",
    tags=_TAGS,
    params=ProfilesParams,
    body=MultipleCustomerProfileIntegrationRequest,
    answers={200: MultipleCustomerProfileIntegrationResponseV2, 204: None},
    idempotent=True,
    subject="profile",
)
async def update_customer_profiles(
    tx: Transaction,
    scope: ApplicationScope,
    call: Call[ProfilesParams, MultipleCustomerProfileIntegrationRequest],
    now: datetime,
) -> Answer:
    """Create or update up to 1000 customer profiles."""
    changes = [
        profiles.ProfileChange(entry.integration_id, entry.attributes)
        for entry in call.body.customer_profiles
    ]
    updated = await profiles.update_customer_profiles(tx, scope, changes, now=now)
    if call.params.silent == "yes":
        return Answer.no_content()
    states = [
        CustomerProfileUpdateV2Response(customer_profile=CustomerProfile.of(profile)) for profile in updated
    ]
    return Answer.json(MultipleCustomerProfileIntegrationResponseV2(integration_states=states))
