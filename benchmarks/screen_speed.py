"""How fast are the safeguarding screen and the redaction? Prints texts/s, µs per text and
the median and 95th percentile of one text's screening.

    .venv/bin/python benchmarks/screen_speed.py [--texts 2000] [--ref GIT_REF]

Three sizes of family-like text, every text different (so no per-text cache
helps; the screen's per-word cache does, as it does in a real import):
short (~10 words), medium (~60 words) and long (~1,000 characters). Each is
timed for ``screen`` and ``redact``, with wall time and this process's CPU
time (the machine is shared, so CPU time is the steadier figure; µs per text
are CPU µs).

``--ref`` also times the screen and redaction as they were at a git commit
(the modules and phrase files are read with ``git show``, nothing is checked
out), and reports how many texts the old and the new screen flag differently
when both read the OLD phrase files: the engine's behaviour, with the phrase
lists held still.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENINGS = ["my son", "my daughter", "our little one", "we", "i", "my child", "he", "she",
            "the family", "my boy", "my girl", "our kids"]
MIDDLES = ["waited nearly a year for the assessment", "loves the saturday club",
           "has been really let down by the transport", "gets on well with his key worker",
           "found the short breaks a lifeline", "hates the taxi because it is always late",
           "was not told the worker had changed", "came home happy every week",
           "struggled when they cut the respite hours", "felt listened to at the review",
           "had to repeat the story every time", "is not coping with the changes at school",
           "said the staff are kind and patient", "was upset when the club closed early",
           "kept asking when the holiday scheme would start", "hit the target at swimming",
           "gets anxious on the bus", "could not get through on the phone for weeks"]
CLOSERS = ["thank you", "please sort it out", "it is not good enough", "lol", "tbh",
           "we are exhausted", "the wait is killing us", "five stars", "cheers",
           "xx", "nothing else to add", "keep it up"]
CONCERNING = ["she said she wants to kill herself", "he keeps going missing",
              "i dont feel safe at home", "older lads make him carry stuff",
              "his stepdad hits him", "i want to die"]


def _sentence(rng: random.Random, i: int) -> str:
    text = f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}"
    if rng.random() < 0.3:
        text += f" and {rng.choice(MIDDLES)}"
    if rng.random() < 0.05:
        text += f", {rng.choice(CONCERNING)}"
    # A word of its own per text: misspellings and numbers make real texts unique.
    text += f" {rng.choice(CLOSERS)} {rng.choice(['ref', 'no', 'wk', 'nr'])}{i}"
    return text[0].upper() + text[1:] + rng.choice([".", "!", "", "..", "?"])


def make_texts(size: str, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(f"{seed}-{size}")
    texts = []
    for i in range(count):
        if size == "short":
            words = _sentence(rng, i).split()
            texts.append(" ".join(words[:10]))
        else:
            limit_words, limit_chars = (60, 10**6) if size == "medium" else (10**6, 1000)
            parts, words = [], 0
            while words < limit_words and sum(len(p) + 1 for p in parts) < limit_chars:
                sentence = _sentence(rng, i * 100 + len(parts))
                parts.append(sentence)
                words += len(sentence.split())
            text = " ".join(parts)
            texts.append(" ".join(text.split()[:limit_words]) if size == "medium"
                         else text[:1000])
    return texts


def timed(fn, texts: list[str]) -> tuple[float, float, list[float]]:
    """(wall s, CPU s, each text's wall seconds)."""
    each = []
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        start = time.perf_counter()
        fn(text)
        each.append(time.perf_counter() - start)
    return time.perf_counter() - wall, time.process_time() - cpu, each


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load_ref(ref: str):
    """The screen and redaction modules, and the phrase folder, as they were at ``ref``:
    copied with ``git show`` into a throwaway package ``ref_feedback``."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout
    package = Path(tempfile.mkdtemp(prefix="screen-ref-")) / "ref_feedback"
    (package / "safeguarding_phrases").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for path in git("ls-tree", "-r", "--name-only", ref, "feedback/").split():
        name = path.removeprefix("feedback/")
        # The modules and the phrase files only (not the corpus or the model's binary file).
        if name.startswith(("safeguarding", "redaction")) and (
                name.endswith(".py") and "/" not in name
                or name.startswith("safeguarding_phrases/")):
            (package / name).write_text(git("show", f"{ref}:{path}"), encoding="utf-8")
    sys.path.insert(0, str(package.parent))
    import importlib
    return (importlib.import_module("ref_feedback.safeguarding"),
            importlib.import_module("ref_feedback.redaction"),
            package / "safeguarding_phrases")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts per size")
    parser.add_argument("--ref", help="also time the code at this git commit, e.g. HEAD~5")
    args = parser.parse_args()

    from feedback import redaction, safeguarding
    sizes = {size: make_texts(size, args.texts) for size in ("short", "medium", "long")}
    book = safeguarding.default_phrase_book()
    model = safeguarding.screen("warm up").score is not None
    contenders = [("now", lambda t: safeguarding.screen(t, book), redaction.redact)]
    if model:
        contenders.insert(0, ("lists only", lambda t: safeguarding.screen(t, book, model=None),
                              None))
    if args.ref:
        old_sg, old_red, old_folder = load_ref(args.ref)
        old_book = old_sg.load_phrase_book(old_folder)
        import inspect
        lists_only = {"model": None} if "model" in inspect.signature(old_sg.screen).parameters else {}
        contenders.insert(0, (args.ref[:12], lambda t: old_sg.screen(t, old_book, **lists_only),
                              old_red.redact))

    print(f"{args.texts:,} different texts per size, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; µs are CPU µs per text; median and p95 are one "
          f"text's wall ms; safeguarding model {safeguarding.model_status()}")
    for size, texts in sizes.items():
        words = sum(len(t.split()) for t in texts) / len(texts)
        chars = sum(len(t) for t in texts) / len(texts)
        print(f"  {size}: {words:.0f} words, {chars:.0f} characters on average")
    print(f"{'code':<13} {'function':<9} {'size':<7} {'texts/s (cpu)':>14} {'µs/text':>10} "
          f"{'wall s':>8} {'median ms':>10} {'p95 ms':>8}")
    figures: dict[tuple[str, str, str], float] = {}
    for label, screen_fn, redact_fn in contenders:
        for function, fn in (("screen", screen_fn), ("redact", redact_fn)):
            if fn is None:
                continue
            for size, texts in sizes.items():
                fn(texts[0])  # load lists, warm regexes
                wall, cpu, each = timed(fn, texts)
                per = cpu / len(texts) * 1e6
                figures[(label, function, size)] = per
                print(f"{label:<13} {function:<9} {size:<7} {len(texts) / max(cpu, 1e-9):>14,.0f} "
                      f"{per:>10,.0f} {wall:>8.2f} {percentile(each, 0.5) * 1e3:>10.3f} "
                      f"{percentile(each, 0.95) * 1e3:>8.3f}", flush=True)
    if args.ref:
        print("speed-up (old CPU µs / new CPU µs; the screen's phrase lists against the old):")
        for function in ("screen", "redact"):
            new = "lists only" if model and function == "screen" else "now"
            print("  " + function + ": " + ", ".join(
                f"{size} {figures[(args.ref[:12], function, size)] / figures[(new, function, size)]:.1f}x"
                for size in sizes))
        # Same (old) phrase files through both engines: do they agree?
        new_on_old = safeguarding.load_phrase_book(old_folder)
        differ = total = 0
        for texts in sizes.values():
            for text in texts:
                total += 1
                a = old_sg.screen(text, old_book, **lists_only)
                b = safeguarding.screen(text, new_on_old, model=None)
                differ += (a.flagged, a.categories) != (b.flagged, b.categories)
        print(f"old phrase files, old vs new engine: {differ} of {total} texts screened "
              "differently")


if __name__ == "__main__":
    main()
