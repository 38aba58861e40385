"""Organisation names: one normal form, and the forms (pinyin, English) a name is also written in.

A Chinese company name is 行政区划 + 字号 + 行业 + 组织形式 (天津市 + 华信 + 科技 + 有限公司). The
normal form keeps what identifies the organisation — the trade name (字号) and the industry word
(行业) — and drops what varies between sources: width, brackets, spaces, the legal form and, for
firms, the registration region. Universities and institutes keep their region, because it is part
of their identity (天津大学 is not 北京大学). Branches (分公司) keep their branch part, so a branch
never normalises to its parent.

Latin-script names (Lens exports, English registries) are upper-cased, their abbreviations
expanded (UNIV → UNIVERSITY) and their legal form dropped; :func:`latin_keys` turns any name,
Chinese or Latin, into order-free token keys so ``UNIV TIANJIN``, ``Tianjin University`` and
天津大学 meet.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Final

import opencc
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA

from ingest.pinyin_words import is_pinyin_word

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

#: Legal forms (组织形式), longest first so 股份有限公司 goes before 有限公司.
_CN_LEGAL_FORMS: Final = (
    "集团股份有限公司",
    "简化股份有限公司",
    "简化股份公司",
    "有限两合公司",
    "股份两合公司",
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "有限公司",
    "股份公司",
    "总公司",
    "集团公司",
    "集团",
    "公司",
)
_STRONG_BRANCH_MARKERS: Final = ("分公司", "分厂", "分店", "办事处", "营业部", "分部")
#: Words that end a branch only after a registered parent (上海浦东发展银行股份有限公司天津浦安支行,
#: 国网湖北省电力有限公司宜昌供电公司): each such unit is its own organisation.
_WEAK_BRANCH_MARKERS: Final = ("支行", "分行", "支公司", "营销服务部", "服务部", "加油站", "药房",
                               "报刊亭", "支局", "分局", "分院", "分中心", "供电公司", "供电局", "店",
                               "厂")  # fmt: skip
_BRANCH_MARKERS: Final = _STRONG_BRANCH_MARKERS + _WEAK_BRANCH_MARKERS

#: Latin legal-form tokens, dropped wherever they stand at the end of a name.
_EN_LEGAL: Final = frozenset(
    [
        "CO",
        "LTD",
        "LIMITED",
        "INC",
        "INCORPORATED",
        "CORP",
        "CORPORATION",
        "COMPANY",
        "GMBH",
        "MBH",
        "AG",
        "KG",
        "OYJ",
        "ASA",
        "SA",
        "SAS",
        "SARL",
        "LLC",
        "PLC",
        "KK",
        "BV",
        "NV",
        "SPA",
        "SRL",
        "AB",
        "OY",
        "AS",
        "PTY",
        "LLP",
        "LP",
    ]
)
_EN_STOP: Final = frozenset({"OF", "AND", "THE", "FOR", "&", "DE", "DES", "DU", "LA", "LE", "NO", "NR"})

#: Where the package's own reference tables live (shipped in the wheel).
_PACKAGE_DATA: Final = Path(__file__).resolve().parent / "data"


def _read_abbreviations() -> tuple[dict[str, str], dict[str, str]]:
    """Patent-office abbreviations (Derwent / Lens style: UNIV, INST, SYS, RECH, INTEG …) from
    ``ingest/data/latin_abbreviations.csv``: one word → one canonical token (``word``), or one
    word → several (``words``: CAS → CHINA ACADEMY SCIENCE). Data, so a new one is a line."""
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    with (_PACKAGE_DATA / "latin_abbreviations.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table = phrases if row["kind"] == "words" else words
            table[row["abbreviation"].strip().upper()] = row["canonical"].strip().upper()
    return words, phrases


#: Abbreviations in Lens / Derwent style names → one canonical token; and those that stand for
#: several words.
_EN_ABBREV, _EN_EXPAND = _read_abbreviations()


def abbreviation_vocabulary() -> tuple[dict[str, str], frozenset[str]]:
    """(every Latin vocabulary word → its canonical token, the Latin legal forms): what a word
    cut off at the end of a truncated name may have been (``ingest.latin_spelling``)."""
    words = {**{v: v for v in _EN_ABBREV.values()}, **_EN_ABBREV}
    return words, _EN_LEGAL


#: Chinese words that describe (not identify) an organisation, with their English renderings
#: in canonical tokens (see ``_EN_ABBREV``). A renderings list gives alternatives.
_CN_GENERIC: Final[dict[str, tuple[str, ...]]] = {
    # organisation types
    "大学": ("UNIVERSITY",), "学院": ("COLLEGE", "INSTITUTE?"),
    "职业技术学院": ("VOCATIONAL TECHNOLOGY COLLEGE",),
    "研究所": ("INSTITUTE", "RESEARCH INSTITUTE"), "研究院": ("RESEARCH INSTITUTE", "INSTITUTE", "ACADEMY"),
    "科学院": ("ACADEMY SCIENCE",), "研究中心": ("RESEARCH CENTER",), "中心": ("CENTER",),
    "实验室": ("LABORATORY",), "孵化器": ("INCUBATOR",), "加速器": ("ACCELERATOR",),
    "生产力促进中心": ("PRODUCTIVITY PROMOTION CENTER",), "事务所": ("OFFICE", "FIRM"),
    "厂": ("FACTORY",), "医院": ("HOSPITAL",),
    # industry words (行业)
    "科技": ("TECHNOLOGY", "SCIENCE TECHNOLOGY"), "技术": ("TECHNOLOGY",), "科学": ("SCIENCE",),
    "科学技术": ("SCIENCE TECHNOLOGY",), "理工": ("SCIENCE TECHNOLOGY", "TECHNOLOGY"),
    "工业": ("INDUSTRIAL", "POLYTECHNIC", "TECHNOLOGY?"), "电子": ("ELECTRONIC",),
    "电子科技": ("ELECTRONIC TECHNOLOGY", "ELECTRONIC SCIENCE TECHNOLOGY"), "信息": ("INFORMATION",),
    "信息技术": ("INFORMATION TECHNOLOGY",), "智能": ("INTELLIGENT",), "新材料": ("NEW MATERIAL",),
    "材料": ("MATERIAL",), "生物": ("BIOLOGICAL",), "生物科技": ("BIOTECHNOLOGY", "BIOLOGICAL TECHNOLOGY"),
    "生物技术": ("BIOTECHNOLOGY",), "医药": ("PHARMACEUTICAL", "MEDICAL"), "医疗": ("MEDICAL",),
    "医疗器械": ("MEDICAL DEVICE", "MEDICAL INSTRUMENT"), "医科": ("MEDICAL",), "医学": ("MEDICAL",),
    "中医药": ("TRADITIONAL CHINA MEDICAL",), "中医": ("TRADITIONAL CHINA MEDICAL",),
    "机械": ("MACHINERY", "MECHANICAL"),
    "设备": ("EQUIPMENT",), "装备": ("EQUIPMENT",), "制造": ("MANUFACTURING",),
    "自动化": ("AUTOMATION",), "软件": ("SOFTWARE",), "网络": ("NETWORK",),
    "网络科技": ("NETWORK TECHNOLOGY",), "环保": ("ENVIRONMENT PROTECTION",),
    "环保科技": ("ENVIRONMENT PROTECTION TECHNOLOGY",), "环境": ("ENVIRONMENT",),
    "能源": ("ENERGY",), "新能源": ("NEW ENERGY",), "节能": ("ENERGY SAVING",), "化工": ("CHEMICAL",),
    "工程": ("ENGINEERING",), "光电": ("OPTOELECTRONIC",), "光学": ("OPTICAL",), "激光": ("LASER",),
    "航空": ("AVIATION", "AERONAUTICS"), "航天": ("AEROSPACE", "ASTRONAUTICS"),
    "航空航天": ("AERONAUTICS ASTRONAUTICS", "AEROSPACE", "AERONAUTICS AEROSPACE"),
    "半导体": ("SEMICONDUCTOR",),
    "照明": ("LIGHTING",), "精密": ("PRECISION",), "仪器": ("INSTRUMENT",), "仪表": ("INSTRUMENT",),
    "通信": ("COMMUNICATION",), "通讯": ("COMMUNICATION",), "数据": ("DATA",), "数字": ("DIGITAL",),
    "控制": ("CONTROL",), "系统": ("SYSTEM",), "电气": ("ELECTRIC",), "电力": ("ELECTRIC POWER",),
    "电器": ("ELECTRIC APPLIANCE",), "机电": ("ELECTROMECHANICAL", "MECHANICAL ELECTRIC"),
    "汽车": ("AUTOMOBILE",), "新型": ("NEW",), "高新": ("HIGH TECHNOLOGY",), "创新": ("INNOVATION",),
    "发展": ("DEVELOPMENT",), "实业": ("INDUSTRIAL",), "贸易": ("TRADE",), "商贸": ("TRADE",),
    "投资": ("INVESTMENT",), "管理": ("MANAGEMENT",), "咨询": ("CONSULTING",), "服务": ("SERVICE",),
    "知识产权": ("INTELLECTUAL PROPERTY",), "代理": ("AGENCY",), "专利代理": ("PATENT AGENCY",),
    "担保": ("GUARANTEE",), "基金": ("FUND",), "小额贷款": ("MICROCREDIT", "MICRO CREDIT"),
    "纺织": ("TEXTILE",), "食品": ("FOOD",), "物流": ("LOGISTICS",), "健康": ("HEALTH",),
    "无人机": ("DRONE",), "机器人": ("ROBOT",), "传感": ("SENSING",), "传感器": ("SENSOR",),
    "检测": ("TESTING", "DETECTION"), "测控": ("MEASUREMENT CONTROL",), "金属": ("METAL",),
    "钢铁": ("STEEL",), "塑料": ("PLASTIC",), "橡胶": ("RUBBER",), "涂料": ("COATING",),
    "建材": ("BUILDING MATERIAL",), "建设": ("CONSTRUCTION",), "建筑": ("CONSTRUCTION", "ARCHITECTURE"),
    "电池": ("BATTERY",), "印刷": ("PRINTING",), "包装": ("PACKAGING",), "农业": ("AGRICULTURAL",),
    "师范": ("NORMAL", "EDUCATION?"), "职业技术": ("VOCATIONAL TECHNOLOGY", "TECHNOLOGY"),
    "财经": ("FINANCE ECONOMICS",), "外国语": ("FOREIGN STUDIES",),
    "商业": ("COMMERCE", "BUSINESS"), "职业": ("VOCATIONAL",), "交通": ("JIAOTONG", "TRANSPORTATION"),
    "集团": ("GROUP",), "集团公司": ("GROUP",),
    "公司": ("COMPANY",), "第": ("",), "所": ("INSTITUTE",), "院": ("INSTITUTE",),
    "海洋": ("OCEAN", "MARINE"), "民航": ("CIVIL AVIATION",), "城建": ("URBAN CONSTRUCTION", "CHENGJIAN"),
    "国际": ("INTERNATIONAL",), "中国": ("CHINA",), "国家": ("NATIONAL",), "产业": ("INDUSTRIAL",),
    "新技术": ("NEW TECHNOLOGY",), "资源": ("RESOURCE",), "动力": ("POWER",), "电机": ("MOTOR",),
    "光伏": ("PHOTOVOLTAIC",), "节能环保": ("ENERGY SAVING ENVIRONMENT PROTECTION",),
    "集成电路": ("INTEGRATED CIRCUIT",),
    "微电子": ("MICROELECTRONIC",), "生态": ("ECOLOGICAL",), "五金": ("HARDWARE",),
    "零部件": ("PARTS", "COMPONENT"), "配件": ("PARTS", "ACCESSORY"), "家居": ("HOME FURNISHING",),
    "印务": ("PRINTING",), "制品": ("PRODUCT",), "化学": ("CHEMICAL",), "纸业": ("PAPER",),
    "服装": ("GARMENT", "CLOTHING"), "装饰": ("DECORATION",), "文化": ("CULTURE",), "传媒": ("MEDIA",),
    "科贸": ("TECHNOLOGY TRADE",), "工贸": ("INDUSTRIAL TRADE",), "电缆": ("CABLE",), "阀门": ("VALVE",),
    "模具": ("MOULD", "MOLD"), "管道": ("PIPE", "PIPELINE"), "铸造": ("CASTING", "FOUNDRY"),
    "锻造": ("FORGING",), "轴承": ("BEARING",), "泵业": ("PUMP",), "船舶": ("SHIPBUILDING", "SHIP"),
    "重工": ("HEAVY INDUSTRIAL",), "石油": ("PETROLEUM", "OIL"), "石化": ("PETROCHEMICAL",),
    "设计": ("DESIGN",), "电源": ("POWER SOURCE",), "导航": ("NAVIGATION",), "药物": ("PHARMACEUTICAL",),
    "制药": ("PHARMACEUTICAL",), "环境保护": ("ENVIRONMENT PROTECTION",), "物业": ("PROPERTY",),
    "餐饮": ("CATERING",), "运输": ("TRANSPORTATION",), "商务": ("BUSINESS",), "有色": ("NONFERROUS",),
}  # fmt: skip
_CN_GENERIC_MAX: Final = max(map(len, _CN_GENERIC))

#: In a university's name some words are rendered differently: 天津科技大学 is the University of
#: *Science and* Technology, 天津理工大学 the University of Technology.
_ACADEMIC_TYPES: Final = frozenset({"大学", "学院", "职业技术学院"})
_CN_GENERIC_ACADEMIC: Final[dict[str, tuple[str, ...]]] = {
    "科技": ("SCIENCE TECHNOLOGY", "TECHNOLOGY?"),
    "理工": ("TECHNOLOGY", "SCIENCE TECHNOLOGY?"),
}


#: Words that name the kind of organisation (not its industry), for the type English forms.
_TYPE_WORDS: Final = frozenset(
    {"大学", "学院", "职业技术学院", "研究所", "研究院", "科学院", "研究中心", "中心", "实验室",
     "孵化器", "加速器", "生产力促进中心", "事务所", "厂", "医院"}
)  # fmt: skip
_GENERIC_EN: Final = frozenset(
    t.rstrip("?") for forms in _CN_GENERIC.values() for form in forms for t in form.split()
) | frozenset(_EN_ABBREV.values())

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BRACKETS: Final = str.maketrans(
    {"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")",
     "“": "", "”": "", '"': "", "'": "", "‘": "", "’": ""}
)  # fmt: skip


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# ---------------------------------------------------------------------------------------------
# Regions (from cpca's administrative-division table, read without importing cpca and pandas)
# ---------------------------------------------------------------------------------------------

_REGION_SUFFIXES: Final = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
                           "地区", "省", "市", "盟")  # fmt: skip


@lru_cache(maxsize=1)
def _regions() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(full names of all divisions, short names of provinces and cities, pinyin of those)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cpca is not installed: pip install cpca (it ships the division table)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    full: set[str] = set()
    short: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name, code = row["name"], row["adcode"][:6]
            full.add(name)
            if code.endswith("00"):  # provinces and prefecture-level cities
                for suffix in _REGION_SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        short.add(name[: -len(suffix)])
                        break
    full -= {"中国"}
    latin = frozenset("".join(lazy_pinyin(s)).upper() for s in short)
    return frozenset(full), frozenset(short), latin


@lru_cache(maxsize=1)
def _region_names() -> tuple[frozenset[str], tuple[int, ...]]:
    """Every strippable region name (full names, and short names of provinces and cities), and
    their lengths longest first, so a prefix is found with a few set look-ups."""
    full, short, _ = _regions()
    names = full | short
    return names, tuple(sorted({len(n) for n in names}, reverse=True))


def _region_prefix(text: str) -> str | None:
    """The longest region name ``text`` starts with."""
    names, lengths = _region_names()
    for size in lengths:
        if size < len(text) and text[:size] in names:
            return text[:size]
    return None


def _place_short(region: str) -> str:
    """天津市 → 天津, 河北省 → 河北; districts and counties keep their suffix (东丽区)."""
    _, short, _ = _regions()
    for suffix in _REGION_SUFFIXES:
        if region.endswith(suffix) and region[: -len(suffix)] in short:
            return region[: -len(suffix)]
    return region


def split_region_prefix(core: str) -> tuple[tuple[str, ...], str]:
    """``天津市东丽区华信科技`` → ((天津市, 东丽区), 华信科技); keeps at least two characters that
    are not generic, so 天津科技 keeps its 天津."""
    places: list[str] = []
    while (region := _region_prefix(core)) is not None:
        rest = core[len(region) :]
        if len(rest) < 2 or _all_generic(rest):
            break
        places.append(region)
        core = rest
    return tuple(places), core


@lru_cache(maxsize=65536)
def place_parts(normal: str) -> tuple[frozenset[str], str, bool]:
    """(the places a Chinese normal form names, the form without its leading and bracketed
    places, whether a place stood in brackets).

    Places are found as a prefix, in brackets or inside the name (国网河南新安县供电 names 河南 and
    新安县), each in its short spelling. Two names whose places differ are two organisations.
    """
    if not has_cjk(normal):
        return frozenset(), normal, False
    full, _, _ = _regions()
    bracketed = False

    def drop(m: re.Match[str]) -> str:
        nonlocal bracketed
        if _is_region(m.group(1), full):
            bracketed = True
            return ""
        return m.group(0)

    bare = re.sub(r"\(([^()]*)\)", drop, normal)
    bare = split_region_prefix(bare)[1]
    names, lengths = _region_names()
    found: set[str] = set()
    i = 0
    while i < len(normal):
        for size in lengths:
            if normal[i : i + size] in names:
                found.add(_place_short(normal[i : i + size]))
                i += size
                break
        else:
            i += 1
    return frozenset(found), bare, bracketed


def strip_region_prefix(core: str) -> str:
    """``天津市东丽区华信科技`` → ``华信科技``; keeps at least two characters that are not generic."""
    while (region := _region_prefix(core)) is not None:
        rest = core[len(region) :]
        if len(rest) < 2 or _all_generic(rest):
            break
        core = rest
    return core


# ---------------------------------------------------------------------------------------------
# Classification (kept here because normalisation depends on it; re-exported by ingest.resolve)
# ---------------------------------------------------------------------------------------------

# (label value, Chinese keywords, Latin tokens)
_TYPE_RULES: Final = (
    ("Incubator", ("孵化器", "孵化基地", "加速器", "苗圃", "众创空间"), ("INCUBATOR", "ACCELERATOR")),
    ("ProductivityCenter", ("生产力促进中心",), ("PRODUCTIVITY",)),
    ("ResearchInstitute", ("研究所", "研究院", "科学院", "研究中心", "实验室", "所"),
     ("INSTITUTE", "ACADEMY", "LABORATORY", "RESEARCH")),
    ("University", ("大学", "学院", "学校"), ("UNIVERSITY", "COLLEGE", "POLYTECHNIC", "SCHOOL")),
    ("Intermediary", ("知识产权", "事务所", "投资", "担保", "基金", "小额贷款", "专利代理"),
     ("INVESTMENT", "GUARANTEE", "FUND", "MICROCREDIT", "INTELLECTUAL", "PATENT")),
)  # fmt: skip


def classify_label(name: str) -> str:
    """The label value for an organisation name (see :func:`ingest.resolve.classify_org`).

    Chinese: the type keyword that ends last wins (天津大学化工研究院 is an institute,
    中国科学院大学 a university). Latin: the first type token wins (head noun first).
    """
    text = unicodedata.normalize("NFKC", name).upper()
    if has_cjk(text):
        best, best_end, best_len = "Enterprise", -1, 0
        for label, words, _ in _TYPE_RULES:
            for word in words:
                start = text.rfind(word)
                if len(word) == 1 and not text.endswith(word):
                    continue  # 所 names an institute only as the last character (中国电科18所)
                end = start + len(word)
                # Ties (事务所 vs 所) go to the longer keyword.
                if start >= 0 and (end > best_end or (end == best_end and len(word) > best_len)):
                    best, best_end, best_len = label, end, len(word)
        return best
    tokens = [_EN_ABBREV.get(t, t) for t in re.findall(r"[A-Z0-9]+", text)]
    for token in tokens:
        for label, _, latin in _TYPE_RULES:
            if token in latin:
                return label
    return "Enterprise"


def _is_firm(core: str) -> bool:
    return classify_label(core) in ("Enterprise", "Intermediary")


# ---------------------------------------------------------------------------------------------
# Normal form
# ---------------------------------------------------------------------------------------------


_CN_DIGITS: Final = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                     "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = re.compile(
    r"(?<=第)[〇零一二两三四五六七八九十百千]+|[〇零一二两三四五六七八九十百千]+(?=(?:研究)?所)"
)


def _cn_number(text: str) -> str:
    """七〇七 → 707, 十八 → 18, 四十六 → 46 (institute numbers: 第十八研究所 = NO 18 RES INST)."""
    if not any(c in text for c in "十百千"):
        return "".join(str(_CN_DIGITS[c]) for c in text if c in _CN_DIGITS)
    total, digit = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = 0
    return str(total + digit)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # OpenCC's own tables (shipped in the wheel): 國立大學 → 国立大学, 臺灣 → 台湾.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (characters only; anything else is unchanged)."""
    return _t2s().convert(text) if has_cjk(text) else text


