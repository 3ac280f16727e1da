"""Use the notebooks as learners do: run each cell twice, and interrupt cells that start things.

`make test-survive` (issue 14.2). One fresh kernel per notebook, cells in order; for each code
cell:

1. **Interrupt** (cells whose code starts a thread, pool, process, server or cluster, see STARTERS,
   or uses -- calls, or hands on as a callback -- a name the notebook imported from
   ``helpers.experiments``/``helpers.demos`` (but a plain settings record) or defined to start
   something; imports and definitions alone start nothing, so a Setup cell is run, not
   interrupted; nor is a ``%%writefile`` cell, which only writes a file): run it and send a
   kernel interrupt (Kernel -> Interrupt) ``--interrupt-after`` seconds (0.3) after it was sent.
   Then the kernel must answer -- the cell's reply and a trivial execute -- within
   ``--answer-within`` seconds (5) of the interrupt, and within ``--grace`` seconds (5) nothing
   the cell started may be left: non-daemon threads in the kernel (other than the main thread and
   the event loop's ``asyncio_N`` workers), child processes other than multiprocessing's services
   (the rule of ``helpers.leaks``), listening sockets, each compared with a snapshot taken just
   before the cell; nor may Python's import lock stay held (an interrupt inside importlib can
   leave it so: every other thread's next first import hangs). What is found is reported, then
   killed (processes) so that the next cells start clean. ``KeyboardInterrupt`` tracebacks that
   worker processes printed to the kernel's terminal (not the notebook) are counted too.
2. **Run twice**: the cell is run uninterrupted (again, if the interrupt stopped it: later cells
   need its state), then once more right after, as Shift+Enter pressed twice does. The second
   run may not raise where the first did not; a cell tagged ``raises-exception`` must raise both
   times. A cell whose first run took more than ``--slow`` seconds (10) is not run a second time
   (listed as skipped): that keeps the CI step within a few minutes.

If the kernel does not answer within 60 s it is restarted and the cells before are replayed.
When a signal lands just as a cell ends, ipykernel can lose that cell's reply while the kernel
keeps answering ("KeyboardInterrupt caught in kernel."); that is listed, not counted as a problem.
So is its rarer twin: a signal that lands inside ipykernel's ``send_multipart`` of the reply
leaves the first frames queued, the next reply's frames join them, and the client gets one
message that fails its signature ("Invalid Signature"; the mechanism of pyzmq issue 669): both
replies are lost, so the trivial execute is sent once more and the kernel must answer that.
Prints a table per notebook and writes build/survive.json; exit status 1 if anything was found.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import importlib
import inspect
import json
import queue
import re
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nblist import course_notebooks
from runs import ROOT

sys.path.insert(0, str(ROOT))
import psutil
from jupyter_client.manager import KernelManager

from conftest import LOOP_EXECUTOR_THREAD, SNAPSHOT
from helpers.leaks import is_service_process

STARTERS = re.compile(
    r"\bThread\(|Executor\(|NoticeServer|LocalCluster|make_pool|\bProcess\(|\bPool\(|"
    r"\bTimer\(|run_python|subprocess|Popen|start_server|\bClient\(|dask_client\(|asyncio\.run\(|to_thread"
)
FINISHED = "finished before the interrupt"
LOST_REPLY = "no reply to the cell (ipykernel lost it), kernel answered"
GARBLED = "reply garbled (the interrupt landed in ipykernel's send), kernel answered"
# A traceback a worker process printed to the kernel's terminal ends with this line.
WORKER_TRACEBACK = re.compile(r"^KeyboardInterrupt\s*$", re.MULTILINE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HUNG_SECONDS = 60.0  # no answer at all by then: restart the kernel
CELL_TIMEOUT = 300.0  # as nbval's --nbval-cell-timeout


@dataclass
class Reply:
    status: str  # ok, error, timeout
    seconds: float
    error: str = ""  # "KeyboardInterrupt: ..." when status is error
    where: str = ""  # the innermost frame of its traceback: where the interrupt landed


@dataclass
class Interrupted:
    cell: int
    first_line: str
    reply: str  # what the cell's reply said: finished before the interrupt, KeyboardInterrupt...
    answered_in: float | None  # seconds from the interrupt until the trivial execute replied
    in_time: bool = True  # answered within --answer-within seconds
    leftovers: list[str] = field(default_factory=list)
    worker_tracebacks: int = 0
    import_lock_held: bool = False  # still held 1 s after the kernel answered (check_import_lock)
    where: str = ""  # the innermost frame of the cell's traceback, if the interrupt stopped it


@dataclass
class NotebookReport:
    notebook: str
    code_cells: int = 0
    interrupted: list[Interrupted] = field(default_factory=list)
    rerun_failures: list[str] = field(default_factory=list)
    first_run_errors: list[str] = field(default_factory=list)
    skipped_second_run: list[str] = field(default_factory=list)
    restarts: int = 0
    seconds: float = 0.0

    @property
    def problems(self) -> int:
        late = [i for i in self.interrupted if not i.in_time]
        left = [i for i in self.interrupted if i.leftovers or i.import_lock_held]
        return len(late) + len(left) + len(self.rerun_failures) + len(self.first_run_errors)


class Kernel:
    """A kernel for one notebook, its stderr captured in a file (the 'terminal')."""

    def __init__(self, cwd: Path, log: Path) -> None:
        self.cwd, self.log_path = cwd, log
        self.log = log.open("ab")
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(cwd), stdout=self.log, stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.garbled = 0  # shell messages that failed their signature (see shell_msg)
        self.pid = int(self.expression("__import__('os').getpid()"))

    def send(self, code: str) -> str:
        # stop_on_error=False: an error (KeyboardInterrupt...) must not abort the requests queued
        # behind it (the trivial execute, the snapshots), as it would by default.
        return self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)

    def shell_msg(self, timeout: float) -> dict | None:
        """The next shell message, or None for one that failed its signature (counted).

        That is what an interrupt inside ipykernel's ``send_multipart`` of a reply leaves: the
        reply's first frames, then the next reply's frames, delivered as one message.
        Raises queue.Empty if nothing came within ``timeout`` seconds.
        """
        try:
            return self.kc.get_shell_msg(timeout=timeout)
        except ValueError as error:
            if not str(error).startswith("Invalid Signature"):
                raise
            self.garbled += 1
            return None

    def wait(self, msg_id: str, timeout: float) -> dict | None:
        """The shell reply to ``msg_id``, or None if none came within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                msg = self.shell_msg(remaining)
            except queue.Empty:
                return None
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                self.drop_outputs()
                return msg

    def drop_outputs(self) -> None:
        """Empty the iopub queue: outputs are not compared here (the suite does that)."""
        with contextlib.suppress(queue.Empty):
            while True:
                self.kc.get_iopub_msg(timeout=0)

    def wait_started(self, msg_id: str, timeout: float = 30.0) -> None:
        """Wait until the kernel says it started running ``msg_id`` (iopub execute_input)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                return

    def wait_many(
        self, msg_ids: set[str], timeout: float, until: str | None = None
    ) -> dict[str, dict]:
        """The shell replies to ``msg_ids`` that came within ``timeout`` seconds.

        Stops early once the reply to ``until`` came: the kernel answers requests in order, so
        a reply to an earlier request that has not come by then will never come. Stops too at
        a garbled message: the replies in it are lost (see :meth:`shell_msg`).
        """
        replies: dict[str, dict] = {}
        deadline = time.monotonic() + timeout
        while len(replies) < len(msg_ids) and until not in replies:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                msg = self.shell_msg(remaining)
            except queue.Empty:
                break
            if msg is None:
                break
            parent = msg["parent_header"].get("msg_id")
            if parent in msg_ids:
                replies[parent] = msg
        self.drop_outputs()
        return replies

    def run(self, code: str, timeout: float = CELL_TIMEOUT) -> Reply:
        start = time.monotonic()
        msg = self.wait(self.send(code), timeout)
        return reply_of(msg, time.monotonic() - start)

    def expression(self, expression: str) -> str:
        msg_id = self.kc.execute(
            "",
            silent=True,
            store_history=False,
            user_expressions={"e": expression},
            stop_on_error=False,
        )
        msg = self.wait(msg_id, 30)
        if msg is None:
            raise TimeoutError("the kernel did not answer a user expression in 30 s")
        if msg["content"]["status"] != "ok":  # aborted: queued behind an error
            raise RuntimeError(f"the kernel did not evaluate {expression}: {msg['content']}")
        value = msg["content"]["user_expressions"]["e"]
        if value.get("status") != "ok":
            raise RuntimeError(f"kernel could not evaluate {expression}: {value}")
        return ast.literal_eval(value["data"]["text/plain"])

    def snapshot(self) -> dict[str, set[str]]:
        """Non-daemon threads, child processes (not services) and listening sockets now."""
        state = json.loads(self.expression(SNAPSHOT))
        threads = {
            f"thread {name}"
            for name, _ in state["threads"]
            if not LOOP_EXECUTOR_THREAD.fullmatch(name)
        }
        process = psutil.Process(self.pid)
        children = set()
        for child in process.children(recursive=True):
            try:
                cmdline = " ".join(child.cmdline())
                if child.status() == psutil.STATUS_ZOMBIE:
                    continue  # exited, not yet reaped: nothing runs
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            if not is_service_process(cmdline):
                children.add(f"process {child.pid} {cmdline[:90]}")
        listening = {
            f"listening {c.laddr.ip}:{c.laddr.port}"
            for c in process.net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN
        }
        return {"threads": threads, "children": children, "listening": listening}

    def terminal_size(self) -> int:
        self.log.flush()
        return self.log_path.stat().st_size

    def terminal_since(self, offset: int) -> str:
        self.log.flush()
        with self.log_path.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def kill_children(self, pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()


def reply_of(msg: dict | None, seconds: float) -> Reply:
    if msg is None:
        return Reply("timeout", seconds)
    content = msg["content"]
    if content["status"] == "ok":
        return Reply("ok", seconds)
    if content["status"] == "aborted":
        return Reply("error", seconds, "aborted by the kernel (queued behind an error)")
    error = f"{content.get('ename')}: {content.get('evalue', '')}"[:200]
    plain = [ANSI.sub("", f).strip() for f in content.get("traceback", [])]
    frames = [f for f in plain if f.startswith(("File ", "Cell In"))]  # IPython's frame headers
    where = frames[-1].splitlines()[0][:160] if frames else ""
    return Reply("error", seconds, error, where)


def new_items(before: dict[str, set[str]], now: dict[str, set[str]]) -> list[str]:
    return sorted(item for kind in now for item in now[kind] - before[kind])


def parsed(source: str) -> ast.Module | None:
    """The cell's syntax tree, or None for IPython syntax (%magic, !shell) that ast cannot read."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def names_from_story_modules(sources: list[str]) -> set[str]:
    """Names a notebook imports from helpers.experiments / helpers.demos that may start things.

    Everything imported from there counts, except a plain record (a dataclass such as 16's
    ``Chaos`` settings) whose source starts nothing: a Setup cell that builds one starts nothing.
    """
    names: set[str] = set()
    for source in sources:
        tree = parsed(source)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom) and re.match(
                r"helpers\.(experiments|demos)\b", node.module or ""
            ):
                names.update(
                    alias.asname or alias.name
                    for alias in node.names
                    if not is_plain_record(node.module, alias.name)
                )
    return names


