"""The machinery behind every self-check exercise: check, hint, solution.

Each exercise turns a learner's answer into exactly one of three verdicts:

* ``Correct!`` — the answer matches the model answer;
* ``Not yet:`` — with the specific reason (first failing input, wrong shape, …);
* ``Not attempted yet:`` — the stub still returns ``...``/``None`` or raises
  ``NotImplementedError``.

``check`` never raises, whatever it is given, and returns a :class:`Result` that
is truthy only when the answer is correct. No network, no telemetry, no ``eval``.
"""

from __future__ import annotations

import copy
import dis
import inspect
import signal
import threading
import types
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CORRECT = "correct"
NOT_YET = "not yet"
NOT_ATTEMPTED = "not attempted"

_PREFIX = {
    CORRECT: "Correct!",
    NOT_YET: "Not yet:",
    NOT_ATTEMPTED: "Not attempted yet:",
}


class Result:
    """The verdict of one ``check``: truthy only when correct.

    The verdict has already been printed, so in a notebook the result displays as nothing.
    """

    def __init__(self, status: str, message: str) -> None:
        self.status = status
        self.message = message

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"<{self.status}>"

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: ``check`` has printed the verdict already."""


class _Verdict(Exception):
    """Raised inside an evaluator to stop early with a verdict."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


TIME_LIMIT = 5.0
"""Seconds a learner's function may run on one input before the check gives up on it."""


class _TooSlow(BaseException):
    """Raised inside a learner's function that ran past :data:`TIME_LIMIT`.

    A ``BaseException``, so that a learner's ``except Exception`` cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TooSlow` in the body if it runs longer than ``seconds``.

    Uses a SIGALRM timer, so it works only in the main thread of a Unix-like system
    (where Jupyter runs cells); elsewhere, or when another timer is already running
    (pytest-timeout, say), the body runs without a limit.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Then again every second, in case a bare `except:` in the learner's code swallows it.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def not_yet(message: str) -> _Verdict:
    """A 'not yet' verdict to ``raise`` from an evaluator."""
    return _Verdict(NOT_YET, message)


def not_attempted(
    message: str = "replace the `...` with your answer, then check again.",
) -> _Verdict:
    """A 'not attempted' verdict to ``raise`` from an evaluator."""
    return _Verdict(NOT_ATTEMPTED, message)


_SHOWN_ITEMS = 12
"""Arrays, lists and tuples longer than this are shown in messages by their first items only."""

MAX_MESSAGE = 1000
"""No verdict is longer than this many characters, whatever the answer."""


def _bounded(message: str) -> str:
    """``message`` cut to at most ``MAX_MESSAGE`` characters (a last safety net: the messages
    are built from short renderings already)."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 4] + " ..."


def fmt(value: Any) -> str:
    """A short, readable rendering of a number, array, tuple or function for messages."""
    try:
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            return f"the function {value.__name__}"
        if isinstance(value, bool):
            return repr(value)
        if isinstance(value, (int, float, np.integer, np.floating)):
            if not isinstance(value, (float, np.floating)):
                return str(value)
            if float(value).is_integer() and abs(value) < 1e15:  # counts: 45360.0, not 4.536e+04
                return f"{int(value)}.0"
            text = f"{float(value):.4g}"
            return text + ".0" if text.lstrip("-").isdigit() else text
        if isinstance(value, np.ndarray):
            # threshold: a large array is summarized by its first and last entries, and only
            # those are formatted, so an answer of 10**7 numbers costs no more than a short one.
            text = np.array2string(
                value,
                separator=", ",
                max_line_width=10**6,
                formatter={"float_kind": fmt},
                threshold=_SHOWN_ITEMS,
                edgeitems=3,
            ).replace("\n", "")
            return text if len(text) <= 80 else text[:77] + "..."
        if isinstance(value, (tuple, list)) and len(value) > _SHOWN_ITEMS:
            head = ", ".join(fmt(v) for v in value[:3])
            brackets = "()" if isinstance(value, tuple) else "[]"
            return f"{brackets[0]}{head}, ... ({len(value)} items){brackets[1]}"
        if isinstance(value, tuple):
            return "(" + ", ".join(fmt(v) for v in value) + ("," if len(value) == 1 else "") + ")"
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def is_blank(answer: Any) -> bool:
    """True for the placeholders a learner has not replaced: ``...`` and ``None``."""
    return answer is None or answer is Ellipsis


