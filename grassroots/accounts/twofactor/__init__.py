"""Two factors at login (GB/T 22239 §8.1.4, ADR 0058): a TOTP device
(django-otp) and single-use recovery codes stored as hashes. Mandatory for the
roles in TWO_FACTOR_REQUIRED_ROLES, optional for the others when
TWO_FACTOR_OPTIONAL; `TwoFactorMiddleware` keeps a session that has not
passed the second factor away from everything but the verify and enrolment
pages."""
