"""The relocation ledger: projects with their batches (`projects`), the units
and the case of each (`units`)."""

from .projects import Batch, BatchKind, Project, ProjectKind
from .units import Unit, UnitEvent, UnitKind

__all__ = ["Batch", "BatchKind", "Project", "ProjectKind", "Unit", "UnitEvent", "UnitKind"]
