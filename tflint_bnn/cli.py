"""The `tflint-bnn` command: check (the default), --fix, --diff, --explain; `rules`, `server` and `validate`."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import sys
from pathlib import Path
from typing import List, NoReturn, Optional, Sequence

from tflint_bnn import __version__
from tflint_bnn.cache import SummaryCache
from tflint_bnn.discovery import PathProblem, discover, one_path_per_file
from tflint_bnn.docs import rule_doc, write_rule_table
from tflint_bnn.files import SourceError, decode_source
from tflint_bnn.findings import Finding
from tflint_bnn.output import (HUMAN_FORMATS, OUTPUT_FORMATS, Located, use_colour, write_findings, write_fixed,
                               write_statistics, write_summary)
from tflint_bnn.progress import Progress
from tflint_bnn.runner import FileOutcome, Job, Mode, check_files, check_source, default_jobs, fewer_collections
from tflint_bnn.settings import ConfigError, Settings, load_config, parse_codes, settings_near

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C
STDIN = Path("-")

_COMMANDS_AND_EXIT_STATUS = """\
commands:
  tflint-bnn [check] [PATH...]  check (the default command; `check` is accepted, as in ruff)
  tflint-bnn rules              list every rule: code, name, fix safety, default, summary
  tflint-bnn server             the language server for editors (the lsp extra)
  tflint-bnn validate           the runtime validation suite (the validate extra: TensorFlow)
  Each command has its own --help.