#: Latin letters that do not decompose under NFKD.
_LATIN_FOLD: Final = str.maketrans({"Ø": "OE", "Æ": "AE", "Œ": "OE", "Ł": "L", "Đ": "D", "Ð": "D",
                                    "Þ": "TH", "ß": "SS", "ı": "I"})  # fmt: skip


def fold_latin_accents(text: str) -> str:
    """``SUPÉRIEUR`` → ``SUPERIEUR``, ``MÜNCHEN`` → ``MUNCHEN``. Only Latin letters are folded:
    a Cyrillic Ё or a Hangul syllable keeps its form (decomposing those changes the name)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text.translate(_LATIN_FOLD):
        if ch.isascii() or not unicodedata.name(ch, "").startswith("LATIN"):
            out.append(ch)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)))
    return "".join(out)


#: Legal-person words that precede a name in Japan and Taiwan (国立大学法人京都大学 = 京都大学).
#: 学校法人 (a Japanese private school corporation) is not among them: it is what tells
#: 學校法人東海大學 (Tokai, Japan) from 東海大學 (Tunghai, Taiwan), so it stays in the normal form.
_CN_LEGAL_PREFIXES: Final = ("国立大学法人", "公立大学法人", "独立行政法人", "国立研究开发法人",
                             "财团法人", "社团法人", "株式会社")  # fmt: skip
_CN_LEGAL_SUFFIXES: Final = ("株式会社", "有限会社", "合同会社")

#: Taiwan places that start a Taiwan state institution's name: 國立 before them is optional
#: (國立臺灣大學 = 台灣大學). Before any other name it stays — 國立清華大學 (Hsinchu) is not
#: 清华大学 (Beijing).
_TW_PLACES: Final = ("台湾", "台北", "台中", "台南", "台东", "高雄", "新竹", "嘉义", "屏东", "宜兰",
                     "花莲", "彰化", "云林", "金门", "澎湖")  # fmt: skip

#: What follows a university when its governing board is the applicant (加州大學董事會, 伊利諾大學
#: 受託人董事會, 史丹佛學院理事會, 德州系統大學評議委員會): one board, one spelling.
#: The board of a university system is the university's board (the Board of Regents of the
#: University of Texas System, 德州大學董事會).
_CN_BOARD = re.compile(r"(?<=大学|学院)(?:系统)?(?:受托人董事会|评议委员会|董事委员会|校董会|理事会|董事会)$")
#: 雷根斯 is "Regents" transliterated: 雷根斯加州大學 = the Regents of the University of California.
_CN_REGENTS = re.compile(r"^雷根斯(?=.{2,}(?:大学|学院)$)")


def _read_transliterations() -> dict[str, str]:
    """Taiwan / Hong Kong spellings of foreign names → the mainland one (伊利诺 → 伊利诺伊,
    史丹佛 → 斯坦福), from ``ingest/data/cn_transliteration_variants.csv`` (in Simplified
    characters, as they are compared after :func:`to_simplified`)."""
    with (_PACKAGE_DATA / "cn_transliteration_variants.csv").open(encoding="utf-8", newline="") as f:
        table = {row["variant"].strip(): row["canonical"].strip() for row in csv.DictReader(f)}
    # A canonical spelling that contains a variant maps to itself, so 伊利诺伊 is not read as
    # 伊利诺 + 伊; the others do not, so they do not hide a variant after them (德克萨斯大学体系).
    kept = {c: c for c in table.values() if any(v in c for v in table)}
    return {**kept, **table}


_TRANSLITERATIONS: Final = _read_transliterations()
_TRANSLITERATION = re.compile("|".join(map(re.escape, sorted(_TRANSLITERATIONS, key=len, reverse=True))))


def _mainland_spelling(text: str) -> str:
    """An institution's foreign name in one spelling: 伊利诺大学受托人董事会 → 伊利诺伊大学董事会.
    Only for institutions: in a firm's name the same characters are a trade name (伟恩科技)."""
    for _ in range(4):  # to a fixed point, so the normal form stays idempotent
        spelled = _TRANSLITERATION.sub(lambda m: _TRANSLITERATIONS[m.group(0)], text)
        if spelled == text:
            break
        text = spelled
    if _CN_REGENTS.match(text):
        text = _CN_REGENTS.sub("", text) + "董事会"
    return _CN_BOARD.sub("董事会", text)


