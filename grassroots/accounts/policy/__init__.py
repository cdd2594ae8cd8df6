"""Password and account policy (ADR 0059): the password rules beyond length
and classes (a Chinese common-password list, no reuse of the last few), the
maximum password age and the forced change of an administrator-set password,
and the dormant-account rule (no login for 90 days → disabled)."""
