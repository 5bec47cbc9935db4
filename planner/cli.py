"""The ``chainplan`` command line (the table in README.md).

Exit codes: 0 success, 1 a bad file or a model with errors (a message naming
sheet, row and column, never a traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from models.chain import ChainModel
from models.files import Loaded, load_model, save_model
from models.problems import ImportFailed, Problem

if TYPE_CHECKING:
    import planner.optimise

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
MAX_LISTED = 200


class UserError(Exception):
    """A problem the user can fix, reported without a traceback (exit 1)."""


def _default_lang() -> str:
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    return "zh_CN" if locale.startswith("zh") else "en"


def _number(lo: float | None = None, hi: float | None = None, *, above: bool = False,
            whole: bool = False) -> Callable[[str], Any]:
    """An argparse ``type``: a finite number (a whole one with ``whole``) from ``lo`` to
    ``hi`` (above ``lo`` with ``above``); anything else is a usage error (exit 2)."""
    zh = _default_lang() == "zh_CN"
    kind = ("整数" if zh else "a whole number") if whole else ("数" if zh else "a number")
    if lo is not None and hi is not None:
        wanted = f"{lo:,g} 到 {hi:,g} 之间的{kind}" if zh else f"{kind} from {lo:,g} to {hi:,g}"
    elif lo is not None:
        sign = (">" if above else "≥") + f" {lo:,g}"
        wanted = f"{sign} 的{kind}" if zh else f"{kind} {sign}"
    else:
        wanted = kind

    def parse(text: str) -> float | int:
        try:
            number: float | int = int(text) if whole else float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or (lo is not None and (number <= lo if above
                                                             else number < lo)) \
                or (hi is not None and number > hi):
            raise argparse.ArgumentTypeError(f"应为{wanted}，而不是 {text!r}" if zh
                                             else f"expected {wanted}, not {text!r}")
        return number

    return parse


def _window_size(text: str) -> tuple[int, int]:
    """--size WIDTHxHEIGHT, each from 200 to 10,000 pixels."""
    side = _number(200, 10_000, whole=True)
    parts = text.lower().split("x")
    try:
        if len(parts) != 2:
            raise argparse.ArgumentTypeError("")
        width, height = side(parts[0]), side(parts[1])
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"应为 宽x高（各 200–10000 像素，如 1280x800），而不是 {text!r}"
            if _default_lang() == "zh_CN" else
            f"expected WIDTHxHEIGHT, each from 200 to 10,000 pixels (e.g. 1280x800), "
            f"not {text!r}") from None
    return int(width), int(height)


def _print_problems(problems: Sequence[Problem], lang: str, stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    for problem in problems[:MAX_LISTED]:
        print(problem.text(lang), file=out)
    if len(problems) > MAX_LISTED:
        more = len(problems) - MAX_LISTED
        print(f"… 另有 {more} 条" if lang == "zh_CN" else f"… and {more} more",
              file=out)


def _load(path: str, lang: str, allow_invalid: bool = False) -> Loaded:
    """Load a model, or report every problem on stderr and exit 1."""
    try:
        return load_model(path, allow_invalid=allow_invalid)
    except ImportFailed as failure:
        _print_problems(failure.problems, lang, sys.stderr)
        raise UserError(("无法读取 " if lang == "zh_CN" else "cannot use ") + path) from None


def _save(model: ChainModel, path: str, lang: str) -> None:
    try:
        save_model(model, path, lang)
    except ImportFailed as failure:  # unknown extension
        _print_problems(failure.problems, lang, sys.stderr)
        raise UserError(("无法写入 " if lang == "zh_CN" else "cannot write ") + path) from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None


def cmd_validate(args: argparse.Namespace) -> int:
    loaded = _load(args.file, args.lang, allow_invalid=True)
    _print_problems(loaded.problems, args.lang)
    errors = len(loaded.errors)
    warnings = len(loaded.problems) - errors
    counts = loaded.model.summary()
    if args.lang == "zh_CN":
        print(f"{args.file}：{counts['enterprises']} 家企业，{counts['links']} 条链接，"
              f"{counts['projects']} 个项目，{counts['scenarios']} 个情景，"
              f"{counts['assignments']} 项分配；{errors} 个错误，{warnings} 个警告")
    else:
        print(f"{args.file}: {counts['enterprises']} enterprises, {counts['links']} links, "
              f"{counts['projects']} projects, {counts['scenarios']} scenarios, "
              f"{counts['assignments']} assignments; {errors} errors, {warnings} warnings")
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    if Path(args.input).resolve() == Path(args.output).resolve():
        raise UserError("input and output are the same file")
    loaded = _load(args.input, args.lang)
    # a workbook keeps its language unless --lang picks another
    lang = args.lang if args.lang_given or loaded.lang is None else loaded.lang
    _save(loaded.model, args.output, lang)
    print(f"{args.input} → {args.output}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    if Path(args.out).suffix.lower() != ".xlsx":
        raise UserError("the template is an Excel workbook: give a name ending in .xlsx")
    from models.workbook import save_template

    try:  # with the Assessments sheet, so a consultant can collect a survey in it
        save_template(args.out, args.lang, catalogue=args.catalogue)
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    print(args.out)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from planner.generate import generate

    model = generate(args.enterprises, args.seed)
    _save(model, args.out, args.lang)
    counts = model.summary()
    print(f"{args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return EXIT_OK


def _evaluate(args: argparse.Namespace, names: list[str] | None) -> tuple[Loaded, list[Any]]:
    from planner.engine import evaluate

    loaded = _load(args.file, args.lang)
    known = {s.name for s in loaded.model.scenarios}
    missing = [n for n in names or [] if n not in known]
    if missing:
        raise UserError(f"no scenario named {', '.join(map(repr, missing))}; the model has: "
                        + ", ".join(repr(s.name) for s in loaded.model.scenarios))
    results = evaluate(loaded.model, problems=loaded.problems)
    if names:
        by_name = {r.scenario.name: r for r in results}
        results = [by_name[n] for n in names]
    return loaded, results


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from planner.engine import evaluation_json
    from planner.results import result_sheets, text_report

    loaded, results = _evaluate(args, [args.scenario] if args.scenario else None)
    if args.out:
        if Path(args.out).suffix.lower() != ".xlsx":
            raise UserError("--out writes an Excel workbook: give a name ending in .xlsx")
        from models.workbook import save_workbook

        try:
            save_workbook(loaded.model, args.out, args.lang, result_sheets(results, args.lang))
        except OSError as exc:
            raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    if args.json:
        print(json.dumps(evaluation_json(loaded.model, results), ensure_ascii=False,
                         allow_nan=False))
    else:
        print("\n\n".join(text_report(r, args.lang) for r in results))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """Key figures and policy figures side by side (docs/user-guide.md, “Compare”)."""
    from planner.compare import RISK_SEED, compare_json, compare_text, risk_simulations

    loaded, results = _evaluate(args, args.scenarios)
    risk = risk_simulations(loaded.model, [r.scenario.name for r in results], args.draws,
                            RISK_SEED, evaluated={r.scenario.name: r for r in results}
                            ) if args.draws else None
    if args.json:
        import json

        print(json.dumps(compare_json(results, args.lang, risk),
                         ensure_ascii=False, allow_nan=False))
    else:
        print(compare_text(results, args.lang, risk))
    return EXIT_OK


def cmd_assess(args: argparse.Namespace) -> int:
    """The digital health check of every assessed enterprise.

    How it is scored: docs/method.md, “Health check: scoring and levels”.
    """
    import json

    from models.indicators import level_name
    from planner.health import assess_json

    loaded = _load(args.file, args.lang)
    data = assess_json(loaded.model, args.scenario)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, allow_nan=False))
        return EXIT_OK
    zh = args.lang == "zh_CN"
    rows = data["enterprises"]
    print(("已评测企业" if zh else "assessed enterprises") + f": {len(rows)}")
    for row in rows:
        best = row["fitting_projects"][0]["id"] if row["fitting_projects"] else "—"
        print(f"  {row['id']:<12} {level_name(row['level'], args.lang):<8}  "
              f"{'得分' if zh else 'score'} {row['score']:5.1f}  "
              f"{'首选项目' if zh else 'best project'} {best}  {_gap_text(row['gap'], zh)}")
    levels: dict[int, int] = {}
    for row in rows:
        levels[row["level"]] = levels.get(row["level"], 0) + 1
    print(("等级分布" if zh else "levels") + ": " +
          ", ".join(f"{level_name(k, args.lang)}: {v}" for k, v in sorted(levels.items())))
    return EXIT_OK


def _gap_text(gap: list[dict[str, Any]], zh: bool) -> str:
    """What holds an enterprise back from the next level, in one line."""
    parts = []
    for entry in gap:
        if entry["kind"] == "base":
            parts.append(f"{entry['next_level']} 级还差 {entry['needed']:.1f} 分" if zh else
                         f"to level {entry['next_level']}: +{entry['needed']:.1f} points")
        elif entry["kind"] == "scenario_count":
            parts.append(f"另需 {entry['needed']} 个场景达 {entry['grade']} 级"
                         f"（其中约束性 {entry['constrained_needed']} 个）" if zh else
                         f"{entry['needed']} more scenarios at grade {entry['grade']} "
                         f"({entry['constrained_needed']} constrained)")
    return "; ".join(parts) or ("已达最高等级" if zh else "top level")


def cmd_optimise(args: argparse.Namespace) -> int:
    """Add the best assignments to a scenario within budgets; write the model.

    How they are found: docs/method.md, “Optimiser”.
    """
    from planner.optimise import NPV_MEANING, apply, optimise

    loaded = _load(args.file, args.lang)
    if loaded.model.scenario(args.scenario) is None:
        raise UserError(f"no scenario named {args.scenario!r}")
    try:
        result = optimise(loaded.model, args.scenario, args.core_budget, args.government_budget,
                          per_year=args.per_year, objective=args.objective,
                          core_share=args.core_share, sme_cost_cap=args.sme_cost_cap,
                          time_limit=args.time_limit,
                          park_government_share=args.park_government_share,
                          park_core_share=args.park_core_share)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    zh = args.lang == "zh_CN"
    notes = result.notes(args.lang)
    if args.json:
        return _optimise_json(args, loaded.model, result)
    if not result.changed:  # infeasible, nothing to add, or no plan: the model stays as it is
        for note in notes:
            print(note)
        text = result.summary(args.lang) + (f"未写入 {args.out}。" if zh else
                                            f" {args.out} not written.")
        if result.status in ("optimal", "no candidates"):
            print(text)
            return EXIT_OK
        raise UserError(text)
    _save(apply(loaded.model, result), args.out, args.lang)
    print(result.summary(args.lang))
    for note in notes:
        print(note)
    if result.additions[:args.explain]:
        print(NPV_MEANING[zh])
    for addition in result.additions[:args.explain]:
        print("  + " + addition.line(args.lang))
    if len(result.additions) > args.explain:
        more = len(result.additions) - args.explain
        print(f"  … 另有 {more} 项（--explain N 可列出更多）" if zh else
              f"  … and {more} more (--explain N lists more)")
    print(args.out)
    return EXIT_OK


def _optimise_json(args: argparse.Namespace, model: ChainModel,
                   result: planner.optimise.OptimiseResult) -> int:
    """``optimise --json``: the result as one JSON object (docs/method.md, “Optimiser”)."""
    import json

    from planner.optimise import HEURISTIC, LP_HEURISTIC, apply

    if result.changed:
        _save(apply(model, result), args.out, args.lang)
    print(json.dumps({
        "scenario": args.scenario,
        "new_scenario": result.scenario.name if result.changed else None,
        "written": args.out if result.changed else None,
        "status": result.status,
        "summary": result.summary(args.lang),
        "exact": result.exact,
        "objective_kind": result.kind,
        "objective": result.objective,
        "base_objective": result.base_objective,
        "bound": result.bound,
        "bound_kind": result.bound_kind or None,  # solver, LP relaxation, Lagrangian, loose; null: none
        "gap": result.gap,  # null: unknown (no bound proven)
        "time": round(result.seconds, 3),
        "time_limit": args.time_limit,
        "additions": len(result.additions),
        "candidates": result.candidates,
        "heuristic": result.status in (HEURISTIC, LP_HEURISTIC),
        "how": result.message,  # what the solver and the heuristic did
        "notes": result.notes(args.lang),
    }, ensure_ascii=False, allow_nan=False))
    return EXIT_OK if result.changed or result.status in ("optimal", "no candidates") \
        else EXIT_BAD_INPUT


def cmd_simulate(args: argparse.Namespace) -> int:
    """Who takes part and how sure the benefits are (docs/method.md, “Who takes part”)."""
    import json

    from planner.simulate import KPIS, simulate

    loaded = _load(args.file, args.lang)
    if loaded.model.scenario(args.scenario) is None:
        raise UserError(f"no scenario named {args.scenario!r}; the model has: "
                        + ", ".join(repr(s.name) for s in loaded.model.scenarios))
    result = simulate(loaded.model, args.scenario, args.draws, args.seed)
    if args.json:
        print(json.dumps(result.json(), ensure_ascii=False, allow_nan=False))
        return EXIT_OK
    zh = args.lang == "zh_CN"
    print(f"{args.scenario}：{args.draws} 次抽样（种子 {args.seed}）；确定性净现值 "
          f"{result.deterministic_npv:,.2f}；净现值为负的概率 {result.prob_npv_negative:.1%}"
          if zh else
          f"{args.scenario}: {args.draws} draws (seed {args.seed}); deterministic NPV "
          f"{result.deterministic_npv:,.2f}; probability of a negative NPV "
          f"{result.prob_npv_negative:.1%}")
    print(f"  {'':<24}" + "".join(f"{name:>14}" for name in
                                  ("mean", "sd", "p5", "p50", "p95")))
    for key in KPIS:
        stats = result.stats(key)
        cells = "".join(f"{'—':>14}" if stats[name] is None else f"{stats[name]:>14,.4g}"
                        for name in ("mean", "sd", "p5", "p50", "p95"))
        print(f"  {key:<24}{cells}")
    return EXIT_OK


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """The tornado: the NPV when each input moves by ±F (docs/method.md, “Sensitivity”)."""
    import json

    from planner.sensitivity import tornado

    loaded = _load(args.file, args.lang)
    if loaded.model.scenario(args.scenario) is None:
        raise UserError(f"no scenario named {args.scenario!r}; the model has: "
                        + ", ".join(repr(s.name) for s in loaded.model.scenarios))
    result = tornado(loaded.model, args.scenario, args.swing)
    if args.json:
        print(json.dumps(result.json(), ensure_ascii=False, allow_nan=False))
        return EXIT_OK
    zh = args.lang == "zh_CN"
    print(f"{args.scenario}：净现值 {result.npv:,.2f}；各输入变动 ±{args.swing:.0%}" if zh else
           f"{args.scenario}: NPV {result.npv:,.2f}; each input moved by ±{args.swing:.0%}")
    print(f"  {'参数' if zh else 'parameter':<24}{'低' if zh else 'low':>12}{'高' if zh else 'high':>12}"
          f"{'净现值(低)' if zh else 'NPV low':>16}{'净现值(高)' if zh else 'NPV high':>16}"
          f"{'中小企业(低)' if zh else 'SME NPV low':>16}{'中小企业(高)' if zh else 'SME NPV high':>16}")
    for row in result.rows:
        print(f"  {row.parameter:<24}{row.low:>12,.4g}{row.high:>12,.4g}{row.npv_low:>16,.2f}"
              f"{row.npv_high:>16,.2f}{row.npv_sme_low:>16,.2f}{row.npv_sme_high:>16,.2f}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The consultant's PDF report: content from planner.report, painted by the Qt side
    (off screen, no display needed) through ui.app, the one door into it."""
    if Path(args.out).suffix.lower() != ".pdf":
        raise UserError("--out writes a PDF: give a name ending in .pdf")
    from planner.report import ReportError, build_report

    loaded = _load(args.file, args.lang)
    try:
        report = build_report(loaded.model, args.lang, problems=loaded.problems)
    except ReportError as exc:
        raise UserError(str(exc)) from None
    from ui.app import write_report_pdf

    try:
        write_report_pdf(report, args.out)
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc}") from None
    print(args.out)
    return EXIT_OK


