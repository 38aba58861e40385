"""Applicant typing: is a patent applicant a person or an organisation?

Individuals file patents (张琛, ``FLEMING ROBERT J``, ``КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ``, 이정용); made
into ``Enterprise`` nodes they were counted as firms in clusters and the monitor. The rules, in
order (the first that speaks decides, and :class:`ApplicantType` says which one did):

1. an **organisation word** in any script — 公司, 大学/大學, 学院/學院, 研究所, 医院/醫院, 株式会社,
   法人, 주식회사, インコーポレイテッド, ООО, УНИВЕРСИТЕТ, and Latin abbreviations and legal
   forms (UNIV, INST, CO, LTD, GMBH, AG, SA, KK, INC, CORP, LLC, SPA, OOO …) — or a digit;
2. the **shape of a personal name** in the name's script:
   Chinese — a surname (single or compound, simplified or traditional) and one or two given
   characters, or a transliterated foreign name (克里斯琴施米德) made only of the characters
   transliteration uses; Latin — two to five name words (``SURNAME GIVEN``, ``Given Surname``,
   ``SURNAME, GIVEN``, initials, JR/III, DR); Cyrillic — two or three words, typically with a
   patronymic (-ВИЧ/-ВНА); Hangul — two to four syllables; Katakana — a name without a company word;
3. otherwise an organisation (``HEAD``, ``TECHNOFAN``: one word is not a person's full name).

Measured on 320 hand-labelled real applicants (``python -m bench.applicant_typing``,
docs/benchmarks/typing.md). Known limits: Japanese names in kanji (山田太郎) type as
organisations (the surname list is Chinese); a firm written as two bare words (``VDO SCHINDLING``)
types as a person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from graph.model import REL_SPECS, NodeLabel, RelType
from ingest.names import classify_label

ApplicantKind = Literal["person", "organization"]


@dataclass(frozen=True)
class ApplicantType:
    kind: ApplicantKind
    rule: str  # which rule decided, e.g. "org_word:公司", "cjk_person_shape"

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


# --- organisation words ----------------------------------------------------------------------

#: Chinese (simplified and traditional) and Japanese kanji words only organisations carry.
#: Single characters that name an organisation only as the last of four or more (中国飞机强度研究所,
#: XX机械厂); inside a two- or three-character name they are a given name (张园, 李部).
_CJK_ORG_ENDINGS: Final = tuple("院所厂廠局团團社站馆館处處部室店场場园園司")
_CJK_ORG_WORDS: Final = (
    "公司", "集团", "集團", "大学", "大學", "学院", "學院", "学校", "學校", "研究", "研发", "研發",
    "中心", "医院", "醫院", "会社", "會社", "法人", "工厂", "工廠", "厂", "廠", "局", "委员会", "委員會",
    "基金", "协会", "協會", "学会", "學會", "实验室", "實驗室", "机构", "機構", "合作社", "事务所",
    "事務所", "系统", "系統", "科技", "技术", "技術", "股份", "有限", "工业", "工業", "商行", "商会",
    "部队", "部隊", "联盟", "聯盟", "航空", "电器", "電器", "电子", "電子", "製作所", "制作所",
    "美商", "日商", "德商", "法商", "英商", "韓商", "韩商", "瑞士商", "新加坡商", "大陸商", "开曼",
    "開曼", "控股", "实业", "實業", "机械", "機械", "制造", "製造", "设备", "設備", "电力", "電力",
    "供电", "供電", "能源", "材料", "化工", "化學", "化学", "医药", "醫藥", "製藥", "制药", "生物",
    "环保", "環保", "电气", "電氣", "光电", "光電", "智能", "网络", "網路", "信息", "資訊", "通讯",
    "通訊", "汽车", "汽車", "飞机", "飛機", "直升机", "直升機", "装备", "裝備", "仪器", "儀器",
    "政府", "国网", "國網", "公立", "国立", "國立", "私立", "财团",
    "財團", "协力", "協力", "产学", "產學", "委託", "委托", "联合", "聯合", "国际", "國際", "集体",
    "有限责任", "总公司", "總公司", "分公司", "事业", "事業", "空中客车", "通用", "欧洲", "歐洲",
)  # fmt: skip
#: Katakana and Hangul company words (Japanese transliterations of Inc., Corp., Ltd., GmbH …).
_KANA_HANGUL_ORG_WORDS: Final = (
    "インコーポレイテッド", "インコーポレーテッド", "コーポレーション", "カンパニー", "リミテッド",
    "ゲゼルシャフト", "ゲーエムベーハー", "エルエルシー", "アクチエンゲゼルシャフト", "ソシエテ",
    "エスアー", "ホールディングス", "インク", "コーポ", "エアロスペース", "エアクラフト",
    "アビエーション", "アヴィエーション", "テクノロジー", "システムズ", "ラボ", "グループ",
    "ユニバーシティ", "インスティテュート", "주식회사", "(주)", "㈜", "유한회사", "대학교", "대학",
    "연구원", "연구소", "재단", "공사", "협회", "산학협력단", "전자", "자동차", "중공업", "화학",
    "건설", "제약", "항공", "산업", "기술", "과학", "코퍼레이션", "컴퍼니", "인코포레이티드",
    "엘엘씨", "리미티드", "시스템", "테크", "그룹",
)  # fmt: skip
#: Cyrillic organisation words and legal forms (Russian, Ukrainian, Bulgarian).
_CYRILLIC_ORG_WORDS: Final = (
    "ООО", "ОАО", "ЗАО", "ПАО", "АО", "ТОВ", "ПАТ", "ФГУП", "ФГБУ", "ФГБОУ", "ФГАОУ", "ГУП", "НПО",
    "НПП", "ОБЩЕСТВО", "ТОВАРИСТВО", "КОМПАНИЯ", "КОРПОРАЦИЯ", "КОРПОРАЦІЯ", "УНИВЕРСИТЕТ",
    "УНІВЕРСИТЕТ", "ИНСТИТУТ", "ІНСТИТУТ", "АКАДЕМИЯ", "АКАДЕМІЯ", "УЧРЕЖДЕНИЕ", "ПРЕДПРИЯТИЕ",
    "ПІДПРИЄМСТВО", "ЗАВОД", "ФЕДЕРАЦИЯ", "ФЕДЕРАЛЬНОЕ", "ГОСУДАРСТВЕННОЕ", "ДЕРЖАВНЕ", "ЦЕНТР",
    "ЛАБОРАТОРИЯ", "ОБЪЕДИНЕНИЕ", "КОНСТРУКТОРСКОЕ", "БЮРО", "ГРУППА", "ХОЛДИНГ", "ЕООД", "ООД", "АД",
)  # fmt: skip
_LATIN_ORG_TEXT: Final = """
    UNIV UNIVE UNIVERSITY UNIVERSITE UNIVERSITAET UNIVERSITAT UNIVERSIDAD UNIVERSIDADE UNIVERSITA
    UNIWERSYTET UNIVERSITET INST INSTITUTE INSTITUT INSTITUTO ISTITUTO INSTYTUT COLLEGE COLL SCHOOL
    ACAD ACADEMY ACADEMIE AKADEMIE AKADEMIYA POLYTECHNIC POLITECNICO HOSPITAL HOSP CLINIC KLINIKUM
    CO CORP CORPORATION COMPANY COMP INC INCORPORATED LTD LIMITED LLC LLP LP PLC GMBH MBH AG KG
    KGAA SA SAS SARL SRL SPA SPOLKA SPOKA AKCYJNA ZOO BV NV AB ASA OY OYJ APS KK YK PTY PTE PVT SDN
    BHD OOO OAO ZAO PAO AO OOD EOOD AD DOO EV EG TIC AS ULC LTDA CIA CV SCA SCS KFT ZRT SPZOO TRUST
    TRUSTEE TRUSTEES FOUNDATION FOUND FUND ASSOCIATION ASS ASSOC SOCIETY SOC COUNCIL COMMISSION
    BOARD REGENTS GOVERNMENT GOV MINISTRY MINISTERSTVO DEPARTMENT DEPT AGENCY OFFICE ADMINISTRATION
    ADMIN SECRETARY NAVY ARMY MILITARY MIL FEDERAL FEDERALNOE FEDERAL'NOE GOSUDARSTVENNOE
    UCHREZHDENIE OBRAZOVANIYA OBRAZOVANIJA OBSHCHESTVO OBSHSHESTVO AKTSIONERNOE FEDERATSIJA
    FEDERATSIYA FEDERATSII KORPORATSIYA NAUCHNO NAUCHNYJ PREDPRIYATIE ZAVOD GUP FGUP CENTER CENTRE
    CT CTR CENTRO ZENTRUM LAB LABS LABORATORY LABORATORIES LABORATOIRE RES RESEARCH SCIENCE
    SCIENCES SCI SCIENTIFIC TECH TECHN TECHNOLOGY TECHNOLOGIES TECHNOLOGIE TECHNIK TECHNICAL
    SYSTEMS SYSTEM SYS GROUP GRP HOLDINGS INDUSTRIES INDUSTRY IND INDUSTRIAL INDUSTRIE ENTERPRISES
    ENTERPRISE INTERNATIONAL INTL INT GLOBAL SOLUTIONS SERVICES SERVICE SERV DEVELOPMENT NAT
    NATIONAL AEROSPACE AERONAUTICS AERONAUTIQUE AVIATION AIRCRAFT AIRLINES AIRWAYS AIR AERO
    ROBOTICS ROBOT ROBOTIC ELECTRONICS ELECTRONIC ELECTRIC ELECTRICAL ENERGY MOTORS MOTOR NETWORKS
    NETWORK VENTURES PARTNERS CAPITAL ENGINEERING INGENIERIE INGENIERIA INZHINERING INNOVATIONS
    INNOVATION DYNAMICS PRODUCTS PRODUCT MFG MANUFACTURING MACHINERY MACHINES INSTRUMENTS DEVICES
    MEDICAL HEALTH HEALTHCARE PHARMA PHARMACEUTICAL PHARMACEUTICALS BIO BIOTECH CHEMICAL CHEMICALS
    COMMUNICATIONS COMMUNICATION TELECOM MOBILITY SOFTWARE DIGITAL DATA DRONES DRONE UAV SECURITY
    DEFENCE DEFENSE LOGISTICS TRANSPORT AUTOMOTIVE AUTOMATION CONSULTING MANAGEMENT MARKETING
    TRADING PARTNERSHIP STUDIO STUDIOS MEDIA GAMES GOODS COMM MATERIALS COMPANIES AERONAUTICAL
    SATELLITE ENTERTAINMENT BANK INSURANCE ASSOCIATES ASSOCIES
    LABORATORIO GESELLSCHAFT STIFTUNG FORSCHUNG FORSCHUNGSZENTRUM COMMISSARIAT ENERGIE ATOMIQUE
    CNRS CSIC CAAS KAIST ETRI AIST NASA USA US UK ITALIA FRANCE DEUTSCHLAND AMERICA AMERICAN CHINA
    JAPAN KOREA EUROPE EUROPEAN OF THE FOR AND