#: Taiwan registers a foreign firm as 日商 / 美商 / 大陸商 + its name ("a Japanese firm"): the
#: nationality of the registration, not part of the name (日商三菱化學 = 三菱化學).
_CN_NATIONALITY_PREFIX = re.compile(
    r"^(?:日|美|德|法|英|韩|南韩|瑞士|瑞典|荷兰|比利时|义大利|意大利|西班牙|奥地利|丹麦|芬兰|挪威|"
    r"爱尔兰|卢森堡|以色列|加拿大|澳大利亚|澳洲|新加坡|香港|印度|泰国|马来西亚|大陆|中国大陆|"
    r"英属开曼群岛|开曼群岛|英属维京群岛|萨摩亚)商(?![贸业务行店城场会品标])(?=.{2})"
)


#: A foreign institution's own country written before it (美國康奈爾大學 = 康奈爾大學, 荷蘭代爾夫特
#: 理工大學), or 私立 (私立淡江大學 = 淡江大學): dropped only before an institution, because in a
#: firm's name it is the trade name (日本化藥, 日本電氣).
_CN_FOREIGN_COUNTRY = re.compile(
    r"^(?:美国|日本|英国|德国|法国|荷兰|比利时|瑞士|瑞典|丹麦|芬兰|挪威|奥地利|意大利|义大利|西班牙|"
    r"韩国|南韩|大韩民国|新加坡|加拿大|以色列|澳大利亚|澳洲|爱尔兰|印度|私立)"
    r"(?=.{2,}(?:大学|学院|研究院|研究所|研究中心|基金会|董事会|理事会|委员会|大学校产学协力团)$)"
)