def cmd_survey(args: argparse.Namespace) -> int:
    from models.survey import write_surveys

    model = _load(args.file, args.lang).model
    try:
        written = write_surveys(model, args.out, args.lang, args.enterprises)
    except KeyError as exc:
        raise UserError(("模型中没有这些企业：" if args.lang == "zh_CN" else
                         "no such enterprises in the model: ") + str(exc.args[0])) from None
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"已写入 {len(written)} 份调查表：{args.out}" if args.lang == "zh_CN"
          else f"{len(written)} surveys written to {args.out}")
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    import json

    from models.survey import (
        APPLIED,
        CONFLICT,
        NOT_CONFIRMED,
        change_text,
        changes_workbook,
        collect,
    )

    model = _load(args.file, args.lang).model
    collection = collect(model, args.returned)
    zh = args.lang == "zh_CN"
    if args.json:
        print(json.dumps(collection.as_json(), ensure_ascii=False, indent=1))
    else:
        for change in collection.changes:
            print(change_text(change, args.lang))
        for refusal in collection.refused:
            print(f"{refusal.file}：已拒绝：{refusal.reason[zh]}" if zh
                  else f"{refusal.file}: refused: {refusal.reason[zh]}")
        for file, text in collection.notices:
            print(f"{file}{'：' if zh else ': '}{text[zh]}")
        count = {s: len(collection.by_status(s)) for s in (APPLIED, CONFLICT, NOT_CONFIRMED)}
        refused = len(collection.changes) - sum(count.values())
        print(f"{len(args.returned)} 个文件：{count[APPLIED]} 项已应用，{count[CONFLICT]} 项冲突，"
              f"{refused} 项及 {len(collection.refused)} 个文件已拒绝，{count[NOT_CONFIRMED]} "
              "项未确认" if zh else
              f"{len(args.returned)} files: {count[APPLIED]} applied, {count[CONFLICT]} "
              f"conflicts, {refused} changes and {len(collection.refused)} files refused, "
              f"{count[NOT_CONFIRMED]} not confirmed")
    collection.merged()
    _save(model, args.out, args.lang)
    if args.changes:
        changes_workbook(collection, args.changes, args.lang)
    return EXIT_OK if collection.ok else EXIT_BAD_INPUT


