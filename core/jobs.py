"""A periodic job goes on past a failing item.

Each item of a job (one reminder, one digest, one queued mail, one person to
anonymise) runs inside ``each_item``: in its own savepoint, so what a failing
item wrote is rolled back and nothing half-written stays; the failure is
logged without personal data (the job, the item's database id, the
exception's type and where it was raised, never the exception's message,
which may quote a name or an address); and the job carries on with the next
item. ``whole_step`` does the same for a step of a command without opening a
transaction (its items hold their own).

A command opens a run with ``job_run()``, reads ``run.failed`` afterwards to
report it, and exits non-zero when anything failed. Called outside a run
(a test, a shell) failures are only logged.
"""

import contextlib
import logging
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class JobRun:
    failed: int = 0


@dataclass
class Item:
    failed: bool = False


_current_run: ContextVar[JobRun | None] = ContextVar("current_job_run", default=None)


@contextlib.contextmanager
def job_run() -> Iterator[JobRun]:
    """Count the failures of the items run inside this block."""
    run = JobRun()
    token = _current_run.set(run)
    try:
        yield run
    finally:
        _current_run.reset(token)


@contextlib.contextmanager
def each_item(job: str, item_id) -> Iterator[Item]:
    """Run one item in its own savepoint; a failure is rolled back, logged, counted, and not raised."""
    item = Item()
    try:
        with transaction.atomic():
            yield item
    except Exception as exc:  # any failure of one item: the others must still go out
        failure_log(job, item_id, exc)
        item.failed = True


@contextlib.contextmanager
def whole_step(job: str) -> Iterator[Item]:
    """Run a step whose items guard themselves; a failure outside them is logged and counted, not raised."""
    step = Item()
    try:
        yield step
    except Exception as exc:  # a step that fails must not keep the other steps from running
        failure_log(job, "(step)", exc)
        step.failed = True


def failure_log(job: str, item_id, exc: Exception) -> None:
    """Log one item's failure without personal data, and count it in the current run."""
    logger.error(
        "%s: item %s failed with %s at %s; the job went on with the next one.",
        job,
        item_id,
        type(exc).__name__,
        raised_at(exc),
    )
    run = _current_run.get()
    if run is not None:
        run.failed += 1


def raised_at(exc: BaseException) -> str:
    """Where an exception was raised, as "file.py:line" (and the last line of ours on the way); no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    where = _place(frames[-1])
    ours = [frame for frame in frames if Path(frame.filename).parent.name in _OUR_PACKAGES]
    if ours and ours[-1] is not frames[-1]:
        where += " via " + _place(ours[-1])
    return where


_OUR_PACKAGES = frozenset({"onboarding", "eed"})


def _place(frame: traceback.FrameSummary) -> str:
    return f"{Path(frame.filename).name}:{frame.lineno}"
