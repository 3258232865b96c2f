"""One module per layer family, mirroring graphspec/layers; importing the package registers every mapping.

The modules import no onnx: they describe nodes through the Builder, so the registry loads without onnx installed.
"""
import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