exit status:
  0    nothing left to report (or --exit-zero)
  1    findings remain, or --diff printed changes
  2    usage error, bad configuration, or a file that could not be read, parsed or written
  130  interrupted (Ctrl-C)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tflint-bnn",
        description="Find (and fix) TensorFlow/Keras code that runs out of memory or wastes time at inference.",
        epilog=_COMMANDS_AND_EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files or directories to check (default: .); `-` reads one source from stdin")
    parser.add_argument("--version", action="version", version=f"tflint-bnn {__version__}")
    fixing = parser.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true",
                        help="apply safe fixes in place (with `-`: print the fixed source on stdout)")
    fixing.add_argument("--unsafe-fixes", action="store_true", default=None,
                        help="also apply fixes that may change results (each says why)")
    fixing.add_argument("--no-unsafe-fixes", dest="unsafe_fixes", action="store_false",
                        help="never apply unsafe fixes, even when the configuration sets unsafe-fixes = true")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    fixing.add_argument("--show-fixes", action="store_true", help="list what --fix changed")
    rules = parser.add_argument_group("rule selection")
    rules.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable (e.g. TFB1)")
    rules.add_argument("--extend-select", metavar="CODES", help="codes to enable on top of the selection")
    rules.add_argument("--ignore", metavar="CODES", help="codes or prefixes to disable")
    settings = parser.add_argument_group("settings")
    settings.add_argument("--batch-rows", type=int, metavar="N", help="rows above which a pass is full-batch (1024)")
    settings.add_argument("--fix-batch-size", type=int, metavar="N", help="batch size that fixes write (256)")
    settings.add_argument("--config", type=Path, metavar="PATH", help="a pyproject.toml to read instead of searching")
    settings.add_argument("--stdin-filename", type=Path, metavar="PATH",
                          help="the path of the source read from stdin, for messages, the configuration and "
                               "per-file-ignores (alone, it also means `-`)")
    settings.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    settings.add_argument("-j", "--jobs", type=_positive_int, default=default_jobs(), metavar="N",
                          help="processes that check files (default: the number of cores)")
    out = parser.add_argument_group("output")
    out.add_argument("--output-format", choices=OUTPUT_FORMATS, default="text",
                     help="text (with the source line; the default), concise (one line each), json, json-lines, "
                          "github (workflow annotations) or sarif (code scanning)")
    out.add_argument("--statistics", action="store_true", help="count findings per code")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="print the findings and nothing else: no summary, no `All checks passed!`, no progress")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    out.add_argument("--explain", metavar="CODE", help="print a rule's documentation and exit")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def run() -> NoReturn:
    """The `tflint-bnn` command: `main()`, then exit without freeing the program's objects one by one (mypy's fast
    exit). A cold run holds millions of summaries and values; tearing them down took a tenth of its time."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader left before the last bytes: as `main` answers it
            code = EXIT_FINDINGS if stream is sys.stdout else code
        except ValueError:  # closed already: the language server closes stdout at the client's `exit`
            pass
    if multiprocessing.active_children():  # workers still stopping: let the interpreter wait for them
        sys.exit(code)
    os._exit(code)


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # `tflint-bnn | head`: the reader left; stop quietly like other command-line tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except KeyboardInterrupt:  # before any file was checked (a run says more: Run.execute)
        sys.stderr.write("interrupted\n")
        return EXIT_INTERRUPTED


def _main(arguments: List[str]) -> int:
    if arguments and arguments[0] == "validate":
        from tflint_bnn.validate.command import main as validate_main  # needs the validate extra's tools only then

        return validate_main(arguments[1:])
    if arguments and arguments[0] == "server":
        from tflint_bnn.server import main as server_main  # needs the lsp extra (pygls) only then

        return server_main(arguments[1:])
    if arguments and arguments[0] == "rules":
        return _rules(arguments[1:])
    if arguments and arguments[0] == "check":
        arguments = arguments[1:]
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.explain:
        return _explain(args.explain)
    if STDIN in args.paths and len(args.paths) > 1:
        parser.error("`-` (stdin) cannot be checked together with other paths")
    if args.stdin_filename is not None and args.paths and args.paths != [STDIN]:
        parser.error("--stdin-filename names the source read from stdin: give no other paths")
    try:
        settings = _settings(args)
    except ConfigError as error:
        _error(str(error))
        return EXIT_ERROR
    return Run(args, settings).execute()


def _explain(code: str) -> int:
    text = rule_doc(code.upper())
    if text is None:
        _error(f"unknown rule code `{code}`")
        return EXIT_ERROR
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_CLEAN


def _rules(arguments: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="tflint-bnn rules", description="List every rule: code, name, the "
                                     "safety of its fixes, whether it is on by default, and what it finds.")
    parser.add_argument("--output-format", choices=("text", "json"), default="text")
    write_rule_table(sys.stdout, parser.parse_args(arguments).output_format)
    return EXIT_CLEAN


def _settings(args: argparse.Namespace) -> Settings:
    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"{args.config}: configuration file not found")
        settings = load_config(args.config)
    else:
        paths = [args.stdin_filename or Path(".")] if _reads_stdin(args) else args.paths or [Path(".")]
        start = Path(os.path.commonpath([str(p.absolute()) for p in paths]))
        settings = settings_near(start)
    for option in ("batch_rows", "fix_batch_size"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise ConfigError(f"--{option.replace('_', '-')} must be a positive integer")
    extend = parse_codes(args.extend_select)
    ignore = parse_codes(args.ignore)
    return settings.merged(
        select=parse_codes(args.select),
        extend_select=settings.extend_select + extend if extend else None,
        ignore=settings.ignore + ignore if ignore else None,
        batch_rows=args.batch_rows,
        fix_batch_size=args.fix_batch_size,
        unsafe_fixes=args.unsafe_fixes,
    )


class _RecordedInterrupts:
    """Ctrl-C raises KeyboardInterrupt wherever the main thread is; raised inside a finalizer (a `__del__` or weakref
    callback run by the garbage collector) Python prints it and drops it, and the run went on to exit 0. The
    recorded flag makes the next file raise it again."""

    def __init__(self):
        self.interrupted = False
        self._previous = None

    def __enter__(self) -> "_RecordedInterrupts":
        self._previous = signal.signal(signal.SIGINT, self._record)
        return self

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def _record(self, signum, frame) -> None:
        self.interrupted = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.interrupted:
            raise KeyboardInterrupt


def _reads_stdin(args: argparse.Namespace) -> bool:
    return args.paths == [STDIN] or (args.stdin_filename is not None and not args.paths)


def _error(message: str) -> None:
    sys.stderr.write(f"tflint-bnn: error: {message}\n")


def _warning(message: str) -> None:
    sys.stderr.write(f"tflint-bnn: warning: {message}\n")


class Run:
    """One check or fix run over the discovered files (or over one source read from stdin)."""

    def __init__(self, args: argparse.Namespace, settings: Settings):
        self.args = args
        self.settings = settings
        self.progress = Progress(sys.stderr, enabled=not args.quiet)
        self.remaining: List[Located] = []
        self.fixed: List[Located] = []
        self.errors = 0
        self.diffs = 0
        self.checked = self.files_fixed = self.total = 0
        self.job: Optional[Job] = None
        # With `--fix -` stdout carries the fixed source, so the findings go to stderr (as ruff does).
        self.out = sys.stderr if _reads_stdin(args) and args.fix and not args.diff else sys.stdout

    def execute(self) -> int:
        try:
            if _reads_stdin(self.args):
                self._check_stdin()
            else:
                self._check_files()
        except KeyboardInterrupt:
            return self._interrupted()
        self.progress.clear()
        self._report()
        if self.errors:
            return EXIT_ERROR
        if self.args.exit_zero:
            return EXIT_CLEAN
        return EXIT_FINDINGS if self.remaining or self.diffs else EXIT_CLEAN

    def _check_files(self) -> None:
        entries = []
        for entry in discover(self._paths(), self.settings):
            entries.append(entry)
            self.progress.found(len(entries))
        files = one_path_per_file([entry for entry in entries if not isinstance(entry, PathProblem)])
        kept = set(files)
        entries = [entry for entry in entries if isinstance(entry, PathProblem) or entry in kept]
        self.total = len(files)
        self.progress.start(len(files))
        self.job = self._job()
        with _RecordedInterrupts() as interrupts, fewer_collections():
            def summarised(count: int) -> None:
                interrupts.check()
                self.progress.summarised(count)

            outcomes = check_files(files, self.job, self.args.jobs, summarised)
            for entry in entries:  # discovery order, whichever process finished first
                if isinstance(entry, PathProblem):
                    self._file_error(entry.path, entry.message)
                else:
                    interrupts.check()
                    self._record(next(outcomes))
                    self.progress.advance()

    def _check_stdin(self) -> None:
        path = self.args.stdin_filename or STDIN
        data = sys.stdin.buffer.read()
        self.total = 1
        try:
            source = decode_source(path, data)
        except SourceError as error:
            self._file_error(path, str(error))
            if self.args.fix and not self.args.diff:
                sys.stdout.buffer.write(data)  # an editor replacing its buffer with the output keeps it
            return
        self.job = self._job()
        outcome = check_source(source, self.job)
        self._record(outcome)
        if self.job.mode is Mode.FIX_TO_OUTPUT:
            text = outcome.fixed_text if outcome.fixed_text is not None else source.text
            sys.stdout.buffer.write(text.encode(source.encoding))
            sys.stdout.flush()

    def _interrupted(self) -> int:
        """Ctrl-C: the progress line cleared, one line saying what was done, no traceback. The files written so far
        are complete (writes are atomic); a temp file this process had open is removed where it was created."""
        self.progress.clear()
        if self.job is not None and self.job.cache is not None:
            self.job.cache.remove_partial_writes([os.getpid()])
        fixed = f", {self.files_fixed} fixed" if self.args.fix and not self.args.diff else ""
        sys.stderr.write(f"interrupted: {self.checked} of {self.total} files checked{fixed}\n")
        return EXIT_INTERRUPTED

    def _job(self) -> Job:
        mode = Mode.DIFF if self.args.diff else Mode.FIX if self.args.fix else Mode.CHECK
        if _reads_stdin(self.args):
            return Job(self.settings, Mode.FIX_TO_OUTPUT if mode is Mode.FIX else mode, None)
        cache = None if self.args.no_cache else SummaryCache.open(self.settings.root or Path.cwd())
        return Job(self.settings, mode, cache, linted=tuple(self._paths()))

    def _paths(self) -> List[Path]:
        return self.args.paths or [Path(".")]

    def _record(self, outcome: FileOutcome) -> None:
        self.checked += 1
        if outcome.fixed:
            self.files_fixed += 1
        for message in outcome.errors:
            self._file_error(outcome.path, message)
        for note in outcome.notes:  # skipped on purpose (a notebook of another language): not an error
            self.progress.clear()
            sys.stderr.write(f"tflint-bnn: note: {outcome.path}: {note}\n")
        for message in outcome.not_fixed:
            self.progress.clear()
            _warning(f"{outcome.path}: {message}")
        self._collect(outcome.path, self.remaining, outcome.remaining)
        self._collect(outcome.path, self.fixed, outcome.fixed)
        if outcome.diff:
            self.diffs += 1
            self.progress.clear()
            sys.stdout.write(outcome.diff)

    def _collect(self, path: Path, into: List[Located], findings: List[Finding]) -> None:
        filename = str(path.absolute())
        into.extend(Located(str(path), filename, finding) for finding in findings)

    def _file_error(self, path: Path, message: str) -> None:
        self.errors += 1
        self.progress.clear()
        _error(f"{path}: {message}")

    def _report(self) -> None:
        out = self.out
        unsafe = self.settings.unsafe_fixes
        human = self.args.output_format in HUMAN_FORMATS
        if self.args.statistics:
            write_statistics([item.finding for item in self.remaining], out, unsafe)
        else:
            write_findings(self.args.output_format, self.remaining, out, unsafe, human and use_colour(out))
            if human and not self.args.diff and not self.args.quiet:
                write_summary(self.remaining, out, unsafe, len(self.fixed))
                if not self.remaining and not self.fixed and not self.errors:
                    out.write("All checks passed!\n")
        if self.args.show_fixes and self.args.fix and not self.args.diff:
            # Machine formats keep stdout to their data alone.
            write_fixed(self.fixed, out if human else sys.stderr)
