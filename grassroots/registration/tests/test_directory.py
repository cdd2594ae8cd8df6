"""The public directory (登记目录) and verification by credit code."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.validators import make_uscc
from grassroots.registration.models import Application, Certificate, Organisation, OrgType
from grassroots.registration.selectors import directory as directory
from grassroots.registration.services.certificates import certificate_issue, organisation_revoke
from grassroots.registration.states import State

from .certificate_support import approved_renewal, catalogue, registered, window_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


@pytest.fixture
def three(staff):
    issued = timezone.localdate() - datetime.timedelta(days=1000)
    return [
        registered(actor=staff, org_name="淄博高新区文化艺术团", field="文化", issued_on=issued),
        registered(
            actor=staff,
            org_name="淄博高新区体育协会",
            service_code="social-group-establish",
            field="体育",
            issued_on=issued,
        ),
        registered(actor=staff, org_name="淄博高新区颐养中心", field="民生", issued_on=issued),
    ]


def _search(**kwargs):
    return [o.name for o in directory.directory_search(filters=directory.DirectoryFilters.clean(**kwargs))]


def test_two_character_name_search(three):
    assert _search(name="文化") == ["淄博高新区文化艺术团"]
    assert _search(name="协会") == ["淄博高新区体育协会"]
    assert len(_search(name="高新")) == 3
    assert _search(name="没有") == []


def test_filters_by_kind_field_and_status(three, staff):
    assert _search(kind=OrgType.SOCIAL_GROUP) == ["淄博高新区体育协会"]
    assert _search(field="民生") == ["淄博高新区颐养中心"]
    organisation_revoke(actor=staff, organisation=three[2].organisation, reason="不实")
    assert _search(status="revoked") == ["淄博高新区颐养中心"]
    assert _search(status="active", kind=OrgType.PNE) == ["淄博高新区文化艺术团"]
    assert directory.directory_fields() == sorted(["文化", "体育", "民生"])


def test_search_by_exact_credit_code(three):
    code = three[1].organisation.credit_code
    assert _search(name=code.lower()) == ["淄博高新区体育协会"]


def test_unknown_filters_are_ignored():
    filters = directory.DirectoryFilters.clean(name="x" * 80, kind="company", status="sleeping", field=" 文化 ")
    assert filters == directory.DirectoryFilters(name="x" * 50, kind="", field="文化", status="")


def test_current_certificate_is_prefetched(three, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = list(directory.directory_search(filters=directory.DirectoryFilters()))
        currents = [directory.current_certificate(o) for o in rows]
    assert all(c is not None and c.status == "valid" for c in currents)


# --- Verification -----------------------------------------------------------------


def test_typo_is_refused_before_any_lookup(three, django_assert_num_queries):
    code = three[0].organisation.credit_code
    typo = code[:10] + ("1" if code[10] != "1" else "2") + code[11:]
    with django_assert_num_queries(0):
        result = directory.verify_credit_code(code=typo)
        short = directory.verify_credit_code(code="5237")
    assert result.verdict == directory.Verdict.BAD_CHECK
    assert result.label == "校验码不正确"
    assert short.verdict == directory.Verdict.BAD_FORMAT


def test_unknown_valid_code_is_not_found(three):
    code = make_uscc(authority="5", org_type="2", division="370391", org_code8="MJ777777")
    assert directory.verify_credit_code(code=code).verdict == directory.Verdict.NOT_FOUND


def test_valid_with_and_without_token(three):
    certificate = three[0]
    code = certificate.organisation.credit_code
    plain = directory.verify_credit_code(code=code)
    assert plain.verdict == directory.Verdict.VALID and plain.ok
    assert plain.certificate == certificate
    with_token = directory.verify_credit_code(code=code, token=certificate.verify_token)
    assert with_token.verdict == directory.Verdict.VALID
    wrong = directory.verify_credit_code(code=code, token="forged-token")
    assert wrong.verdict == directory.Verdict.TOKEN_MISMATCH
    assert not wrong.ok and wrong.current == certificate
    other = directory.verify_credit_code(code=code, token=three[1].verify_token)  # another organisation's token
    assert other.verdict == directory.Verdict.TOKEN_MISMATCH


def test_replaced_certificate_points_to_the_current_one(three, staff):
    old = three[1]
    new = certificate_issue(actor=staff, application=approved_renewal(organisation=old.organisation))
    code = old.organisation.credit_code
    result = directory.verify_credit_code(code=code, token=old.verify_token)
    assert result.verdict == directory.Verdict.REPLACED
    assert result.certificate == old and result.current == new
    assert directory.verify_credit_code(code=code, token=new.verify_token).verdict == directory.Verdict.VALID
    assert directory.verify_credit_code(code=code).certificate == new
    chain = directory.certificate_chain(organisation=old.organisation)
    assert chain == [new, old]
    assert chain[0].replaces == old


def test_revoked_expired_deregistered_and_without_certificate(three, staff):
    revoked = three[0]
    organisation_revoke(actor=staff, organisation=revoked.organisation, reason="不实")
    result = directory.verify_credit_code(code=revoked.organisation.credit_code, token=revoked.verify_token)
    assert result.verdict == directory.Verdict.REVOKED

    expired = three[1]
    Certificate.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert directory.verify_credit_code(code=expired.organisation.credit_code).verdict == directory.Verdict.EXPIRED

    gone = three[2]
    Organisation.objects.filter(pk=gone.organisation.pk).update(status=Organisation.Status.DEREGISTERED)
    assert directory.verify_credit_code(code=gone.organisation.credit_code).verdict == directory.Verdict.DEREGISTERED

    bare = Organisation.objects.create(
        name="无证组织",
        org_type=OrgType.PNE,
        credit_code=make_uscc(authority="5", org_type="2", division="370391", org_code8="MJ500000"),
        legal_representative="某",
        address="某地",
        registered_on=timezone.localdate(),
    )
    assert directory.verify_credit_code(code=bare.credit_code).verdict == directory.Verdict.NO_CERTIFICATE


def test_organisation_by_credit_code(three):
    code = three[0].organisation.credit_code
    assert directory.organisation_by_credit_code(credit_code=code.lower()) == three[0].organisation
    with pytest.raises(directory.NotFound):
        directory.organisation_by_credit_code(credit_code="X")


# --- Staff lists ------------------------------------------------------------------


def test_renewals_waiting_buckets(three, staff):
    waiting_mail = approved_renewal(organisation=three[0].organisation)
    Application.objects.filter(pk=waiting_mail.pk).update(state=State.SUBMITTED)
    in_progress = approved_renewal(organisation=three[1].organisation, inbound_tracking="XX123456785CN")
    Application.objects.filter(pk=in_progress.pk).update(old_certificate_received_at=timezone.now())
    to_mail = approved_renewal(organisation=three[2].organisation)
    Application.objects.filter(pk=to_mail.pk).update(old_certificate_received_at=timezone.now())
    certificate_issue(actor=staff, application=to_mail)
    at_window = approved_renewal(organisation=three[0].organisation, inbound_tracking="")  # not by mail
    buckets = {name: list(qs) for name, qs in directory.renewals_waiting().items()}
    assert buckets["mail_in"] == [waiting_mail]
    assert buckets["in_progress"] == [in_progress]
    assert buckets["mail_out"] == [Application.objects.get(pk=to_mail.pk)]
    assert all(at_window not in rows for rows in buckets.values())
