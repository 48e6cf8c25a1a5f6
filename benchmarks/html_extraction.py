"""Measure the archive's HTML extraction on the shared evaluation pages.

Runs `archive.extract.html.extract_html` on the 181 article-extraction-benchmark pages and the
200 Media Cloud 2020 pages, then scores body text with the evaluation's own `score.py`, titles
and site names against `labels/aebench_meta_silver.json`, dates against the Media Cloud dates
(and whether each wrong one is marked uncertain), the Media Cloud pages' outlets and languages
against `mediacloud_labels.json` beside this script (labelled once, by hand, from each page's
address, title and text), and prints the table and pages per second. The evaluation data is
read where it lies; it is never copied into the repository.

    .venv/bin/python benchmarks/html_extraction.py [--eval-dir ../shared/eval/html] [--with-url]
                                        [--failures] [--out benchmarks/out]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib.util
import json
import math
import re
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# this script is called html.py: keep its folder off the path so `import html` finds the stdlib
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

from archive.extract.html import extract_html  # noqa: E402
from archive.extract.outlets import normalise_outlet  # noqa: E402
from archive.language import detect_language  # noqa: E402
from archive.model import Rejected  # noqa: E402

LABELS = HERE / "mediacloud_labels.json"  # outlet and language of each page, by hand


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(pages: list[tuple[str, bytes, str | None]]) -> tuple[dict, tuple[float, float]]:
    """Extract every page: {id: Extracted or the rejection reason}, (wall, CPU) seconds taken.

    CPU time is reported too because wall time on a shared machine depends on the neighbours.
    """
    results, started, cpu = {}, time.perf_counter(), time.process_time()
    for page_id, data, url in pages:
        try:
            results[page_id] = extract_html(data, url=url)
        except Rejected as err:
            results[page_id] = str(err)
    return results, (time.perf_counter() - started, time.process_time() - cpu)


def same_title(got: str | None, variants: list[str]) -> bool:
    return bool(got) and " ".join(got.split()) in {" ".join(v.split()) for v in variants}


def site_key(name: str) -> str:
    """A site name compared loosely: case, accents, "The", "www." and a domain ending do not
    count."""
    name = unicodedata.normalize("NFKD", normalise_outlet(name).casefold().strip())
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = re.sub(r"^https?://|^www\.|^the\s+", "", name)
    if " " not in name:
        name = re.sub(r"(?:\.[a-z]{2,4}){1,2}$", "", name)
    return re.sub(r"\W+", "", name)


def same_site(got: str | None, variants: list[str], *, strict: bool = False) -> bool:
    """Right if the names match loosely (strict) or one contains the other ("Slate Magazine")."""
    if not got:
        return False
    mine = site_key(got)
    for variant in variants:
        theirs = site_key(variant)
        if mine == theirs:
            return True
        if not strict and min(len(mine), len(theirs)) >= 4 and (mine in theirs or theirs in mine):
            return True
    return False


def date_verdict(got: str | None, expected: str) -> str:
    if not got:
        return "none"
    if got == expected:
        return "exact"
    gap = abs(dt.date.fromisoformat(got) - dt.date.fromisoformat(expected)).days
    return "±1 day" if gap <= 1 else "wrong"


def aebench(eval_dir: Path, with_url: bool, failures: bool, out: Path | None):
    """Body text, titles, site names and URL dates on the 181 benchmark pages."""
    scorer = load_scorer(eval_dir)
    truth = json.loads((eval_dir / "aebench/ground-truth.json").read_text(encoding="utf8"))
    labels = json.loads((eval_dir / "labels/aebench_meta_silver.json").read_text(encoding="utf8"))
    labels = labels["labels"]
    pages = [
        (page_id, gzip.decompress((eval_dir / f"aebench/html/{page_id}.html.gz").read_bytes()),
         truth[page_id]["url"] if with_url else None)
        for page_id in sorted(truth)
    ]  # fmt: skip
    results, seconds = run(pages)
    texts = {i: r.text if not isinstance(r, str) else "" for i, r in results.items()}
    body = scorer.score(scorer.load_gt(eval_dir / "aebench/ground-truth.json"), texts)
    p, r, f1 = body["precision"], body["recall"], body["f1"]
    rows = [
        ("body text F1 (P / R)", f"{f1:.3f} ({p:.3f} / {r:.3f})"),
        ("pages with F1 < 0.5 / empty or rejected",
         f"{body['n_doc_f1_below_0_5']} / {body['n_empty']}"),
    ]  # fmt: skip
    titles = sites = sites_strict = dated = dates_exact = 0
    for page_id, result in results.items():
        label = labels[page_id]
        meta = result if not isinstance(result, str) else None
        title_ok = same_title(meta and meta.title, label["title_variants"])
        site_ok = same_site(meta and meta.source, label["sitename_variants"])
        titles += title_ok
        sites += site_ok
        sites_strict += same_site(meta and meta.source, label["sitename_variants"], strict=True)
        if label.get("date_from_url"):
            dated += 1
            dates_exact += bool(meta) and meta.date == label["date_from_url"]
        if failures and not title_ok:
            print(f"  title {page_id[:10]} {meta and meta.title!r} want {label['title_variants']}")
        if failures and not site_ok:
            how = meta and meta.basis.get("source")
            print(f"  site {page_id[:10]} {meta and meta.source!r} ({how}) "
                  f"want {label['sitename_variants']}")  # fmt: skip
    if failures:
        for page_id, _, _, f1, _ in sorted(body["per_doc"], key=lambda row: row[3])[:8]:
            print(f"  {page_id[:10]} F1 {f1:.3f} {truth[page_id]['url']}")
    n = len(results)
    rows += [
        ("titles exact (silver labels)", f"{titles}/{n} ({titles / n:.1%})"),
        ("site names right (silver labels)", f"{sites}/{n} ({sites / n:.1%})"),
        ("site names right, strict (same name)", f"{sites_strict}/{n} ({sites_strict / n:.1%})"),
        ("dates exact, pages with a date in the URL", f"{dates_exact}/{dated}"),
    ]
    if out:
        out.mkdir(parents=True, exist_ok=True)
        (out / "aebench_text.json").write_text(json.dumps(texts, ensure_ascii=False), "utf8")
    return rows, n, seconds


def mediacloud(eval_dir: Path, with_url: bool, failures: bool):
    """Outlets, languages and publication dates on the 200 Media Cloud 2020 pages.

    Outlets and languages are scored against `mediacloud_labels.json` (by hand) on the pages
    the archive keeps; a page the labels call an article and the archive refuses counts
    as wrong. Dates are scored on every dated page and on the kept ones.
    """
    base = eval_dir / "htmldate_mediacloud2020"
    truth = json.loads((base / "eval_mediacloud_2020.json").read_text(encoding="utf8"))
    labels = json.loads(LABELS.read_text(encoding="utf8"))["labels"]
    pages = [
        (url, gzip.decompress((base / "html" / f"{item['file']}.gz").read_bytes()),
         url if with_url else None)
        for url, item in truth.items()
    ]  # fmt: skip
    results, seconds = run(pages)
    verdicts = {"exact": 0, "±1 day": 0, "none": 0, "wrong": 0}
    kept_dated = kept_exact = wrong_marked = wrong_total = exact_marked = 0
    undated_none = undated = rejected = 0
    articles = outlets_ok = langs_ok = refused_articles = 0
    wrong_lang_probs, right_lang_probs = [], []
    non_articles = refused_non = 0
    for url, result in results.items():
        label = labels[url]
        kept = not isinstance(result, str)
        rejected += not kept
        if label.get("not_article"):
            non_articles += 1
            refused_non += not kept
            if failures and kept:
                print(f"  kept a non-article ({label['not_article']}): {url[:90]}")
        else:
            articles += 1
            refused_articles += not kept
            if failures and not kept:
                print(f"  refused an article: {result} {url[:90]}")
        if kept and not label.get("not_article"):
            outlet_ok = same_site(result.source, label["outlet"], strict=True)
            lang = detect_language(result.text, hint=result.language_hint)
            lang_ok = lang.code in label["language"]
            outlets_ok += outlet_ok
            langs_ok += lang_ok
            (right_lang_probs if lang_ok else wrong_lang_probs).append(lang.probability or 0)
            if failures and not outlet_ok:
                print(f"  outlet {result.source!r} ({result.basis.get('source')}) "
                      f"want {label['outlet'][0]!r} {url[:70]}")  # fmt: skip
            if failures and not lang_ok:
                print(f"  language {lang} want {label['language']} {url[:70]}")
        expected = truth[url]["date"]
        got = result.date if kept else None
        if not isinstance(expected, str) or (isinstance(expected, float) and math.isnan(expected)):
            undated += 1
            undated_none += got is None
            continue
        verdict = date_verdict(got, expected)
        verdicts[verdict] += 1
        if kept:
            kept_dated += 1
            kept_exact += verdict == "exact"
        exact_marked += verdict == "exact" and bool(getattr(result, "date_uncertain", False))
        if verdict == "wrong":
            wrong_total += 1
            wrong_marked += bool(getattr(result, "date_uncertain", False))
        if failures and verdict != "exact":
            how = kept and (result.basis.get("date"), getattr(result, "date_confidence", None))
            print(f"  date {verdict}: got {got} {how} want {expected} {url[:80]}")
    dated, exact = sum(verdicts.values()), verdicts["exact"]
    kept_n = articles - refused_articles
    rows = [
        ("Media Cloud outlets right (hand labels, articles kept)",
         f"{outlets_ok}/{kept_n} ({outlets_ok / max(kept_n, 1):.1%})"),
        ("Media Cloud languages right (hand labels, articles kept)",
         f"{langs_ok}/{kept_n} ({langs_ok / max(kept_n, 1):.1%})"),
        ("Media Cloud language probability shown: highest when wrong / median when right",
         f"{max(wrong_lang_probs, default=0):.0%} / "
         f"{sorted(right_lang_probs)[len(right_lang_probs) // 2] if right_lang_probs else 0:.0%}"),
        ("Media Cloud articles refused / non-articles refused",
         f"{refused_articles}/{articles} / {refused_non}/{non_articles}"),
        ("Media Cloud dates exact, all dated pages", f"{exact}/{dated} ({exact / dated:.1%})"),
        ("Media Cloud dates exact, dated pages kept",
         f"{kept_exact}/{kept_dated} ({kept_exact / max(kept_dated, 1):.1%})"),
        ("Media Cloud dates ±1 day / none / wrong",
         f"{verdicts['±1 day']} / {verdicts['none']} / {verdicts['wrong']}"),
        ("Media Cloud wrong dates marked uncertain", f"{wrong_marked}/{wrong_total}"),
        ("Media Cloud exact dates marked uncertain (the cost)", f"{exact_marked}/{exact}"),
        ("Media Cloud undated pages given no date", f"{undated_none}/{undated}"),
        ("Media Cloud pages rejected", str(rejected)),
    ]  # fmt: skip
    return rows, len(results), seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_eval = ROOT.parent / "shared/eval/html"
    if not default_eval.is_dir():  # a worktree one level further down
        default_eval = ROOT.parent.parent / "shared/eval/html"
    parser.add_argument("--eval-dir", type=Path, default=default_eval)
    parser.add_argument("--with-url", action="store_true", help="pass each page's URL along")
    parser.add_argument("--failures", action="store_true", help="list pages that miss")
    parser.add_argument("--out", type=Path, help="write the extracted texts here (git-ignored)")
    args = parser.parse_args(argv)
    rows, n1, s1 = aebench(args.eval_dir, args.with_url, args.failures, args.out)
    more, n2, s2 = mediacloud(args.eval_dir, args.with_url, args.failures)
    rows += more
    for name, n, (wall, cpu) in (
        ("benchmark pages", n1, s1),
        ("Media Cloud pages", n2, s2),
        ("all", n1 + n2, (s1[0] + s2[0], s1[1] + s2[1])),
    ):
        rows.append((f"pages per second, {name} (wall / CPU)", f"{n / wall:.1f} / {n / cpu:.1f}"))
    mode = "with each page's URL" if args.with_url else "bytes only, no URL given"
    print(f"\nHTML extraction, {n1} + {n2} pages ({mode})\n")
    print("| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
