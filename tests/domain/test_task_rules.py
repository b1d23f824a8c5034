"""Who may mark a next step done, move it or hand it on: its owner, or any staff member of its zone."""
import pytest

from app.domain.tasks import may_handle

OWNER, OTHER, ZONE, OTHER_ZONE = 1, 2, 10, 20


@pytest.mark.parametrize("user_id, role, user_zone, allowed", [
    (OWNER, "leader", ZONE, True),          # the owner
    (OTHER, "staff", ZONE, True),           # the zone's staff
    (OTHER, "leader", ZONE, False),         # another leader of the zone
    (OTHER, "staff", OTHER_ZONE, False),    # another zone's staff
    (OTHER, "bureau", None, False),         # the bureau reads, never acts
])
def test_a_step_is_handled_by_its_owner_or_its_zones_staff(user_id, role, user_zone, allowed):
    assert may_handle(OWNER, ZONE, user_id, role, user_zone) is allowed
