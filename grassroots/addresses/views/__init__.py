"""Pages of the standard address register."""

from .campaigns import batch_sign_off, campaign_close, campaign_detail, campaign_list, campaign_open
from .collect import address_collect, batch_detail
from .households import household_link, household_list
from .register import (
    address_detail,
    address_doubt,
    address_list,
    address_photo,
    address_sign_off,
    address_verify,
    verification_queue,
)
from .transfer import export, transfer_page

__all__ = [
    "address_collect",
    "address_detail",
    "address_doubt",
    "address_list",
    "address_photo",
    "address_sign_off",
    "address_verify",
    "batch_detail",
    "batch_sign_off",
    "campaign_close",
    "campaign_detail",
    "campaign_list",
    "campaign_open",
    "export",
    "household_link",
    "household_list",
    "transfer_page",
    "verification_queue",
]
