"""The reporter's choice of channel for progress messages (ADR 0056), set on
the public tracking page. The tracking code alone is not enough: the
reporter proves the matter is theirs with the phone number they left, so a
code seen over someone's shoulder cannot silence their messages. The choice
is stored against the phone number (core.notifications.preferences), so it
holds for every message to that number, not only this matter's."""

from __future__ import annotations

from grassroots.core.errors import DomainError
from grassroots.core.models import ContactPreference
from grassroots.core.notifications.preferences import contact_preference, contact_preference_set
from grassroots.core.validators import PhoneError, normalise_mobile_number

from ..models import Matter

PHONE_MISMATCH = "手机号与反映时留下的不一致。"


def matter_reporter_preference(*, matter: Matter) -> str:
    """The choice recorded for the reporter's phone ("" when none, or no phone)."""
    return contact_preference(phone=matter.reporter_phone) if matter.reporter_phone else ""


def matter_reporter_preference_set(*, matter: Matter, phone: str, choice: str) -> bool:
    """Record the reporter's choice after checking `phone` against the
    matter's. A matter reported without a phone (through the official
    account) has no phone to check: its reporter replies "TD" there."""
    if not matter.reporter_phone:
        raise DomainError("preference_no_phone", "该事项未留手机号,请在公众号内回复“TD”退订或“恢复”重新接收。")
    try:
        normalised = normalise_mobile_number(phone)
    except PhoneError:
        raise DomainError("preference_phone_mismatch", PHONE_MISMATCH, field="phone") from None
    index = Matter._meta.get_field("reporter_phone_index")
    if index.index_of(normalised) != matter.reporter_phone_index:
        raise DomainError("preference_phone_mismatch", PHONE_MISMATCH, field="phone")
    return contact_preference_set(
        actor=None,
        choice=choice,
        source=ContactPreference.Source.TRACKING,
        phone=normalised,
        object_label=f"matter:{matter.pk}",
    )
