"""Publicity pages, one module per part (staff; public: the portal; board:
LED boards, feeds and printed notices); the URL modules import the submodules."""
