"""The link scorer (evidence/ranker.py) and its trainer (benchmarks/train_evidence.py), without a database."""

import json
import math
import pickle
from types import SimpleNamespace

import pytest

from benchmarks import train_evidence
from evidence import matching, ranker
from evidence.matching import Candidate
from tests.evidence.conftest import read

SCORER_AS_SHIPPED = True  # tests/conftest.py pins the hand-weighted scorer elsewhere

STRONG = {"cosine": 0.45, "name": 1.0, "rare": 3.0, "quantities": 1, "specific": True, "stage": True}
DISTRACTOR = {"cosine": 0.25, "name": 0.0, "rare": 0.5, "conflicts": ["增城院区"], "specific": False}


def _hand_sum(f: dict) -> float:
    return (
        f.get("cosine", 0.0)
        + 0.25 * min(f.get("name", 0.0), 1.0)
        + 0.05 * min(f.get("rare", 0.0), 6)
        + 0.08 * min(f.get("quantities", 0), 2)
        + 0.03 * bool(f.get("agency"))
        + 0.05 * bool(f.get("stage"))
        - 0.35 * bool(f.get("conflicts"))
    )


@pytest.mark.parametrize("cosine", [0.1, 0.2, 0.29, 0.31, 0.4])
def test_the_hand_model_suggests_where_the_formula_did(cosine):
    f = {"cosine": cosine, "name": 0.0, "rare": 0.0}
    assert (ranker.HAND.score(f) >= ranker.SUGGEST_AT) == (_hand_sum(f) >= 0.30)
    assert (ranker.HAND.score(STRONG) >= ranker.SUGGEST_AT) == (_hand_sum(STRONG) >= 0.30)


@pytest.mark.parametrize(
    "f",
    [
        STRONG,
        DISTRACTOR,
        {"cosine": 0.123456789, "name": 0.3333333, "rare": 1.777777, "agency": True},
        {"cosine": 0.0, "conflicts": ["甲院区"]},
        {"cosine": 0.97, "name": 2.0, "rare": 9.0, "quantities": 3, "agency": True, "stage": True},
    ],
)
def test_on_the_hand_sums_scale_the_hand_model_gives_its_sum(f):
    # The matcher's rules compare Match.strength: for HAND exactly the session-4 sum, rounded as it was.
    assert ranker.hand_scale(ranker.HAND.score(f)) == round(_hand_sum(f), 4)
    assert ranker.hand_scale(ranker.SUGGEST_AT) == 0.30
    assert ranker.hand_scale(0.0) == -math.inf and ranker.hand_scale(1.0) == math.inf


def _sentence(name: str, quote: str) -> str:
    text = read(name)
    at = text.index(quote)
    return text[max(0, text.rfind("。", 0, at) + 1) : at + len(quote)]


EARLIER = {
    # file: (pk, clause)
    "e01_changsha_siyuan_reply_2019.txt": (1, "预计在2020年下半年运行"),
    "e05_fulong_xijiang_2024.txt": (2, "爭取年內盡快完工并通車"),
    "e07_fuer_huadu_2022.txt": (3, "计划2023年建成"),
}


def _collected(name: str, later: list[tuple[str, str, str]], distractors: list[str], model=None) -> dict:
    """What eval_evidence.collect returns, built from corpus/evidence texts with matching.rank (no database).

    ``later``: (later file, earlier file, the evidence quote of the gold link)."""
    commitments = {f: SimpleNamespace(pk=pk, text=clause) for f, (pk, clause) in EARLIER.items()}
    candidates = [Candidate(c.pk, c.text, _sentence(f, c.text), group=c.pk) for f, c in commitments.items()]
    by_id = {c.pk: c for c in commitments.values()}

    def ranked(file: str):
        return [(by_id[m.candidate_id], m) for m in matching.rank(read(file), candidates, model=model)]

    return {
        "set": name,
        "earlier": {f: [c] for f, c in commitments.items()},
        "later": [
            (
                {
                    "file": f,
                    "links": [{"earlier": e, "commitment": commitments[e].text, "evidence": q, "outcome": "done"}],
                },
                ranked(f),
            )
            for f, e, q in later
        ],
        "distractors": [({"file": f}, ranked(f)) for f in distractors],
    }


