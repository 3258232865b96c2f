"""keras_hub's sine position table, kept with the other fixed tables in graphspec (the ONNX exporter stores it too)."""
from graphspec.layers.fixed_tables import sine_positions

__all__ = ["sine_positions"]
