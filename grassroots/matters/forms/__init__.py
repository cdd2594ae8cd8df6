"""Forms of matters, one module per part (channels: report and intake;
queue; staff; tracking); views import the submodule."""
