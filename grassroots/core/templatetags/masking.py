from django import template

from grassroots.core import masking, scrubbing

register = template.Library()
register.filter("mask_id", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
# Free text on public pages: phone, ID and card numbers in any form → a placeholder (ADR 0018).
register.filter("scrub_numbers", scrubbing.scrub_personal_numbers)