def is_plain_record(module: str, name: str) -> bool:
    """Is ``module.name`` a dataclass whose source starts nothing? Unknown names are not."""
    try:
        obj = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    if not (isinstance(obj, type) and dataclasses.is_dataclass(obj)):
        return False
    return not STARTERS.search(inspect.getsource(obj))


DEFINITIONS = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def run_at_definition(node: ast.stmt) -> list[ast.AST]:
    """The parts of a definition that run when it is defined: decorators, defaults, bases."""
    parts: list[ast.AST] = list(getattr(node, "decorator_list", []))
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        parts += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
    if isinstance(node, ast.ClassDef):
        parts += [*node.bases, *(k.value for k in node.keywords)]
    return parts


def executed_nodes(tree: ast.Module) -> list[ast.AST]:
    """What running the cell executes beyond imports and definitions' bodies.

    Importing ``make_pool`` starts nothing (a Setup cell only imports) and neither does defining
    a function whose body makes a pool: such a cell is run, not interrupted. Uses of those
    functions are found by name (:func:`starter_definitions`).
    """
    nodes: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            nodes += run_at_definition(node)
        elif not isinstance(node, ast.Import | ast.ImportFrom):
            nodes.append(node)
    return nodes


def uses_a_starter(source: str, nodes: list[ast.AST], names: set[str]) -> bool:
    """Do ``nodes`` (of ``source``) start something themselves, or use a name that does?

    A use is any read of the name -- called, or handed on as a callback
    (``interactive_output(show, ...)``, ``check(collect_names)``).
    """
    code = "\n".join(ast.get_source_segment(source, node) or "" for node in nodes)
    if STARTERS.search(code):
        return True
    return any(
        isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in names
        for node in nodes
        for n in ast.walk(node)
    )


