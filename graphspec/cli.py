"""The `graphspec` command. Exit codes: 0 all specs valid (warnings allowed), 1 some spec has errors,
2 a usage error or a file that cannot be read."""
from __future__ import annotations

import argparse
import json
import sys

from .collection import collection_paused
from .diagnostics import Code, Diagnostic
from .infer import analyze
from .reader import read_spec
from .render import FORMATS, RANKDIRS, RenderError, render
from .render.output import drawn_by, output_format
from .report import graph_record
from .export_command import add_export_parser
from .keras_command import add_keras_parsers
from .blocks.cli import add_depth_argument, add_fold_arguments
from .blocks.json_schema import spec_schema
from .run_command import add_run_parser
from .train_command import add_train_parser
from .source import read_file

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def check_file(path: str):
    """(checked graph or None, diagnostics) for one file; never raises."""
    document, diagnostics = read_file(path)
    if document is None:
        return None, diagnostics
    with collection_paused():
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


def print_diagnostics(diagnostics: list[Diagnostic], stream=None) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=stream or sys.stdout)


def _print_text(paths, results, depth: int | None = 1) -> None:
    for path, (graph, diagnostics) in zip(paths, results):
        print_diagnostics(diagnostics)
        if graph is not None and graph.ok:
            print(graph.summary(depth))
        verdict = "valid" if graph is not None and graph.ok else "invalid"
        print(f"{path}: {verdict} ({_tally(diagnostics)})\n")


def _print_json(paths, results) -> None:
    records = [graph_record(graph) if graph is not None else
               {"file": path, "valid": False, "diagnostics": [d.to_dict() for d in found]}
               for path, (graph, found) in zip(paths, results)]
    print(json.dumps({"valid": all(r["valid"] for r in records), "specs": records}, indent=2))


def cmd_check(args) -> int:
    results = [check_file(path) for path in args.specs]
    if args.format == "json":
        _print_json(args.specs, results)
    else:
        _print_text(args.specs, results, None if args.expand else args.depth)
    return _exit_code(results)


def cmd_render(args) -> int:
    """Draws even an invalid spec, so that a person sees where it breaks; exits 1 for it after writing."""
    if args.spec is None:
        # `render --expand spec.yaml -o x.svg`: --expand takes an optional value, so it took the spec as NAMES.
        if not (isinstance(args.expand, str) and args.expand.lower().endswith((".yaml", ".yml", ".json"))):
            return _usage_error(ValueError("the following arguments are required: SPEC"))
        args.spec, args.expand = args.expand, True
    try:
        chosen = output_format(args.output, args.format)
    except ValueError as exc:
        return _usage_error(exc)
    graph, diagnostics = check_file(args.spec)
    print_diagnostics(diagnostics)
    if graph is None:
        print(f"{args.spec}: invalid ({_tally(diagnostics)}); nothing to draw, {args.output} not written")
        return _exit_code([(graph, diagnostics)])
    try:
        render(graph, args.output, chosen, args.rankdir, args.expand, args.depth)
    except (ValueError, RenderError) as exc:
        return _usage_error(exc)
    print(f"wrote {args.output} ({chosen} by {drawn_by(chosen)})")
    return EXIT_OK if graph.ok else EXIT_INVALID


def _usage_error(exc: Exception) -> int:
    print(f"graphspec render: error: {exc}", file=sys.stderr)
    return EXIT_USAGE


def cmd_schema(args) -> int:
    print(json.dumps(spec_schema(), indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graphspec", description="Declare a neural network in YAML or JSON; "
                                     "check its shapes and dtypes before anything runs.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate spec files and print a model summary of each")
    check.add_argument("specs", nargs="+", metavar="SPEC", help="spec files (.yaml, .yml or .json)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    add_fold_arguments(check)
    check.set_defaults(run=cmd_check)
    draw = commands.add_parser("render", help="draw a spec as SVG, PNG, PDF, Graphviz DOT or Mermaid")
    draw.add_argument("spec", metavar="SPEC", nargs="?", help="a spec file (.yaml, .yml or .json)")
    draw.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write: .svg, .png, .pdf, "
                      ".dot, .gv or .mmd (Mermaid)")
    draw.add_argument("--format", choices=FORMATS, help="the format, when OUT's extension does not say it")
    draw.add_argument("--rankdir", choices=RANKDIRS, default="TB",
                      help="TB: top to bottom (default); LR: left to right")
    draw.add_argument("--expand", nargs="?", const=True, metavar="NAMES", help="draw what is inside layers as "
                      "primitive operations: every layer, or the comma-separated NAMES; with blocks, unfold "
                      "every block use, or the uses NAMES (a layer's name draws its operations)")
    add_depth_argument(draw)
    draw.set_defaults(run=cmd_render)
    add_run_parser(commands)
    add_export_parser(commands)
    add_keras_parsers(commands)
    add_train_parser(commands)
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