def _two_sets(model=None) -> dict:
    return {
        "a": _collected(
            "a",
            [
                (
                    "l01b_changsha_siyuan_2022.txt",
                    "e01_changsha_siyuan_reply_2019.txt",
                    "长沙市第四医院滨水新城院区正式运营",
                )
            ],
            ["d08_shishi_xinyi_xiaoxue.txt"],
            model,
        ),
        "b": _collected(
            "b",
            [
                (
                    "l04a_fulong_tongche_xinhua.txt",
                    "e05_fulong_xijiang_2024.txt",
                    "由中交路建承建的富龙西江特大桥将于11月22日通车",
                )
            ],
            ["d02_fuer_zengcheng_2022.txt"],
            model,
        ),
    }


@pytest.fixture(scope="module")
def sets():
    """Two small sets ranked by the scorer in use (the shipped model when there is one)."""
    return _two_sets()


def test_training_rows_label_the_evidence_passage_of_a_gold_link(sets):
    xs, ys = train_evidence.rows(sets["a"])
    # The news names the opening in its title and its lead: each passage quoting it is a positive row, the gold
    # commitment's other passages are left out, every other candidate's passages are negatives.
    assert 1 <= sum(ys) <= 4
    assert len(xs) == len(ys) > 4
    assert all(len(x) == len(ranker.FEATURES) for x in xs)


def test_training_is_deterministic_and_the_file_is_what_the_trainer_wrote(sets, tmp_path, monkeypatch):
    first = train_evidence.train(sets)
    second = train_evidence.train(sets)
    assert ranker.dumps(first) == ranker.dumps(second)
    ranker.save_model(first, tmp_path / "m.json")

    def no_pickle(*args, **kwargs):
        raise AssertionError("the model file must not be read with pickle")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    read_back = ranker.read_model(tmp_path / "m.json")
    assert read_back == first
    assert read_back.trained_on == "a,b"
    assert read_back.meta["rows_hash"] == ranker.rows_hash(*_all_rows(sets))
    assert 0 < read_back.meta["threshold"] < 1
    # The learned model orders an invented strong pair above an invented distractor, as the hand formula does.
    # (On two toy sets the threshold rule is met at any threshold; the distractor is not suggested anyway, as it
    # shares nothing specific.)
    for model in (read_back, ranker.HAND):
        assert model.score(STRONG) > model.score(DISTRACTOR)
    assert ranker.HAND.score(DISTRACTOR) < ranker.SUGGEST_AT <= ranker.HAND.score(STRONG)


def _all_rows(sets):
    xs, ys = [], []
    for name in sorted(sets):
        x, y = train_evidence.rows(sets[name])
        xs += x
        ys += y
    return xs, ys


def test_the_threshold_moves_into_the_intercept():
    model = ranker.Model({"cosine": 1.0}, 0.0)
    moved = ranker.with_threshold(model, 0.8)
    # A pair the old model gave 0.8 now scores exactly the suggest threshold.
    old = {"cosine": math.log(0.8 / 0.2)}
    assert model.score(old) == pytest.approx(0.8, abs=1e-4)
    assert moved.score(old) == pytest.approx(ranker.SUGGEST_AT, abs=1e-4)
    assert moved.meta["threshold"] == 0.8


