"""The spec's training: block: its pydantic model (spec.py, options.py), its reading into diagnostics (reader.py)
and its checks against the model (check.py). Imported by module: schema.py needs spec.py before the reader exists."""