def _strip_legal_person(text: str) -> str:
    while (stripped := _CN_NATIONALITY_PREFIX.sub("", text)) != text:
        text = stripped
    # Repeated until stable, so the normal form stays idempotent (美國美國X大學).
    while (bare := _CN_FOREIGN_COUNTRY.sub("", _strip_cn_legal(text))) != _strip_cn_legal(text):
        if _all_generic(bare):
            break
        text = bare
    changed = True
    while changed:
        changed = False
        for word in _CN_LEGAL_PREFIXES:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word) :], True
        for word in _CN_LEGAL_SUFFIXES:
            if text.endswith(word) and len(text) > len(word) + 1:
                text, changed = text[: -len(word)], True
    if text.startswith("国立") and text[2:].startswith(_TW_PLACES):
        text = text[2:]
    return text


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    text = fold_latin_accents(to_simplified(text).upper())
    text = re.sub(r"\s+", " ", text).strip()
    # Spaces next to a CJK character are layout, not separators.
    text = re.sub(r"(?<=[\u3400-\u9fff()]) | (?=[\u3400-\u9fff()])", "", text)
    # 海卓-艾尔 = 海卓艾尔: a hyphen or dot between Chinese characters only joins a transliteration.
    text = re.sub(r"(?<=[\u3400-\u9fff])[-‐‑–—·・•](?=[\u3400-\u9fff])", "", text)
    return _CN_NUMBER.sub(lambda m: _cn_number(m.group(0)), text)