@pytest.mark.parametrize(
    "content",
    [
        pickle.dumps({"kind": ranker.KIND}),
        b"{not json",
        json.dumps({"kind": "something else"}).encode(),
        json.dumps({"kind": ranker.KIND, "format_version": 99}).encode(),
        json.dumps(
            {"kind": ranker.KIND, "format_version": 1, "features": ["cosine"], "weights": {}, "intercept": 0}
        ).encode(),
        json.dumps(
            {
                "kind": ranker.KIND,
                "format_version": 1,
                "features": list(ranker.FEATURES),
                "weights": {"cosine": "NaN"},
                "intercept": 0,
                "trained_on": "",
            }
        ).encode(),
        json.dumps(
            {
                "kind": ranker.KIND,
                "format_version": ranker.FORMAT_VERSION,
                "features": list(ranker.FEATURES),
                "weights": {"cosine": 1.0},
                "intercept": 0,
                "trained_on": "",
                "meta": {"gate": "no gate known"},
            }
        ).encode(),
    ],
)
def test_a_bad_model_file_is_refused_and_the_scorer_falls_back(content, tmp_path, monkeypatch):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValueError):
        ranker.read_model(path)
    monkeypatch.setenv("LUOSHI_EVIDENCE_MODEL", str(path))
    ranker.current_model.cache_clear()
    try:
        expected = ranker.read_model(ranker.SHIPPED) if ranker.SHIPPED.exists() else ranker.HAND
        assert ranker.current_model() == expected
    finally:
        monkeypatch.delenv("LUOSHI_EVIDENCE_MODEL")
        ranker.current_model.cache_clear()


def test_a_model_named_by_the_environment_is_used(tmp_path, monkeypatch):
    model = ranker.Model({"cosine": 2.0}, -1.0, trained_on="test")
    ranker.save_model(model, tmp_path / "m.json")
    monkeypatch.setenv("LUOSHI_EVIDENCE_MODEL", str(tmp_path / "m.json"))
    ranker.current_model.cache_clear()
    try:
        assert ranker.current_model().trained_on == "test"
        assert ranker.score({"cosine": 0.5}) == 0.5
    finally:
        monkeypatch.delenv("LUOSHI_EVIDENCE_MODEL")
        ranker.current_model.cache_clear()


def test_the_hand_model_ranks_by_the_hand_formula():
    for collected in _two_sets(ranker.HAND).values():
        for _item, ranking in collected["later"] + collected["distractors"]:
            matches = [m for _, m in ranking]
            assert [m.candidate_id for m in matches] == [
                m.candidate_id for m in sorted(matches, key=lambda m: (-_hand_sum(m.features), m.candidate_id))
            ]
            # Every passage scored is kept with the features rank adds (the trainer's rows).
            for m in matches:
                assert m.scored and m.scored[0].score == max(p.score for p in m.scored)
                assert "position" in m.scored[0].features
                assert not {"lead", "source_size", "margin"} & set(m.scored[0].features)


def test_the_shipped_model_is_trained_on_the_training_sets_and_is_the_one_in_use(sets, monkeypatch):
    from benchmarks.eval_evidence import SETS

    if not ranker.SHIPPED.exists():
        pytest.skip("no learned link scorer shipped")
    model = ranker.read_model(ranker.SHIPPED)
    assert model.trained_on == ",".join(train_evidence.TRAIN_SETS)
    assert set(train_evidence.TRAIN_SETS) <= set(SETS)
    # Thresholded under the gate it is used with (session 6): a shared name or quantity.
    assert model.gate == train_evidence.GATE == "named"
    monkeypatch.delenv("LUOSHI_EVIDENCE_MODEL", raising=False)
    ranker.current_model.cache_clear()
    try:
        assert ranker.current_model() == model
    finally:
        ranker.current_model.cache_clear()
    # Through rank, as the product scores: the 长沙四医院 opening news suggests its gold commitment and only it,
    # and neither distractor gets a suggestion.
    [(_item, ranking)] = sets["a"]["later"]
    assert [c.pk for c, m in ranking if m.suggested] == [1]
    assert not [m for s in sets.values() for _i, r in s["distractors"] for _c, m in r if m.suggested]


