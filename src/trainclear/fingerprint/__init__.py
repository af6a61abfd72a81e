"""Fingerprints of works: text normalisation and hashes, identifier canonical forms."""
