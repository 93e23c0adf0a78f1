"""Running the pipeline on several articles at once (step by step, the NER over all their
sentences in one pass) gives what running it on each article alone gives."""

from dataclasses import dataclass, replace
from datetime import date

from marsad.run import Rejected, process_many, process_raw
from marsad.errors import MarsadError
from marsad.ingest import RawDoc, Reject
from marsad.model import Article
from marsad.pipeline import Pipeline, build_pipeline

SENTS = [
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري وليد المعلم في موسكو أمس.",
    "وقال المبعوث الأممي غير بيدرسون إن «المحادثات كانت بناءة» مؤكداً ضرورة وقف إطلاق النار.",
    "وشنت طائرات حربية غارات على ريف إدلب الجنوبي يوم الخميس الماضي.",
    "ونفت الخارجية التركية ما تردد عن اتفاق جديد بشأن منبج.",
    "وتظاهر مئات الأشخاص في عمان احتجاجاً على رفع الأسعار، بحسب ما أفادت وكالة الأنباء الأردنية.",
]


def _raws():
    out = []
    for i in range(11):  # one-sentence articles next to long ones, so batches mix lengths
        n = 1 + (i * 3) % 7
        body = "\n".join(SENTS[(i + k) % len(SENTS)] for k in range(n))
        out.append(
            RawDoc(
                id=f"a{i}",
                source=f"mem:{i}",
                text=body,
                title=f"عنوان الخبر {i}",
                published=date(2019, 5, 1 + i % 9),
                outlet="وكالة الاختبار",
            )
        )
    out.insert(4, Reject("mem:bad", "invalid", "a record that could not be read"))
    out.insert(7, RawDoc(id="empty", source="mem:empty", text="   "))
    return out


def test_process_many_equals_one_by_one():
    pl = build_pipeline()
    raws = _raws()
    alone = [process_raw(r, pl) for r in raws]
    together = process_many(raws, pl)
    assert [repr(x) for x in together] == [repr(x) for x in alone]
    assert isinstance(together[4], Rejected) and together[4].reason == "invalid"
    assert isinstance(together[7], Rejected)
    arts = [x for x in together if not isinstance(x, Rejected)]
    assert len(arts) == 11 and sum(len(a.mentions) for a in arts) > 30


@dataclass
class _Flaky:
    """A step whose batch call always fails and whose single call refuses one article."""

    name: str = "flaky"
    requires: tuple = ()
    assigns: tuple = ()
    calls: int = 0

    def __call__(self, a: Article) -> Article:
        self.calls += 1
        if a.id == "bad":
            raise MarsadError("this article cannot be processed")
        return replace(a, headline="seen")

    def batch(self, arts):
        raise RuntimeError("a bug in the batch path")


@dataclass
class _Batched:
    name: str = "batched"
    requires: tuple = ()
    assigns: tuple = ()
    batches: int = 0

    def __call__(self, a: Article) -> Article:
        return replace(a, byline="one")

    def batch(self, arts):
        self.batches += 1
        return [replace(a, byline="many") for a in arts]


def test_run_many_falls_back_to_one_by_one_and_isolates_errors():
    flaky, batched = _Flaky(), _Batched()
    pl = Pipeline([flaky, batched])
    arts = [Article(id=i, text="نص") for i in ("a", "bad", "c")]
    out = pl.run_many(arts)
    assert flaky.calls == 3
    assert isinstance(out[1], MarsadError)
    assert [(o.headline, o.byline) for o in (out[0], out[2])] == [("seen", "many")] * 2
    assert batched.batches == 1
    assert pl.stats["flaky"].failures == 1 and pl.stats["flaky"].articles == 2
    assert pl.stats["batched"].articles == 2
    # one article: no batch call
    assert pl.run_many([Article(id="d", text="نص")])[0].byline == "one"
