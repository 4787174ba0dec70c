"""Which university a talent studied at, given her degree, home province and chain."""

from __future__ import annotations

import random

from talentpark.core.codes import Degree
from talentpark.demo.codebook import Codebook, UniversityInfo

Z, B, S, D = Degree.ZHUANKE, Degree.BENKE, Degree.SHUOSHI, Degree.BOSHI

ARTS = ("音乐", "美术", "体育", "戏剧", "电影", "传媒", "外国语", "外语", "政法", "舞蹈", "艺术", "公安")
MEDICAL = ("医", "药")
NOT_FOR_ENGINEERING_RESEARCH = ("师范", "财经", "经济", "农业", "林业", "海洋")


class UniversityChooser:
    """Vocational and regional colleges for 专科/本科, 985/211 for graduate degrees.

    Only universities that teach the chain's subjects: no art or language schools, medical
    ones only for the pharma chain, and no normal or finance universities for doctorates.
    """

    def __init__(self, book: Codebook, home: str, family: str) -> None:
        def fits(u: UniversityInfo) -> bool:
            if any(w in u.name for w in ARTS):
                return False
            return family == "pharma" or not any(w in u.name for w in MEDICAL)

        unis = [u for u in book.universities if fits(u)]
        research = [u for u in unis if not any(w in u.name for w in NOT_FOR_ENGINEERING_RESEARCH)]
        provinces = sorted({u.province for u in unis if u.province})
        self.home = home
        self.vocational = {
            p: [u.name for u in unis if u.kind == "高职" and u.province == p] for p in provinces
        }
        self.regional = {
            p: [
                u.name
                for u in unis
                if u.kind == "本科" and not u.is_211 and not u.is_double_first_class and u.province == p
            ]
            for p in provinces
        }
        self.any_vocational = [u.name for u in unis if u.kind == "高职"]
        self.any_regional = [u.name for u in unis if u.kind == "本科" and not u.is_211]
        self.u985 = [u.name for u in unis if u.is_985]
        self.u211 = [u.name for u in unis if u.is_211 and not u.is_985]
        self.first_class = [u.name for u in unis if u.is_double_first_class and not u.is_211]
        self.home_good = [
            u.name for u in unis if (u.is_211 or u.is_double_first_class) and u.province == home
        ]
        self.research985 = [u.name for u in research if u.is_985]
        self.research211 = [u.name for u in research if u.is_211 and not u.is_985]

    def pick(self, rng: random.Random, degree: str, birth_province: str) -> str:
        r = rng.random()
        province = birth_province if rng.random() < 0.3 and self.regional.get(birth_province) else self.home
        if degree == Z:
            if r < 0.75 and self.vocational.get(province):
                return rng.choice(self.vocational[province])
            if r < 0.9 and self.regional.get(province):
                return rng.choice(self.regional[province])
            return rng.choice(self.any_vocational)
        if degree == B:
            if r < 0.55 and self.regional.get(province):
                return rng.choice(self.regional[province])
            if r < 0.62 and self.home_good:
                return rng.choice(self.home_good)
            if r < 0.7:
                return rng.choice(self.any_regional)
            if r < 0.86:
                return rng.choice(self.u211)
            return rng.choice(self.u985 if r < 0.94 else self.first_class)
        if degree == S:
            if r < 0.15 and self.regional.get(self.home):
                return rng.choice(self.regional[self.home])
            if r < 0.25:
                return rng.choice(self.first_class)
            return rng.choice(self.u985 if r < 0.6 else self.u211)
        return rng.choice(self.research985 if r < (0.65 if degree == D else 0.85) else self.research211)