def body_nodes(node: ast.stmt) -> list[ast.AST]:
    """A definition's statements, without its docstring (words, not code)."""
    body = list(getattr(node, "body", []))
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return body


def starter_definitions(sources: list[str], names: set[str]) -> set[str]:
    """Functions and classes the notebook defines whose body starts something (or uses one)."""
    definitions: dict[str, tuple[str, list[ast.AST]]] = {}
    for source in sources:
        tree = parsed(source)
        for node in tree.body if tree else ():
            if isinstance(node, DEFINITIONS):
                definitions[node.name] = (source, body_nodes(node))
    found: set[str] = set()
    while True:  # until no definition is added: one may use another
        more = {
            name
            for name, (source, body) in definitions.items()
            if name not in found and uses_a_starter(source, body, names | found)
        }
        if not more:
            return found
        found |= more


def starts_something(source: str, names: set[str]) -> bool:
    """Does running ``source`` start a thread, pool, process, server or cluster?"""
    if source.lstrip().startswith("%%writefile"):  # writes a file, runs nothing
        return False
    tree = parsed(source)
    if tree is None:  # IPython syntax: judge the cell by its whole source
        return bool(STARTERS.search(source)) or any(
            re.search(rf"\b{re.escape(name)}\b", source) for name in names
        )
    return uses_a_starter(source, executed_nodes(tree), names)


