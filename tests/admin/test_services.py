import pytest
from flask_login import AnonymousUserMixin

from ideas.admin import services
from ideas.core.errors import Invalid, NotAllowed


@pytest.mark.parametrize("service", [services.set_admin, services.set_active])
@pytest.mark.parametrize("who", ["member", "visitor"])
def test_only_admins_manage_accounts(db, make, service, who):
    actor = make.user() if who == "member" else AnonymousUserMixin()
    target = make.user()
    with pytest.raises(NotAllowed):
        service(actor, target, False)


def test_admin_grants_and_revokes_admin(db, make):
    admin, member = make.user(admin=True), make.user()
    services.set_admin(admin, member, True)
    assert member.is_admin
    services.set_admin(admin, member, False)
    assert not member.is_admin


def test_admin_deactivates_and_reactivates(db, make):
    admin, member = make.user(admin=True), make.user()
    services.set_active(admin, member, False)
    assert not member.active and not member.is_active
    services.set_active(admin, member, True)
    assert member.active


def test_admin_cannot_lock_themself_out(db, make):
    admin = make.user(admin=True)
    with pytest.raises(Invalid):
        services.set_active(admin, admin, False)
    with pytest.raises(Invalid):
        services.set_admin(admin, admin, False)
    assert admin.active and admin.is_admin
