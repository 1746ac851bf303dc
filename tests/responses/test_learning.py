"""Learning from corrections: what a confirmed reply records against its extraction, the retraining that promotes
a model only when it scores no lower, and the pipeline reading the promoted model (or the shipped one)."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarks.paths import shared_dir
from responses import learning, services, tasks
from responses.choices import FeedbackAction, FeedbackProposed, FeedbackSource
from responses.extraction import extract_text, ranker
from responses.learning import ExtractedItem, FinalItem
from responses.models import ExtractionFeedback, ExtractorModel
from tests import factories
from tests.api.conftest import client_for
from tests.ui.helpers import preview_post_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"
SHARED = shared_dir()  # LUOSHI_SHARED, else ../shared (beside the main checkout of a git worktree too)
AGENCY = "昆明市发展和改革委员会"


@pytest.fixture(autouse=True)
def _no_promoted_model_left_behind():
    """A promoted file left in the test MEDIA_ROOT would change every later extraction in the session."""
    yield
    learning.promoted_path().unlink(missing_ok=True)
    ranker.load_model.cache_clear()


def _actions() -> list[tuple[str, str]]:
    return list(ExtractionFeedback.objects.order_by("pk").values_list("action", "proposed"))


# ------------------------------------------------------------------------------------------- recording


def test_corrections_kept_edited_removed_added_and_a_split_copy():
    d = dt.date(2026, 12, 31)
    extracted = [
        ExtractedItem("commitment", "甲将完成改造", 0, 6, 0.9, d),
        ExtractedItem("commitment", "乙将新建学校", 10, 16, 0.8, None),
        ExtractedItem("commitment", "丙将修路", 20, 24, 0.7, None),
        ExtractedItem("candidate", "丁计划开工", 30, 35, 0.2, None),
        ExtractedItem("candidate", "戊推进工作", 40, 45, 0.1, None),
    ]
    finals = [
        FinalItem("甲将完成改造", d, (0, 6)),  # kept
        FinalItem("乙将新建学校", dt.date(2027, 6, 30), (10, 16)),  # edited (deadline)
        FinalItem("乙将新建学校（二期）", None, (10, 16)),  # a copy of the same item: the clerk's own
        FinalItem("丁计划开工", None, (30, 35)),  # a candidate added
        FinalItem("己将完善制度", None, None),  # typed by hand
    ]
    rows = learning.corrections(extracted, finals)
    assert [(r["action"], r["proposed"]) for r in rows] == [
        ("kept", "commitment"),
        ("edited", "commitment"),
        ("added", "none"),
        ("added", "candidate"),
        ("added", "none"),
        ("removed", "commitment"),
    ]
    removed = rows[-1]
    assert removed["extracted_text"] == "丙将修路" and removed["extracted_score"] == 0.7 and removed["final_text"] == ""
    assert rows[3]["extracted_score"] == 0.2 and rows[3]["final_text"] == "丁计划开工"


@pytest.fixture
def ndrc_clerk(db):
    agency = factories.AgencyFactory(name=AGENCY, jurisdiction="昆明市", aliases=["市发展改革委"])
    # The letter's body exists and is supervised: a session is created from a letter only where someone supervises.
    factories.supervisor_of(factories.BodyFactory(name="昆明市人大", jurisdiction="昆明市"), "km_supervisor")
    return factories.clerk_of(agency, "ndrc_clerk")


def test_confirmed_preview_records_each_action(client, ndrc_clerk):
    client.force_login(ndrc_clerk)
    upload = client.post(
        reverse("commitments:reply_upload"), {"file": SimpleUploadedFile("000.txt", SEED.read_bytes())}
    )
    preview = client.get(upload["Location"])
    extraction = extract_text(SEED.read_text(encoding="utf-8"))
    assert len(extraction.commitments) >= 3 and extraction.candidates
    body = preview.content.decode()
    assert 'class="js-add-candidate"' in body and "评分" in body and "范围：" in body
    data = preview_post_data(preview.context)
    total = int(data["c-TOTAL_FORMS"])
    data["c-1-text"] = data["c-1-text"] + "（修改）"  # edited
    # Removed: a commitment that shares no 12-character run with another (score.py's match would label its
    # clause positive again through the kept one: "…若干意见" is quoted by several sentences of this letter).
    from responses.extraction.ranker import matches

    # Nor one cut from a clause that holds another commitment (the boundary model cuts a clause into several): that
    # clause is labelled by the kept piece; nor one the added candidate matches.
    texts = [c.text for c in extraction.commitments]
    comms = extraction.commitments
    clauses = ranker.prepare(SEED.read_text(encoding="utf-8")).candidates

    def alone(i: int) -> bool:
        own = [x for x in clauses if x.start < comms[i].end and comms[i].start < x.end]
        added = extraction.candidates[0].text  # the clerk adds it below: it labels what it matches
        return not matches(texts[i], added) and not any(
            matches(texts[i], t) or any(x.start < comms[j].end and comms[j].start < x.end for x in own)
            for j, t in enumerate(texts)
            if j != i
        )

    gone = next(i for i in range(2, len(texts)) if alone(i))
    data[f"c-{gone}-DELETE"] = "on"
    # The candidate the clerk adds with one click (the script copies its values into a new form).
    cand = preview.context["candidates"][0]
    for name, value in json.loads(cand["values"]).items():
        data[f"c-{total}-{name}"] = value
    data[f"c-{total + 1}-text"] = "我委将于2026年底前完成专项督查"  # typed by hand
    data[f"c-{total + 1}-precision"] = "none"
    data[f"c-{total + 1}-strength"] = "other"
    data["c-TOTAL_FORMS"] = str(total + 2)
    confirm = client.post(upload["Location"], data)
    assert confirm.status_code == 302, confirm.context and confirm.context["formset"].errors
    rows = list(ExtractionFeedback.objects.order_by("pk"))
    assert {r.source for r in rows} == {FeedbackSource.PREVIEW}
    actions = [(r.action, r.proposed) for r in rows]
    assert actions.count(("kept", "commitment")) == total - 2
    assert actions.count(("edited", "commitment")) == 1 and actions.count(("removed", "commitment")) == 1
    assert ("added", "candidate") in actions and ("added", "none") in actions and len(rows) == total + 2
    edited = next(r for r in rows if r.action == FeedbackAction.EDITED)
    assert edited.final_text.endswith("（修改）") and edited.extracted_text == extraction.commitments[1].text
    assert edited.extracted_score == extraction.commitments[1].score
    added = next(r for r in rows if r.proposed == FeedbackProposed.CANDIDATE)
    assert added.final_text == extraction.candidates[0].text and added.extracted_score == extraction.candidates[0].score
    removed = next(r for r in rows if r.action == FeedbackAction.REMOVED)
    assert removed.final_text == "" and removed.extracted_text == extraction.commitments[gone].text
    # The candidate became a commitment of the reply.
    assert confirm.wsgi_request.user == ndrc_clerk
    from commitments.models import Commitment

    assert Commitment.objects.filter(text=extraction.candidates[0].text).exists()
    # Training reads them back: the confirmed texts are that document's commitments.
    ((_set, _name, prepared, labels),) = learning.correction_documents()
    assert _set == "corrections" and sum(labels) >= total - 1
    removed_at = [i for i, c in enumerate(prepared.candidates) if c.start == removed.extracted_start]
    assert removed_at and labels[removed_at[0]] == 0


def test_preview_reason_line_follows_the_language(client, ndrc_clerk, settings):
    from django.utils import translation

    client.force_login(ndrc_clerk)
    upload = client.post(
        reverse("commitments:reply_upload"), {"file": SimpleUploadedFile("000.txt", SEED.read_bytes())}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        body = client.get(upload["Location"]).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "Scope: " in body and "score 0." in body and "Add as commitment" in body
    assert "范围：" not in body and "评分" not in body


def test_api_upload_records_its_commitments_as_kept(db):
    from tests.api.test_writes_feeds_extract import upload

    agency = factories.AgencyFactory(name="测试市第一局")
    factories.supervisor_of(factories.BodyFactory(name="测试市人大", jurisdiction="测试市"))
    client = client_for(factories.clerk_of(agency))
    response = client.post("/api/v1/responses/", {"file": upload()}, format="multipart")
    assert response.status_code == 201, response.content
    rows = ExtractionFeedback.objects.all()
    assert rows.count() == response.json()["commitment_count"] == 2
    assert {(r.action, r.source) for r in rows} == {(FeedbackAction.KEPT, FeedbackSource.API)}
    assert all(r.extracted_score is not None and r.final_text == r.extracted_text for r in rows)
    # Unreviewed API uploads are not training data.
    assert learning.correction_documents() == []


# ------------------------------------------------------------------------------------------- retraining


@pytest.fixture
def tiny_corpus(tmp_path, settings):
    """Three sets of seed letters under BASE_DIR/corpus (BASE_DIR moved to a temp folder: no seeds gold)."""
    gold = json.loads((SHARED / "eval" / "seeds-gold.json").read_text(encoding="utf-8"))
    for name, docs in (("a", gold[0:2]), ("b", gold[2:4]), ("c", gold[4:5])):
        folder = tmp_path / "base" / "corpus" / name
        folder.mkdir(parents=True)
        for doc in docs:
            shutil.copy(SHARED / "seeds" / doc["file"], folder / doc["file"])
        (folder / "gold.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    settings.BASE_DIR = tmp_path / "base"
    return tmp_path / "base" / "corpus"


def _scores(monkeypatch, dated: float) -> None:
    def fake(data, trained_on=None, seed=0):
        return (0.5, 0.5) if trained_on is not None else (dated, dated - 0.1)

    monkeypatch.setattr(learning, "loso_score", fake)


@pytest.mark.skipif(not (SHARED / "eval" / "seeds-gold.json").exists(), reason="../shared/eval not present")
def test_retrain_task_promotes_a_better_model_and_keeps_the_current_one_otherwise(
    tiny_corpus, monkeypatch, django_capture_on_commit_callbacks
):
    _scores(monkeypatch, 0.8)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.extractor_retrain() is True
    first = ExtractorModel.objects.get()
    assert first.promoted and first.version == 1 and first.loso_dated_f1 == 0.8 and first.baseline_dated_f1 == 0.5
    assert Path(first.path).is_file() and learning.promoted_path().is_file()
    assert ranker.current_model().labels_hash == first.labels_hash  # the pipeline now reads it
    shipped = ranker.read_model(ranker.SHIPPED)
    assert first.labels_hash != shipped.labels_hash

    # New labels (a clerk's corrections), but the new model scores lower: recorded, not promoted.
    document = factories.DocumentFactory(text=SEED.read_text(encoding="utf-8"))
    services.extraction_feedback_record(
        document=document,
        source=FeedbackSource.PREVIEW,
        rows=[{"action": "added", "proposed": "none", "final_text": "积极争取将东川再就业特区纳入国家级开发区"}],
    )
    _scores(monkeypatch, 0.7)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.extractor_retrain() is False
    second = ExtractorModel.objects.get(version=2)
    assert not second.promoted and second.corrections == 1 and second.baseline_dated_f1 == 0.8
    assert Path(second.path).is_file() and ExtractorModel.objects.get(promoted=True) == first
    assert ranker.current_model().labels_hash == first.labels_hash

    # Same labels again: nothing trained. Then an equal score promotes ("not lower").
    assert services.extractor_retrain().reason.startswith("标注未变") is False  # v2's labels were never promoted
    assert ExtractorModel.objects.count() == 3
    _scores(monkeypatch, 0.8)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.extractor_retrain()
    assert result.promoted and ExtractorModel.objects.get(promoted=True).version == 4
    assert services.extractor_retrain().reason.startswith("标注未变")


def test_pipeline_falls_back_to_the_shipped_model_on_a_corrupt_promoted_file(monkeypatch):
    shipped = ranker.read_model(ranker.SHIPPED)
    path = learning.promoted_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(ranker, "PROMOTED", path)
    other = ranker.Model({}, {"future_time": 2.0}, -1.0, 0.5, labels_hash="promoted-one")
    ranker.save_model(other, path)
    assert ranker.current_model().labels_hash == "promoted-one"
    path.write_bytes(b"\x00not json{")
    model = ranker.current_model()  # the changed file is noticed without a restart
    assert model.labels_hash == shipped.labels_hash
    assert extract_text(SEED.read_text(encoding="utf-8")).commitments  # no crash


def test_admin_shows_the_model_in_use(admin_client):
    ExtractorModel.objects.create(
        version=3, path="/nowhere.json", labels_hash="x" * 64, loso_dated_f1=0.812, loso_all_f1=0.75, promoted=True
    )
    page = admin_client.get(reverse("admin:responses_extractormodel_changelist"), follow=True)
    body = page.content.decode()
    assert "v3" in body and "0.812" in body
    assert "随附模型" in body  # its file is missing: the admin says the shipped model runs


# ------------------------------------------------------------------------------------------- bylines


def test_bylines_captions_and_page_chrome_are_never_proposed():
    text = (
        "市政府召开专题会议部署城市更新工作\n"
        "（记者 张三 通讯员 李四）\n"
        "会议明确，我市将于2027年底前完成120个老旧小区改造，力争新建公园20个。\n"
        "图为2027年将建成的滨江公园效果图。（记者 王五 摄）\n"
        "责任编辑：赵六\n"
        "来源：测试市人民政府网站\n"
        "分享到： 打印本页 关闭窗口\n"
    )
    e = extract_text(text, reference_date=dt.date(2026, 1, 1))
    proposed = [c.text for c in (*e.commitments, *e.candidates)]
    assert any("老旧小区" in t for t in proposed)
    for word in ("记者", "通讯员", "责任编辑", "来源", "图为", "分享到", "打印本页"):
        assert not any(word in t for t in proposed), (word, proposed)


@pytest.mark.parametrize(
    ("text", "chrome"),
    [
        ("（记者 张三 通讯员 李四）", True),
        ("记者 王五 摄", True),
        ("编辑：赵六", True),
        ("来源：昆明市人民政府", True),
        ("图为工人正在施工。（记者 张三 摄）", True),
        ("分享到：", True),
        ("本报讯（记者 张三）市政府将于2026年建成体育馆", False),
        ("图书馆将于年内开放", False),
        ("编制完成规划", False),
        ("来源于群众的意见将认真研究", False),
        ("将组织拍摄", False),
    ],
)
def test_is_chrome(text, chrome):
    from responses.extraction.candidates import is_chrome

    assert is_chrome(text) is chrome