def _strip_cn_legal(core: str) -> str:
    changed = True
    while changed:
        changed = False
        for form in _CN_LEGAL_FORMS:
            if core.endswith(form) and len(core) > len(form):
                core, changed = core[: -len(form)], True
                break
    return core


def _normalize_cn(text: str) -> str:
    # A branch: 天津华信科技有限公司东丽分公司 → parent 华信科技 + branch 东丽分公司.
    marker = next((m for m in _BRANCH_MARKERS if text.endswith(m) or text.endswith(f"({m})")), None)
    if marker:
        m = re.match(r"^(.*)\((.*)\)$", text)
        parent = branch = ""
        if m and m.group(2).endswith(marker):
            parent, branch = m.group(1), m.group(2)
        else:
            head = text[: -len(marker)] if text.endswith(marker) else ""
            cut = max((head.rfind(f) + len(f) for f in _CN_LEGAL_FORMS if f in head), default=-1)
            if cut <= 0 and marker in _STRONG_BRANCH_MARKERS:
                cut = _branch_place_start(head)
                if cut <= 0:
                    return text
            if cut > 0:
                parent, branch = text[:cut], text[cut:]
        if parent and branch:
            return f"{_normalize_cn(parent)}({branch})"
    text = _strip_legal_person(text)
    if not _is_firm(_strip_cn_legal(text)):
        text = _mainland_spelling(text)
    core = _strip_cn_legal(text)
    if _is_firm(core) and _looks_registered(text):
        # The place is identity (哈尔滨飞机工业 is not 成都飞机工业): it is kept, in one spelling —
        # 天津市东丽区华信科技 → 天津东丽区华信科技, and a bracketed place stays in brackets
        # (华信科技(天津) may be a subsidiary of 华信科技; the resolver compares the two forms).
        core = _strip_cn_legal(re.sub(r"\((集团|控股)\)", "", core))
        places, rest = split_region_prefix(core)
        core = "".join(_place_short(p) for p in places) + rest
    else:
        # 中国科学院沈阳自动化研究所 = 沈阳自动化研究所; 中国人民解放军国防科技大学 = 国防科技大学.
        for prefix in ("中国科学院", "中科院", "中国人民解放军"):
            rest = core[len(prefix) :]
            kind = classify_label(rest)
            wanted = (
                ("ResearchInstitute", "University") if prefix == "中国人民解放军" else ("ResearchInstitute",)
            )
            if core.startswith(prefix) and len(rest) >= 4 and not _all_generic(rest) and kind in wanted:
                core = rest
                break
        # Keep the institution's own region (天津大学) but drop an outer one before it
        # (天津市东丽区生产力促进中心 → 东丽区生产力促进中心).
        region = _region_prefix(core)
        if region is not None and _region_prefix(core[len(region) :]) is not None:
            core = core[len(region) :]
        elif region is not None and region.endswith(("市", "省")) and region[:-1] in _regions()[1]:
            # 天津市环境保护科学研究院 = 天津环境保护科学研究院: one spelling of the city.
            core = region[:-1] + core[len(region) :]
    return core


def _looks_registered(text: str) -> bool:
    """Whether a cleaned Chinese name reads as a registered firm name — a legal form, a region
    in brackets or an industry word at the end — so that a leading region is a registration
    prefix to drop. 天津工大 is a 简称, not 天津 + 工大."""
    core = _strip_cn_legal(text)
    runs = segment(core)
    return core != text or "(" in core or (bool(runs) and runs[-1][1])


