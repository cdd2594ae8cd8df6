"""Account pages, one module per part (session: login, logout, home; grants; staff: notifications and audit log)."""
