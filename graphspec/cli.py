"""The `graphspec` command. Exit codes: 0 all specs valid (warnings allowed), 1 some spec has errors,
2 a usage error or a file that cannot be read."""
from __future__ import annotations

import argparse
import json
import sys

from .diagnostics import Code, Diagnostic
from .infer import analyze
from .reader import read_spec
from .report import graph_record
from .schema import Spec
from .source import read_file

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def check_file(path: str):
    """(checked graph or None, diagnostics) for one file; never raises."""
    document, diagnostics = read_file(path)
    if document is None:
        return None, diagnostics
    spec = read_spec(document)
    spec._diagnostics[:0] = diagnostics
    graph = analyze(spec)
    return graph, graph.diagnostics


def _exit_code(results) -> int:
    diagnostics = [d for _, found in results for d in found]
    if any(d.code is Code.UNREADABLE for d in diagnostics):
        return EXIT_USAGE
    return EXIT_INVALID if any(d.is_error for d in diagnostics) else EXIT_OK


def _tally(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _print_text(paths, results) -> None:
    for path, (graph, diagnostics) in zip(paths, results):
        for diagnostic in diagnostics:
            print(diagnostic.format())
        if graph is not None and graph.ok:
            print(graph.summary())
        verdict = "valid" if graph is not None and graph.ok else "invalid"
        print(f"{path}: {verdict} ({_tally(diagnostics)})\n")


def _print_json(paths, results) -> None:
    records = [graph_record(graph) if graph is not None else
               {"file": path, "valid": False, "diagnostics": [d.to_dict() for d in found]}
               for path, (graph, found) in zip(paths, results)]
    print(json.dumps({"valid": all(r["valid"] for r in records), "specs": records}, indent=2))


def cmd_check(args) -> int:
    results = [check_file(path) for path in args.specs]
    (_print_json if args.format == "json" else _print_text)(args.specs, results)
    return _exit_code(results)


def cmd_schema(args) -> int:
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "graphspec spec, format version 1"
    print(json.dumps(schema, indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graphspec", description="Declare a neural network in YAML or JSON; "
                                     "check its shapes and dtypes before anything runs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate spec files and print a model summary of each")
    check.add_argument("specs", nargs="+", metavar="SPEC", help="spec files (.yaml, .yml or .json)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=cmd_check)
    schema = commands.add_parser("schema", help="print the JSON Schema of the spec format, for editors")
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `graphspec check ... | head` is fine
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