def looks_registered(name: str) -> bool:
    """:func:`_looks_registered` of a raw name (False for Latin names)."""
    text = _clean(name)
    return has_cjk(text) and _looks_registered(text)


def _branch_place_start(head: str) -> int:
    """Where the place of a branch begins in ``华信科技东丽``: the longest region name ending it."""
    full, short, _ = _regions()
    for k in range(1, len(head) - 1):
        place = head[k:]
        if place in full or place in short or place in _county_short_names():
            return k
    return -1


@lru_cache(maxsize=1)
def _county_short_names() -> frozenset[str]:
    full, _, _ = _regions()
    return frozenset(n[:-1] for n in full if n.endswith(("区", "县", "市", "旗")) and len(n) >= 3)


def _is_region(text: str, full: frozenset[str]) -> bool:
    _, short, _ = _regions()
    return text in full or text in short or text == "中国"


#: Who holds or acts for the organisation, not its name: THE REGENTS OF THE UNIV OF MICHIGAN,
#: UNIV WASHINGTON THROUGH ITS CT FOR COMMERCIALIZATION (everything from THROUGH ITS on goes).
_EN_OWNER_PREFIX = re.compile(
    r"^(?:THE )?(?:REGENTS OF|BOARD OF (?:TRUSTEES|REGENTS|GOVERNORS|SUPERVISORS) OF|TRUSTEES OF|"
    r"PRESIDENT AND FELLOWS OF|THE CHANCELLOR,? MASTERS AND SCHOLARS OF|GOVERNING COUNCIL OF) (?:THE )?"
)
_EN_OWNER_SUFFIX = re.compile(
    r"\b(?:THROUGH|BY AND THROUGH|ACTING THROUGH|AS REPRESENTED BY|ON BEHALF OF)\b.*$"
    r"|\b(?:THE )?(?:BOARD OF )?(?:REGENTS|TRUSTEES)(?: OF(?: THE)?)?$"
)
#: US assignee boilerplate: ELWHA LLC, A LIMITED LIABILITY CORPORATION OF THE STATE OF DELAWARE
#: (Lens rotates its words too: OF THE STATE OF DELAWARE ELWHA LLC A LTD LIABILITY CORP).
_EN_STATE_BOILERPLATE = frozenset(
    {"A", "LTD", "LIMITED", "LIABILITY", "CORP", "CORPORATION", "COMPANY", "OF", "THE", "STATE",
     "DELAWARE", "DELEWARE", "LLC"}
)  # fmt: skip
#: Legal forms written before the name (OOO PARAFARM = PARAFARM LLC).
_EN_LEGAL_PREFIX: Final = frozenset({"OOO", "ZAO", "OAO", "PAO", "AO", "TOO"})
#: Legal words dropped wherever they stand after the first word (INSURANCE COMPANY STATE FARM …).
_EN_LEGAL_ANYWHERE: Final = frozenset({"CO", "COMPANY", "INC", "INCORPORATED", "CORP", "CORPORATION",
                                       "LTD", "LIMITED", "LLC"})  # fmt: skip
#: The kind of place after a Chinese place name in Latin (定州市 → DINGZHOU CITY).
_EN_PLACE_WORDS: Final = frozenset({"CITY", "PROVINCE", "COUNTY", "DISTRICT", "MUNICIPALITY"})
#: Letters and digits of any script: a Cyrillic, Hangul or Kana name keeps its own words.
_WORD = re.compile(r"[^\W_]+")


def _normalize_latin(text: str) -> str:
    text = text.replace("&", " AND ")
    # … (BUPT): an acronym in brackets repeats the name.
    text = re.sub(r"\(\s*[A-Z][A-Z0-9.\- ]{1,11}\)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _EN_OWNER_SUFFIX.sub("", _EN_OWNER_PREFIX.sub("", text)).strip() or text
    # 46TH → 46: the ordinal of a numbered institute (第四十六研究所).
    text = re.sub(r"\b(\d+)(?:ST|ND|RD|TH)\b", r"\1", text)
    raw = _WORD.findall(text)
    # L L C → LLC, A P MOELLER → AP MOELLER: single letters spelt out are one word.
    merged: list[str] = []
    spelt = False  # whether merged[-1] is made of single letters only
    for word in raw:
        single = len(word) == 1 and word.isalpha()
        if single and spelt:
            merged[-1] += word
        else:
            merged.append(word)
            spelt = single
    raw = merged
    if "LIABILITY" in raw and "STATE" in raw:
        raw = [w for w in raw if w not in _EN_STATE_BOILERPLATE] or raw
    while len(raw) > 1 and raw[0] in _EN_LEGAL_PREFIX:
        raw.pop(0)
    if len(raw) > 2 and raw[1] in _EN_PLACE_WORDS and is_pinyin_word(raw[0]):
        # DINGZHOU CITY LISHENG = DINGZHOU LISHENG (定州市): the kind of place is not the place. Only
        # after a leading pinyin word: CITY UNIV HONG KONG and OKLAHOMA CITY UNIV keep it.
        del raw[1]
    raw = raw[:1] + [w for w in raw[1:] if w not in _EN_LEGAL_ANYWHERE]
    while len(raw) > 1 and (raw[-1] in _EN_LEGAL or raw[-1] in ("AND", "&")):
        raw.pop()
    words = " ".join(_EN_EXPAND.get(t, t) for t in raw)
    tokens = [_generic_typo(_singular(_EN_ABBREV.get(t, t))) for t in words.split()]
    # SMART DRONE UAV → INTELLIGENT DRONE: a word repeated by its expansion counts once.
    tokens = [t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1] or t not in _GENERIC_EN]
    if classify_label(" ".join(tokens)) == "Enterprise":
        # A firm's 科技 is written TECHNOLOGY or SCIENCE AND TECHNOLOGY (universities keep the
        # difference: 科技大学 is not 理工大学).
        text = re.sub(r"\bSCIENCE (?:AND )?(?=TECHNOLOGY\b)", "", " ".join(tokens))
        tokens = text.split()
    return " ".join(_drop_cas(tokens))


@lru_cache(maxsize=65536)
def _generic_typo(token: str) -> str:
    """DEVELPMENT → DEVELOPMENT: a long word one edit from a descriptive word is that word."""
    if len(token) < 7 or token in _GENERIC_EN or not token.isascii():
        return token
    for word in _GENERIC_EN:
        if abs(len(word) - len(token)) <= 1 and word[0] == token[0] and OSA.distance(word, token) <= 1:
            return word
    return token


