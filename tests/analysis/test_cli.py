"""The command line contract (see docs/analysis.md); run in-process for speed, and once as a
real ``python -m analysis`` subprocess."""

import csv
import json
import subprocess
import sys

import pytest

from analysis.cli import main

from .conftest import CORPUS, GOLD, REPO


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def cards(tmp_path):
    rows = [[f"c{n}", text] for n, text in enumerate(CORPUS)] + [["odd1", ""], ["odd2", "\U0001F600"]]
    return write_csv(tmp_path / "cards.csv", ["card_id", "comment"], rows)


def test_themes_contract(cards, tmp_path):
    out = tmp_path / "out.json"
    assert main(["themes", cards, "--text-column", "comment", "--id-column", "card_id",
                 "--themes", "4", "--seed", "1", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"seconds", "n_items", "seed", "themes"} <= set(data["run"]) and data["run"]["n_items"] == 34
    for theme in data["themes"]:
        assert {"id", "label", "keywords", "size", "sentiment", "quotes", "emerging"} <= set(theme)
    ids = {t["id"] for t in data["themes"]}
    assert [i["row"] for i in data["items"]] == list(range(34))
    assert data["items"][0]["id"] == "c0" and data["items"][32]["theme"] is None
    assert all(i["theme"] is None or i["theme"] in ids for i in data["items"])
    assert all({"row", "id", "theme", "confidence", "sentiment"} <= set(i) for i in data["items"])


def test_themes_with_previous_and_determinism(cards, tmp_path):
    first, second, third = (tmp_path / f"{n}.json" for n in "abc")
    args = ["themes", cards, "--text-column", "comment", "--out"]
    assert main(args + [str(first)]) == 0
    assert main(args + [str(second), "--previous", str(first)]) == 0
    assert main(args + [str(third), "--previous", str(first)]) == 0
    a, b, c = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second, third))
    assert {t["id"] for t in b["themes"]} == {t["id"] for t in a["themes"]}
    assert not any(t["emerging"] for t in b["themes"])
    for d in (b, c):
        d["run"].pop("seconds")
    assert b == c


def test_classify_contract(tmp_path):
    train = write_csv(tmp_path / "train.csv", ["comment", "theme"], list(zip(CORPUS, GOLD)))
    new = write_csv(tmp_path / "new.csv", ["comment"], [["The school bus was late"], [""], ["CAMHS wait"]])
    out = tmp_path / "out.json"
    assert main(["classify", "--train", train, "--text-column", "comment", "--label-column", "theme",
                 new, "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(data["labels"]) == sorted(set(GOLD))
    assert [i["row"] for i in data["items"]] == [0, 1, 2]
    assert data["items"][0]["labels"][0] == "transport"
    scores = data["items"][0]["scores"]
    assert list(scores) == sorted(scores, key=scores.get, reverse=True)


def test_classify_multi_label(tmp_path):
    labels = [g if g != "listening" else "listening;staff" for g in GOLD]
    train = write_csv(tmp_path / "train.csv", ["text", "labels"], list(zip(CORPUS * 2, labels * 2)))
    new = write_csv(tmp_path / "new.csv", ["text"], [["Staff listened to me"]])
    out = tmp_path / "out.json"
    assert main(["classify", "--train", train, "--text-column", "text", "--label-column", "labels",
                 new, "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["multi_label"] and "staff" in data["labels"]
    assert {"listening", "staff"} <= set(data["items"][0]["labels"])


@pytest.mark.parametrize("case", ["missing", "column", "empty", "header_only", "bytes", "id_column"])
def test_bad_input_exits_2_with_one_line(case, cards, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    column, extra = "comment", []
    if case == "missing":
        path = tmp_path / "nope.csv"
    elif case == "column":
        path, column = cards, "text"
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "header_only":
        path.write_text("comment\n", encoding="utf-8")
    elif case == "bytes":
        path.write_bytes(b"comment\n\xff\xfe caf\xe9 \x81\n")
    elif case == "id_column":
        path, extra = cards, ["--id-column", "nope"]
    code = main(["themes", str(path), "--text-column", column, "--out", str(tmp_path / "o.json")] + extra)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "o.json").exists()


def test_bad_previous_and_bad_training(cards, tmp_path, capsys):
    prev = tmp_path / "prev.json"
    prev.write_text("[1, 2]", encoding="utf-8")
    assert main(["themes", cards, "--text-column", "comment", "--previous", str(prev),
                 "--out", str(tmp_path / "o.json")]) == 2
    train = write_csv(tmp_path / "train.csv", ["comment", "theme"], [["a", "x"], ["b", "x"]])
    assert main(["classify", "--train", train, "--text-column", "comment", "--label-column", "theme",
                 cards, "--out", str(tmp_path / "o.json")]) == 2
    assert capsys.readouterr().err.count("error: ") == 2


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["themes", "x.csv", "--text-column", "t", "--themes", "0", "--out", "o.json"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_fewer_rows_than_themes(tmp_path):
    path = write_csv(tmp_path / "two.csv", ["t"], [["Short breaks are great"], ["CAMHS wait"]])
    out = tmp_path / "o.json"
    assert main(["themes", path, "--text-column", "t", "--themes", "9", "--out", str(out)]) == 0
    assert 1 <= len(json.loads(out.read_text(encoding="utf-8"))["themes"]) <= 2


def test_runs_as_a_module(cards, tmp_path):
    out = tmp_path / "o.json"
    done = subprocess.run([sys.executable, "-W", "error", "-m", "analysis", "themes", cards,
                           "--text-column", "comment", "--themes", "4", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["themes"]
    bad = subprocess.run([sys.executable, "-m", "analysis", "themes", str(tmp_path / "none.csv"),
                          "--text-column", "comment", "--out", str(out)],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
