"""A province-sized bulletin (200 zones, 1,000 leaders, long names, large amounts) builds, and
no word leaves the type area or runs into another: nothing clipped, nothing overflowing."""
import random
import re
from datetime import date
from decimal import Decimal

from app.domain import ranking
from app.domain import metrics as metrics_registry
from app.domain import targets as T
from app.domain.money import Money
from app.domain.pacing import Pace, expected_share
from app.queries.progress import LeaderProgress, MetricProgress, Progress, ZoneProgress
from reports import CountedProject, build_monthly_bulletin
from reports.layout import BOTTOM, LEFT, PAGE_HEIGHT, PAGE_WIDTH, RIGHT, TOP
from reports.text import cn_number

AS_OF = date(2024, 6, 30)
COUNTIES = ["石家庄市井陉矿区", "正定县", "辛集市", "晋州市", "赞皇县", "无极县", "平山县", "元氏县", "深泽县", "灵寿县"]
KINDS = ["经济技术开发区", "高新技术产业开发区", "循环经济产业示范园区", "装备制造产业园", "综合保税区"]


def synthetic_progress(zone_count=200, leaders_per_zone=5, seed=2024) -> tuple[Progress, list[CountedProject]]:
    rng = random.Random(seed)
    share = expected_share(2024, AS_OF)
    by_tier = {tier: {t.metric: t for t in targets} for tier, targets in T.TARGETS_2024.items()}
    zones, leaders, projects = [], [], []
    for z in range(zone_count):
        tier = "A" if z < 10 else "B" if z < 40 else "C"
        name = f"{COUNTIES[z % len(COUNTIES)]}{KINDS[z % len(KINDS)]}{'第' + str(z) + '片区' if z % 7 == 0 else ''}"
        if z == 199:
            name = "河北省石家庄市井陉矿区循环经济示范产业聚集区与现代服务业融合发展先行区"
        own = []
        for n in range(leaders_per_zone):
            quota = by_tier[tier][T.LEADER_CONTACTS].floor
            contacted = rng.randint(0, quota)
            own.append(LeaderProgress(z * 10 + n, f"z{z}-l{n}", rng.choice(["欧阳建华", "张伟", "司马振宇", "李娜"]),
                                      z, f"z{z}", name, tier, quota, contacted, Pace(contacted, quota, share)))
        metrics = []
        for metric in [m.key for m in metrics_registry.zone_metrics()]:
            target = by_tier[tier].get(metric)
            if target is None:
                continue
            if metric == T.LEADER_CONTACTS:
                floor, stretch = target.floor * len(own), None
                actual = sum(min(l.contacted, target.floor) for l in own)
            else:
                floor, stretch, actual = target.floor, target.stretch, rng.randint(0, 12)
            metrics.append(MetricProgress(metric, floor, stretch, actual, target.threshold, Pace(actual, floor, share)))
        zones.append(ZoneProgress(z, f"z{z}", name, COUNTIES[z % len(COUNTIES)], tier, metrics, own))
        leaders.extend(own)
        for p in range(rng.randint(0, 3)):
            foreign = rng.random() < 0.4
            projects.append(CountedProject(
                zone_id=z, zone_name=name, name=f"{rng.choice(['新能源', '高端装备智能制造产业基地', '生物医药'])}项目{p}",
                investor=rng.choice(["北京华创科技有限公司", "新加坡淡马锡控股投资集团有限公司（亚太区域总部）"]),
                origin_label="新加坡" if foreign else "中国大陆", foreign=foreign,
                total_investment=Money(Decimal(rng.randint(5, 99_999_999)) * 10_000, "CNY"),
                foreign_capital=Money(Decimal("9999999999.99"), "USD") if foreign else None,
                signed_on=date(2024, rng.randint(1, 6), rng.randint(1, 28)), stage="signed",
                metrics=tuple(rng.sample([T.FOREIGN, T.DOMESTIC, T.MANUFACTURING], rng.randint(1, 3))),
            ))
    for tier in T.TIERS:
        in_tier = [z for z in zones if z.tier == tier]
        for z in in_tier:
            z.score = ranking.score([ranking.MetricResult(m.metric, m.actual, m.floor, m.stretch) for m in z.metrics])
        ranks = ranking.rank((z.code, z.score) for z in in_tier)
        for z in in_tier:
            z.rank_in_tier = ranks[z.code]
    city = [MetricProgress(T.NEW_START_INDUSTRIAL, 400, None, 123, Money(Decimal(50_000_000), "CNY"),
                           Pace(123, 400, share))]
    return Progress(2024, AS_OF, share, zones, leaders, city), projects


def _overlaps(a, b, slack=1.0) -> bool:
    # Word boxes span the font's full ascent and descent, more than a line's leading, so
    # compare their middle halves vertically and allow a point of touching horizontally.
    ha, hb = (a["y1"] - a["y0"]) / 4, (b["y1"] - b["y0"]) / 4
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
            and min(a["y1"] - ha, b["y1"] - hb) - max(a["y0"] + ha, b["y0"] + hb) > 0)


def test_a_200_zone_bulletin_keeps_every_word_inside_the_page_and_apart(pdf):
    progress, projects = synthetic_progress()
    data = build_monthly_bulletin(progress, projects, issued_on=date(2024, 7, 5))
    pages = pdf.words(data)
    assert len(pages) > 60
    for number, page in enumerate(pages, start=1):
        words = page["words"]
        assert words, f"page {number} is empty"
        for w in words:
            folio = re.fullmatch(r"[—\d]+", w["text"]) and w["y0"] > PAGE_HEIGHT - BOTTOM
            assert w["x0"] >= LEFT - 0.5 and w["x1"] <= PAGE_WIDTH - RIGHT + 0.5, (number, w)
            assert w["y0"] >= TOP - 2 and (w["y1"] <= PAGE_HEIGHT - BOTTOM + 2 or folio), (number, w)
        ordered = sorted(words, key=lambda w: w["y0"])
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if b["y0"] > a["y1"]:
                    break
                assert not _overlaps(a, b), (number, a, b)

    flat = "".join(re.sub(r"— \d+ —", "", pdf.text(data, layout=False)).split())
    for n, zone in enumerate((z for tier in T.TIERS for z in progress.zones_in_tier(tier)), start=1):
        assert f"（{cn_number(n)}）{zone.name}" in flat
    assert "1,000,000.00万美元" in flat     # 9,999,999,999.99 USD, in a 70-point column