def cmd_diff(args: argparse.Namespace) -> int:
    """Every difference between two plan files (docs/file-format.md, "Comparing plans")."""
    import json

    from models.diff import diff, diff_lines

    first = _load(args.a, args.lang, allow_invalid=True).model
    second = _load(args.b, args.lang, allow_invalid=True).model
    result = diff(first, second)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1, allow_nan=False))
    else:
        print("\n".join(diff_lines(result, args.lang)))
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    """The desktop app (the one place the headless side starts the Qt side)."""
    from examples import example_path

    size = args.size  # (width, height) or None
    file = args.file if args.file is not None else str(example_path())
    from ui.app import run_gui, startup_problem  # no Qt yet: says what Qt would abort on

    problem = startup_problem(bool(args.screenshot))
    if problem:
        raise UserError(problem)

    return int(run_gui(file, args.lang if args.lang_given else None, args.screenshot, size))


def _parser() -> argparse.ArgumentParser:
    def language_option(default: object) -> argparse.ArgumentParser:
        holder = argparse.ArgumentParser(add_help=False)
        holder.add_argument("--lang", choices=("en", "zh_CN"), default=default,
                            help="language of messages and of written workbooks")
        return holder

    parser = argparse.ArgumentParser(prog="chainplan", parents=[language_option(_default_lang())],
                                     description="Chain Digitalisation Planner")
    # a command's own --lang has no default, so `chainplan --lang zh_CN gui` keeps the first one
    common = language_option(argparse.SUPPRESS)
    parser.set_defaults(run=cmd_gui, file=None, screenshot=None, size=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], text: str
                ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(run=run)
        return sub

    sub = command("gui", cmd_gui, "open the desktop app (on the bundled example by default)")
    sub.add_argument("file", nargs="?")
    sub.add_argument("--screenshot", metavar="PNG", help="render the main window to PNG and exit")
    sub.add_argument("--size", metavar="WxH", type=_window_size,
                     help="window size, e.g. 1280x800")
    sub = command("validate", cmd_validate, "print the errors and warnings of a model file")
    sub.add_argument("file")
    sub = command("convert", cmd_convert, "convert between .chainplan, .xlsx and .json (lossless)")
    sub.add_argument("input")
    sub.add_argument("output")
    sub = command("template", cmd_template, "write an empty workbook to fill in")
    sub.add_argument("out", metavar="OUT.xlsx")
    sub.add_argument("--catalogue", action="store_true",
                     help="fill the Projects sheet with the sourced project catalogue")
    sub = command("evaluate", cmd_evaluate, "cost, benefit and coverage of each scenario")
    sub.add_argument("file")
    sub.add_argument("--scenario", metavar="NAME", help="only this scenario")
    sub.add_argument("--json", action="store_true", help="print the evaluation JSON")
    sub.add_argument("--out", metavar="PATH.xlsx", help="write the model with results sheets")
    sub = command("compare", cmd_compare, "key figures of several scenarios side by side")
    sub.add_argument("file")
    sub.add_argument("--scenarios", nargs="+", metavar="NAME", help="these scenarios, in order")
    sub.add_argument("--json", action="store_true",
                     help="print every figure of each scenario as JSON")
    sub.add_argument("--draws", type=_number(0, 1_000_000, whole=True), default=300, metavar="N",
                     help="simulated draws per scenario for the NPV's P5/P95 and the chance "
                          "of a loss (seed 0; default 300; 0 leaves those rows out)")
    sub = command("assess", cmd_assess, "the digital health check of the assessed enterprises")
    sub.add_argument("file")
    sub.add_argument("--json", action="store_true", help="print the health-check JSON")
    sub.add_argument("--scenario", metavar="NAME",
                     help="count this scenario's assignments for project prerequisites")
    sub = command("optimise", cmd_optimise, "find the best additions to a scenario in budget")
    sub.add_argument("file")
    sub.add_argument("--scenario", required=True, metavar="S")
    sub.add_argument("--core-budget", type=_number(0), required=True, metavar="X")
    sub.add_argument("--government-budget", type=_number(0), required=True, metavar="Y")
    sub.add_argument("--per-year", action="store_true", help="the budgets hold for each year")
    sub.add_argument("--objective", choices=("npv", "coverage", "expected-npv"), default="npv",
                     help="npv (default); coverage (connected share at the end, NPV breaks "
                     "ties); expected-npv (weighted by who takes part, docs/method.md)")
    sub.add_argument("--core-share", type=_number(0, 1), default=0.0, metavar="F")
    sub.add_argument("--sme-cost-cap", type=_number(0), default=0.02, metavar="R")
    sub.add_argument("--park-government-share", type=_number(0, 1), default=0.5, metavar="G",
                     help="government's share of new park projects on parks (default 0.5); "
                     "the park operator pays what the government and the core do not")
    sub.add_argument("--park-core-share", type=_number(0, 1), default=0.0, metavar="C",
                     help="the core's share of new park projects (default 0; G + C <= 1)")
    sub.add_argument("--time-limit", type=_number(0, above=True), default=60.0, metavar="SEC")
    sub.add_argument("--explain", type=_number(0, whole=True), default=10, metavar="N",
                     help="print why for the first N additions")
    sub.add_argument("--json", action="store_true",
                     help="print objective, bound, gap, status and time as JSON")
    sub.add_argument("--out", required=True, metavar="OUT")
    sub = command("simulate", cmd_simulate,
                  "who takes part and how sure the benefits are: the Monte-Carlo")
    sub.add_argument("file")
    sub.add_argument("--scenario", required=True, metavar="S")
    sub.add_argument("--draws", type=_number(1, 1_000_000, whole=True), default=1000,
                     metavar="N")
    sub.add_argument("--seed", type=_number(0, 2**63 - 1, whole=True), default=0, metavar="K")
    sub.add_argument("--json", action="store_true", help="print the simulation JSON")
    sub = command("sensitivity", cmd_sensitivity,
                  "the tornado: the NPV when each input moves by ±F")
    sub.add_argument("file")
    sub.add_argument("--scenario", required=True, metavar="S")
    sub.add_argument("--swing", type=_number(0, 1, above=True), default=0.2, metavar="F")
    sub.add_argument("--json", action="store_true", help="print the tornado JSON")
    sub = command("report", cmd_report, "the consultant's report as an A4 PDF")
    sub.add_argument("file")
    sub.add_argument("--out", required=True, metavar="REPORT.pdf")
    sub = command("survey", cmd_survey, "write one survey workbook per SME to check and fill")
    sub.add_argument("file")
    sub.add_argument("--out", required=True, metavar="DIR")
    sub.add_argument("--enterprises", nargs="+", metavar="ID", help="only these enterprises")
    sub = command("collect", cmd_collect, "merge returned surveys into the model")
    sub.add_argument("file")
    sub.add_argument("returned", nargs="+", metavar="RETURNED.xlsx")
    sub.add_argument("--out", required=True, metavar="MERGED")
    sub.add_argument("--json", action="store_true", help="print the changes as JSON")
    sub.add_argument("--changes", metavar="CHANGES.xlsx", help="write the change list")
    sub = command("diff", cmd_diff, "every difference between two plan files")
    sub.add_argument("a", metavar="A")
    sub.add_argument("b", metavar="B")
    sub.add_argument("--json", action="store_true", help="print the differences as JSON")
    sub = command("generate", cmd_generate, "write a synthetic chain for demos and benchmarks")
    sub.add_argument("--enterprises", type=_number(5, 200_000, whole=True), required=True,
                     metavar="N")
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--out", required=True, metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(arguments)
    args.lang_given = any(a == "--lang" or a.startswith("--lang=") for a in arguments)
    for stream in (sys.stdout, sys.stderr):  # a message never fails on the terminal's encoding
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return int(args.run(args))
    except UserError as error:
        print(("错误：" if args.lang == "zh_CN" else "error: ") + str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ImportFailed as failure:  # a file read or written by any command (ExportRefused too)
        _print_problems(failure.problems, args.lang, sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
