"""`make mutation`: a sampled mutation score for the write path and its scoring (mutmut 3).

Which files are mutated and which tests run is `[tool.mutmut]` in pyproject.toml. The four
files hold some 2,500 mutants; each survivor reruns every test that reaches its function, so
all of them take hours on two cores. A seeded sample of --per-file mutants per file (60 by
default, about 45 minutes on two cores) gives each file's score to about ±4 points (one
standard error at 90 %), and the same seed draws the same mutants, so runs compare; the first
k of a seed's sample are its sample of k. --per-file 0 runs all.

Prints each file's score (killed or timed out, over those run), lists the survivors (each
shown with `.venv/bin/mutmut show NAME`) and writes every status to
mutants/mutation-results.json. docs/mutation.md holds the figures.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = {"killed", "timeout", "caught by type check"}
# The in-process tests only: without these, the PostgreSQL and Redis paths skip (under CI
# they would fail), and a mutant is never judged by a service's state.
ENV = {k: v for k, v in os.environ.items()
       if k not in {"CI", "TEST_POSTGRES_URL", "TEST_REDIS_URL"}}


def files() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return config["tool"]["mutmut"]["only_mutate"]


def mutants_of(path: str) -> dict[str, int | None]:
    """Each mutant's name and its run's exit code (None: not run yet)."""
    meta = ROOT / "mutants" / f"{path}.meta"
    return json.loads(meta.read_text("utf-8"))["exit_code_by_key"]


def generate() -> None:
    # mutmut 3 has no "generate only": a filter that matches no mutant generates them all and
    # collects which tests reach which function, then stops on the empty selection.
    subprocess.run([*MUTMUT, "run", "participation.no_such_mutant*"], cwd=ROOT, env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    absent = [p for p in files() if not (ROOT / "mutants" / f"{p}.meta").exists()]
    if absent:
        sys.exit(f"mutmut generated no mutants for {absent}: run `.venv/bin/mutmut run` to see why")


def sample(per_file: int, seed: int) -> list[str]:
    chosen = []
    for path in files():
        names = sorted(mutants_of(path))
        chosen += names if per_file == 0 else random.Random(f"{seed}:{path}").sample(
            names, min(per_file, len(names)))
    return chosen


def statuses_of(chosen: list[str], earlier: dict[str, str]) -> dict[str, str]:
    """Each chosen mutant's status: this run's, or the earlier run's for one not rerun."""
    from mutmut.stats import status_by_exit_code

    codes = {}
    for path in files():
        codes |= mutants_of(path)
    return {name: earlier[name] if name in earlier and codes.get(name) is None
            else status_by_exit_code[codes.get(name)] for name in chosen}


def report(statuses: dict[str, str]) -> int:
    survivors = []
    print(f"{'file':44} {'run':>5} {'killed':>7} {'score':>6}  other")
    for path in files():
        module = path.removesuffix(".py").replace("/", ".") + "."
        mine = {n: s for n, s in statuses.items() if n.startswith(module)}
        counts = Counter(mine.values())
        killed = sum(counts[s] for s in KILLED)
        other = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in KILLED)
        score = 100 * killed / len(mine) if mine else 0.0
        print(f"{path:44} {len(mine):5} {killed:7} {score:5.0f}%  {other}")
        survivors += [f"{status:10} {name}" for name, status in sorted(mine.items())
                      if status not in KILLED]
    print("\nNot killed (`.venv/bin/mutmut show NAME` shows the change):")
    print("\n".join(survivors) or "none")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-file", type=int, default=60, help="mutants per file; 0: all")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--survivors-of", type=Path, metavar="RESULTS",
                        help="a run's mutation-results.json: after adding tests, run only the "
                             "mutants that run did not kill (tests only added, the code the "
                             "same: what was killed stays killed)")
    args = parser.parse_args()
    earlier = json.loads(args.survivors_of.read_text("utf-8")) if args.survivors_of else {}
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    generate()
    chosen = sample(args.per_file, args.seed)
    again = [name for name in chosen if earlier.get(name) not in KILLED]
    print(f"running {len(again)} of the sample's {len(chosen)} mutants", flush=True)
    subprocess.run([*MUTMUT, "run", *again], cwd=ROOT, env=ENV, check=False)
    statuses = statuses_of(chosen, earlier)
    (ROOT / "mutants" / "mutation-results.json").write_text(json.dumps(statuses, indent=1))
    return report(statuses)


if __name__ == "__main__":
    sys.exit(main())