"""
#: Latin words (patent-office abbreviations, legal forms, organisation nouns, several languages).
_LATIN_ORG_WORDS: Final = frozenset(_LATIN_ORG_TEXT.split())
#: Titles and generational suffixes a Latin personal name may carry.
_LATIN_NAME_EXTRAS: Final = frozenset({"DR", "PROF", "MR", "MRS", "MS", "JR", "SR", "II", "III", "IV", "PHD"})
#: Lower-case particles inside Western names (VAN DER BERG, DE LA CRUZ).
_PARTICLES: Final = frozenset(
    {"VAN", "VON", "DER", "DEN", "DE", "DA", "DI", "DEL", "LA", "LE", "DU", "DOS", "BIN", "AL"}
)

# --- Chinese surnames ---------------------------------------------------------------------------

#: The common single-character surnames (百家姓 and the 2020 census ranking), simplified and
#: traditional forms; a name must start with one to read as a person.
_SURNAMES_1: Final = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
    "曹彭曾萧蕭蔡潘田董袁于余叶葉蒋蔣杜苏蘇魏程吕呂丁任沈姚卢盧傅钟鍾姜崔谭譚陆陸范汪廖石金韦韋"
    "贾賈夏付方邹鄒熊白孟秦邱侯江尹薛闫閻段雷黎史龙龍陶贺賀顾顧毛郝龚龔邵万萬钱錢严嚴赖賴覃洪武"
    "莫孔汤湯向常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭"
    "焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙"
    "鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇"
    "戴戚岑景党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮"
    "巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊乐樂冀郁胥南班储儲原栗燕楚鄢"
    "劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区區郜海阚闞花权權强強帅帥屠豆朴盖蓋练練廉禹"
    "井祖漆巴丰支卿国國狄平计計索宣晋晉相初门門云雲容敬来來扈晁芮都普阙闕浦戈伏鹿薄邸雍辜羊阿乌烏"
    "母裘亓修邰赫杭况況那宿鲜鮮印逯隆茹诸諸战戰慕危玉银銀亢嵇公哈湛宾賓戎勾茅利於呼居揭干但尉冶斯"
    "元束檀衣信展阴陰昝智幸奉植衡富尧堯闭閉由"
)
_SURNAMES_2_TEXT: Final = """
    欧阳 歐陽 司马 司馬 上官 诸葛 諸葛 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 长孙
    長孫 宇文 司徒 夏侯 轩辕 軒轅 令狐 钟离 鍾離 澹台 澹臺 公冶 申屠 太史
    端木 南宫 南宮 西门 西門 独孤 獨孤 呼延 万俟
