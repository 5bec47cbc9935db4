"""The app on a big chain: open and draw, peak memory, and each interaction's latency.

    python benchmarks/bench_gui.py [FILE ...]     (default: a generated 10,000-firm chain)
    xvfb-run -a -s "-screen 0 1920x1080x24" python benchmarks/bench_gui.py /tmp/b15/g100k.xlsx

Each file is measured in its own process (its peak memory is its own), which first reads
every cell of the workbook with python-calamine (the bare read the targets are ratios of),
then opens the file in the main window as a planner does (File ▸ Open: read and validated
off the GUI thread, then shown) until the canvas is drawn, and then until the chain's
figures, worked out in the background, are shown too. Targets (issue 15, point 3):
open and draw <= 3x calamine's read, peak memory <= 1.5 GB, every interaction (zoom,
pan, select, filter, search, scroll a table, click a tab, step the year or the scenario
with the keys on the charts) <= 100 ms until repainted, also while an
edit's analysis is being worked out in the background (pan and zoom right after a delete). "app side" is the
GUI thread's share after the model is read and analysed (everything after load_model).
Each interaction also gives the GUI thread's CPU time (what it costs, whatever else runs on
a shared machine).
``--busy N`` keeps N processes spinning meanwhile (a loaded machine).
``--only zoom,search,...`` measures only the interactions whose names begin so (the open is
always measured; "edits" for the structural edits): a quicker run while working on one.
``--profile FOLDER`` writes a cProfile of each structural edit (FOLDER/delete_a_firm.prof,
...). Also prints how long the GUI thread is busy with one structural edit (move a firm, delete
one and undo, add one and undo) and then when the edit's figures, worked out in the background,
are shown (the views take them; moved tiers lay the chain out again); the same for cells typed
in a table (a firm's employees, a link's trade value and platform flag); then firms deleted
one after another with the Delete key, each pressed 0.3-3 s after an edit, during its
analysis; and the peak memory at the end (the edits' analyses and autosaves included). Each
edit's line says how much of it was the cyclic garbage collector's.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import busy

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def calamine_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux


def measure(path: Path, profiles: str | None = None, only: list[str] | None = None) -> None:
    bare = calamine_read(path)
    from PySide6.QtCore import QEvent, QEventLoop, QPoint, QPointF, QStandardPaths, Qt, QTimer
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

    from ui.app import make_application

    QStandardPaths.setTestModeEnabled(True)
    app = make_application()
    from ui.analysis import AnalysisService
    from ui.document import Document
    from ui.main_window import MainWindow

    landed: list[float] = []  # the GUI thread's time showing each analysis, in ms
    publish = AnalysisService._publish

    def timed_publish(self: AnalysisService, analysis: object) -> None:
        start = time.perf_counter()
        publish(self, analysis)
        landed.append((time.perf_counter() - start) * 1000)

    AnalysisService._publish = timed_publish
    window = MainWindow(Document(), restore_state=False)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    canvas, document = window.canvas, window.document
    adopt, gui = window.files.adopt, [0.0]

    def timed_adopt(*args, **kwargs):  # the GUI thread's share, after the read and analysis
        start = time.perf_counter()
        adopt(*args, **kwargs)
        app.processEvents()
        canvas.viewport().repaint()
        gui[0] = time.perf_counter() - start

    window.files.adopt = timed_adopt
    start = time.perf_counter()
    loop = QEventLoop()
    document.file_changed.connect(loop.quit)
    window.open_path(path)
    QTimer.singleShot(600_000, loop.quit)
    loop.exec()
    app.processEvents()
    canvas.viewport().repaint()
    drawn = time.perf_counter() - start
    document.wait_for_analysis()  # a big chain's figures follow in the background
    app.processEvents()
    canvas.viewport().repaint()
    figures = time.perf_counter() - start
    model = document.model
    print(f"{path.name}: {len(model.enterprises):,} firms, {len(model.links):,} links; "
          f"calamine's bare read {bare:.2f} s")
    print(f"  open and draw {drawn:.2f} s = {drawn / bare:.2f}x calamine (target <= 3x), "
          f"its figures shown at {figures:.2f} s = {figures / bare:.2f}x; app side "
          f"{gui[0]:.2f} s = {gui[0] / bare:.2f}x; peak memory {peak_gb():.2f} GB "
          f"(target <= 1.5 GB); overview shown: {canvas.overview_shown}")

    def latency(what: str, actions: list[Callable[[], object]]) -> None:
        if only and not any(what.startswith(name) for name in only):
            return
        times, cpu = [], []
        for action in actions:
            start, start_cpu = time.perf_counter(), time.thread_time()
            action()
            canvas.viewport().repaint()  # the canvas now; then whatever else the action asked
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        print(f"  {what:<34} median {statistics.median(times):6.1f} ms, "
              f"worst {max(times):6.1f} ms (target <= 100 ms); GUI thread's CPU median "
              f"{statistics.median(cpu):5.1f} ms")

    latency("zoom (overview)", [lambda: canvas.zoom_by(1.1), lambda: canvas.zoom_by(1 / 1.1)] * 3)
    latency("zoom across into the firms", [lambda: canvas.zoom_by(1 / canvas.transform().m11()),
                                          canvas.fit] * 2)
    canvas.zoom_by(1 / canvas.transform().m11())
    for _ in range(50):
        app.processEvents()
    latency("zoom (firms at 100 %)", [lambda: canvas.zoom_by(1.1), lambda: canvas.zoom_by(1 / 1.1)] * 3)

    def pan(dx: float, dy: float) -> Callable[[], None]:
        def run() -> None:
            middle = canvas.mapToScene(canvas.viewport().rect().center())
            canvas.centerOn(middle + QPointF(dx, dy))
        return run

    latency("pan (firms at 100 %)", [pan(300, 0), pan(0, 300), pan(-300, 0), pan(0, -300)] * 2)
    ids = [e.id for e in model.enterprises]
    step = max(len(ids) // 7, 1)
    latency("select a firm", [lambda k=k: document.set_selection({ids[k * step]}, set())
                              for k in range(6)])
    bar = window.filter_bar
    park = bar.filters["park"]
    latency("filter by park (and back)", [lambda: park.setCurrentIndex(1),
                                          lambda: park.setCurrentIndex(0)] * 2)
    # twelve jumps across the chain: with four, one slow paint moved the median by 20 ms
    names = [model.enterprises[k * step // 2 + 3].id for k in range(1, 13)]
    latency("search (find a firm)", [lambda n=n: canvas.find(n) for n in names])
    table = window.tables.pages["enterprises"].view
    bar_v = table.verticalScrollBar()

    def scroll(to: int) -> Callable[[], None]:
        def run() -> None:
            bar_v.setValue(to)
            table.viewport().repaint()
        return run

    latency("scroll the firms' table", [scroll(bar_v.maximum() * k // 6) for k in range(1, 7)])

    def figures_in() -> None:
        """Until the latest figures (after an edit, or a scenario picked: the same revision,
        analysed again), worked out in the background as in the app, are shown
        (``wait_for_analysis`` would work them out on this thread if none had started)."""
        deadline = time.perf_counter() + 600
        while (document.analysis.revision != document.revision or document.analysis.partial
               or document.analyser.busy) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()

    views = window.views  # the chain, charts, comparison, health check and risk pages

    def press(widget: Any, *events: Any) -> Callable[[], None]:  # a planner's hand
        return lambda: [app.sendEvent(widget, event) for event in events]

    tabs = views.tabBar()

    def click(index: int) -> Any:
        at = QPointF(tabs.tabRect(index).center())
        return [QMouseEvent(kind, at, tabs.mapToGlobal(at), Qt.MouseButton.LeftButton, buttons,
                            Qt.KeyboardModifier.NoModifier)
                for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton),
                                      (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton))]

    latency("tabs clicked (each page)",
            [press(tabs, *click(i)) for i in [1, 2, 3, 4, 0] * 2])
    views.setCurrentWidget(window.charts)
    app.processEvents()

    def key(widget: Any, which: Qt.Key) -> Callable[[], None]:
        return press(widget, QKeyEvent(QEvent.Type.KeyPress, which, Qt.KeyboardModifier.NoModifier),
                     QKeyEvent(QEvent.Type.KeyRelease, which, Qt.KeyboardModifier.NoModifier))

    slider = window.year_slider
    slider.setValue(slider.minimum())
    latency("charts: a year on (arrow keys)",
            [key(slider, Qt.Key.Key_Right)] * 4 + [key(slider, Qt.Key.Key_Left)] * 4)
    box = window.scenario_box
    latency("charts: next scenario (arrow keys)",
            [key(box, Qt.Key.Key_Down)] * (box.count() - 1) + [key(box, Qt.Key.Key_Up)]
            * (box.count() - 1))
    figures_in()
    views.setCurrentIndex(0)
    canvas.fit()
    app.processEvents()
    firm = model.enterprises[len(ids) // 2]

    def wheel(notches: int) -> Callable[[], None]:  # a turn of the mouse wheel: a zoom
        def run() -> None:
            at = QPointF(canvas.viewport().rect().center())
            app.sendEvent(canvas.viewport(), QWheelEvent(
                at, canvas.viewport().mapToGlobal(at), QPoint(), QPoint(0, 120 * notches),
                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase, False))
        return run

    def drag(dx: float, dy: float) -> Callable[[], None]:  # a middle-button drag: a pan
        def run() -> None:
            at = QPointF(canvas.viewport().rect().center())
            for kind, to, buttons in (
                    (QEvent.Type.MouseButtonPress, at, Qt.MouseButton.MiddleButton),
                    (QEvent.Type.MouseMove, at + QPointF(dx, dy), Qt.MouseButton.MiddleButton),
                    (QEvent.Type.MouseButtonRelease, at + QPointF(dx, dy),
                     Qt.MouseButton.NoButton)):
                app.sendEvent(canvas.viewport(), QMouseEvent(
                    kind, to, canvas.viewport().mapToGlobal(to), Qt.MouseButton.MiddleButton,
                    buttons, Qt.KeyboardModifier.NoModifier))
        return run

    def during_analysis() -> None:
        """Pan and zoom while the edit's analysis is worked out in the background: with the
        mouse, as a planner does (the analysis gives way to a view being worked)."""
        analyser = document.analyser
        waited = time.perf_counter()
        while not analyser.running and time.perf_counter() - waited < 5:
            app.processEvents()
            time.sleep(0.005)
        started, times = time.perf_counter(), []
        canvas.zoom_by(1 / canvas.transform().m11())  # the firms at 100 %
        actions = [drag(-300, 0), wheel(1), drag(0, -300), wheel(-1)] * 20
        for action in actions:
            if not analyser.running:
                break
            start = time.perf_counter()
            action()
            canvas.viewport().repaint()
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
            # a planner's hand: a pause between moves (the analysis may go on meanwhile)
            time.sleep(0.1)
        figures_in()
        if times:
            print(f"  {'pan/zoom during its analysis':<34} median "
                  f"{statistics.median(times):6.1f} ms, worst {max(times):6.1f} ms "
                  f"({len(times)} in the analysis' {time.perf_counter() - started:.1f} s)")
        canvas.fit()
        app.processEvents()

    collector = [0.0, 0.0]  # seconds spent in the cyclic collector (any thread), start

    def on_collect(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collector[1] = time.perf_counter()
        else:
            collector[0] += time.perf_counter() - collector[1]

    gc.callbacks.append(on_collect)

    def busy(what: str, run: Callable[[], object], interact: bool = False) -> None:
        profile = cProfile.Profile() if profiles else None
        collector[0] = 0.0
        start, start_cpu = time.perf_counter(), time.thread_time()
        if profile is not None:
            profile.enable()
        run()
        app.processEvents()
        canvas.viewport().repaint()
        if profile is not None:
            profile.disable()
            profile.dump_stats(str(Path(profiles) / f"{what.replace(' ', '_')}.prof"))
        print(f"  {what:<34} GUI thread {(time.perf_counter() - start) * 1000:6.0f} ms, CPU "
              f"{(time.thread_time() - start_cpu) * 1000:4.0f} ms, of it collecting garbage "
              f"{collector[0] * 1000:3.0f} ms (then the new analysis, in the background)")
        landed.clear()
        if interact:
            during_analysis()
        figures_in()
        # the views take the new figures (and tiers: a chain laid out again) on this thread
        print(f"  {'':<34} its figures shown: GUI thread {sum(landed):6.0f} ms")

    def delete_during_analysis() -> None:
        """Firms deleted one after another: each Delete pressed (a shortcut, as a planner
        does) 0.3-3 s after an edit, while that edit's analysis is worked out."""
        from PySide6.QtTest import QTest

        window.activateWindow()
        times, collecting, steps = [], [], document.undo_stack.index()
        for k, delay in enumerate((0.3, 0.6, 1.0, 1.5, 3.0)):
            victim = model.enterprises[len(ids) // 3 + 97 * k]
            document.move_enterprises({victim.id: (3.0 + k, 4.0)})  # the edit before
            settled = time.perf_counter() + delay
            while time.perf_counter() < settled:
                app.processEvents()
                time.sleep(0.01)
            document.set_selection({victim.id})
            canvas.setFocus()
            collector[0] = 0.0
            start = time.perf_counter()
            QTest.keyClick(canvas, Qt.Key.Key_Delete)
            canvas.viewport().repaint()
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
            collecting.append(collector[0] * 1000)
            assert document.enterprise(victim.id) is None, "the Delete key deleted nothing"
        print(f"  Delete pressed 0.3/0.6/1/1.5/3 s after an edit, during its analysis: "
              f"{', '.join(f'{t:.0f}' for t in times)} ms, of it collecting garbage "
              f"{', '.join(f'{t:.0f}' for t in collecting)} ms")
        while document.undo_stack.index() > steps:  # (undo keeps the commands: count stays)
            document.undo_stack.undo()
        figures_in()

    if only and "edits" not in only:
        window.close()
        return
    busy("move a firm", lambda: document.move_enterprises({firm.id: (5.0, 7.0)}))
    busy("delete a firm", lambda: document.delete({firm.id}, set()), interact=True)
    busy("undo the delete", document.undo_stack.undo)
    from models.chain import Enterprise

    busy("add a firm", lambda: document.add_enterprise(Enterprise(
        id="BENCH-NEW", name="A new firm", role="supplier", size="small")))
    busy("undo the add", document.undo_stack.undo)
    # a cell typed in a table: not structural, but the figures follow all the same
    busy("a firm's employees typed", lambda: document.set_values(
        [(firm, "employees", firm.employees + 7)], "employees"))
    link = model.links[len(model.links) // 2]
    busy("a link's trade value typed", lambda: document.set_values(
        [(link, "annual_value", link.annual_value * 3 + 1)], "value"))
    busy("a link marked data-connected", lambda: document.set_values(
        [(link, "data_connected", not link.data_connected)], "connected"))
    delete_during_analysis()
    print(f"  peak memory at the end {peak_gb():.2f} GB")
    document.undo_stack.setClean()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", metavar="FOLDER",
                        help="write a cProfile of each structural edit into FOLDER")
    parser.add_argument("--only", metavar="NAMES",
                        help="measure only the interactions whose names begin with one of "
                             "these (comma-separated: zoom, pan, select, filter, search, "
                             "scroll, edits)")
    parser.add_argument("--busy", type=int, default=0,
                        help="processes kept spinning meanwhile, to measure a loaded machine")
    args = parser.parse_args()
    only = args.only.split(",") if args.only else None
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    if args.one:
        measure(args.files[0], args.profile, only)
        return
    print(f"load average: {os.getloadavg()}{f', {args.busy} busy processes' if args.busy else ''}")
    with tempfile.TemporaryDirectory() as folder, busy(args.busy):
        files = args.files
        if not files:
            from models.workbook import save_workbook
            from planner.generate import generate

            files = [Path(folder) / "g10k.xlsx"]
            save_workbook(generate(10_000, seed=3), files[0])
        for path in files:
            subprocess.run([sys.executable, __file__, "--one", str(path),
                            *(["--profile", args.profile] if args.profile else []),
                            *(["--only", args.only] if args.only else [])], check=True)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
