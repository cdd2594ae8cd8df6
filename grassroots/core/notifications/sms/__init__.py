"""SMS through real gateways (ADR 0052): message kinds with their template
parameters (`kinds`), the Alibaba Cloud and Tencent Cloud adapters on their
official SDKs (`aliyun`, `tencent`), the fallback order (`gateway`), the
per-number and per-day limits (`limits`) and delivery receipts (`receipts`).
The log backend stays the default; an installation switches the gateway on
with `GRASSROOTS_SMS_BACKEND` and its own credentials."""
