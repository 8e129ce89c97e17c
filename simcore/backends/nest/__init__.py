"""NEST as a second backend and an export target.

``mapping`` decides, without NEST, how every region, projection and rule maps to NEST models (and
refuses what cannot be mapped); ``builder`` creates the NEST network, ``runner`` runs it with the
``Simulation`` API, ``export`` writes a standalone PyNEST script, ``bench`` compares both backends.
NEST itself is imported only by ``builder``/``runner`` when a network is built.
"""
__all__ = ["NestSimulation", "plan", "export_script", "MappingError"]


def __getattr__(name):
    if name == "NestSimulation":
        from .runner import NestSimulation

        return NestSimulation
    if name in ("plan", "MappingError"):
        from . import mapping

        return getattr(mapping, name)
    if name == "export_script":
        from .export import export_script

        return export_script
    raise AttributeError(name)
