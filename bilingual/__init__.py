"""The site in English and Welsh: which language a URL is in, its twin page, and Welsh content fields.

Imports no other app of ours; exercises and classes use it for their
templates and admin, backcare wires it in (middleware, context processor).
"""
