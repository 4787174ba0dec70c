"""Word lists for the demo data: names, enterprise name parts, jobs, topics.

Everything here is vocabulary, not people: names are assembled at random from common
surnames and given-name characters, enterprise names from invented brand syllables and
line-of-business words. Zone-specific vocabulary (roads, estates, chains) lives in
:mod:`talentpark.demo.zones`.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentpark.core.codes import Degree

# Common surnames with rough nationwide frequencies (per mille); zones boost local ones.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71.2), ("李", 70.0), ("张", 67.4), ("刘", 51.0), ("陈", 46.1), ("杨", 32.2), ("黄", 24.5),
    ("赵", 21.9), ("吴", 20.5), ("周", 18.9), ("徐", 14.9), ("孙", 14.7), ("马", 14.4), ("朱", 13.5),
    ("胡", 13.1), ("郭", 12.0), ("何", 11.7), ("高", 11.3), ("林", 10.9), ("罗", 10.3), ("郑", 9.0),
    ("梁", 8.8), ("谢", 8.0), ("宋", 7.4), ("唐", 7.2), ("许", 7.1), ("韩", 6.9), ("冯", 6.7),
    ("邓", 6.6), ("曹", 6.5), ("彭", 6.2), ("曾", 6.1), ("肖", 5.9), ("田", 5.7), ("董", 5.6),
    ("袁", 5.4), ("潘", 5.3), ("于", 5.2), ("蒋", 5.0), ("蔡", 4.9), ("余", 4.8), ("杜", 4.7),
    ("叶", 4.6), ("程", 4.5), ("苏", 4.4), ("魏", 4.3), ("吕", 4.2), ("丁", 4.1), ("任", 4.0),
    ("沈", 3.9), ("姚", 3.8), ("卢", 3.7), ("姜", 3.6), ("崔", 3.5), ("钟", 3.4), ("谭", 3.3),
    ("陆", 3.2), ("汪", 3.1), ("范", 3.0), ("金", 2.9), ("石", 2.8), ("廖", 2.7), ("贾", 2.6),
    ("夏", 2.5), ("韦", 2.4), ("付", 2.3), ("方", 2.2), ("白", 2.1), ("邹", 2.0), ("孟", 2.0),
    ("熊", 1.9), ("秦", 1.9), ("邱", 1.8), ("江", 1.8), ("尹", 1.7), ("薛", 1.7), ("闫", 1.6),
    ("段", 1.6), ("雷", 1.5), ("侯", 1.5), ("龙", 1.4), ("史", 1.4), ("陶", 1.3), ("黎", 1.3),
    ("贺", 1.3), ("顾", 1.2), ("毛", 1.2), ("郝", 1.2), ("龚", 1.1), ("邵", 1.1), ("万", 1.1),
    ("钱", 1.0), ("严", 1.0), ("武", 1.0), ("戴", 1.0), ("孔", 0.9), ("颜", 0.6), ("申", 0.5),
    ("牛", 0.6), ("单", 0.4), ("翟", 0.4), ("解", 0.3), ("欧阳", 0.2), ("司马", 0.05), ("上官", 0.05),
)  # fmt: skip

# pypinyin reads these characters with their common-word sound; as surnames they differ.
SURNAME_PINYIN: dict[str, list[str]] = {
    "曾": ["zeng"],
    "单": ["shan"],
    "翟": ["zhai"],
    "解": ["xie"],
}

# Given-name characters by sex and era: names of people born before ~1985 sound
# different from those of the 1990s and 2000s.
GIVEN_MALE_CLASSIC = "伟刚勇军强磊涛斌建国明华平辉杰峰亮东海波志新文忠庆春立永兵彬林超鹏广利民学成洪德"
GIVEN_MALE_MODERN = "浩宇轩睿泽昊晨博然鑫航凯俊瑞铭哲旭阳梓子一天宸逸辰嘉恒锦豪皓煜霖彦诚毅翔帆硕朗"
GIVEN_FEMALE_CLASSIC = "芳丽敏静艳娟霞燕玲红梅秀英华兰凤琴萍桂云洁莉慧娜红霞玉春"
GIVEN_FEMALE_MODERN = "婷雪慧颖琳丹倩欣悦佳晶雯琪璐露蕾薇瑶怡媛婧涵萱彤妍馨诗雨梦思可心若菲钰"
GIVEN_MALE_WHOLE = (
    "建国", "建华", "国强", "志强", "晓东", "海涛", "永刚", "建军", "国庆", "文博", "浩然", "宇轩",
    "子豪", "俊杰", "梓轩", "博文", "明轩", "天佑", "思远", "一鸣", "嘉豪", "子墨", "晨阳", "泽宇",
)  # fmt: skip
GIVEN_FEMALE_WHOLE = (
    "秀英", "桂兰", "丽华", "玉梅", "晓燕", "海燕", "丽娟", "春梅", "欣怡", "雨涵", "梓涵", "思彤",
    "诗涵", "一诺", "佳怡", "若曦", "婷婷", "晶晶", "雅琪", "梦瑶", "紫萱", "可馨", "语桐", "静怡",
)  # fmt: skip

# Invented brand syllables for enterprise names (two are combined, e.g. 瑞拓, 鼎晟).
BRAND_CHARS = "华瑞泰恒鑫德宏正达博创联源航嘉昊晟拓锐鼎岳汇天金润凯威盛力隆信诚远通安益丰祥康宇圣孚迈驰众和佳科睿智优腾翔晨昌宁光尚泓澜峰卓越坤元"

RETURNEE_COUNTRIES: tuple[tuple[str, float], ...] = (
    ("英国", 25), ("美国", 15), ("澳大利亚", 12), ("德国", 10), ("日本", 10), ("韩国", 6),
    ("俄罗斯", 5), ("新加坡", 5), ("加拿大", 5), ("法国", 4), ("新西兰", 3),
)  # fmt: skip

# Foreign universities by country; created with ``is_foreign`` when missing.
FOREIGN_UNIVERSITIES: dict[str, tuple[str, ...]] = {
    "英国": ("曼彻斯特大学", "谢菲尔德大学", "诺丁汉大学", "伯明翰大学"),
    "美国": ("密歇根大学", "普渡大学", "伊利诺伊大学厄巴纳-香槟分校"),
    "澳大利亚": ("新南威尔士大学", "莫纳什大学", "昆士兰大学"),
    "德国": ("亚琛工业大学", "慕尼黑工业大学"),
    "日本": ("东北大学（日本）", "大阪大学"),
    "韩国": ("首尔大学", "韩国科学技术院"),
    "俄罗斯": ("莫斯科国立鲍曼技术大学",),
    "新加坡": ("南洋理工大学", "新加坡国立大学"),
    "加拿大": ("多伦多大学", "滑铁卢大学"),
    "法国": ("巴黎萨克雷大学",),
    "新西兰": ("奥克兰大学",),
}

NATIONAL_PROGRAMMES = (
    "国家级人才计划（科技创新领军人才）",
    "国家级人才计划（青年拔尖人才）",
    "国家级人才计划（创业人才）",
    "国家级人才计划（高技能领军人才）",
)


@dataclass(frozen=True)
class Job:
    """A job title an enterprise hires for, with its category and lowest degree."""

    title: str
    category: str  # recruitment.Position.Category value
    min_degree: str  # core.codes.Degree value
    occupation: str = ""  # 技能工种 for skilled-worker jobs
    majors: tuple[str, ...] = ()  # the usual majors, when they do not depend on the chain


_Z, _B, _S, _D = Degree.ZHUANKE.value, Degree.BENKE.value, Degree.SHUOSHI.value, Degree.BOSHI.value

# Jobs every enterprise has, whatever its chain.
_SALES_MAJORS = ("市场营销", "国际经济与贸易", "工商管理", "电子商务")
COMMON_JOBS: tuple[Job, ...] = (
    Job("人力资源专员", "management", _B, majors=("人力资源管理", "工商管理")),
    Job("财务会计", "management", _B, majors=("会计学",)),
    Job("行政专员", "management", _Z, majors=("工商管理", "人力资源管理", "英语")),
    Job("采购专员", "management", _Z, majors=("物流管理", "现代物流管理", "工商管理")),
    Job("安全环保工程师", "engineering", _B, majors=("安全工程", "环境工程")),
    Job("销售代表", "sales", _Z, majors=_SALES_MAJORS),
    Job("区域销售经理", "sales", _B, majors=_SALES_MAJORS),
    Job("仓储物流专员", "production", _Z, "仓储管理员", majors=("现代物流管理", "物流管理")),
)
COMMON_JOB_WEIGHT = 0.35  # relative to a chain's own jobs

# Per chain family, category weights multiplied in (a software firm has few line workers).
FAMILY_CATEGORY_FACTOR: dict[str, dict[str, float]] = {
    "digital": {"production": 0.25, "it": 2.0},
    "pharma": {"medical": 1.5},
}

# Jobs by chain family (the ``chains`` key of majors.json).
CHAIN_JOBS: dict[str, tuple[Job, ...]] = {
    "machinery": (
        Job("结构设计工程师", "rnd", _B),
        Job("液压系统工程师", "rnd", _B),
        Job("电气设计工程师", "rnd", _B),
        Job("仿真分析工程师", "rnd", _S),
        Job("智能控制算法工程师", "rnd", _S),
        Job("首席技术专家", "rnd", _D),
        Job("工艺工程师", "engineering", _B),
        Job("焊接工艺工程师", "engineering", _B),
        Job("设备工程师", "engineering", _B),
        Job("售后服务工程师", "engineering", _Z),
        Job("数控车工", "production", _Z, "车工"),
        Job("装配钳工", "production", _Z, "装配钳工"),
        Job("焊工", "production", _Z, "焊工"),
        Job("维修电工", "production", _Z, "电工"),
        Job("涂装技术员", "production", _Z, "涂装工"),
        Job("生产班组长", "production", _Z, "装配钳工"),
        Job("质量工程师", "quality", _B),
        Job("质检员", "quality", _Z, "机械产品检验工"),
        Job("MES实施工程师", "it", _B),
        Job("海外销售经理", "sales", _B, majors=("国际经济与贸易", "英语", "德语")),
    ),
    "auto": (
        Job("底盘设计工程师", "rnd", _B),
        Job("新能源电控工程师", "rnd", _B),
        Job("汽车电子工程师", "rnd", _B),
        Job("NVH工程师", "rnd", _S),
        Job("电池系统研发工程师", "rnd", _S),
        Job("冲压工艺工程师", "engineering", _B),
        Job("模具工程师", "engineering", _B),
        Job("试验工程师", "engineering", _B),
        Job("汽车装调工", "production", _Z, "汽车装调工"),
        Job("冲压操作工", "production", _Z, "冲压工"),
        Job("焊装技术员", "production", _Z, "焊工"),
        Job("注塑技术员", "production", _Z, "塑料制品成型制作工"),
        Job("机加工操作工", "production", _Z, "铣工"),
        Job("供应商质量工程师", "quality", _B),
        Job("质量工程师", "quality", _B),
        Job("质检员", "quality", _Z, "机动车检测工"),
        Job("汽车营销顾问", "sales", _Z, majors=("汽车技术服务与营销", "市场营销")),
    ),
    "pharma": (
        Job("药物合成研究员", "medical", _S),
        Job("制剂研发研究员", "medical", _S),
        Job("分析研究员", "medical", _B),
        Job("生物药研发科学家", "medical", _D),
        Job("中药研究员", "medical", _S),
        Job("临床研究项目经理", "medical", _S),
        Job("药品注册专员", "medical", _B),
        Job("制药工艺工程师", "engineering", _B),
        Job("验证工程师", "engineering", _B),
        Job("GMP设备工程师", "engineering", _B),
        Job("药物制剂工", "production", _Z, "药物制剂工"),
        Job("发酵操作工", "production", _Z, "发酵工程制药工"),
        Job("中药提取操作工", "production", _Z, "中药炮制工"),
        Job("无菌灌装操作员", "production", _Z, "药物制剂工"),
        Job("QA专员", "quality", _B, majors=("药学", "药物分析", "制药工程")),
        Job("QC检验员", "quality", _Z, "药物检验员", majors=("药品质量与安全", "工业分析技术", "药物分析")),
        Job(
            "微生物检验员", "quality", _Z, "药物检验员", majors=("医学检验技术", "生物技术", "药品质量与安全")
        ),
        Job("医疗器械研发工程师", "rnd", _B),
        Job("医药代表", "sales", _Z, majors=("药学", "药品经营与管理", "市场营销")),
    ),
    "materials": (
        Job("高分子材料研发工程师", "rnd", _S),
        Job("电池材料研发工程师", "rnd", _S),
        Job("碳材料工艺研究员", "rnd", _S),
        Job("光伏组件研发工程师", "rnd", _B),
        Job("首席材料科学家", "rnd", _D),
        Job("化工工艺工程师", "engineering", _B),
        Job("储能系统工程师", "engineering", _B),
        Job("光伏电站运维工程师", "engineering", _Z),
        Job("化工总控工", "production", _Z, "化工总控工"),
        Job("石墨化操作工", "production", _Z, "炭素制品工"),
        Job("电池装配工", "production", _Z, "电池制造工"),
        Job("设备维修工", "production", _Z, "机修钳工"),
        Job("理化检验员", "quality", _Z, "化学检验员", majors=("工业分析技术", "应用化学", "应用化工技术")),
        Job("质量工程师", "quality", _B),
    ),
    "digital": (
        Job("Java开发工程师", "it", _B),
        Job("前端开发工程师", "it", _B),
        Job("软件测试工程师", "it", _B),
        Job("数据分析师", "it", _B),
        Job("算法工程师", "it", _S),
        Job("嵌入式软件工程师", "it", _B),
        Job("网络安全工程师", "it", _B),
        Job("产品经理", "it", _B),
        Job("芯片设计工程师", "rnd", _S),
        Job("系统架构师", "rnd", _S),
        Job("人工智能研究员", "rnd", _D),
        Job("运维工程师", "it", _Z, "信息通信网络运行管理员"),
        Job("实施工程师", "it", _Z, "计算机程序设计员"),
        Job("技术支持工程师", "it", _Z, "计算机程序设计员"),
        Job("电子装联工", "production", _Z, "电子产品制版工"),
        Job("售前工程师", "sales", _B),
    ),
}

# Innovation topics by chain family: platform, project and lecture names.
TOPICS: dict[str, tuple[str, ...]] = {
    "machinery": ("工程机械", "液压传动", "智能焊接", "高端轴承", "工业机器人", "智能制造", "矿山装备"),
    "auto": ("新能源汽车", "汽车轻量化", "汽车电子", "商用车底盘", "智能网联汽车", "汽车动力系统"),
    "pharma": ("生物医药", "中药现代化", "医疗器械", "高端制剂", "生物发酵", "药物分析"),
    "materials": ("碳基新材料", "储能材料", "光伏新能源", "高分子材料", "锂电池材料", "氢能"),
    "digital": ("工业互联网", "大数据", "人工智能", "集成电路设计", "物联网", "信息安全"),
}

# What projects are about, by chain family: (research subject, industrial product, unit).
PROJECT_SUBJECTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "machinery": (
        ("大吨位挖掘机电液控制系统", "智能挖掘机", "台"),
        ("高压液压柱塞泵", "液压柱塞泵", "万台"),
        ("盾构机主驱动减速机", "盾构机减速机", "台"),
        ("焊接机器人视觉引导", "焊接机器人工作站", "套"),
        ("工程机械远程运维平台", "智能起重机", "台"),
    ),
    "auto": (
        ("商用车线控底盘", "新能源商用车底盘", "台"),
        ("铝合金副车架轻量化", "铝合金副车架", "万件"),
        ("电驱动桥集成", "电驱动桥", "万套"),
        ("车用毫米波雷达", "车载毫米波雷达", "万套"),
        ("专用车上装智能控制", "新能源环卫车", "辆"),
    ),
    "pharma": (
        ("创新型缓控释制剂", "缓释制剂", "亿片"),
        ("单克隆抗体表达纯化", "单抗原液", "千克"),
        ("经典名方中成药二次开发", "中药配方颗粒", "吨"),
        ("一次性使用医用耗材", "医用耗材", "万件"),
        ("兽用疫苗佐剂", "兽用疫苗", "万头份"),
    ),
    "materials": (
        ("锂电池负极用人造石墨", "负极材料", "吨"),
        ("碳纳米管导电浆料", "导电浆料", "吨"),
        ("高性能特种工程塑料", "特种工程塑料", "吨"),
        ("钠离子电池正极材料", "正极材料", "吨"),
        ("分布式光伏储能一体化", "储能系统", "兆瓦时"),
    ),
    "digital": (
        ("工业互联网标识解析", "工业互联网平台", "套"),
        ("设备预测性维护算法", "智能运维系统", "套"),
        ("边缘计算网关", "边缘计算网关", "万台"),
        ("城市大脑数据中台", "数据中台", "套"),
        ("车规级功率芯片设计", "功率芯片", "万颗"),
    ),
}

# Yearly output sizes that make sense for each unit of an industrial project.
QUANTITIES: dict[str, tuple[int, ...]] = {
    "台": (500, 1000, 2000, 5000),
    "万台": (5, 10, 20, 50),
    "套": (200, 500, 1000, 2000),
    "万件": (50, 100, 300, 500),
    "万套": (5, 10, 20, 50),
    "辆": (1000, 2000, 5000),
    "亿片": (1, 3, 5, 10),
    "千克": (50, 100, 500),
    "吨": (1000, 5000, 10000, 20000, 50000),
    "兆瓦时": (200, 500, 1000, 2000),
    "万头份": (1000, 5000, 10000),
    "万颗": (500, 1000, 5000),
}

# Lecturer specialties: chain-specific and general ones (management, law, skills).
LECTURE_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "machinery": ("液压系统设计", "焊接工艺与质量控制", "数控加工技术", "工程机械故障诊断", "精益生产"),
    "auto": ("新能源汽车电控", "汽车轻量化设计", "IATF 16949质量体系", "汽车装调技能"),
    "pharma": ("药品GMP合规", "药物制剂工艺", "生物药质量研究", "医疗器械注册申报"),
    "materials": ("锂电池材料工艺", "碳材料表征", "光伏系统设计", "化工安全生产"),
    "digital": ("工业互联网平台应用", "数据治理", "人工智能应用", "网络安全等级保护"),
    "general": (
        "人力资源管理",
        "知识产权布局",
        "企业数字化转型",
        "科技项目申报",
        "安全生产管理",
        "职业生涯规划",
    ),
}
COURSE_FORMS = ("实务", "专题讲座", "案例解析", "实训", "入门与提高", "政策解读")

# Partner-window (合作窗口) and station (引才工作站) organisations are zone-specific names.
EMAIL_DOMAIN = "example.com"  # RFC 2606: never a real mailbox
