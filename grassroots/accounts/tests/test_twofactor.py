"""Two factors (ADR 0058): who must enrol, the middleware's gate, verify with
TOTP (±1 step, no replay, throttled) and recovery codes, and the audit rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.roles import Role
from grassroots.accounts.twofactor import services
from grassroots.accounts.twofactor.checks import two_factor_enforced
from grassroots.accounts.twofactor.models import RecoveryCode
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import DEFAULT_PASSWORD

from .twofactor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db
REQUIRED = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SUBDISTRICT_STAFF}
HOME = reverse("accounts:home")
VERIFY = reverse("accounts:two-factor-verify")
ENROL = reverse("accounts:two-factor-enrol")


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


@pytest.mark.parametrize("role", list(Role))
def test_required_for_the_three_administrators_and_subdistrict_staff(role, make_user):
    assert services.two_factor_required(make_user(role)) is (role in REQUIRED)


@pytest.mark.parametrize("role", sorted(REQUIRED))
def test_required_role_without_device_reaches_only_enrolment(client, tree, make_user, role):
    client.force_login(make_user(role, tree.subdistrict))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == f"{ENROL}?next=%2Faccounts%2Fhome%2F"
    assert client.get(ENROL).status_code == 200
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert "双因素" in api.json()["title"]
    assert client.get(reverse("accounts:two-factor-verify")).status_code == 302  # no device: to enrolment


@pytest.mark.parametrize("role", sorted(set(Role) - REQUIRED))
def test_optional_role_without_device_works_as_before(client, tree, make_user, role):
    client.force_login(make_user(role, tree.village_a))
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.SECURITY_ADMIN])
def test_any_user_with_a_device_must_verify_after_login(client, tree, make_user, role):
    user = make_user(role, tree.village_a)
    enrol(user)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    assert client.get("/api/v1/me").status_code == 403
    assert "输入验证码" in client.get(VERIFY).content.decode()


def test_correct_code_verifies_the_session_and_follows_next(client, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    device = enrol(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "/accounts/password/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_next_to_another_host_is_ignored(client, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    device = enrol(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


@pytest.mark.parametrize(("steps", "accepted"), [(-1, True), (0, True), (1, True), (-2, False), (2, False)])
def test_one_step_either_side_accepted_two_refused(tree, make_user, steps, accepted):
    user = make_user(Role.AUDIT_ADMIN, tree.subdistrict)
    device = enrol(user)
    if accepted:
        assert services.verify_code(user=user, code=code_for(device, steps=steps)).device.pk == device.pk
    else:
        with pytest.raises(services.DomainError):
            services.verify_code(user=user, code=code_for(device, steps=steps))


def test_a_used_code_is_refused_again(client, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    device = enrol(user)
    code = code_for(device)
    client.force_login(user)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = type(client)()
    other.force_login(user)
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 400 and "已使用过" in response.content.decode()
    assert other.get(HOME).status_code == 302


def test_wrong_code_is_refused_audited_and_throttled(client, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    device = enrol(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    failed = AuditEntry.objects.filter(action=services.Act.VERIFY_FAILED, actor=user)
    assert failed.count() == 1 and failed.get().result == "failure"
    # At once after a failure even the right code waits (django-otp's throttle).
    throttled = client.post(VERIFY, {"code": code_for(device)})
    assert throttled.status_code == 429 and "过多" in throttled.content.decode()
    assert failed.count() == 2
    assert client.get(HOME).status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "12 34 5x"])
def test_bad_input_is_400_in_chinese(client, tree, make_user, code):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    enrol(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "验证码" in response.content.decode() or "恢复码" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_enrolment_shows_qr_and_secret_and_returns_ten_hashed_codes_once(client, tree, make_user):
    user = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    client.force_login(user)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "enrol-secret" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert services.secret_text(device) in page
    assert client.get(ENROL).content.decode().count(services.secret_text(device)) == 1  # same key on reload
    bad = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert bad.status_code == 400 and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(ENROL, {"code": code_for(device), "next": HOME})
    assert done.status_code == 302 and done["Location"].startswith(reverse("accounts:two-factor-enrolled"))
    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    digests = set(RecoveryCode.objects.filter(device__user=user).values_list("digest", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in digests)
    assert client.get(reverse("accounts:two-factor-enrolled")).status_code == 302  # shown once
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(action=services.Act.ENROL, actor=user).count() == 1


def test_recovery_code_verifies_once_and_is_audited(client, tree, make_user):
    user = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    device = enrol(user)
    codes = services.recovery_codes_regenerate(user=user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": codes[3].lower()})
    assert response.status_code == 302 and client.get(HOME).status_code == 200
    assert services.recovery_codes_left(user=user) == 9
    used = AuditEntry.objects.get(action=services.Act.RECOVERY_USED, actor=user)
    assert used.detail["left"] == 9
    again = type(client)()
    again.force_login(user)
    assert again.post(VERIFY, {"code": codes[3]}).status_code == 400
    assert device.user_id == user.pk


def test_regenerate_voids_the_old_codes(client, tree, make_user):
    user = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    device = enrol(user)
    old = services.recovery_codes_regenerate(user=user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(reverse("accounts:two-factor-regenerate"))
    assert response.status_code == 302
    new = client.get(response["Location"]).context["codes"]
    assert set(new).isdisjoint(old) and len(new) == 10
    with pytest.raises(services.DomainError):
        services.verify_code(user=user, code=old[0])
    assert AuditEntry.objects.filter(action=services.Act.RECOVERY_REGENERATED, actor=user).count() == 2


def test_security_admin_resets_with_a_reason(client, tree, make_user):
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    enrol(admin)
    account = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    device = enrol(account)
    services.recovery_codes_regenerate(user=account)
    client.force_login(admin)
    client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=admin))})
    listing = client.get(reverse("accounts:two-factor-accounts")).content.decode()
    assert account.username in listing and "重置双因素" in listing
    url = reverse("accounts:two-factor-reset", args=[account.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.post(url, {"reason": "手机丢失"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert not RecoveryCode.objects.filter(device__user=account).exists()
    entry = AuditEntry.objects.get(action=services.Act.RESET)
    assert entry.actor_id == admin.pk and entry.object_id == str(account.pk) and entry.detail["reason"] == "手机丢失"
    # The account is sent to enrolment at its next login.
    other = type(client)()
    other.force_login(account)
    assert other.get(HOME)["Location"].startswith(ENROL)


def test_security_admin_cannot_reset_their_own(client, tree, make_user):
    admin = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    device = enrol(admin)
    client.force_login(admin)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.post(reverse("accounts:two-factor-reset", args=[admin.pk]), {"reason": "换手机"})
    assert response.status_code == 403 and TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEntry.objects.filter(action=services.Act.RESET).exists()


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.SECURITY_ADMIN}))
def test_nobody_else_resets(tree, make_user, role):
    actor = make_user(role, tree.subdistrict)
    account = make_user(Role.GRID_WORKER, tree.grid_a1)
    enrol(account)
    with pytest.raises(services.PermissionDenied):
        services.two_factor_reset(actor=actor, account=account, reason="手机丢失")
    assert TOTPDevice.objects.filter(user=account).exists()


def test_optional_enrolment_can_be_switched_off(client, tree, make_user, settings):
    settings.TWO_FACTOR_OPTIONAL = False
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two-factor")
    assert "未开放" in client.get(response["Location"]).content.decode()


def test_lockout_still_applies_to_passwords(client, tree, make_user):
    user = make_user(Role.SYSTEM_ADMIN, tree.subdistrict)
    enrol(user)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-Password-1"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429 and "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deploy_check_refuses_unenforced_or_missing_roles(settings):
    assert two_factor_enforced() == []
    settings.TWO_FACTOR_ENFORCED = False
    settings.TWO_FACTOR_REQUIRED_ROLES = ["system_admin"]
    assert {error.id for error in two_factor_enforced()} == {"grassroots.E201", "grassroots.E202"}


def test_demo_accounts_of_required_roles_have_the_printed_key(tree, capsys):
    from grassroots.accounts.demo import DEMO_TOTP_KEY, demo_totp_code
    from grassroots.accounts.models import User

    users = [
        User.objects.create(username=name, role=role, jurisdiction=tree.subdistrict)
        for name, role in (("street", Role.SUBDISTRICT_STAFF), ("grid", Role.GRID_WORKER))
    ]
    from grassroots.accounts import demo

    for user in users:
        if user.role in REQUIRED:
            demo._ensure_demo_device(user)
    street = TOTPDevice.objects.get(user=users[0])
    assert street.bin_key == DEMO_TOTP_KEY and not TOTPDevice.objects.filter(user=users[1]).exists()
    assert street.verify_token(demo_totp_code())
    call_command("demo_totp")
    assert "当前验证码" in capsys.readouterr().out