def _singular(token: str) -> str:
    """INNOVATIONS → INNOVATION, when the singular is a known descriptive word."""
    if token.endswith("S") and len(token) > 4 and token[:-1] in _GENERIC_EN:
        return token[:-1]
    return token


_CAS: Final = ("CHINA", "ACADEMY", "SCIENCE")


def _drop_cas(tokens: list[str]) -> list[str]:
    """TIANJIN INST IND BIOTECHNOLOGY CAS → without CHINA ACADEMY SCIENCE, as 中国科学院 goes from
    an institute's Chinese name; the University of CAS (中国科学院大学) keeps it."""
    tokens = [t for t in tokens if t not in _EN_STOP] if "ACADEMY" in tokens else tokens
    for i in range(len(tokens) - 2):
        if tuple(tokens[i : i + 3]) == _CAS:
            rest = tokens[:i] + tokens[i + 3 :]
            if (
                any(t in ("INSTITUTE", "LABORATORY", "CENTER") for t in rest)
                and "UNIVERSITY" not in rest
                and any(t not in _GENERIC_EN for t in rest)
            ):
                return [t for t in tokens[:i] + tokens[i + 3 :]]
    return tokens


@lru_cache(maxsize=65536)
def normalize_org_name(name: str) -> str:
    """The normal form of an organisation name; idempotent.

    >>> normalize_org_name("天津市华信科技有限公司"), normalize_org_name("UNIV  Tianjin")
    ('华信科技', 'UNIVERSITY TIANJIN')
    """
    text = _clean(name)
    if not text:
        return ""
    normal = _normalize_cn(text) if has_cjk(text) else _normalize_latin(text)
    # A name of punctuation only still names something: it keeps itself, never the empty key.
    return normal or text


@lru_cache(maxsize=65536)
def branch_of(normal: str) -> tuple[str, str | None]:
    """(parent core, branch part or None) of a normal form."""
    m = re.match(r"^(.*)\((.*)\)$", normal)
    if m and m.group(2).endswith(_BRANCH_MARKERS):
        return m.group(1), m.group(2)
    if normal.endswith(_STRONG_BRANCH_MARKERS):
        return normal, normal
    return normal, None


#: Latin legal forms by the law they are registered under: ABB TECHNOLOGY AG (Swiss) and ABB
#: TECHNOLOGY LTD, AIRBUS OPERATIONS GMBH / LTD / SAS are different companies of one group.
_LEGAL_JURISDICTION: Final[dict[str, str]] = {
    "GMBH": "DE", "AG": "DE", "KG": "DE", "MBH": "DE", "SA": "FR", "SAS": "FR", "SARL": "FR",
    "LTD": "GB", "LIMITED": "GB", "PLC": "GB", "LLP": "GB", "INC": "US", "INCORPORATED": "US",
    "CORP": "US", "CORPORATION": "US", "LLC": "US", "LP": "US", "BV": "NL", "NV": "NL", "AB": "SE",
    "OY": "FI", "OYJ": "FI", "SPA": "IT", "SRL": "IT", "KK": "JP", "ASA": "NO", "PTY": "AU",
}  # fmt: skip


@lru_cache(maxsize=65536)
def legal_jurisdiction(name: str) -> str | None:
    """The jurisdiction a Latin name's trailing legal form implies (``… GMBH`` → DE), else None.
    ``CO``, ``COMPANY`` and ``AS`` say nothing (CO LTD is written by Chinese firms too)."""
    text = _clean(name)
    if has_cjk(text):
        return None
    words = re.findall(r"[A-Z]+", text)
    for word in reversed(words[1:]):
        if word in _LEGAL_JURISDICTION:
            return _LEGAL_JURISDICTION[word]
        if word not in _EN_LEGAL:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# Segmentation, pinyin and English forms
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def segment(core: str) -> tuple[tuple[str, bool], ...]:
    """Split a Chinese core into (text, is_generic) runs by longest match on the generic words."""
    runs: list[tuple[str, bool]] = []
    i, buf = 0, ""
    while i < len(core):
        for size in range(min(_CN_GENERIC_MAX, len(core) - i), 1 if len(core) - i > 1 else 0, -1):
            word = core[i : i + size]
            if word in _CN_GENERIC:
                break
        else:
            word = core[i] if core[i] in _CN_GENERIC else ""
        if word:
            if buf:
                runs.append((buf, False))
                buf = ""
            runs.append((word, True))
            i += len(word)
        else:
            buf += core[i]
            i += 1
    if buf:
        runs.append((buf, False))
    return tuple(runs)


def _all_generic(text: str) -> bool:
    return all(generic for _, generic in segment(text))


