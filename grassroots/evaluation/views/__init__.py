"""Evaluation pages, one module per part (sessions: the staff session pages;
ranking; public: the ballot pages); the URL modules import the submodules."""
