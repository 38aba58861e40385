// The interface language: Chinese by default, English on request (remembered in localStorage).
import zh from "../i18n/zh.js";
import en from "../i18n/en.js";

const MESSAGES = { zh, en };
const STORAGE_KEY = "innograph.lang";

// Names of the model's node labels, relationship types and common properties, per language.
const TYPES = {
  Enterprise: ["企业", "Enterprise"],
  University: ["高校", "University"],
  ResearchInstitute: ["科研院所", "Research institute"],
  Incubator: ["孵化器", "Incubator"],
  ProductivityCenter: ["生产力促进中心", "Productivity centre"],
  Intermediary: ["中介机构", "Intermediary"],
  Park: ["园区", "Park"],
  Region: ["行政区划", "Region"],
  Alliance: ["联盟", "Alliance"],
  Patent: ["专利", "Patent"],
  IPC: ["IPC 分类", "IPC class"],
  Industry: ["产业", "Industry"],
  Person: ["人才", "Person"],
  TechDemand: ["技术需求", "Tech demand"],
  TechAchievement: ["科技成果", "Achievement"],
  Project: ["科技项目", "Project"],
  ReviewDecision: ["待审核链接", "Link to review"],
  ListEdition: ["年度名单", "Yearly list"],
  AnnualReport: ["年度数据", "Annual figures"],
};

const RELS = {
  APPLIED_FOR: ["申请", "applied for"],
  INVENTED: ["发明", "invented"],
  CLASSIFIED_AS: ["分类为", "classified as"],
  SUBCLASS_OF: ["隶属", "subclass of"],
  IN_INDUSTRY: ["所属产业", "in industry"],
  LOCATED_IN: ["位于", "located in"],
  IN_REGION: ["所在地区", "in region"],
  PART_OF: ["属于", "part of"],
  INCUBATED_BY: ["孵化于", "incubated by"],
  MEMBER_OF: ["成员", "member of"],
  AFFILIATED_WITH: ["任职于", "affiliated with"],
  POSTED: ["发布", "posted"],
  OFFERS: ["提供", "offers"],
  PROTECTED_BY: ["受保护于", "protected by"],
  UNDERTOOK: ["承担", "undertook"],
  TRANSFERRED_TO: ["技术转让给", "transferred to"],
  LISTED_IN: ["列入名单", "listed in"],
  REPORTED: ["年度数据", "reported"],
};

const PROPS = {
  name: ["名称", "Name"], title: ["标题", "Title"], aliases: ["别名", "Aliases"], nameEn: ["英文名", "English name"],
  pinyin: ["拼音", "Pinyin"], regionCode: ["行政区划代码", "Region code"], address: ["地址", "Address"],
  city: ["城市", "City"], founded: ["成立日期", "Founded"], level: ["级别", "Level"], kind: ["类别", "Kind"],
  description: ["简介", "Description"], expertise: ["专长", "Expertise"], creditCode: ["统一社会信用代码", "Credit code"],
  legalForm: ["企业类型", "Legal form"], techSme: ["科技型中小企业", "Tech SME"], highTech: ["高新技术企业", "High-tech"],
  revenue: ["营业收入（元）", "Revenue (yuan)"], revenueYear: ["收入年份", "Revenue year"], assets: ["资产（元）", "Assets (yuan)"],
  rdSpend: ["研发投入（元）", "R&D spend (yuan)"], employees: ["从业人员", "Employees"], rdStaff: ["研发人员", "R&D staff"],
  listed: ["上市", "Listed"], industryCode: ["行业代码", "Industry code"], number: ["专利号", "Number"],
  status: ["状态", "Status"], applicationDate: ["申请日", "Application date"], grantDate: ["授权日", "Grant date"],
  applicationYear: ["申请年", "Application year"], ipcCodes: ["IPC 分类号", "IPC codes"], keywords: ["关键词", "Keywords"],
  abstract: ["摘要", "Abstract"], year: ["年份", "Year"], budget: ["预算（元）", "Budget (yuan)"], mode: ["合作方式", "Mode"],
  postedDate: ["发布日期", "Posted"], gender: ["性别", "Gender"], birthYear: ["出生年份", "Born"], field: ["领域", "Field"],
  roles: ["角色", "Roles"], code: ["代码", "Code"], scheme: ["体系", "Scheme"], citedCount: ["被引次数", "Citations"],
  jurisdiction: ["国家/地区", "Jurisdiction"], publicationDate: ["公开日", "Publication date"],
  applicationNumber: ["申请号", "Application number"], moeCode: ["教育部代码", "MoE code"], department: ["院系", "Department"],
  schoolLevel: ["办学层次", "School level"], parentOrg: ["上级单位", "Parent"], memberCount: ["成员数", "Members"],
  maturity: ["成熟度", "Maturity"], program: ["计划类别", "Programme"], funding: ["资助金额（元）", "Funding (yuan)"],
  startDate: ["开始日期", "Start"], endDate: ["结束日期", "End"], industryCodes: ["产业代码", "Industry codes"],
};

export function getLang() {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === "en" ? "en" : "zh";
}

export function setLang(lang) {
  localStorage.setItem(STORAGE_KEY, lang === "en" ? "en" : "zh");
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
}

/** The message `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const lang = getLang();
  const other = lang === "en" ? "zh" : "en";
  const text = MESSAGES[lang][key] ?? MESSAGES[other][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

function pick(table, key) {
  const pair = table[key];
  if (!pair) return key;
  return getLang() === "en" ? pair[1] : pair[0];
}

export const typeName = (label) => pick(TYPES, label);
export const relName = (type) => pick(RELS, type);
export const propName = (key) => pick(PROPS, key);
// Review decisions are bookkeeping, not something to search for (they have their own page).
export const NODE_TYPES = Object.keys(TYPES).filter((label) => label !== "ReviewDecision");
