"""Writes of the relocation ledger: `projects` (a project and its numbered
batches), `units` (moving units through the stages, handing a dispute to the
mediation centre), `imports` (units and daily stage updates from Excel, all
or nothing), `personal_data` (the audited reveal), `workflow` (the table
bound to the engine)."""
