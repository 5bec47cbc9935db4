"""Mutation fuzzing of the model files, shared by tests/fuzz/ and benchmarks/fuzz_campaign.py.

Seeds are the bundled example workbooks (as written by the app, and as a spreadsheet program
with shared strings writes them), a small generated chain, and the native JSON of each.
Mutants are made the ways an attacker or a broken disk would: bytes flipped, inserted or cut
anywhere; a part inflated, edited and packed again (so its checksum is right); cells, rows,
references, types, sheet names and relationships edited in the XML; JSON values swapped for
hostile ones (huge integers, NaN tokens, surrogates, objects, control characters).

Each input is checked in a worker process (``worker.py``) whose address space is capped:
loading gives a model or a clean refusal (ImportFailed), never a traceback; problems can be
printed; an accepted model reads back the same through xlsx -> json -> xlsx -> json. The
parent kills a worker that takes longer than the time limit, and records what happened.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import selectors
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REGRESSIONS = HERE / "regressions"
MEMORY_LIMIT = 2 * 1024**3  # address space of a worker: every input must be handled below it
TIME_LIMIT = 30.0  # seconds per input
OUTCOMES = ("accepted", "accepted-invalid", "refused", "traceback", "hang", "memory", "crash",
            "loss")
FAILURES = frozenset({"traceback", "hang", "memory", "crash", "loss"})


# --- seeds ---------------------------------------------------------------------------------------

def make_seeds(folder: Path) -> list[Path]:
    """Seed files in ``folder``: every example workbook, one rewritten with shared strings, a
    small generated chain in both languages, and the native JSON of each model."""
    from openpyxl import load_workbook

    from examples import example_files
    from models.files import load_model, save_model
    from planner.generate import generate

    folder.mkdir(parents=True, exist_ok=True)
    seeds = []
    for example in example_files():
        copy = folder / example.name
        copy.write_bytes(example.read_bytes())
        seeds.append(copy)
        native = folder / (example.stem + ".json")
        save_model(load_model(example, allow_invalid=True).model, native)
        seeds.append(native)
    shared = folder / "shared_strings.xlsx"  # as Excel writes: text in xl/sharedStrings.xml
    book = load_workbook(example_files()[0])
    book.save(shared)
    seeds.append(shared)
    small = generate(12, seed=3)
    for name, lang in (("small.xlsx", "en"), ("small_zh.xlsx", "zh_CN"), ("small.json", "en")):
        save_model(small, folder / name, lang)
        seeds.append(folder / name)
    return seeds


# --- hostile values ------------------------------------------------------------------------------

BIG = {"<big401>": "9" * 401, "<big4301>": "7" * 4301, "<big20>": "12345678901234567890"}
HOSTILE_TEXT = ["", " ", "\x0b", "a\x00b", "\x01\x1f", "_x0041_", "_x005F_", "x\r\ny", "#N/A",
                "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                "=1+1", "+86 21", "-5", "@SUM(A1)", "\u2028", "\ufeff", "\ufffe", "😀", "中文",
                "name", "名称", "id", "schema_version", "model_name", "  padded  ", "x" * 40_000,
                "x" * 32_767, "\ud800", "a\udfffb", "<c r=\"A1\"/>", "&amp;", "]]>", "0", "1e999",
                "NaN", "true", "2026-01-01", "99999999999999999999"]


def hostile_json_value(rng: random.Random) -> Any:
    choice = rng.randrange(14)
    if choice == 0:
        return rng.choice(list(BIG))  # placeholders, spliced in as raw digits
    if choice == 1:
        return rng.choice([float("nan"), float("inf"), float("-inf")])
    if choice == 2:
        return {"nested": {"deeper": [1, {"a": None}]}}
    if choice == 3:
        return [rng.choice(HOSTILE_TEXT), 1, None]
    if choice == 4:
        return None
    if choice == 5:
        return rng.choice([True, False])
    if choice == 6:
        return rng.choice([-1, 0, 2**53, 2**53 + 1, -(2**63), 10**300, 1e308, -0.0, 5e-324])
    if choice == 7:
        return rng.random() * 10 ** rng.randrange(-5, 12)
    return rng.choice(HOSTILE_TEXT)


def hostile_name(rng: random.Random) -> str:
    return rng.choice([*HOSTILE_TEXT[:31], "Notes", "Contact\x01", " Notes", "Notes ", "\ud800x"])


# --- JSON mutants --------------------------------------------------------------------------------

def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:40]):
            found += _paths(value, (*prefix, index))
    return found


def _dump(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=True, allow_nan=True)
    for placeholder, digits in BIG.items():
        text = text.replace(json.dumps(placeholder), digits)
    return text.encode()


def mutate_json(rng: random.Random, raw: bytes) -> bytes:
    if rng.random() < 0.25:
        return mutate_bytes(rng, raw)
    data = json.loads(raw)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.randrange(10)
        if action < 5:
            parent[last] = hostile_json_value(rng)
        elif action == 5 and isinstance(parent, dict):
            del parent[last]
        elif action == 6 and isinstance(parent, dict):
            parent[hostile_name(rng)] = hostile_json_value(rng)
        elif action == 7 and isinstance(parent, dict):
            extra = parent.setdefault("extra", {})
            if isinstance(extra, dict):
                extra[hostile_name(rng)] = hostile_json_value(rng)
        elif action == 8 and isinstance(parent, list) and parent:
            parent.extend(parent[: rng.randrange(1, 4)])  # duplicated records
        else:
            parent[last] = rng.choice(["", [], {}, 0, "x"])
    return _dump(data)


# --- byte mutants (any file) -----------------------------------------------------------------

def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.choice([1, 1, 2, 4, 8])):
        if not data:
            break
        action = rng.randrange(6)
        at = rng.randrange(len(data))
        if action < 3:
            data[at] = rng.randrange(256)
        elif action == 3:
            data[at:at] = rng.randbytes(rng.randrange(1, 16))
        elif action == 4:
            del data[at:at + rng.randrange(1, 64)]
        else:
            data[at:at] = data[rng.randrange(len(data)):][: rng.randrange(1, 256)]
    if rng.random() < 0.05:
        del data[rng.randrange(max(len(data), 1)):]
    return bytes(data)


# --- workbook mutants ----------------------------------------------------------------------------

def _parts(raw: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _pack(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


FAR = ["XFD1048576", "A1048576", "XFD1", "ZZ99999", "T1000000", "A0", "1A", "xfd1048576",
       "A0001048576", "AAAA1", "A99999999999", "B" + "9" * 30, "A-1", ""]
CELL_TYPES = ["s", "str", "inlineStr", "e", "b", "n", "d", "S", "", "bogus"]
VALUES = ["-1", "0", "1", "99999", "18446744073709551617", "NaN", "1e999", "", "#N/A",
          "#GETTING_DATA", "abc", "1.5", "2024-13-45", "&#0;", "_x0000_", "9" * 400]


def _edit_sheet(rng: random.Random, xml: bytes) -> bytes:
    action = rng.randrange(14)
    cells = [m.span() for m in re.finditer(rb"<c\b[^>]*>", xml)]
    if action == 0 and cells:  # a cell moved far away, or given a broken reference
        start, end = rng.choice(cells)
        tag = re.sub(rb'r="[^"]*"', b'r="' + rng.choice(FAR).encode() + b'"', xml[start:end])
        return xml[:start] + tag + xml[end:]
    if action == 1 and cells:  # another cell type
        start, end = rng.choice(cells)
        kind = rng.choice(CELL_TYPES).encode()
        tag = xml[start:end]
        tag = re.sub(rb't="[^"]*"', b't="' + kind + b'"', tag) if b't="' in tag \
            else tag[:-1].rstrip(b"/") + b' t="' + kind + b'"' + (b"/>" if tag.endswith(b"/>")
                                                                  else b">")
        return xml[:start] + tag + xml[end:]
    values = [m.span(1) for m in re.finditer(rb"<v>([^<]*)</v>", xml)]
    texts = [m.span(1) for m in re.finditer(rb"<t[^>]*>([^<]*)</t>", xml)]
    if action == 2 and values:
        start, end = rng.choice(values)
        return xml[:start] + rng.choice(VALUES).encode() + xml[end:]
    if action == 3 and texts:
        start, end = rng.choice(texts)
        text = rng.choice(HOSTILE_TEXT[:33]).encode("utf-8", "surrogatepass")
        return xml[:start] + text.replace(b"<", b"&lt;") + xml[end:]
    rows = [m.span() for m in re.finditer(rb"<row\b.*?</row>", xml, re.S)]
    if action == 4 and rows:  # rows repeated (duplicate ids, many rows)
        start, end = rng.choice(rows)
        return xml[:end] + xml[start:end] * rng.choice([1, 2, 50]) + xml[end:]
    if action == 5 and rows:
        start, end = rng.choice(rows)
        return xml[:start] + xml[end:]
    if action == 6 and cells:  # a cell value as a shared-string index
        start, end = rng.choice(cells)
        return xml[:start] + b'<c r="B2" t="s"><v>' + rng.choice(VALUES).encode() + b"</v></c>" \
            + xml[start:]
    if action == 7:
        return rng.choice([b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<?xml-stylesheet x?>",
                           b"<!-- <c r='XFD1048576'/> -->"]) + xml
    if action == 8 and rows:  # a header renamed: duplicate or unknown columns
        header = re.search(rb"<t>([^<]*)</t>", xml)
        if header:
            name = rng.choice(["id", "name", "Notes", "", "名称", "=x", "Notes"]).encode()
            return xml[:header.start(1)] + name + xml[header.end(1):]
    if action == 9:
        cut = rng.randrange(len(xml) or 1)
        return xml[:cut]
    if action == 10 and cells:
        start, _ = rng.choice(cells)
        return xml[:start] + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' \
            + xml[start:]
    if action == 11:  # the same sheet as other programs write it: tags with a prefix
        body = re.sub(rb"<(/?)(?!\?|!)([A-Za-z])", rb"<\1x:\2", xml)
        return body.replace(b"<x:worksheet ", b'<x:worksheet xmlns:x="http://schemas.'
                            b'openxmlformats.org/spreadsheetml/2006/main" ', 1)
    if action == 12:  # ... or without references: each cell takes the next place
        return re.sub(rb'(<(?:c|row)\b[^>]*?)\sr="[^"]*"', rb"\1", xml)
    return mutate_bytes(rng, xml)


def _edit_book(rng: random.Random, xml: bytes) -> bytes:
    names = list(re.finditer(rb'name="([^"]*)"', xml))
    action = rng.randrange(5)
    if action == 0 and names:
        match = rng.choice(names)
        new = rng.choice(["Enterprises", "企业", "Links", "Junk", "", "Settings", "Results x",
                          "Instructions", "enterprises ", "Assessments", "评测"]).encode()
        return xml[:match.start(1)] + new + xml[match.end(1):]
    if action == 1:
        return re.sub(rb'r:id="rId(\d)"', lambda m: b'r:id="rId' + str(rng.randrange(1, 12))
                      .encode() + b'"', xml, count=1)
    if action == 2:  # one more sheet on an existing part
        return xml.replace(b"</sheets>", b'<sheet name="' + rng.choice(
            [b"Enterprises", b"Extra", b"Links"]) + b'" sheetId="99" r:id="rId3"/></sheets>')
    return mutate_bytes(rng, xml)


def _edit_rels(rng: random.Random, xml: bytes) -> bytes:
    targets = list(re.finditer(rb'Target="([^"]*)"', xml))
    if targets and rng.random() < 0.7:
        match = rng.choice(targets)
        old = match.group(1).decode()
        new = rng.choice([old.lstrip("/"), "/" + old.lstrip("/"), old.upper(), "../" + old,
                          old.replace("/", "\\"), "/xl/worksheets/sheet1.xml", "missing.xml",
                          "/xl/sharedStrings.xml", "xl/" + old.lstrip("/")]).encode()
        return xml[:match.start(1)] + new + xml[match.end(1):]
    return mutate_bytes(rng, xml)


def mutate_workbook(rng: random.Random, raw: bytes) -> bytes:
    kind = rng.randrange(10)
    if kind == 0:
        return mutate_bytes(rng, raw)  # mostly damaged archives: CRC, headers, truncation
    try:
        parts = [(info.filename, data) for info, data in _parts(raw)]
    except (zipfile.BadZipFile, ValueError):
        return mutate_bytes(rng, raw)
    sheets = [i for i, (name, _) in enumerate(parts) if name.startswith("xl/worksheets/")]
    if kind == 1:  # structure: a part dropped, renamed or duplicated, or a junk sheet added
        index = rng.randrange(len(parts))
        name, data = parts[index]
        choice = rng.randrange(4)
        if choice == 0:
            del parts[index]
        elif choice == 1:
            parts[index] = (name.upper() if rng.random() < 0.5 else name + "x", data)
        elif choice == 2:
            parts.append((name.upper(), data))
        else:
            parts.append(("xl/worksheets/sheet99.xml", b'<worksheet xmlns="http://schemas.'
                          b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
                          b'<c r="A1"><v>1</v></c></row><row r="1000000"><c r="T1000000">'
                          b"<v>1</v></c></row></sheetData></worksheet>"))
        return _pack(parts)
    if kind == 2:
        index = next(i for i, (n, _) in enumerate(parts) if n == "xl/workbook.xml") \
            if any(n == "xl/workbook.xml" for n, _ in parts) else 0
        parts[index] = (parts[index][0], _edit_book(rng, parts[index][1]))
        return _pack(parts)
    if kind == 3:
        index = next((i for i, (n, _) in enumerate(parts) if n.endswith("workbook.xml.rels")), 0)
        parts[index] = (parts[index][0], _edit_rels(rng, parts[index][1]))
        return _pack(parts)
    if kind == 4:  # any part's inflated bytes
        index = rng.randrange(len(parts))
        parts[index] = (parts[index][0], mutate_bytes(rng, parts[index][1]))
        return _pack(parts)
    strings = next((i for i, (n, _) in enumerate(parts) if n == "xl/sharedStrings.xml"), None)
    if kind == 5 and strings is not None:  # shared strings dropped, emptied or made long
        name, xml = parts[strings]
        items = list(re.finditer(rb"<si>.*?</si>", xml, re.S))
        if items:
            item = rng.choice(items)
            new = rng.choice([b"", b"<si/>", b"<si><t>" + b"x" * 40_000 + b"</t></si>",
                              b"<si><t>" + rng.choice(HOSTILE_TEXT[:20]).encode() + b"</t></si>"])
            parts[strings] = (name, xml[:item.start()] + new + xml[item.end():])
        return _pack(parts)
    if not sheets:
        return mutate_bytes(rng, raw)
    for _ in range(rng.choice([1, 1, 2, 3])):
        index = rng.choice(sheets)
        parts[index] = (parts[index][0], _edit_sheet(rng, parts[index][1]))
    return _pack(parts)


def mutate(rng: random.Random, seed: Path) -> tuple[bytes, str]:
    """A mutant of ``seed`` and the suffix to save it with."""
    raw = seed.read_bytes()
    if seed.suffix == ".json":
        return mutate_json(rng, raw), ".json"
    return mutate_workbook(rng, raw), seed.suffix


# --- the worker ------------------------------------------------------------------------------

@dataclass
class Result:
    outcome: str
    detail: str = ""
    seconds: float = 0.0


class Worker:
    """A process that checks inputs one by one, in a capped address space; killed and
    started again when an input takes too long or takes the process down."""

    def __init__(self, memory: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT):
        self.memory, self.time_limit = memory, time_limit
        self.process: subprocess.Popen[str] | None = None
        self.folder = tempfile.TemporaryDirectory(prefix="chainplan-fuzz-")
        self.errors = Path(self.folder.name) / "stderr"  # the worker's, for a crash's message

    def _start(self) -> subprocess.Popen[str]:
        env = {**os.environ, "RUST_BACKTRACE": "0", "PYTHONHASHSEED": "0"}
        with open(self.errors, "wb") as errors:  # the worker keeps its own copy open
            return subprocess.Popen([sys.executable, str(HERE / "worker.py"), str(self.memory),
                                     self.folder.name],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=errors, text=True, env=env, bufsize=1)

    def check(self, path: Path, lang: str = "en") -> Result:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        started = time.perf_counter()
        try:
            process.stdin.write(json.dumps({"path": str(path), "lang": lang}) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            return self._died(started)
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(self.time_limit + 5):  # the worker's start-up is not counted
                self.close()
                return Result("hang", f"no answer within {self.time_limit:.0f} s",
                              time.perf_counter() - started)
        line = process.stdout.readline()
        if not line:
            return self._died(started)
        answer = json.loads(line)
        result = Result(answer["outcome"], answer.get("detail", ""), answer["seconds"])
        if result.seconds > self.time_limit and result.outcome not in FAILURES:
            result = Result("hang", f"took {result.seconds:.1f} s", result.seconds)
        return result

    def _died(self, started: float) -> Result:
        assert self.process is not None
        code = self.process.wait()
        self.close()
        tail = self.errors.read_bytes()[-2000:].decode("utf-8", "replace")
        outcome = "memory" if "memory allocation" in tail or "MemoryError" in tail else "crash"
        return Result(outcome, f"worker exit {code}: {tail}", time.perf_counter() - started)

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.process = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self.folder.cleanup()


# --- the command line --------------------------------------------------------------------------

def cli_command(rng: random.Random, path: Path, out: Path) -> list[str]:
    """A random command on ``path``, its numeric options sometimes out of range."""
    number = lambda good: rng.choice([good, good, "nan", "-1", "inf", "7", "0", "1e999",  # noqa: E731
                                      "x", "-0", "2.5"])
    command = rng.choice(["validate", "convert-json", "convert-xlsx", "evaluate", "assess",
                          "compare", "optimise"])
    lang = rng.choice(["en", "zh_CN"])
    if command == "validate":
        return ["validate", str(path), "--lang", lang]
    if command.startswith("convert"):
        return ["convert", str(path), str(out.with_suffix("." + command.split("-")[1])),
                "--lang", lang]
    if command == "evaluate":
        return ["evaluate", str(path), "--json"]
    if command == "assess":
        return ["assess", str(path), "--lang", lang]
    if command == "compare":
        return ["compare", str(path), "--lang", lang]
    return ["optimise", str(path), "--scenario", rng.choice(["Core-led", "Base", "No programme"]),
            "--core-budget", number("500"), "--government-budget", number("300"),
            "--core-share", number("0.5"), "--sme-cost-cap", number("0.02"),
            "--time-limit", number("5"), "--explain", number("3"), "--out", str(out)]


def run_cli(argv: list[str], memory: int = MEMORY_LIMIT, time_limit: float = TIME_LIMIT
            ) -> Result:
    """Run ``chainplan argv``: exit 0, 1 or 2 and no traceback, within the limits."""
    script = ("import resource, sys\n"
              f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
              "from planner.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    started = time.perf_counter()
    env = {**os.environ, "RUST_BACKTRACE": "0", "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    try:
        child = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True,
                               text=True, errors="replace", timeout=time_limit + 10, env=env,
                               check=False)
    except subprocess.TimeoutExpired:
        return Result("hang", " ".join(argv), time.perf_counter() - started)
    seconds = time.perf_counter() - started
    if "Traceback" in child.stderr or child.returncode not in (0, 1, 2):
        outcome = "memory" if "MemoryError" in child.stderr or "memory allocation" in \
            child.stderr else "traceback" if "Traceback" in child.stderr else "crash"
        return Result(outcome, f"exit {child.returncode}: {' '.join(argv)}\n"
                      f"{child.stderr[-2000:]}", seconds)
    return Result("refused" if child.returncode else "accepted", "", seconds)


# --- a campaign ----------------------------------------------------------------------------------

@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, Path, str]] = field(default_factory=list)
    slowest: float = 0.0

    def add(self, result: Result, path: Path, keep: Path | None) -> None:
        self.counts[result.outcome] += 1
        self.slowest = max(self.slowest, result.seconds)
        if result.outcome in FAILURES:
            kept = path
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                kept = keep / f"{result.outcome}-{sum(self.counts.values()):05d}{path.suffix}"
                kept.write_bytes(path.read_bytes())
            self.failures.append((result.outcome, kept, result.detail))

    @property
    def tried(self) -> int:
        return sum(self.counts.values())


def fuzz_files(seeds: list[Path], count: int, seed: int, work: Path, worker: Worker,
               keep: Path | None = None, stop: Callable[[], bool] = lambda: False,
               suffixes: tuple[str, ...] = (".xlsx", ".json")) -> Tally:
    """Check ``count`` mutants of ``seeds`` (of the given kinds), reproducibly from ``seed``."""
    rng = random.Random(seed)
    chosen = [s for s in seeds if s.suffix in suffixes]
    tally = Tally()
    for number in range(count):
        if stop():
            break
        data, suffix = mutate(rng, rng.choice(chosen))
        path = work / f"input-{number % 8}{suffix}"
        path.write_bytes(data)
        tally.add(worker.check(path, rng.choice(["en", "zh_CN"])), path, keep)
    return tally
