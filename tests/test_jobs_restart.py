"""Jobs survive a crash (#23 item 4): ``kill -9`` while an upload is being ingested, then a restart — the job is
listed as failed with the reason, and the upload, whose file is still there, is ingested again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from assistant.service.jobs import INTERRUPTED
from assistant.service.service import AssistantService
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
RULE = "第一条　为了规范管理，制定本规定。\n\n第二条　在公共场所摆放杂物的，处五十元以上二百元以下罚款。\n"


def test_a_job_killed_mid_way_is_reported_and_its_upload_queued_again(laws, tmp_path):
    corpus = laws(tmp_path / "corpus", "中华人民共和国行政处罚法")
    data = tmp_path / "data"
    script = textwrap.dedent(f"""
        import time
        from tests.fakes import register_fakes
        register_fakes()
        from assistant.service.service import AssistantService
        from assistant.settings import Settings
        s = AssistantService(Settings(data_dir={str(data)!r}, corpus=[{str(corpus)!r}], law_db=False,
                                      embedder="hashing", backend="extractive"))
        s._ingest_upload = lambda path, progress: (progress("parse", 0, 1), time.sleep(600))
        s.upload("某区摆放杂物规定.md", {RULE!r}.encode())
        print("uploaded", flush=True)
        time.sleep(600)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert child.stdout.readline().strip() == "uploaded"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the journal says it runs
            rows = sqlite3.connect(data / "jobs.sqlite").execute("SELECT status FROM jobs").fetchall()
            if rows and rows[0][0] == "running":
                break
            time.sleep(0.2)
        assert rows and rows[0][0] == "running"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    service = AssistantService(Settings(data_dir=data, corpus=[corpus], law_db=False, embedder="hashing",
                                        backend="extractive"))
    try:
        jobs = {j.kind + ":" + j.status: j for j in service.jobs.list()}
        old = jobs["upload:failed"]
        assert INTERRUPTED in old.error and "重新排队" in old.error
        service.jobs.wait_idle(120)
        again = [j for j in service.jobs.list() if j.status == "succeeded" and j.kind == "upload"]
        assert again and "重新导入" in again[0].description
        assert any("摆放杂物" in d.title for d in service.store.documents())
    finally:
        service.close()
