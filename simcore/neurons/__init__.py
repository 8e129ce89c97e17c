"""Neuron models and sources: one module each, registered as kinds of the "neuron" family."""
