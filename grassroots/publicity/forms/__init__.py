"""Publicity forms, one module per part (staff; public: the portal's filters
and objections); views import the submodule."""