def interrupt_cell(
    kernel: Kernel, index: int, source: str, args: argparse.Namespace
) -> tuple[Interrupted, Reply]:
    """Run ``source``, interrupt it; the kernel must answer and nothing it started be left."""
    before = kernel.snapshot()
    offset = kernel.terminal_size()
    msg_id = kernel.send(source)
    kernel.wait_started(msg_id)  # the clock starts when the kernel starts the cell
    start = time.monotonic()
    replies = kernel.wait_many({msg_id}, args.interrupt_after)
    if msg_id in replies:  # finished before the interrupt: nothing to interrupt, nothing to check
        reply = reply_of(replies[msg_id], time.monotonic() - start)
        return Interrupted(index, first_line(source), FINISHED, 0.0), reply
    garbled = kernel.garbled
    kernel.km.interrupt_kernel()
    interrupted_at = time.monotonic()
    trivial_id = kernel.send("None")  # queued behind the cell, as a learner's next cell would be
    replies = kernel.wait_many({msg_id, trivial_id}, HUNG_SECONDS, until=trivial_id)
    if trivial_id not in replies and kernel.garbled > garbled:  # both replies lost: ask again
        trivial_id = kernel.send("None")
        replies |= kernel.wait_many({trivial_id}, HUNG_SECONDS, until=trivial_id)
    answered = None
    if trivial_id in replies:
        answered = round(time.monotonic() - interrupted_at, 2)
    reply = reply_of(replies.get(msg_id), time.monotonic() - start)
    if answered is None:
        what = "no reply, kernel hung"
    elif msg_id not in replies:
        # ipykernel loses the reply when the signal lands after the cell's code ended but before
        # the reply was sent ("KeyboardInterrupt caught in kernel." on its terminal): Jupyter
        # then shows the cell as running, yet the kernel answers. ipykernel's race, not the cell's.
        what = GARBLED if kernel.garbled > garbled else LOST_REPLY
        reply = Reply("error", reply.seconds, what)
    else:
        what = reply.error.split(":")[0] if reply.error else "finished after the interrupt"
    record = Interrupted(index, first_line(source), what, answered, where=reply.where)
    record.in_time = answered is not None and answered <= args.answer_within
    if answered is None:
        return record, Reply("timeout", reply.seconds)
    deadline = time.monotonic() + args.grace
    while True:
        left = new_items(before, kernel.snapshot())
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    record.leftovers = left
    record.import_lock_held = check_import_lock(kernel)
    record.worker_tracebacks = len(WORKER_TRACEBACK.findall(kernel.terminal_since(offset)))
    kernel.kill_children([int(item.split()[1]) for item in left if item.startswith("process ")])
    return record, reply


def check_import_lock(kernel: Kernel) -> bool:
    """Is Python's import lock held now and still 1 s later? An interrupt that lands just after
    importlib took the lock, before the code that releases it, leaves the main thread holding it:
    the kernel answers, but every other thread's next first import waits forever."""
    held = "__import__('_imp').lock_held()"
    if not kernel.expression(held):
        return False
    time.sleep(1.0)  # another thread may simply be importing right now
    return bool(kernel.expression(held))


