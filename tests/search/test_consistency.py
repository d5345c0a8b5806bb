"""The index stays equal to the database: two writing processes, a deleted or corrupt index, a crash."""

import multiprocessing
import shutil

from sqlalchemy import select

from directory.extensions import db
from directory.profiles.models import Profile
from directory.search.params import SearchParams
from directory.search.results import run_search
from tests.search import factories as f
from tests.search.writer_process import write_profiles

PER_PROCESS = 5


def slugs(app, text: str = "", per_page: int = 100) -> set[str]:
    page = run_search(app.extensions["search"], SearchParams(q=text, per_page=per_page))
    return {hit.profile.slug for hit in page.hits}


def test_two_processes_writing_at_once(app, search, backend_name):
    f.profile("Partagé", slug="partage", bio="départ")
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    url = db.engine.url.render_as_string(hide_password=False)
    processes = [
        context.Process(target=write_profiles, args=(url, str(search.path), backend_name, tag, PER_PROCESS))
        for tag in ("a", "b")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [process.exitcode for process in processes] == [0, 0]
    expected = {f"{tag}-{n}" for tag in "ab" for n in range(PER_PROCESS)}
    assert slugs(app, "concurrence") == expected
    # Whichever process committed last, the index holds the shared profile's last state.
    bio = db.session.scalar(select(Profile.bio).where(Profile.slug == "partage"))
    assert slugs(app, bio.split()[1]) == {"partage"}


def _remove_index(search, backend_name) -> None:
    shutil.rmtree(search.path / backend_name)


def _corrupt_index(search, backend_name) -> None:
    for path in (search.path / backend_name / "profiles").iterdir():
        if path.is_file() and not path.name.startswith("BADGEONS"):
            path.write_bytes(b"\x00garbage")


def test_deleted_or_corrupt_index_is_rebuilt_at_first_request(app, client, search, backend_name):
    if backend_name == "postgres":
        return  # nothing on disk: the index is the database
    f.profile("Gaëlle Roux", bio="menuiserie")
    db.session.commit()
    for damage in (_remove_index, _corrupt_index):
        search.backend.close()  # damage found at start: a live process keeps its files mapped
        damage(search, backend_name)
        search.checked = False
        assert client.get("/api/v1/search?q=menuiserie").get_json()["total"] == 1
        assert search.health()["ok"]


def test_crash_between_commit_and_indexing_is_repaired_by_reindex(app, search, backend_name, monkeypatch):
    def crash(keys):
        raise RuntimeError("the process died after the commit")

    monkeypatch.setattr(search, "apply", crash)
    f.profile("Hugo Blanc", bio="ferronnerie")
    db.session.commit()
    assert slugs(app, "ferronnerie") == set()
    monkeypatch.undo()
    app.test_cli_runner().invoke(args=["search", "reindex"])
    assert len(slugs(app, "ferronnerie")) == 1
