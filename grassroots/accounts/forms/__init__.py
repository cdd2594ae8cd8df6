"""Account forms, one module per part; views import the submodule."""
