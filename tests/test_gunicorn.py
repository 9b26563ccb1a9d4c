"""What the production server's settings (config/gunicorn.py) do to its workers."""

import gc
import runpy
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


def test_a_worker_freezes_what_it_loaded_out_of_the_garbage_collectors_sight():
    hooks = runpy.run_path(str(HOOKS))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
