"""Writes of the indicator ledger: values entered, imported and corrected
(`values`), the Excel import and export (`transfer`), the month's review and
lock (`workflow`), the default definitions (`defaults`)."""