def is_stub(fn: Callable[..., Any]) -> bool:
    """True if ``fn``'s body does nothing but return None (``...``, ``pass``, ``return None``).

    A stub returning None is "not attempted"; a function with a body that returns None has
    lost its ``return`` (on every input or only on some), which is a mistake to name.
    """
    code = getattr(inspect.unwrap(fn), "__code__", None)
    if code is None:
        return True
    for ins in dis.get_instructions(code):
        if ins.opname in ("RESUME", "NOP", "CACHE", "RETURN_VALUE"):
            continue
        if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval is None:
            continue
        return False
    return True


def to_float_array(value: Any, what: str = "your answer") -> np.ndarray:
    """Convert ``value`` to a float64 array, or raise a 'not yet' verdict that says why."""
    if isinstance(value, (types.GeneratorType, map, filter, zip, range)) and not isinstance(
        value, range
    ):
        raise not_yet(
            f"{what} is a {type(value).__name__}, not an array; wrap it in np.array(list(...))."
        )
    if isinstance(value, (str, bytes)):
        raise not_yet(
            f"{what} is the text {fmt(value)}; a number or an array of numbers is needed."
        )
    if callable(value):
        raise not_yet(f"{what} is a function; did you forget to call it?")
    if isinstance(value, (bool, np.bool_)):
        raise not_yet(f"{what} is {value}, a yes/no value; a number is needed.")
    if isinstance(value, dict):
        raise not_yet(f"{what} is a dict; a number or an array of numbers is needed.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value, dtype=np.float64)
    except Exception:
        raise not_yet(
            f"{what} ({fmt(value)}, a {type(value).__name__}) is not a number or an array of "
            "numbers."
        ) from None
    return arr


def compare(
    expected: Any, got: Any, *, rtol: float, atol: float, what: str = "your answer"
) -> str | None:
    """None if ``got`` matches ``expected`` (shape and values); otherwise the reason."""
    exp = np.asarray(expected, dtype=np.float64)
    arr = to_float_array(got, what)
    if exp.ndim == 0 and arr.size == 1:
        arr = arr.reshape(())
    if arr.shape != exp.shape:
        if exp.ndim == 0:
            return f"expected a single number, got an array of shape {arr.shape}"
        return f"wrong shape: expected {exp.shape}, got {arr.shape}"
    bad = ~np.isclose(arr, exp, rtol=rtol, atol=atol)
    if not bad.any():
        return None
    if exp.ndim == 0:
        e, g = float(exp), float(arr)
        shown_e, shown_g = (fmt(e), fmt(g)) if fmt(e) != fmt(g) else (f"{e:.10g}", f"{g:.10g}")
        return f"expected {shown_e}, got {shown_g}"
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = index[0] if len(index) == 1 else index
    e, g = float(exp[index]), float(arr[index])
    shown_e, shown_g = (fmt(e), fmt(g)) if fmt(e) != fmt(g) else (f"{e:.10g}", f"{g:.10g}")
    return f"at index {where} expected {shown_e}, got {shown_g}"


def matches(value: Any, target: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """True if ``value`` equals ``target`` (same shape, within tolerance); never raises."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            a = np.asarray(value, dtype=np.float64)
            b = np.asarray(target, dtype=np.float64)
            if b.ndim == 0 and a.size == 1:
                a = a.reshape(())
            return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))
    except Exception:
        return False


@dataclass(eq=False)
class Exercise:
    """One self-check question. Subclasses implement :meth:`evaluate`.

    ``hints`` go from gentle to strong; ``solution_text`` is what :meth:`solution` prints.
    """

    name: str
    chapter: int
    prompt: str
    reference: Any
    hints: Sequence[str] = ()
    solution_text: str = ""
    _hints_shown: int = field(default=0, init=False, repr=False)

    def evaluate(self, answer: Any) -> None:
        """Raise a :class:`_Verdict` for anything but a correct answer."""
        raise NotImplementedError

    def verdict(self, answer: Any) -> Result:
        """Judge ``answer`` without printing. Never raises."""
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                self.evaluate(answer)
        except _Verdict as v:
            return Result(v.status, _bounded(v.message))
        except (KeyboardInterrupt, _TooSlow):
            raise  # the learner pressed stop (or a time limit fired): let it stop the cell
        except (SystemExit, GeneratorExit) as e:
            # raised by the answer itself (its __float__, __array__, ...): never end the kernel
            return Result(
                NOT_YET,
                _bounded(
                    f"reading your answer raised {type(e).__name__}, which would end the kernel; "
                    "give a plain number, array or function instead."
                ),
            )
        except Exception as e:  # a bug in the checker must not look like the learner's fault
            return Result(
                NOT_YET,
                _bounded(
                    f"the checker could not judge this answer ({type(e).__name__}: {e}); "
                    "please compare with solution()."
                ),
            )
        return Result(CORRECT, "Well done.")

    def check(self, answer: Any = ...) -> Result:
        """Print one verdict (correct / not yet, with the reason / not attempted) and return it."""
        result = self.verdict(answer)
        print(f"{_PREFIX[result.status]} {result.message}")
        return result

    def hint(self) -> None:
        """Print the next, stronger hint; after the last one, repeat it with a note."""
        if not self.hints:
            print("There is no hint for this exercise; try solution() if you are stuck.")
            return
        n = len(self.hints)
        if self._hints_shown < n:
            self._hints_shown += 1
            print(f"Hint {self._hints_shown} of {n}: {self.hints[self._hints_shown - 1]}")
        else:
            print(
                f"Hint {n} of {n} (that was the last hint; solution() shows the answer): "
                f"{self.hints[-1]}"
            )

    def solution(self) -> None:
        """Print the model answer."""
        print(f"Solution to {self.name}:\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"<exercise {self.name}: {self.prompt}>"


@dataclass(repr=False, eq=False)
class NumericExercise(Exercise):
    """A number (or array/tuple of numbers) checked within a tolerance.

    Also used for "predict the output" questions: set ``exact=True`` for integers/shapes.
    ``diagnoses``: (typical wrong value, what that mistake usually means).
    """

    rtol: float = 1e-4
    atol: float = 1e-6
    diagnoses: Sequence[tuple[Any, str]] = ()

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        if isinstance(self.reference, tuple) and isinstance(answer, str):
            count = len(self.reference)
            example = "(" + ", ".join(str(k) for k in range(1, count + 1)) + ")"
            raise not_yet(
                f"answer with a tuple of {count} numbers, such as {example}, without quotes."
            )
        reason = compare(self.reference, answer, rtol=self.rtol, atol=self.atol)
        if reason is None:
            return
        arr = to_float_array(answer)
        if isinstance(self.reference, tuple) and arr.shape != (len(self.reference),):
            small = arr.ndim <= 1 and arr.size <= _SHOWN_ITEMS
            shown = tuple(_plain(v) for v in arr.ravel()) if small else arr
            reason = f"answer with a tuple of {len(self.reference)} numbers; got {fmt(shown)}"
        elif not reason.startswith(("wrong shape: ", "expected a single number")):
            # The learner is asked to work the number out: say what is off, not the answer.
            reason = self._what_is_off(arr)
        if not np.all(np.isfinite(arr)):
            raise not_yet(f"your answer contains nan or inf ({fmt(arr)}); {reason}.")
        for wrong, why in self.diagnoses:
            if matches(answer, wrong, rtol=self.rtol, atol=self.atol):
                raise not_yet(f"{reason} — {why}")
        raise not_yet(f"{reason}.")

    def _what_is_off(self, arr: np.ndarray) -> str:
        """Which value is wrong and in which direction, without giving the answer away."""
        expected = np.asarray(self.reference, dtype=np.float64).reshape(arr.shape)
        bad = ~np.isclose(arr, expected, rtol=self.rtol, atol=self.atol)
        index = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        e, g = float(expected[index]), float(arr[index])
        if arr.ndim == 0:
            what = f"your answer {fmt(g)}"
        elif isinstance(self.reference, tuple):
            what = f"value number {index[0] + 1} of your answer ({fmt(_plain(g))})"
        else:
            where = index[0] if len(index) == 1 else index
            what = f"the value at index {where} ({fmt(g)})"
        whole = bool(np.all(np.mod(expected, 1) == 0))  # counts, shapes: no "more digits"
        if np.isfinite(g) and abs(g - e) <= 0.01 * abs(e) and not whole:
            if self.rtol > 0:
                tolerance = "relative error " + f"{self.rtol:.0e}".replace("e-0", "e-")
            else:  # an absolute tolerance only: say that, not "relative error 0e+00"
                tolerance = "± " + f"{self.atol:.0e}".replace("e-0", "e-")
            return (
                f"{what} is close but not within the tolerance ({tolerance}): "
                "keep more digits, or compute it without rounding along the way"
            )
        if not np.isfinite(g):
            return f"{what} is not a finite number"
        return f"{what} is too {'large' if g > e else 'small'}"


def _plain(value: float) -> int | float:
    """A whole number as an int (so a shape reads (4, 2), not (4.0, 2.0))."""
    return int(value) if np.isfinite(value) and float(value).is_integer() else float(value)


def _normalise(text: str) -> str:
    """Lower case, single spaces, no surrounding brackets or punctuation."""
    text = " ".join(str(text).lower().split())
    return text.strip(" .()[]'\"")


@dataclass(repr=False, eq=False)
class ChoiceExercise(Exercise):
    """Multiple choice or a short concept answer, compared after normalising.

    ``options``: letter → text; ``reference``: the correct letter; ``aliases``: other
    accepted spellings; ``diagnoses``: letter → why that option is wrong.
    """

    options: dict[str, str] = field(default_factory=dict)
    aliases: Sequence[str] = ()
    diagnoses: dict[str, str] = field(default_factory=dict)

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        letters = ", ".join(f"'{k}'" for k in self.options)
        if not isinstance(answer, str):
            raise not_yet(f"answer with one of the letters {letters} as a string, e.g. 'a'.")
        key = _normalise(answer)
        if not key:
            raise not_attempted("type one of the letters " + letters + " between the quotes.")
        chosen = None
        for letter, text in self.options.items():
            if key in (letter.lower(), _normalise(text)):
                chosen = letter
        if chosen is None and key in {_normalise(a) for a in self.aliases}:
            chosen = self.reference
        if chosen is None:
            raise not_yet(f"{fmt(answer)} is not one of the choices; answer with {letters}.")
        if chosen != self.reference:
            why = self.diagnoses.get(chosen, "think again about what each option means.")
            raise not_yet(f"({chosen}) is not right — {why}")


@dataclass(repr=False, eq=False)
class Case:
    """One test input for a function exercise: positional ``args`` and a readable ``label``."""

    args: tuple[Any, ...]
    label: str = ""

    def describe(self, params: Sequence[str]) -> str:
        if self.label:
            return self.label
        names = list(params) + [f"arg{i}" for i in range(len(params), len(self.args))]
        return ", ".join(f"{n} = {fmt(a)}" for n, a in zip(names, self.args, strict=False))


@dataclass(repr=False, eq=False)
class FunctionExercise(Exercise):
    """The learner writes a function; it is run on many inputs against ``reference``.

    ``cases``: inputs, typical ones first, then edge cases. ``diagnoses``: (a function
    with a typical mistake, what that mistake usually means); when the learner's output
    matches one at the first failing input, its message is added to the feedback.
    ``params``: parameter names shown in messages. Arguments are passed as copies, and
    a function that changes its input arrays in place is told so.
    """

    cases: Sequence[Case] = ()
    params: Sequence[str] = ("x",)
    rtol: float = 1e-6
    atol: float = 1e-9
    diagnoses: Sequence[tuple[Callable[..., Any], str]] = ()
    mutation_message: str = (
        "leave the caller's arrays alone and return a new array "
        "(e.g. `w + step` instead of `w += step`)."
    )

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        if not callable(answer):
            raise not_yet(
                f"please pass your function itself (e.g. check(my_function)), not {fmt(answer)}."
            )
        if inspect.isgeneratorfunction(answer):
            raise not_yet("your function uses `yield`, so it returns a generator; use `return`.")
        for case in self.cases:
            self._run_case(answer, case)

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        where = case.describe(self.params)
        args = copy.deepcopy(case.args)
        try:
            with time_limit(TIME_LIMIT), warnings.catch_warnings():
                # NumPy < 1.25 only warns where later versions raise: comparing arrays of
                # shapes that do not broadcast. Treat it as the error it is everywhere.
                warnings.filterwarnings(
                    "error", message="elementwise comparison failed", category=DeprecationWarning
                )
                got = fn(*args)
        except DeprecationWarning as e:
            raise not_yet(
                f"your function raised ValueError on input {where}: {e} (the arrays compared do "
                "not have matching shapes; NumPy 1.25 and later raise this error)"
            ) from None
        except _TooSlow:
            raise not_yet(
                f"your function did not return within {TIME_LIMIT:g} s on input {where}, so the "
                "check stopped it. The test inputs are small, so look for a loop that never ends "
                "(a `while` whose condition never becomes false) or one that runs far more often "
                "than it needs to."
            ) from None
        except NotImplementedError:
            raise not_attempted("your function still raises NotImplementedError.") from None
        except (Exception, SystemExit) as e:
            detail = f": {e}" if str(e) else ""
            raise not_yet(
                f"your function raised {type(e).__name__} on input {where}{detail}"
            ) from None
        if is_blank(got):
            if got is None and not is_stub(fn):
                raise not_yet(
                    f"your function returned None on input {where}: did you forget the "
                    "`return` line? Make every path through it end in `return` and your result."
                )
            raise not_attempted(
                f"your function returned {got!r}; replace the stub with a `return` of your result."
            )
        for before, after in zip(case.args, args, strict=True):
            if isinstance(before, np.ndarray) and not matches(after, before, 1e-12, 1e-15):
                raise not_yet(
                    f"your function changed its input array in place on input {where}; "
                    + self.mutation_message
                )
        expected = self.reference(*copy.deepcopy(case.args))
        reason = self._compare(expected, got)
        if reason is None:
            return
        for wrong_fn, why in self.diagnoses:
            try:
                wrong = wrong_fn(*copy.deepcopy(case.args))
            except Exception:
                continue
            if self._compare(wrong, got) is None:
                raise not_yet(f"wrong value at input {where}: {reason} — {why}")
        if reason.startswith("its result"):
            raise not_yet(f"on input {where}, {reason}.")
        if reason.startswith(("wrong shape: ", "expected a single number")):
            raise not_yet(f"wrong shape at input {where}: {reason.removeprefix('wrong shape: ')}.")
        raise not_yet(f"wrong value at input {where}: {reason}.")

    def _compare(self, expected: Any, got: Any) -> str | None:
        try:
            return self._compare_unsafe(expected, got)
        except _Verdict as v:
            return v.message.rstrip(".")

    def _compare_unsafe(self, expected: Any, got: Any) -> str | None:
        if isinstance(expected, tuple):
            if not isinstance(got, (tuple, list)) or len(got) != len(expected):
                return f"expected a tuple of {len(expected)} values, got {fmt(got)}"
            for i, (e, g) in enumerate(zip(expected, got, strict=True)):
                reason = compare(e, g, rtol=self.rtol, atol=self.atol, what=f"returned value {i}")
                if reason is not None:
                    return f"in returned value {i}, {reason}"
            return None
        return compare(expected, got, rtol=self.rtol, atol=self.atol, what="its result")


@dataclass(repr=False, eq=False)
class CustomExercise(Exercise):
    """An exercise judged by ``judge(answer)``, which raises ``not_yet``/``not_attempted``."""

    judge: Callable[[Any], None] | None = None

    def evaluate(self, answer: Any) -> None:
        if is_blank(answer):
            raise not_attempted()
        if self.judge is not None:
            self.judge(answer)
