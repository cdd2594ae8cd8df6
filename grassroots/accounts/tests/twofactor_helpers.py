"""Helpers of the two-factor tests: a confirmed device with a known key and
the codes it expects, computed from the key as an authenticator app would."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

KEY = b"0123456789abcdefghij"


def enrol(user: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="测试", confirmed=True, key=KEY.hex())


def code_for(device: TOTPDevice, *, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"
