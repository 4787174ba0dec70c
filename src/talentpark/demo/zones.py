"""The two demo zones: Jining hi-tech zone (main) and Changzhi hi-tech zone (second).

A :class:`ZoneProfile` says everything zone-specific the generator needs: its
division codes, industry chains with their segments and GB/T 4754 classes, where
its people come from, road and apartment-estate names, and the names of its
talent bodies. Chain masters are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentpark.registry.models import ChainSegment

UP, MID, DOWN = ChainSegment.Stage.UPSTREAM, ChainSegment.Stage.MIDSTREAM, ChainSegment.Stage.DOWNSTREAM


@dataclass(frozen=True)
class Trade:
    """A line of business: the word in an enterprise name and its GB/T 4754 class."""

    word: str  # in the full name: "液压科技"
    short: str  # in the short name: "液压"
    industry: str  # GB/T 4754-2017 class code


@dataclass(frozen=True)
class Segment:
    name: str
    stage: str
    weight: float
    trades: tuple[Trade, ...]


@dataclass(frozen=True)
class Flagship:
    """A fixed, fictional, well-known enterprise of a chain (the first is the chain master)."""

    name: str
    short: str
    segment: int
    trade: int


@dataclass(frozen=True)
class ChainProfile:
    code: str
    name: str
    description: str
    family: str  # the chain family of majors.json / vocab: machinery, auto, pharma, materials, digital
    weight: float  # share of the zone's enterprises
    male_share: float  # share of men among its talents
    segments: tuple[Segment, ...]
    flagships: tuple[Flagship, ...]

    @property
    def industries(self) -> list[str]:
        codes: list[str] = []
        for seg in self.segments:
            for t in seg.trades:
                if t.industry not in codes:
                    codes.append(t.industry)
        return codes


@dataclass(frozen=True)
class Birthplace:
    """A division code people are born with, valid for birth years in [since, until]."""

    code: str
    weight: float
    since: int = 1900
    until: int = 2100


@dataclass(frozen=True)
class Estate:
    name: str
    share: float  # of the zone's apartment units
    kinds: tuple[tuple[str, float], ...]  # ApartmentUnit.Kind value, weight
    building_style: str  # "{n}号楼" or "{letter}座"
    floors: tuple[int, int]
    rooms_per_floor: int


@dataclass(frozen=True)
class ZoneProfile:
    code: str
    name: str
    short_name: str
    division: str
    province: str  # province division code
    province_name: str
    city_name: str
    prefix: str  # username prefix
    doc_prefix: str  # 文号 prefix, e.g. 济高新发
    leading_group: str
    committee: str
    registration_divisions: tuple[tuple[str, float], ...]  # enterprise.division and USCC codes
    hukou_division: str  # where a hukou moved into the zone is registered
    home_birthplaces: tuple[Birthplace, ...]
    other_provinces: tuple[tuple[str, float], ...]  # birthplaces outside the home province
    surname_boost: dict[str, float]
    roads: tuple[str, ...]
    estates: tuple[Estate, ...]
    chains: tuple[ChainProfile, ...]
    municipal_programmes: tuple[str, ...]
    provincial_programmes: tuple[str, ...]
    zone_programme: str
    region_words: tuple[str, ...]  # region prefixes of enterprise names: 山东, 济宁
    partner_name: str
    ambassador_org: str
    incubator_words: tuple[str, ...]
    hosts: tuple[str, ...]  # non-enterprise host organisations of platforms


def _t(word: str, short: str, industry: str) -> Trade:
    return Trade(word, short, industry)


# fmt: off
JINING_CHAINS = (
    ChainProfile(
        code="machinery",
        name="工程机械及智能装备",
        description="以挖掘机、推土机、起重机等整机为牵引，带动液压件、传动件、智能控制系统等核心零部件和工业机器人协同发展。",
        family="machinery",
        weight=0.26,
        male_share=0.78,
        segments=(
            Segment("液压与传动核心零部件", UP, 3, (_t("液压科技", "液压", "3444"), _t("传动科技", "传动", "3453"), _t("动力机械", "动力", "3412"))),
            Segment("工程机械整机", MID, 3, (_t("重工机械", "重工", "3514"), _t("工程机械", "机械", "3514"), _t("隧道装备", "隧道装备", "3517"), _t("矿山机械", "矿机", "3511"))),
            Segment("起重与物料搬运设备", MID, 1.5, (_t("起重设备", "起重", "3432"), _t("物流装备", "物流装备", "3434"))),
            Segment("智能装备与工业机器人", MID, 2, (_t("智能装备", "智能", "3491"), _t("机器人科技", "机器人", "3491"), _t("数控机床", "机床", "3421"), _t("焊接装备", "焊接", "3424"))),
            Segment("控制系统与后市场服务", DOWN, 1.5, (_t("自动化科技", "自动化", "4011"), _t("工控技术", "工控", "3914"))),
        ),
        flagships=(
            Flagship("山东鲁擎重工机械股份有限公司", "鲁擎重工", 1, 0),
            Flagship("济宁岱驰液压科技有限公司", "岱驰液压", 0, 0),
            Flagship("山东泗岳智能装备有限公司", "泗岳智能", 3, 0),
        ),
    ),
    ChainProfile(
        code="auto",
        name="汽车及零部件",
        description="围绕新能源商用车和专用车整车，配套发展电驱动、底盘、车身和汽车电子零部件。",
        family="auto",
        weight=0.2,
        male_share=0.74,
        segments=(
            Segment("动力与电驱系统", UP, 2, (_t("动力科技", "动力", "3620"), _t("电机科技", "电机", "3812"))),
            Segment("汽车电子与传感器", UP, 1.5, (_t("汽车电子", "汽车电子", "3670"), _t("传感技术", "传感", "3983"))),
            Segment("汽车零部件", MID, 4, (_t("汽车零部件", "汽配", "3670"), _t("车桥制造", "车桥", "3670"), _t("制动系统", "制动", "3670"), _t("橡塑制品", "橡塑", "3670"))),
            Segment("车身与挂车", MID, 1.5, (_t("车身制造", "车身", "3660"), _t("挂车制造", "挂车", "3660"))),
            Segment("整车与改装车", DOWN, 1, (_t("新能源汽车", "新能源汽车", "3612"), _t("专用汽车", "专用车", "3630"), _t("汽车制造", "汽车", "3611"))),
        ),
        flagships=(
            Flagship("山东任驰汽车科技集团有限公司", "任驰汽车", 4, 0),
            Flagship("济宁鸿轩车桥制造有限公司", "鸿轩车桥", 2, 1),
            Flagship("山东启岳汽车电子有限公司", "启岳电子", 1, 0),
        ),
    ),
    ChainProfile(
        code="pharma",
        name="医药健康",
        description="以化学制剂、生物药和现代中药为主体，延伸发展原料药、药用辅料和医疗器械，打造鲁西南医药健康产业集群。",
        family="pharma",
        weight=0.18,
        male_share=0.5,
        segments=(
            Segment("原料药与药用辅料", UP, 2, (_t("制药", "制药", "2710"), _t("药用包装材料", "药包材", "2780"))),
            Segment("化学药制剂", MID, 2, (_t("药业", "药业", "2720"),)),
            Segment("现代中药", MID, 1.5, (_t("中药饮片", "中药", "2730"), _t("中药制药", "中药", "2740"))),
            Segment("生物药与疫苗", MID, 1.5, (_t("生物医药", "生物", "2761"), _t("生物制品", "生物制品", "2762"), _t("动物药业", "动保", "2750"))),
            Segment("医疗器械与卫生材料", DOWN, 2, (_t("医疗器械", "医疗器械", "3584"), _t("医疗设备", "医疗设备", "3581"), _t("卫生材料", "卫材", "2770"), _t("康复器械", "康复", "3586"))),
        ),
        flagships=(
            Flagship("山东儒康生物医药股份有限公司", "儒康医药", 1, 0),
            Flagship("济宁仁和泰制药有限公司", "仁和泰制药", 0, 0),
            Flagship("山东尼山医疗器械有限公司", "尼山医疗", 4, 0),
        ),
    ),
    ChainProfile(
        code="materials",
        name="新材料新能源",
        description="以碳基新材料、化工新材料和锂电、光伏、风电装备为重点，推进材料、器件到能源应用的一体化发展。",
        family="materials",
        weight=0.16,
        male_share=0.72,
        segments=(
            Segment("化工新材料", UP, 2, (_t("化工科技", "化工", "2661"), _t("高分子材料", "高分子", "2651"), _t("橡胶科技", "橡胶", "2652"))),
            Segment("碳素与石墨材料", UP, 1.5, (_t("碳素", "碳素", "3091"), _t("石墨科技", "石墨", "3091"))),
            Segment("电子专用材料", MID, 1, (_t("电子材料", "电子材料", "3985"),)),
            Segment("新能源装备与电池", MID, 2, (_t("锂电科技", "锂电", "3841"), _t("光伏科技", "光伏", "3825"), _t("风电装备", "风电", "3415"))),
            Segment("新能源发电与储能", DOWN, 1, (_t("新能源", "新能源", "4416"), _t("风力发电", "风电", "4415"))),
        ),
        flagships=(
            Flagship("山东洸河新材料科技股份有限公司", "洸河新材", 1, 0),
            Flagship("济宁晟拓锂电科技有限公司", "晟拓锂电", 3, 0),
            Flagship("山东微湖高分子材料有限公司", "微湖高分子", 0, 1),
        ),
    ),
    ChainProfile(
        code="digital",
        name="数字经济",
        description="发展工业软件、工业互联网、大数据和集成电路设计，赋能装备、汽车、医药等传统产业数字化转型。",
        family="digital",
        weight=0.2,
        male_share=0.66,
        segments=(
            Segment("集成电路与电子元器件", UP, 1, (_t("微电子", "微电子", "6520"), _t("电子科技", "电子", "3983"), _t("光电科技", "光电", "3976"))),
            Segment("软件开发", MID, 3, (_t("软件", "软件", "6513"), _t("信息技术", "信息", "6513"), _t("基础软件", "软件", "6511"))),
            Segment("工业互联网与物联网", MID, 2, (_t("物联网科技", "物联", "6532"), _t("工业互联网", "工业互联", "6431"))),
            Segment("信息系统集成与数据服务", MID, 2, (_t("数字科技", "数科", "6531"), _t("大数据", "大数据", "6450"), _t("数据服务", "数据", "6550"))),
            Segment("运维与信息技术咨询", DOWN, 1, (_t("网络科技", "网络", "6540"), _t("信息咨询", "咨询", "6560"))),
        ),
        flagships=(
            Flagship("济宁运河数字科技集团有限公司", "运河数科", 3, 0),
            Flagship("山东蓼河软件有限公司", "蓼河软件", 1, 0),
            Flagship("山东孔孟信息技术有限公司", "孔孟信息", 1, 1),
        ),
    ),
)

CHANGZHI_CHAINS = (
    ChainProfile(
        code="electronics",
        name="电子信息",
        description="以LED外延芯片、光电器件和传感器为核心，带动电子专用材料、整机和软件服务发展。",
        family="digital",
        weight=0.3,
        male_share=0.64,
        segments=(
            Segment("电子专用材料", UP, 1, (_t("电子材料", "电子材料", "3985"),)),
            Segment("光电子器件与芯片", MID, 2, (_t("光电科技", "光电", "3976"), _t("半导体", "半导体", "3973"), _t("传感技术", "传感", "3983"))),
            Segment("整机与工业控制", DOWN, 1, (_t("电子设备", "电子设备", "3911"), _t("工控技术", "工控", "3914"))),
            Segment("软件与信息服务", DOWN, 1.5, (_t("软件", "软件", "6513"), _t("信息技术", "信息", "6531"))),
        ),
        flagships=(Flagship("山西上党光电科技股份有限公司", "上党光电", 1, 0),),
    ),
    ChainProfile(
        code="photovoltaics",
        name="光伏光电",
        description="从高效电池片、组件到逆变器与光伏电站，打造光伏全产业链。",
        family="materials",
        weight=0.2,
        male_share=0.7,
        segments=(
            Segment("硅材料与电池片", UP, 1, (_t("光伏材料", "光伏材料", "3985"),)),
            Segment("光伏组件", MID, 2, (_t("光能科技", "光能", "3825"), _t("光伏科技", "光伏", "3825"))),
            Segment("光伏设备与电力电子", MID, 1, (_t("电力电子", "电力电子", "3824"), _t("光伏装备", "光伏装备", "3562"))),
            Segment("光伏发电", DOWN, 1, (_t("新能源", "新能源", "4416"),)),
        ),
        flagships=(Flagship("长治太岳光能科技股份有限公司", "太岳光能", 1, 0),),
    ),
    ChainProfile(
        code="equipment",
        name="装备制造",
        description="以煤机装备、工程机械和智能装备为主，配套液压、传动等基础零部件。",
        family="machinery",
        weight=0.3,
        male_share=0.8,
        segments=(
            Segment("基础零部件", UP, 1.5, (_t("液压科技", "液压", "3444"), _t("传动科技", "传动", "3453"))),
            Segment("煤机与矿山装备", MID, 2, (_t("煤机装备", "煤机", "3511"), _t("矿山机械", "矿机", "3511"))),
            Segment("工程机械与起重设备", MID, 1, (_t("重工机械", "重工", "3514"), _t("起重设备", "起重", "3432"))),
            Segment("智能装备", DOWN, 1, (_t("智能装备", "智能", "3491"), _t("自动化科技", "自动化", "4011"))),
        ),
        flagships=(Flagship("山西黎岭重型装备股份有限公司", "黎岭重装", 1, 0),),
    ),
    ChainProfile(
        code="biomed",
        name="生物医药与大健康",
        description="依托上党中药材资源，发展中成药、化学制剂、生物药和医疗器械。",
        family="pharma",
        weight=0.2,
        male_share=0.5,
        segments=(
            Segment("原料药", UP, 1, (_t("制药", "制药", "2710"),)),
            Segment("中药与化学制剂", MID, 2, (_t("中药制药", "中药", "2740"), _t("药业", "药业", "2720"))),
            Segment("生物药", MID, 1, (_t("生物医药", "生物", "2761"),)),
            Segment("医疗器械与卫生材料", DOWN, 1, (_t("医疗器械", "医疗器械", "3584"), _t("卫生材料", "卫材", "2770"))),
        ),
        flagships=(Flagship("山西潞参生物医药股份有限公司", "潞参医药", 1, 0),),
    ),
)

JINING = ZoneProfile(
    code="jining-hitech",
    name="济宁高新技术产业开发区",
    short_name="济宁高新区",
    division="370800",
    province="370000",
    province_name="山东省",
    city_name="济宁市",
    prefix="jn",
    doc_prefix="济高新发",
    leading_group="济宁高新区党工委人才工作领导小组",
    committee="济宁高新区管委会",
    registration_divisions=(("370800", 0.7), ("370811", 0.3)),
    hukou_division="370811",
    home_birthplaces=(
        Birthplace("370802", 12, until=2012),  # 济宁市市中区, merged into 任城区 in 2013
        Birthplace("370811", 20),
        Birthplace("370882", 10, until=2012),  # 兖州市 → 兖州区 in 2013
        Birthplace("370812", 10, since=2013),
        Birthplace("370881", 10),
        Birthplace("370883", 12),
        Birthplace("370826", 6),
        Birthplace("370827", 5),
        Birthplace("370828", 7),
        Birthplace("370829", 8),
        Birthplace("370830", 6),
        Birthplace("370831", 5),
        Birthplace("370832", 6),
    ),
    other_provinces=(
        ("410000", 25), ("130000", 15), ("320000", 12), ("340000", 12), ("140000", 8),
        ("230000", 6), ("220000", 4), ("210000", 4), ("510000", 5), ("420000", 5), ("610000", 4),
        ("150000", 3), ("620000", 3), ("330000", 3), ("110000", 2), ("120000", 3), ("430000", 3),
        ("360000", 3), ("350000", 2), ("440000", 2), ("500000", 2),
    ),
    surname_boost={"孔": 6.0, "孟": 3.0, "颜": 4.0, "曾": 1.5},
    roads=(
        "海川路", "崇文大道", "火炬南路", "开源路", "杏林路", "金宇路", "同济路", "嘉德路", "康泰路",
        "樱花路", "黄屯路", "蓼河路", "诗仙路", "洸河路", "王因街",
    ),
    estates=(
        Estate("蓼河人才公寓", 0.17, (("expert", 4), ("youth", 6)), "{n}号楼", (11, 26), 6),
        Estate("高新区青年人才驿站", 0.08, (("youth", 1),), "{L}座", (6, 12), 12),
        Estate("黄屯蓝领公寓", 0.2, (("blue", 1),), "{n}号楼", (6, 11), 10),
        Estate("海川英才公寓", 0.15, (("youth", 8), ("expert", 2)), "{n}号楼", (11, 18), 6),
        Estate("崇文专家公寓", 0.06, (("expert", 1),), "{n}号楼", (6, 11), 4),
        Estate("杏林青年人才公寓", 0.12, (("youth", 1),), "{n}号楼", (15, 26), 8),
        Estate("同创产业工人公寓", 0.14, (("blue", 1),), "{n}号楼", (6, 9), 12),
        Estate("火炬人才家园", 0.08, (("youth", 6), ("expert", 4)), "{n}号楼", (11, 18), 4),
    ),
    chains=JINING_CHAINS,
    municipal_programmes=("济宁市有突出贡献的中青年专家", "济宁市高层次创新创业人才", "济宁市首席技师"),
    provincial_programmes=("泰山产业领军人才工程", "泰山学者青年专家", "齐鲁首席技师", "山东省有突出贡献的中青年专家"),
    zone_programme="济宁高新区“蓼河英才”计划",
    region_words=("山东", "济宁"),
    partner_name="济宁高新区蓼河医院人才服务窗口",
    ambassador_org="济宁高新区驻上海引才工作站",
    incubator_words=("蓼河创新谷", "启航", "智汇", "青创", "云谷", "星火", "同创", "汇智", "筑梦", "聚贤"),
    hosts=("济宁高新区科创服务中心", "济宁高新区产业发展投资有限公司", "济宁高新区蓼河人才发展研究院"),
)

CHANGZHI = ZoneProfile(
    code="changzhi-hitech",
    name="长治高新技术产业开发区",
    short_name="长治高新区",
    division="140400",
    province="140000",
    province_name="山西省",
    city_name="长治市",
    prefix="cz",
    doc_prefix="长高新发",
    leading_group="长治高新区党工委人才工作领导小组",
    committee="长治高新区管委会",
    registration_divisions=(("140400", 0.6), ("140403", 0.4)),
    hukou_division="140403",
    home_birthplaces=(
        Birthplace("140402", 20, until=2017),  # 长治市城区 → 潞州区 in 2018
        Birthplace("140411", 8, until=2017),  # 长治市郊区 → 潞州区
        Birthplace("140421", 8, until=2017),  # 长治县 → 上党区
        Birthplace("140424", 6, until=2017),  # 屯留县 → 屯留区
        Birthplace("140481", 6, until=2017),  # 潞城市 → 潞城区
        Birthplace("140403", 28, since=2018),
        Birthplace("140404", 8, since=2018),
        Birthplace("140405", 6, since=2018),
        Birthplace("140406", 6, since=2018),
        Birthplace("140423", 6),
        Birthplace("140425", 3),
        Birthplace("140426", 3),
        Birthplace("140427", 4),
        Birthplace("140428", 5),
        Birthplace("140429", 4),
        Birthplace("140430", 3),
        Birthplace("140431", 3),
    ),
    other_provinces=(
        ("410000", 25), ("130000", 18), ("370000", 12), ("610000", 10), ("150000", 6), ("110000", 3),
        ("120000", 3), ("620000", 3), ("210000", 3), ("340000", 3), ("510000", 3),
    ),
    surname_boost={"郭": 2.0, "郝": 3.0, "申": 6.0, "牛": 4.0, "秦": 2.0, "武": 2.5},
    roads=("太行西街", "英雄南路", "长兴南路", "捉马东大街", "漳泽路", "光明南路", "太行东街", "府后东街"),
    estates=(
        Estate("长治高新区专家公寓", 0.25, (("expert", 1),), "{n}号楼", (6, 11), 4),
        Estate("长治高新区蓝领公寓", 0.55, (("blue", 1),), "{n}号楼", (6, 9), 12),
        Estate("漳泽青年人才公寓", 0.2, (("youth", 1),), "{L}座", (11, 18), 8),
    ),
    chains=CHANGZHI_CHAINS,
    municipal_programmes=("长治市拔尖人才", "长治市首席技师"),
    provincial_programmes=("三晋英才", "山西省学术技术带头人", "三晋技术能手"),
    zone_programme="长治高新区“太行英才”计划",
    region_words=("山西", "长治"),
    partner_name="长治高新区漳泽医院人才服务窗口",
    ambassador_org="长治高新区驻深圳引才工作站",
    incubator_words=("太行创谷", "启航", "智汇", "青创", "漳泽", "星火"),
    hosts=("长治高新区科创服务中心", "长治高新区产业投资有限公司"),
)
# fmt: on

ZONES = (JINING, CHANGZHI)
