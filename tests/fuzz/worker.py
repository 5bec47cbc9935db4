"""Checks model files one by one for the fuzzer (tests/fuzz/fuzzing.py); run as a process.

    python tests/fuzz/worker.py MEMORY_BYTES FOLDER

Reads one JSON line per input ({"path": …, "lang": …}) and answers one JSON line
({"outcome": …, "detail": …, "seconds": …}). The outcomes:
- refused: ImportFailed, every problem printable in both languages;
- accepted / accepted-invalid: loaded (with or without errors) and read back the same
  through xlsx -> json -> xlsx -> json;
- loss: accepted, but written and read back it differs, or export refused it;
- traceback / memory: anything else raised (a Rust panic included).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def main() -> None:
    memory, folder = int(sys.argv[1]), Path(sys.argv[2])  # the parent's: it outlives a kill
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from models.files import load_model, save_model
    from models.problems import ExportRefused, ImportFailed

    def through(model: Any, suffix: str, lang: str) -> Any:
        path = folder / ("round" + suffix)
        save_model(model, path, lang)
        return load_model(path, allow_invalid=True).model

    def check(path: Path, lang: str) -> tuple[str, str]:
        try:
            loaded = load_model(path, allow_invalid=True)
        except ImportFailed as failure:
            texts = [p.text(language) for p in failure.problems for language in ("en", "zh_CN")]
            "\n".join(texts).encode("utf-8")  # printable: no unpaired surrogate
            if not texts:
                return "traceback", "a refusal without a reason"
            return "refused", texts[0][:300]
        "\n".join(p.text(language) for p in loaded.problems
                  for language in ("en", "zh_CN")).encode("utf-8")
        errors = [p for p in loaded.problems if p.is_error]
        other = "zh_CN" if lang == "en" else "en"
        try:
            models = [loaded.model]
            for suffix, language in ((".xlsx", lang), (".json", lang), (".xlsx", other),
                                     (".json", other)):
                models.append(through(models[-1], suffix, language))
        except ExportRefused as refused:
            # fine when reading said so already: a model with errors the app shows, which
            # cannot be written as a workbook until they are fixed (text over a cell's limit)
            said = {(p.what, p.key, p.column) for p in errors}
            unsaid = [p for p in refused.problems if (p.what, p.key, p.column) not in said]
            if not unsaid:
                return "accepted-invalid", "export refused, as reading said it would"
            return "loss", "export refused an accepted model: " + "; ".join(
                p.text() for p in unsaid[:3])
        except ImportFailed as failure:
            return "loss", "what was written could not be read back: " + "; ".join(
                p.text() for p in failure.problems[:3])
        for step, model in enumerate(models[1:], start=1):
            if model != models[0]:
                return "loss", f"differs after step {step} of xlsx, json, xlsx, json: " \
                    + _difference(models[0], model)
        return ("accepted-invalid" if errors else "accepted"), ""

    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        try:
            outcome, detail = check(Path(request["path"]), request.get("lang", "en"))
        except MemoryError:
            outcome, detail = "memory", traceback.format_exc()[-2000:]
        except BaseException:  # every other exception is what the fuzzer looks for
            outcome, detail = "traceback", traceback.format_exc()[-3000:]
        answer = {"outcome": outcome, "detail": detail,
                  "seconds": round(time.perf_counter() - started, 3)}
        print(json.dumps(answer, ensure_ascii=True), flush=True)


def _difference(first: Any, second: Any) -> str:
    for table in ("settings", "enterprises", "links", "projects", "scenarios", "assignments",
                  "assessments"):
        a, b = getattr(first, table), getattr(second, table)
        if a != b:
            if isinstance(a, list):
                if len(a) != len(b):
                    return f"{table}: {len(a)} rows, then {len(b)}"
                index = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
                return f"{table} row {index + 1}: {a[index]!r:.300} became {b[index]!r:.300}"
            return f"{table}: {a!r:.300} became {b!r:.300}"
    return "?"


if __name__ == "__main__":
    main()
