"""Registration write services, one module per part (see docs/registration contract)."""
