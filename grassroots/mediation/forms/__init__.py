"""Mediation forms, one module per part (case: the case pages; centre: the
centre's other pages); views import the submodule."""
