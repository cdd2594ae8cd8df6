"""Mediation pages, one module per part (queue: the queue, registration and
the access decorators; case; centre; referrals; sessions); urls.py imports
the submodules."""
