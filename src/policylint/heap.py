"""The command's use of Python's cyclic garbage collector: paused while starting, then the heap
is frozen and collection resumes.

Starting a check imports a few hundred modules and builds spaCy's pipeline and every rule, all
of it kept to the end of the run. The collector does not know that: with its default thresholds
it ran 242 collections while one small file was checked, each walking the growing heap, for
0.065-0.08 s of a one-second run (0.002-0.005 s once paused; gc.callbacks timings, 2026-12-03).
Once the pipeline is built the heap is frozen anyway (gc.freeze: forked workers must not copy
it by collecting), so the garbage a paused start-up leaves behind would have been frozen with
it. From then on collection runs as usual, so memory still does not grow with the files checked.

Only the ``policylint`` command pauses the collector (:func:`pause`); :func:`freeze` resumes it
only if this module paused it, so a program that uses policylint as a library, with its own
collector settings, keeps them.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until :func:`freeze` (or :func:`resume`); the command's start."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn automatic collection back on, if :func:`pause` turned it off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def freeze() -> None:
    """Move everything alive now into the permanent generation, then resume collection."""
    gc.freeze()
    resume()
