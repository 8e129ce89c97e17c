"""Synaptica's Qt front end. Depends on simcore; simcore never depends on it."""