def test_similar_items_are_scored_by_the_hand_formula_whatever_model_is_shipped(db, monkeypatch):
    # The learned scorer was trained on later documents against commitments, not on titles against titles.
    import datetime as dt

    from evidence import selectors
    from tests import factories

    monkeypatch.setattr(ranker, "current_model", lambda: ranker.Model({}, -20.0, trained_on="suggests nothing"))
    session = factories.SessionFactory(year=2023)
    old = factories.ProposalFactory(session=session, title="关于加快长沙市第四医院滨水新城院区建设的建议")
    factories.ProposalFactory(session=session, title="关于完善农村客运班线的建议")
    new = factories.ProposalFactory(
        session=factories.SessionFactory(body=session.body, year=2025, term=session.term, meeting=9),
        title="关于尽快启用滨水新城院区的建议",
    )
    assert new.created_at >= old.created_at > dt.datetime.min.replace(tzinfo=dt.UTC)
    found = selectors.similar_proposals(proposal=new, user=factories.supervisor_of(session.body))
    assert [p.pk for p, _score, _shared in found] == [old.pk]


# Invented texts (no corpus text): a strong pair — the same project name, the same number and unit, completion
# words — and unrelated open commitments of other source documents, as a deployment's pool of any size holds.
_STRONG_CLAUSE = "青梧河大桥全长1280米，计划于2025年底建成通车"
_STRONG_CONTEXT = "关于加快青梧河大桥建设的答复。青梧河大桥全长1280米，计划于2025年底建成通车。"
_STRONG_NEWS = (
    "本报讯 今年以来，我市持续推进交通基础设施建设，全市完成交通投资超过百亿元。"
    "市交通运输局有关负责人介绍，城区道路改造、公交线网优化等工作稳步推进，群众出行满意度不断提升。"
    "据悉，全长1280米的青梧河大桥于本月28日正式建成通车。"
)
_PLACES = ["东岭", "西坪", "南湾", "北塘", "柏溪", "枫林", "石坝", "云台", "金沙", "桃源"]
_THINGS = [
    ("社区卫生服务中心", "新增床位{n}张", "预计{y}年6月投入使用"),
    ("小学", "扩建教室{n}间", "力争{y}年秋季开学前完工"),
    ("公园", "绿化面积{n}平方米", "计划{y}年底开园"),
    ("污水处理厂", "日处理能力{n}吨", "预计{y}年建成运行"),
    ("农贸市场", "改造摊位{n}个", "计划于{y}年完成改造"),
    ("养老服务中心", "设置床位{n}张", "预计{y}年投入运营"),
    ("图书馆分馆", "藏书{n}册", "计划{y}年对外开放"),
    ("体育公园", "新建球场{n}片", "力争{y}年建成"),
    ("停车场", "新增车位{n}个", "预计{y}年投入使用"),
    ("供水管网", "改造管线{n}公里", "计划{y}年完成"),
]


def _unrelated(n: int, group: int | None) -> list[Candidate]:
    """``n`` invented open commitments about other things; ``group``: all from that source document (a work report
    with many clauses), else each from its own."""
    out = []
    for i in range(n):
        place, (kind, size, when) = _PLACES[i % 10], _THINGS[(i // 10 + i) % 10]
        clause = f"{place}{kind}{size.format(n=30 + 7 * i)}，{when.format(y=2024 + i % 3)}"
        context = f"关于{place}{kind}建设的答复。{clause}。"
        out.append(Candidate(1000 + i, clause, context, group=1000 + i if group is None else group))
    return out


@pytest.mark.parametrize("same_source", [False, True])
@pytest.mark.parametrize("others", [0, 1, 10, 100])
def test_a_strong_pair_is_suggested_whatever_the_size_of_the_pool(others, same_source):
    # The learned features must not depend on how many open commitments a deployment has: the same pair, alone or
    # among 1, 10 or 100 unrelated candidates (of other source documents, or other clauses of its own), gets the
    # same decision — suggested, and nothing else is — with the scorer in use (the shipped file when there is one).
    strong = Candidate(1, _STRONG_CLAUSE, _STRONG_CONTEXT, group=1)
    matches = matching.rank(_STRONG_NEWS, [strong, *_unrelated(others, 1 if same_source else None)])
    assert [m.candidate_id for m in matches if m.suggested] == [1]
