"""Services of the safety inspections: `premises` (register and correct a
premises), `workflow` (the premises' status bound to the engine: close,
take back into use)."""
