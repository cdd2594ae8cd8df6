"""Services of the standard address register: `parts` (normalising the parts
and building the standard text), `workflow` (the verification bound to the
engine), `addresses` (create, correct, collect, verify, sign off, send back),
`campaigns` (open, batches, close), `photos` (photo checks)."""