"""
_SURNAMES_2: Final = frozenset(_SURNAMES_2_TEXT.split())
#: Characters Chinese uses to transliterate foreign personal names (Xinhua's table, the common part).
_TRANSLIT: Final = frozenset(
    "阿埃艾安昂奥奧巴邦贝貝本比彼波伯博布查达達戴丹道德登迪蒂丁东東杜多厄恩尔爾法范菲费費芬丰豐"
    "弗福富盖蓋冈岡高戈格根古瓜圭哈海汉漢豪赫亨洪胡华華霍吉基加贾賈杰傑金卡凯凱坎康考柯科克肯库庫"
    "奎拉莱萊赖賴兰蘭朗劳勞勒雷蕾里利莉列林琳隆卢盧鲁魯路伦倫罗羅洛马馬玛瑪迈邁麦麥曼芒梅门門蒙米"
    "密明摩莫默姆穆纳納奈南内內尼妮娜纽紐努诺諾欧歐帕潘佩彭皮珀普齐齊奇乔喬钦欽琴丘屈让讓热熱若"
    "萨薩塞赛賽桑瑟森沙莎山尚绍紹舍申什施史士斯松苏蘇索塔泰坦汤湯唐特提汀廷图圖托瓦万萬旺威韦韋"
    "维維温溫文沃乌烏武西希锡錫夏谢謝辛休许許雅亚亞扬揚耶伊因英尤约約泽澤扎詹珍朱兹茲佐"
)
_CJK: Final = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KATAKANA: Final = re.compile(r"^[\u30a0-\u30ff\u31f0-\u31ff\uff65-\uff9f・\s]+$")
_HANGUL: Final = re.compile(r"^[\uac00-\ud7a3\s]+$")
_CYRILLIC: Final = re.compile(r"[\u0400-\u04ff]")
_PATRONYMIC: Final = re.compile(r"(ВИЧ|ВНА|ИЧНА|ЬИЧ|ОГЛЫ|КЫЗЫ)$")
_COUNTRY_TAG: Final = re.compile(r"\s*\((?:[A-Z]{2})\)$")  # "СТАРОВЕРОВ … (RU)"
_NAME_SEPARATORS: Final = re.compile(r"[\s·•・.]")


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).strip().upper()
    return _COUNTRY_TAG.sub("", text).strip()


def _fold_accents(text: str) -> str:
    """SUPÉRIEUR → SUPERIEUR, TİC → TIC (Latin letters only; other scripts pass through)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _cjk_person(text: str) -> ApplicantType | None:
    chars = _NAME_SEPARATORS.sub("", text)
    if not chars or not all(_CJK.match(c) for c in chars):
        return None
    for size in (2, 1):
        surname = chars[:size]
        known = surname in _SURNAMES_2 if size == 2 else surname in _SURNAMES_1
        if known and 1 <= len(chars) - size <= 2:
            return ApplicantType("person", "cjk_person_shape")
    # 克里斯琴施米德, 克里斯琴·施米德: a foreign name written with transliteration characters.
    if len(chars) >= 4 and all(c in _TRANSLIT for c in chars):
        return ApplicantType("person", "cjk_transliterated_name")
    return None


