"""Customer profiles (Integration API)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from patron.api.deps import IntegrationScopeDep, NowDep, unit_of_work_for
from patron.api.integration._writes import IdempotencyKeyHeader, json_rendered, respond_once
from patron.api.routing import TalonRoute
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.api.schemas.profiles import (
    CustomerProfile,
    CustomerProfileIntegrationRequestV2,
    CustomerProfileUpdateV2Response,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationResponseV2,
)
from patron.services import profiles
from patron.services.audiences import AudiencesChanges

router = APIRouter(route_class=TalonRoute, tags=["Customer profiles"])
Silent = Annotated[Literal["yes", "no"], Query(description="yes: answer 204 without a body.")]


@router.put(
    "/v2/customer_profiles/{integrationId}",
    operation_id="updateCustomerProfileV2",
    response_model=IntegrationStateV2,
)
def update_customer_profile(
    integration_id: Annotated[str, Path(alias="integrationId", min_length=1, max_length=1000)],
    body: CustomerProfileIntegrationRequestV2,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
    run_rule_engine: Annotated[bool, Query(alias="runRuleEngine")] = False,
    dry: bool = False,
) -> Response:
    """Create or update a customer profile."""
    dry = dry and run_rule_engine
    # Without the rule engine the answer is the profile itself (SEMANTICS 20.10, 20.11).
    content: set[str] = set(body.response_content or ()) if run_rule_engine else {"customerProfile"}
    changes = body.audiences_changes
    uow = unit_of_work_for(request, dry=dry, subject="profile")
    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=None if dry else idempotency_key,
        contended=None
        if dry
        else (f"profile:{scope.account_id}:{int(scope.sandbox)}:{integration_id}", "profile"),
        body=body,
        now=now,
        operation=lambda: profiles.update_customer_profile(
            uow,
            scope,
            integration_id,
            new_attributes=body.attributes,
            audiences_changes=None
            if changes is None
            else AudiencesChanges(tuple(changes.adds), tuple(changes.deletes)),
            run_rule_engine=run_rule_engine,
            dry=dry,
            now=now,
        ),
        render=lambda state: json_rendered(integration_state(state, content)),
    )


@router.put(
    "/v2/customer_profiles",
    operation_id="updateCustomerProfilesV2",
    response_model=MultipleCustomerProfileIntegrationResponseV2,
    status_code=200,
    responses={204: {"description": "Updated (silent=yes)"}},
)
def update_customer_profiles(
    body: MultipleCustomerProfileIntegrationRequest,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
    silent: Silent = "yes",
) -> Response:
    """Create or update up to 1000 customer profiles."""
    changes = [
        profiles.ProfileChange(entry.integration_id, entry.attributes) for entry in body.customer_profiles
    ]
    uow = unit_of_work_for(request, dry=False, subject="profile")

    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=idempotency_key,
        body=body,
        now=now,
        operation=lambda: profiles.update_customer_profiles(uow, scope, changes, now=now),
        render=lambda updated: (
            json_rendered(None, 204)
            if silent == "yes"
            else json_rendered(
                MultipleCustomerProfileIntegrationResponseV2(
                    integration_states=[
                        CustomerProfileUpdateV2Response(customer_profile=CustomerProfile.of(p))
                        for p in updated
                    ]
                )
            )
        ),
    )
