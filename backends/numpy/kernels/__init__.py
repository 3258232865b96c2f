"""One module per layer family, mirroring graphspec/layers; importing the package registers every kernel."""
import importlib
import pkgutil

from .base import KERNELS, Kernel

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["KERNELS", "Kernel"]