def _latin_person(text: str) -> ApplicantType | None:
    text = _fold_accents(text)
    if re.search(r"[^A-Z\s,;.'\-]", text):
        return None  # digits, &, brackets, other scripts: not a bare Latin personal name
    if len(re.findall(r"[,;]", text)) > 1:
        return None
    # "SURNAME, GIVEN" and Lens's "SURNAME; GIVEN" (MUSHABAC; DAVID R.)
    words = [w for w in re.split(r"[\s,;]+", text.replace(".", " ")) if w]
    core = [w for w in words if w not in _LATIN_NAME_EXTRAS and w not in _PARTICLES]
    if not 2 <= len(core) <= 5 or len(words) > 6:
        return None
    if not any(len(w.strip("'-")) >= 2 for w in core):
        return None
    return ApplicantType("person", "latin_person_shape")


def _cyrillic_person(text: str) -> ApplicantType | None:
    words = re.findall(r"[\u0400-\u04ff'\-]+", text)
    if not 2 <= len(words) <= 4 or re.search(r"[\dA-Z&\"«»]", text):
        return None
    rule = "cyrillic_patronymic" if any(_PATRONYMIC.search(w) for w in words) else "cyrillic_person_shape"
    return ApplicantType("person", rule)


@lru_cache(maxsize=65536)
def type_applicant(name: str) -> ApplicantType:
    """Person or organisation, and the rule that decided.

    >>> [type_applicant(n).kind for n in ("张琛", "北京航空航天大学", "FLEMING ROBERT J", "UNIV BEI HANG")]
    ['person', 'organization', 'person', 'organization']
    """
    text = _clean(name)
    if not text:
        return ApplicantType("organization", "empty")
    for word in _CJK_ORG_WORDS:
        if word in text:
            return ApplicantType("organization", f"org_word:{word}")
    if _CJK.search(text) and len(_NAME_SEPARATORS.sub("", text)) >= 4 and text.endswith(_CJK_ORG_ENDINGS):
        return ApplicantType("organization", f"org_ending:{text[-1]}")
    for word in _KANA_HANGUL_ORG_WORDS:
        if word in text:
            return ApplicantType("organization", f"org_word:{word}")
    if _CYRILLIC.search(text):
        words = set(re.findall(r"[\u0400-\u04ff]+", text))
        hit = next((w for w in _CYRILLIC_ORG_WORDS if w in words), None)
        if hit is not None:
            return ApplicantType("organization", f"org_word:{hit}")
    latin_words = re.findall(r"[A-Z][A-Z']*", _fold_accents(text))
    hit = next((w for w in latin_words if w in _LATIN_ORG_WORDS), None)
    if hit is not None:
        return ApplicantType("organization", f"org_word:{hit}")
    if re.search(r"\d", text):
        return ApplicantType("organization", "digit")
    if _CJK.search(text):
        return _cjk_person(text) or ApplicantType("organization", "not_a_person_shape")
    if _HANGUL.match(text):
        syllables = re.sub(r"\s", "", text)
        if 2 <= len(syllables) <= 4:
            return ApplicantType("person", "hangul_person_shape")
        return ApplicantType("organization", "not_a_person_shape")
    if _KATAKANA.match(text):
        return ApplicantType("person", "katakana_name")
    if _CYRILLIC.search(text):
        return _cyrillic_person(text) or ApplicantType("organization", "not_a_person_shape")
    return _latin_person(text) or ApplicantType("organization", "not_a_person_shape")


