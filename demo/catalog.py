"""Fixed vocabulary of the demo world: real Tianjin universities and institutes (public names),
the district's parks and streets, the eight strategic industries the Dongli plan names and the
technology each one works on (IPC main groups, GB/T 4754 classes, text fragments).

IPC groups for strategic industries are ones the CNIPA SEI–IPC concordance (2021) maps to that
industry's SEI codes (``tests/demo/test_catalog.py`` checks it against the real file, with the
one documented supplement H01L33 → 1.2); groups for traditional industries are ones it does not
map at all, so IPC-based classification agrees with the tech-SME list about which firms are
strategic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

DONGLI_CODE: Final = "120110"


@dataclass(frozen=True)
class Institution:
    """A real university or research institute, by its public names."""

    key: str  # truth key: MoE code for universities, an internal roster code for institutes
    name: str
    label: str  # "University" or "ResearchInstitute"
    name_en: str
    lens: str  # Latin-script applicant form as patent databases print it
    short: tuple[str, ...]  # 简称
    district: str  # 6-digit division code of the main campus / seat
    strengths: dict[str, float]  # Dongli industry key -> weight
    parent: str = ""


UNIVERSITIES: Final[tuple[Institution, ...]] = (
    Institution(
        "4112010056",
        "天津大学",
        "University",
        "Tianjin University",
        "UNIV TIANJIN",
        ("天大",),
        "120104",
        {"EQUIP": 3, "NEWMAT": 3, "IT": 2, "LED": 2, "ENV": 2, "BIO": 1, "AERO": 1},
    ),
    Institution(
        "4112010055",
        "南开大学",
        "University",
        "Nankai University",
        "UNIV NANKAI",
        ("南开",),
        "120104",
        {"BIO": 3, "NEWMAT": 3, "IT": 2, "LED": 1},
    ),
    Institution(
        "4112010058",
        "天津工业大学",
        "University",
        "Tiangong University",
        "UNIV TIANJIN POLYTECHNIC",
        ("天工大", "天津工大"),
        "120111",
        {"NEWMAT": 3, "ENV": 2, "EQUIP": 2},
    ),
    Institution(
        "4112010059",
        "中国民航大学",
        "University",
        "Civil Aviation University of China",
        "UNIV CIVIL AVIATION CHINA",
        ("民航大学", "中国民航大"),
        "120110",
        {"AERO": 4, "IT": 1, "SERV": 1},
    ),
    Institution(
        "4112010060",
        "天津理工大学",
        "University",
        "Tianjin University of Technology",
        "UNIV TIANJIN TECHNOLOGY",
        ("天津理工", "天理工"),
        "120111",
        {"IT": 2, "LED": 2, "NEWMAT": 2, "EQUIP": 1},
    ),
    Institution(
        "4113010080",
        "河北工业大学",
        "University",
        "Hebei University of Technology",
        "UNIV HEBEI TECHNOLOGY",
        ("河北工大", "河工大"),
        "120106",
        {"EQUIP": 3, "LED": 2, "ENV": 2, "NEWMAT": 1},
    ),
    Institution(
        "4112010057",
        "天津科技大学",
        "University",
        "Tianjin University of Science and Technology",
        "UNIV TIANJIN SCIENCE & TECH",
        ("天津科大", "天科大"),
        "120116",
        {"BIO": 3, "ENV": 1, "NEWMAT": 1},
    ),
    Institution(
        "4112010062",
        "天津医科大学",
        "University",
        "Tianjin Medical University",
        "UNIV TIANJIN MEDICAL",
        ("天津医大", "天医大"),
        "120101",
        {"BIO": 4},
    ),
    Institution(
        "4112010063",
        "天津中医药大学",
        "University",
        "Tianjin University of Traditional Chinese Medicine",
        "UNIV TIANJIN TRADITIONAL CHINESE MEDICINE",
        ("天津中医大", "天中医"),
        "120118",
        {"BIO": 4},
    ),
    Institution(
        "4112010066",
        "天津职业技术师范大学",
        "University",
        "Tianjin University of Technology and Education",
        "UNIV TIANJIN TECHNOLOGY & EDUCATION",
        ("天职师大",),
        "120103",
        {"EQUIP": 2, "IT": 1},
    ),
    Institution(
        "4112010792",
        "天津城建大学",
        "University",
        "Tianjin Chengjian University",
        "UNIV TIANJIN CHENGJIAN",
        ("天津城建",),
        "120111",
        {"ENV": 2, "NEWMAT": 1},
    ),
    Institution(
        "4112010069",
        "天津商业大学",
        "University",
        "Tianjin University of Commerce",
        "UNIV TIANJIN COMMERCE",
        ("天商大", "天津商大"),
        "120113",
        {"ENV": 1, "SERV": 1},
    ),
    Institution(
        "4112010065",
        "天津师范大学",
        "University",
        "Tianjin Normal University",
        "UNIV TIANJIN NORMAL",
        ("天津师大", "天师大"),
        "120111",
        {"IT": 1, "SERV": 1},
    ),
)

INSTITUTES: Final[tuple[Institution, ...]] = (
    Institution(
        "RI-001",
        "中国科学院天津工业生物技术研究所",
        "ResearchInstitute",
        "Tianjin Institute of Industrial Biotechnology, Chinese Academy of Sciences",
        "TIANJIN INST IND BIOTECHNOLOGY CAS",
        ("天津工业生物所", "中科院天津工业生物所", "中科院天津生物所"),
        "120110",
        {"BIO": 4, "ENV": 1},
        parent="中国科学院",
    ),
    Institution(
        "RI-002",
        "中国电子科技集团公司第十八研究所",
        "ResearchInstitute",
        "Tianjin Institute of Power Sources",
        "CHINA ELECTRONICS TECH GROUP NO 18 RES INST",
        ("电科十八所", "中国电科18所", "天津电源研究所"),
        "120111",
        {"NEWMAT": 3, "AERO": 2},
        parent="中国电子科技集团公司",
    ),
    Institution(
        "RI-003",
        "中国电子科技集团公司第四十六研究所",
        "ResearchInstitute",
        "The 46th Research Institute of CETC",
        "CHINA ELECTRONICS TECH GROUP NO 46 RES INST",
        ("电科四十六所", "中国电科46所"),
        "120103",
        {"LED": 3, "NEWMAT": 2},
        parent="中国电子科技集团公司",
    ),
    Institution(
        "RI-004",
        "天津药物研究院",
        "ResearchInstitute",
        "Tianjin Institute of Pharmaceutical Research",
        "TIANJIN INST PHARMACEUTICAL RES",
        ("天津药研院", "天津市药物研究院"),
        "120104",
        {"BIO": 4},
    ),
    Institution(
        "RI-005",
        "天津市环境保护科学研究院",
        "ResearchInstitute",
        "Tianjin Academy of Environmental Sciences",
        "TIANJIN ACAD ENVIRONMENTAL SCI",
        ("天津环科院", "天津市环科院"),
        "120104",
        {"ENV": 4},
    ),
    Institution(
        "RI-006",
        "中国船舶重工集团公司第七〇七研究所",
        "ResearchInstitute",
        "Tianjin Navigation Instrument Research Institute",
        "CHINA SHIPBUILDING IND CORP NO 707 RES INST",
        ("七〇七所", "中船重工707所"),
        "120105",
        {"EQUIP": 2, "AERO": 2},
        parent="中国船舶重工集团公司",
    ),
    Institution(
        "RI-007",
        "中海油天津化工研究设计院",
        "ResearchInstitute",
        "CNOOC Tianjin Chemical Research and Design Institute",
        "CNOOC TIANJIN CHEMICAL RES & DESIGN INST",
        ("天津化工研究设计院", "天津化工院"),
        "120113",
        {"NEWMAT": 2, "ENV": 2},
        parent="中海石油化学股份有限公司",
    ),
)


@dataclass(frozen=True)
class Industry:
    """One of the eight strategic emerging industries of the Dongli plan, or a traditional one."""

    key: str
    name: str  # the plan's Chinese name (strategic) or a trade name (traditional)
    strategic: bool
    sei: tuple[str, ...]  # SEI 2018 codes its IPC groups map to
    ipc_groups: tuple[str, ...]  # IPC main groups / subgroups its patents use
    gbt: tuple[str, ...]  # GB/T 4754-2017 classes of its firms' main business
    trade_words: tuple[str, ...]  # 行业词 in firm names
    objects: tuple[str, ...]  # things its patents and demands are about
    problems: tuple[str, ...] = field(default=())


INDUSTRIES: Final[tuple[Industry, ...]] = (
    Industry(
        "AERO",
        "航空航天",
        True,
        ("2.2", "2.3"),
        ("B64C39/02", "B64C27/08", "B64D47/08", "B64F5/60", "G05D1/10", "G01S19/42", "B64G1/10"),
        ("3741", "3742", "3744"),
        ("航空科技", "航电科技", "无人机技术"),
        (
            "多旋翼无人机",
            "无人机飞行控制系统",
            "机载航电设备",
            "航空器起落架",
            "北斗导航定位终端",
            "卫星通信天线",
        ),
        ("抗风扰姿态控制", "长航时续航", "组合导航精度", "复合材料机身减重"),
    ),
    Industry(
        "LED",
        "半导体照明",
        True,
        ("1.2", "7.1"),
        (
            "H01L33/00",
            "H01L33/48",
            "H01L33/50",
            "F21K9/00",
            "F21S8/00",
            "F21V29/00",
            "F21V23/00",
            "H05B33/08",
        ),
        ("3975", "3874", "3972"),
        ("光电", "半导体照明", "照明科技"),
        ("LED封装结构", "大功率LED芯片", "LED路灯散热器", "荧光粉涂覆工艺", "LED驱动电源", "智能照明控制器"),
        ("散热与光衰", "封装良率", "显色指数提升", "驱动电源寿命"),
    ),
    Industry(
        "EQUIP",
        "先进装备制造",
        True,
        ("2.1", "2.4", "2.5"),
        ("B23K26/00", "B25J9/16", "G05B19/418", "G01B11/00", "B23P19/00", "B61D17/00", "B63B35/00"),
        ("3421", "3491", "3311", "3716"),
        ("智能装备", "机电", "精密机械", "自动化"),
        ("激光焊接设备", "工业机器人关节", "数控加工中心", "智能装配生产线", "视觉检测装置", "轨道车辆车体"),
        ("定位精度", "焊缝质量在线检测", "柔性换型", "设备故障预测"),
    ),
    Industry(
        "BIO",
        "生物医药",
        True,
        ("4.1", "4.2", "4.5"),
        ("A61K9/20", "C07D401/00", "A61K31/00", "A61P35/00", "A61K39/00", "A61B8/00", "C12N9/00"),
        ("2710", "2720", "2761", "3581"),
        ("生物", "医药", "生物医药", "药业"),
        ("缓释片剂", "抗肿瘤化合物", "疫苗佐剂", "体外诊断试剂", "医用监护仪", "工业酶制剂"),
        ("生物利用度", "杂质控制", "发酵产率", "检测灵敏度"),
    ),
    Industry(
        "NEWMAT",
        "新能源新材料",
        True,
        ("3.2", "3.3", "3.4", "3.5", "5.2", "6.2", "6.3", "6.5"),
        (
            "H01M10/052",
            "H02S40/00",
            "F03D9/00",
            "C08L23/00",
            "C04B35/00",
            "C22C21/00",
            "D01F6/00",
            "F24S10/00",
        ),
        ("3841", "3825", "2651", "3079"),
        ("新能源", "新材料", "能源科技", "材料科技"),
        (
            "锂离子电池电芯",
            "光伏组件支架",
            "风电变桨系统",
            "高性能聚烯烃复合材料",
            "特种陶瓷",
            "铝合金型材",
            "碳纤维预浸料",
        ),
        ("能量密度", "循环寿命", "材料强度", "成本下降"),
    ),
    Industry(
        "ENV",
        "节能环保",
        True,
        ("7.1", "7.2"),
        ("C02F1/00", "C02F3/00", "B01D53/00", "B09B3/00", "F27D17/00", "F21V7/00"),
        ("3591", "3592", "7722", "4620"),
        ("环保", "节能", "环境科技", "水处理"),
        ("污水生化处理装置", "烟气脱硫脱硝设备", "工业余热回收系统", "固废资源化处理线", "膜法水处理组件"),
        ("能耗降低", "排放达标", "运行成本", "污泥减量"),
    ),
    Industry(
        "IT",
        "新一代信息技术",
        True,
        ("1.1", "1.3", "1.5"),
        ("G06F16/00", "H04W4/00", "G06F9/00", "G06N3/00", "H04L12/00", "G06F3/00", "G06F21/00", "H04L9/00"),
        ("6513", "6520", "3921", "6531"),
        ("信息技术", "软件", "网络科技", "数据科技"),
        (
            "物联网网关",
            "工业大数据平台",
            "视频监控分析系统",
            "企业资源管理软件",
            "神经网络识别算法",
            "无线传感网络",
        ),
        ("数据安全", "实时处理", "识别准确率", "系统兼容性"),
    ),
    Industry(
        "SERV",
        "高技术服务业",
        True,
        ("8.2", "9.1"),
        ("G06Q30/00", "G06Q10/06", "G06T19/00", "G06T7/00"),
        ("7320", "7452", "7520", "6540"),
        ("科技服务", "检测技术", "技术咨询"),
        ("检验检测服务平台", "三维设计服务", "知识产权运营平台", "科技成果评价系统"),
        ("服务响应时间", "检测认证周期", "数据可信"),
    ),
)

TRADITIONAL: Final[tuple[Industry, ...]] = (
    Industry(
        "METAL",
        "金属制品",
        False,
        (),
        ("B21D28/00", "B21D39/00", "F16B5/00", "B23Q17/00"),
        ("3311", "3331", "3399"),
        ("金属制品", "五金", "钢结构"),
        ("冲压模具", "紧固件", "金属门窗型材", "钢结构连接件"),
    ),
    Industry(
        "PACK",
        "包装印刷",
        False,
        (),
        ("B65D81/00", "B65D5/00", "B41F17/00", "B44C5/00"),
        ("2231", "2319", "2929"),
        ("包装", "印务", "纸品"),
        ("瓦楞纸箱", "缓冲包装结构", "柔版印刷装置", "装饰贴膜"),
    ),
    Industry(
        "AUTO",
        "汽车零部件",
        False,
        (),
        ("B60R19/00", "F16H1/28", "F16L9/00", "B60N2/00"),
        ("3670", "2929"),
        ("汽车配件", "机械", "零部件"),
        ("保险杠总成", "行星齿轮减速器", "注塑件模具", "管路接头"),
    ),
    Industry(
        "HOME",
        "家居建材",
        False,
        (),
        ("A47B13/00", "E04F13/00", "E06B3/00", "A47J27/00", "A47L15/00"),
        ("2110", "3034", "3857"),
        ("家居", "建材", "装饰"),
        ("办公桌椅", "墙面装饰板", "节能门窗", "商用厨具"),
    ),
    Industry(
        "TEXT",
        "纺织服装",
        False,
        (),
        ("A41D13/00", "D06F58/00"),
        ("1810", "1713"),
        ("服饰", "纺织"),
        ("防护服", "织物烘干设备"),
    ),
)

ALL_INDUSTRIES: Final[tuple[Industry, ...]] = INDUSTRIES + TRADITIONAL


@dataclass(frozen=True)
class ParkInfo:
    name: str
    kind: str  # 科技园 / 经济功能区 / 产业化基地 / 孵化园
    level: str
    street: str  # 9-digit street code where it sits
    industries: tuple[str, ...]  # Dongli industry keys it hosts


#: The two science parks the plan names, the district's economic function zones (NBS street-level
#: units of 东丽区) and two national industrialisation bases (illustrative names, not official ones).
PARKS: Final[tuple[ParkInfo, ...]] = (
    ParkInfo("清华科技园东丽分园", "科技园", "市级", "120110006", ("IT", "SERV", "EQUIP")),
    ParkInfo("天安科技园", "科技园", "区级", "120110001", ("IT", "SERV", "LED")),
    ParkInfo("东丽经济技术开发区", "经济功能区", "市级", "120110403", ("EQUIP", "NEWMAT", "ENV")),
    ParkInfo("华明高新技术产业区", "经济功能区", "市级", "120110408", ("LED", "NEWMAT", "BIO")),
    ParkInfo("天津空港经济区东丽片区", "经济功能区", "国家级", "120110402", ("AERO", "BIO", "EQUIP")),
    ParkInfo("东丽区临空经济区", "经济功能区", "区级", "120110407", ("AERO", "SERV")),
    ParkInfo("东丽半导体照明产业化基地", "产业化基地", "国家级", "120110408", ("LED",)),
    ParkInfo("东丽航空装备产业化基地", "产业化基地", "国家级", "120110402", ("AERO",)),
)

#: Streets (街道) of 东丽区 and the function-zone units, NBS 2023 codes.
STREETS: Final[dict[str, str]] = {
    "120110001": "张贵庄街道",
    "120110002": "丰年村街道",
    "120110003": "万新街道",
    "120110004": "无瑕街道",
    "120110005": "新立街道",
    "120110006": "华明街道",
    "120110007": "金钟街道",
    "120110008": "军粮城街道",
    "120110009": "金桥街道",
    "120110010": "华新街道",
    "120110011": "东丽湖街道",
    "120110401": "天津航空物流区",
    "120110402": "天津空港经济区",
    "120110403": "东丽区经济技术开发区",
    "120110407": "天津市东丽区临空经济区",
    "120110408": "华明高新技术产业区服务中心",
}
RESIDENTIAL_STREETS: Final = tuple(code for code in STREETS if code[6] == "0")

ROADS: Final = (
    "津塘公路",
    "先锋东路",
    "成林道",
    "东金路",
    "航双路",
    "华明大道",
    "东丽大道",
    "跃进路",
    "卫国道",
    "登州南路",
    "津汉公路",
    "杨台大道",
    "程永路",
    "驯海路",
    "赤海道",
)

#: Syllables for invented word cores (字号). Pairs are filtered against a small list of real
#: well-known marks, and every name ends in an industry word, so no pairing reads as a real firm.
NAME_SYLLABLES: Final = tuple("泓璟珂岚翎昕霁琨珩璞沅澄镧钰骐翊瑄朗曜岑澜颉瀚锐黎棠芮铮弈琛煦烨宸瑞渊")
KNOWN_MARKS: Final = frozenset({"瑞朗", "锐朗", "朗瑞", "瀚宸", "曜宸"})

SURNAMES: Final = (
    ("王", 10),
    ("李", 10),
    ("张", 9),
    ("刘", 7),
    ("陈", 6),
    ("杨", 4),
    ("赵", 3),
    ("黄", 3),
    ("周", 3),
    ("吴", 3),
    ("徐", 2),
    ("孙", 2),
    ("马", 2),
    ("胡", 2),
    ("朱", 2),
    ("郭", 2),
    ("何", 1),
    ("罗", 1),
    ("高", 2),
    ("林", 1),
    ("郑", 1),
    ("梁", 1),
    ("谢", 1),
    ("宋", 1),
    ("唐", 1),
    ("韩", 1),
    ("冯", 1),
    ("于", 1),
    ("董", 1),
    ("曹", 1),
)
GIVEN_CHARS: Final = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红波宁斌宇浩凯健俊帆"
)
TITLES: Final = ("教授", "研究员", "副教授", "高级工程师", "正高级工程师", "工程师", "副研究员")