def first_line(source: str) -> str:
    lines = [
        line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return (lines[0] if lines else source.strip())[:70]


def survive(path: Path, args: argparse.Namespace, log_dir: Path) -> NotebookReport:
    nb = json.loads(path.read_text())
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    story_names = names_from_story_modules(sources)
    story_names |= starter_definitions(sources, story_names)
    report = NotebookReport(path.name, len(cells))
    start = time.monotonic()
    kernel = Kernel(path.parent, log_dir / f"{path.stem}.terminal.log")
    try:
        for index, (cell, source) in enumerate(zip(cells, sources, strict=True), start=1):
            if not source.strip():
                continue
            label = f"cell {index} ({first_line(source)})"
            expect_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
            first: Reply | None = None
            stopped = False  # did an interrupt stop this cell before its uninterrupted run?
            if args.interrupt and starts_something(source, story_names):
                record, reply = interrupt_cell(kernel, index, source, args)
                report.interrupted.append(record)
                if reply.status == "timeout":  # hung: restart, replay the cells before
                    report.restarts += 1
                    kernel.close()
                    kernel = Kernel(path.parent, log_dir / f"{path.stem}.terminal.log")
                    for earlier in sources[: index - 1]:
                        kernel.run(earlier)
                elif record.reply == FINISHED:
                    first = reply
                else:
                    stopped = True
            if first is None:
                first = kernel.run(source)
            if (first.status == "error") != expect_error:
                what = first.error or "raised nothing (tagged raises-exception)"
                after = " (run again after the interrupt)" if stopped else ""
                report.first_run_errors.append(f"{label}{after}: {what}")
                continue
            if not args.rerun:
                continue
            if first.seconds > args.slow:
                report.skipped_second_run.append(f"{label}: {first.seconds:.1f}s")
                continue
            second = kernel.run(source)
            if (second.status == "error") != expect_error:
                what = second.error or "raised nothing (tagged raises-exception)"
                report.rerun_failures.append(f"{label}: second run {what}")
    finally:
        kernel.close()
    report.seconds = round(time.monotonic() - start, 1)
    return report


def print_report(reports: list[NotebookReport]) -> None:
    print(
        "\n| notebook | code cells | interrupted (stopped by it) | kernel answered | leftovers | "
        "worker tracebacks | re-run failures | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in reports:
        stopped = sum(1 for i in r.interrupted if i.reply != FINISHED)
        late = sum(1 for i in r.interrupted if not i.in_time)
        left = sum(len(i.leftovers) for i in r.interrupted)
        tracebacks = sum(i.worker_tracebacks for i in r.interrupted)
        answered = "all in time" if not late else f"{late} NOT in time"
        print(
            f"| {r.notebook} | {r.code_cells} | {len(r.interrupted)} ({stopped}) | {answered} | "
            f"{left} | {tracebacks} | {len(r.rerun_failures)} | {r.seconds} |"
        )
    for r in reports:
        details = []
        for i in r.interrupted:
            lost = i.reply in (LOST_REPLY, GARBLED)
            if not i.in_time or i.leftovers or i.import_lock_held or lost:
                answered = (
                    "kernel did NOT answer within 60 s"
                    if i.answered_in is None
                    else f"kernel answered {i.answered_in}s after the interrupt"
                )
                details.append(f"  - cell {i.cell} `{i.first_line}`: {i.reply}; {answered}")
                details += [f"      left: {item}" for item in i.leftovers]
                if i.import_lock_held:
                    details.append(f"      import lock left held; interrupted at: {i.where}")
        details += [f"  - re-run: {x}" for x in r.rerun_failures]
        details += [f"  - first run error: {x}" for x in r.first_run_errors]
        details += [f"  - not run twice (slow): {x}" for x in r.skipped_second_run]
        if r.restarts:
            details.append(f"  - kernel restarted {r.restarts} time(s)")
        if details:
            print(f"\n{r.notebook}:")
            print("\n".join(details))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every course notebook")
    parser.add_argument("--interrupt-after", type=float, default=0.3, metavar="S")
    parser.add_argument("--answer-within", type=float, default=5.0, metavar="S")
    parser.add_argument("--grace", type=float, default=5.0, metavar="S")
    parser.add_argument("--slow", type=float, default=10.0, metavar="S")
    parser.add_argument("--no-interrupt", dest="interrupt", action="store_false")
    parser.add_argument("--no-rerun", dest="rerun", action="store_false")
    args = parser.parse_args()
    notebooks = [p.resolve() for p in args.notebooks] or course_notebooks()
    log_dir = ROOT / "build" / "survive"
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("*.terminal.log"):
        old.unlink()
    reports = []
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for path in notebooks:
        print(f"test-survive: {path.name}", flush=True)
        reports.append(survive(path, args, log_dir))
        print(f"  {reports[-1].seconds}s, {reports[-1].problems} problem(s)", flush=True)
    print_report(reports)
    (ROOT / "build" / "survive.json").write_text(
        json.dumps([asdict(r) for r in reports], indent=2) + "\n"
    )
    total = sum(r.problems for r in reports)
    print(
        f"\ntest-survive: {total} problem(s) in {sum(r.seconds for r in reports):.0f}s "
        f"(kernel terminal output: build/survive/)"
    )
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