def is_person(name: str) -> bool:
    return type_applicant(name).is_person


# --- organisation label across scripts ---------------------------------------------------------

#: Traditional (and Japanese) forms of the characters the type keywords use.
_TO_SIMPLIFIED: Final = str.maketrans(
    "學醫會國術業驗験實機構協團電廠產務資擔貸權經濟礎廣開發聯專識財進",
    "学医会国术业验验实机构协团电厂产务资担贷权经济础广开发联专识财进",
)
#: A name ending in one of these is registered as a company, whatever else it says
#: (大學光學科技股份有限公司 is a firm, not a university).
_COMPANY_ENDINGS: Final = ("公司", "株式会社", "會社", "会社", "集团", "集團", "工厂", "工廠")


def organization_label(name: str) -> NodeLabel:
    """The label for an organisation name in any script: Traditional Chinese and Japanese type
    keywords count as the simplified ones (國立臺灣大學 and 東京大學 are universities)."""
    text = unicodedata.normalize("NFKC", name).strip()
    folded = text.translate(_TO_SIMPLIFIED)
    label = NodeLabel(classify_label(folded))
    if label is NodeLabel.UNIVERSITY and folded.endswith(_COMPANY_ENDINGS):
        return NodeLabel.ENTERPRISE
    return label


def person_may_be(rel: RelType, end: Literal["start", "end"]) -> bool:
    """Whether a Person may stand at this end of ``rel`` (APPLIED_FOR, TRANSFERRED_TO, OFFERS …
    admit one as the holder; IN_REGION, LOCATED_IN do not): only there is an applicant typed."""
    spec = REL_SPECS[rel]
    return NodeLabel.PERSON in (spec.start if end == "start" else spec.end)
