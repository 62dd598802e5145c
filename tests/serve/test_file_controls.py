"""A visitor of `tutor serve` is never offered a control that names a file of the server.

Each visitor's tutor runs as `python -m tutor.serve_session`; it marks its
process as serving before the tutor is imported, and the scene registry then
leaves out the language models' text control (a file path on one's own
machine). Checked in fresh processes, since the registry is built on import.
"""
import json
import os
import subprocess
import sys

from tutor import serve_session
from tutor.scenes import registry

SESSION = """
import json, sys
import tutor.cli
def fake_main(argv):
    from tutor.scenes.registry import SCENES
    print(json.dumps({s.id: [[p.name, p.label] for p in s.params] for s in SCENES.values()}))
    return 0
tutor.cli.main = fake_main
from tutor.serve_session import main
sys.exit(main())
"""


def controls(code: str, **env) -> dict:
    full = {k: v for k, v in os.environ.items() if k != registry.SERVING} | env
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, check=True)
    return json.loads(out.stdout)


def test_the_session_and_the_registry_agree_on_the_flag():
    assert serve_session.SERVING == registry.SERVING


def test_a_visitor_session_offers_no_file_control(tmp_path):
    served = controls(SESSION, TUTOR_HOME=str(tmp_path))
    assert "text" not in [name for name, _ in served["language_models"]]
    for scene, params in served.items():
        assert not any("file" in label or "path" in label for _, label in params), scene


def test_on_ones_own_machine_the_text_control_is_there():
    local = controls("import json\nfrom tutor.scenes.registry import SCENES\n"
                     "print(json.dumps({s.id: [[p.name, p.label] for p in s.params] for s in SCENES.values()}))")
    assert ["text", "text (corpus or a file path)"] in local["language_models"]
