from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role


@pytest.fixture
def staff(tree, make_user):
    return make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict, username="staff_export")


@pytest.fixture
def security(tree, make_user):
    return make_user(Role.SECURITY_ADMIN, None, username="security_one")


@pytest.fixture
def unmasked_url():
    from django.urls import reverse

    return reverse("regions:resident-export") + "?unmasked=1"
