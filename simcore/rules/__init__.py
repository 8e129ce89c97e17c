"""Plasticity and inhibition rules: one module each, registered as kinds of the "rule" family."""