@lru_cache(maxsize=1 << 17)
def _pinyin_upper(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)).upper().replace("Ü", "U")


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin, one word per distinctive run: ``华信科技`` → ``HUAXIN KEJI``."""
    return " ".join(_pinyin_upper(run) for run, _ in segment(text) if run.strip())


@lru_cache(maxsize=65536)
def industry_words(normal: str) -> tuple[str, ...]:
    """The trailing generic words of a Chinese core (its 行业 and type): 华信电子科技 → (电子科技,)."""
    runs = segment(branch_of(normal)[0])
    tail: list[str] = []
    for text, generic in reversed(runs):
        if not generic:
            break
        tail.append(text)
    return tuple(reversed(tail))


@lru_cache(maxsize=65536)
def distinctive(normal: str) -> str:
    """The core without its trailing generic words: the 字号 for a firm, 天津 for 天津大学."""
    parent = branch_of(normal)[0]
    tail = "".join(industry_words(normal))
    return parent[: len(parent) - len(tail)] if tail and len(tail) < len(parent) else parent


def _latin_tokens(text: str) -> list[tuple[str, bool]]:
    """Latin normal form → (token, is_generic), stop words dropped."""
    return [(t, t in _GENERIC_EN) for t in text.split() if t not in _EN_STOP]


def is_generic_word(token: str) -> bool:
    """Whether a canonical Latin token describes rather than identifies (UNIVERSITY, TECHNOLOGY)."""
    return token in _GENERIC_EN


def distinct_latin_tokens(normal: str) -> tuple[str, ...]:
    """The identifying words of a Latin normal form, unglued: ``JOHNSON MARK A`` → all three."""
    return tuple(t for t, generic in _latin_tokens(normal) if not generic)


def _key_from_runs(runs: list[tuple[str, bool]]) -> tuple[str, ...]:
    """Glue adjacent distinctive tokens (BEI HANG → BEIHANG), keep generic ones, sort."""
    out: list[str] = []
    glue = ""
    for token, generic in runs:
        if generic:
            if glue:
                out.append(glue)
                glue = ""
            out.extend(token.split())
        else:
            glue += token
    if glue:
        out.append(glue)
    return tuple(sorted(out))


def latin_keys(name: str, *, type_word: str | None = None) -> frozenset[tuple[str, ...]]:
    """Order-free token keys of a name in Latin script, for matching across scripts.

    ``UNIV BEI HANG`` → {("BEIHANG", "UNIVERSITY")}; 天津大学 → {("TIANJIN", "UNIVERSITY")}.
    ``type_word`` (e.g. ``UNIVERSITY``) is added when the name lacks one — for aliases like 北航.
    """
    return frozenset(weighted_latin_keys(name, type_word=type_word))


@lru_cache(maxsize=1)
def postal_romanisations() -> dict[str, tuple[str, ...]]:
    """Chinese word → its postal-era / Wade-Giles spellings (北京 → PEKING, 厦门 → AMOY, 清华 →
    TSINGHUA), from ``cn-institutions-en/romanisation_postal_names.csv`` in the shared reference
    data ({} when it is absent)."""
    from ingest.reference import default_data_dir

    path = default_data_dir() / "cn-institutions-en" / "romanisation_postal_names.csv"
    if not path.exists():
        return {}
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["category"] not in ("place", "proper_noun") or not row["name_zh"]:
                continue
            for form in [row["romanisation"], *row["variants"].split("|")]:
                latin = re.sub(r"[^A-Z]", "", fold_latin_accents(form.upper()))
                if latin:
                    out.setdefault(to_simplified(row["name_zh"]), set()).add(latin)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _run_renderings(text: str, *, postal: bool = True) -> list[str]:
    """Pinyin of a distinctive run, and its postal spellings where one is known (清华 → QINGHUA,
    TSINGHUA; 北京邮电 → BEIJINGYOUDIAN, PEKINGYOUDIAN)."""
    latin = "".join(re.findall(r"[A-Z0-9]+", _pinyin_upper(text)))
    forms = [latin] if latin else []
    table = postal_romanisations() if postal else {}
    for size in range(min(len(text), 4), 1, -1):
        for form in table.get(text[:size], ()):
            rest = "".join(re.findall(r"[A-Z0-9]+", _pinyin_upper(text[size:])))
            forms.append(form + rest)
        if text[:size] in table:
            break
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=65536)
def weighted_latin_keys(
    name: str, *, type_word: str | None = None, limit: int = 64, postal: bool = True
) -> dict[tuple[str, ...], int]:
    """:func:`latin_keys` with, for each key, how many weak renderings it needed (工业 → TECHNOLOGY
    is one: a match through it is a question, not a link)."""
    normal = normalize_org_name(name)
    if not normal:
        return {}
    if not has_cjk(normal):
        runs = _latin_tokens(normal)
        # A leading place is a word of its own (TIANJIN HUAXIN TECH = 天津 + 华信 + 科技), not glued.
        _, _, latin_regions = _regions()
        lead = 0
        while lead < len(runs) - 1 and runs[lead][0] in latin_regions:
            runs[lead] = (runs[lead][0], True)
            lead += 1
        if type_word and not any(t in _TYPE_EN for t, _ in runs):
            runs.append((type_word, True))
        return {_key_from_runs(runs): 0}
    parent, branch = branch_of(normal)
    options: list[list[tuple[str, bool]]] = []
    places, rest = split_region_prefix(parent)
    for place in places:
        options.append([(form, True) for form in _run_renderings(_place_short(place), postal=postal)])
    segments = segment(re.sub(r"[()]", "", rest))
    academic = any(text in _ACADEMIC_TYPES for text, generic in segments if generic)
    for text, generic in segments:
        if generic:
            renderings = (_CN_GENERIC_ACADEMIC.get(text) if academic else None) or _CN_GENERIC[text]
            options.append([(form, True) for form in renderings])
        else:
            forms = _run_renderings(text, postal=postal)
            if forms:
                options.append([(form, False) for form in forms])
    if type_word and not any(t in _TYPE_WORDS for t, g in segment(parent) if g):
        options.append([(type_word, True)])
    keys: dict[tuple[str, ...], int] = {}
    for combo in itertools.islice(itertools.product(*[o for o in options if o]), limit):
        weak = sum(token.endswith("?") for token, _ in combo)
        key = _key_from_runs([(token.rstrip("?"), generic) for token, generic in combo])
        if branch:
            key = (*key, "BRANCH", "".join(lazy_pinyin(branch)).upper())
        keys[key] = min(weak, keys.get(key, weak))
    return keys


_TYPE_EN: Final = frozenset(
    {"UNIVERSITY", "COLLEGE", "INSTITUTE", "ACADEMY", "CENTER", "LABORATORY", "INCUBATOR",
     "ACCELERATOR", "OFFICE", "FIRM", "FACTORY", "HOSPITAL", "POLYTECHNIC", "SCHOOL"}
)  # fmt: skip

#: English type word a label implies, for aliases that carry no type word of their own.
TYPE_WORD_FOR_LABEL: Final[dict[str, str]] = {
    "University": "UNIVERSITY",
    "ResearchInstitute": "INSTITUTE",
}


def name_variants(name: str) -> set[str]:
    """Forms to index for a name: normal form, pinyin, and English renderings.

    >>> sorted(name_variants("天津大学"))
    ['TIANJIN DAXUE', 'TIANJIN UNIVERSITY', '天津大学']
    """
    normal = normalize_org_name(name)
    if not normal:
        return set()
    forms = {normal}
    if has_cjk(normal):
        forms.add(pinyin(re.sub(r"[()]", "", normal)))
        # English renderings only where they are sure: no weak rendering, no branch.
        forms.update(
            english_form(k)
            for k, weak in weighted_latin_keys(normal, postal=False).items()
            if not weak and "BRANCH" not in k
        )
    return forms


def english_form(key: tuple[str, ...]) -> str:
    """A readable order for a latin key: distinctive words first, then generic, type last."""
    distinct = [t for t in key if t not in _GENERIC_EN]
    generic = [t for t in key if t in _GENERIC_EN and t not in _TYPE_EN]
    types = [t for t in key if t in _TYPE_EN]
    return " ".join(distinct + generic + types)
