"""Writes of the relocation ledger: `units` (registering units, moving them
through the stages, handing a dispute to the mediation centre), `imports`
(units and daily stage updates from Excel, all or nothing), `personal_data`
(the audited reveal), `workflow` (the table bound to the engine)."""
