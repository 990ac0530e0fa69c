package web

import (
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/text/language"

	"trustmark"
)

// Messages is the catalogue of every string the pages show in one language.
// Each language is one value of this struct (zh, en below), so a string
// missing from a language is a compile-time empty field that the catalogue
// test catches, never a silent fallback.
type Messages struct {
	Lang, HTMLLang, SwitchLabel, SwitchLang string

	SiteName, SiteTagline, SkipToContent                     string
	SearchLabel, SearchPlaceholder, SearchButton, SearchHint string
	NavHome, NavDisclosures, NavReports, NavBulk, NavAPI     string

	HomeIntro, HomeExamples, HomeStats                             string
	StatOrgs, StatBodies, StatLabs, StatCertificates, StatValid    string
	StatsAsOf                                                      string
	ResultsTitle, ResultsCount, ResultsNone, ResultsNoneHint       string
	FilterKind, FilterType, FilterStatus, FilterRegion, FilterCity string
	FilterAny, FilterApply, PrevPage, NextPage, SearchUnavailable  string
	KindOrg, KindBody, KindLab, KindCertificate                    string

	CertTitle, CertNumber, CertType, CertHolder, CertBody, CertScope                                string
	CertStandard, CertProduct, CertCCCCategory, CertIssued, CertExpires                             string
	CertValidity, CertStatusSince, CertQR, CertQRAlt, CertBodyLastSubmit                            string
	Timeline, TimelineEmpty, EventAt, EventActor, EventWhat, EventReason                            string
	LogVerified, LogPending, LogProof, LogNone                                                      string
	StatusValid, StatusSuspended, StatusRevoked, StatusWithdrawn, StatusExpired                     string
	StatusValidNote, StatusSuspendedNote, StatusRevokedNote, StatusWithdrawnNote, StatusExpiredNote string

	OrgTitle, OrgUSCC, OrgName, OrgNameEn, OrgRegion, OrgAddress           string
	OrgCertificates, OrgNoCertificates, OrgReports, OrgNoReports, OrgMore  string
	BodyTitle, BodyApprovalNo, BodyScopes, BodyCCC, BodyApprovedOn         string
	BodyLastSubmission, BodyNeverSubmitted, BodyCertificates, PartyStatus  string
	LabTitle, LabCMANo, LabValidUntil, LabVerifyReport                     string
	PersonTitle, PersonRegNo, PersonName, PersonBody, PersonQualifications string
	PersonGrade, PersonPrivacy                                             string

	ReportTitle, ReportNumber, ReportLab, ReportProduct, ReportConclusion string
	ReportIssued, ReportPass, ReportFail, ReportScopeNote                 string

	// IssuerBodyNotes and IssuerLabNotes say that a certificate's body or a
	// report's laboratory is not in good standing, by its status, over the
	// day the status began; the "" entry is for any other status, over its
	// name and the day.
	IssuerBodyNotes, IssuerLabNotes                                   map[trustmark.PartyStatus]string
	ReportFormTitle, ReportFormIntro, ReportFormNumber, ReportFormLab string
	ReportFormLabHint, ReportFormSubmit                               string

	DiscTitle, DiscIntro, DiscCSV, DiscNone, DiscStatusOn, DiscCount string

	NotFoundTitle, NotFoundMalformed, NotFoundNoIssuer, NotFoundUnknown string
	NotFoundUnknownHint, NotFoundIssuers, NotFoundLastSubmission        string
	NotFoundOrganicCode, NotFoundBack, NotFoundPageTitle, NotFoundPage  string
	ErrorTitle, ErrorText, BadRequestTitle                              string

	FooterNote, DataNote string

	CertStatusNames  map[trustmark.CertStatus]string
	PartyStatusNames map[trustmark.PartyStatus]string
	CertTypeNames    map[trustmark.CertType]string
	ActionNames      map[string]string
	// IDNames names each kind of identifier ("uscc", "approval_no", "cma_no",
	// "ccc", "organic_code", "organic_cert", "report", "certificate",
	// "person") and, with "body" and "lab", the kind of issuer.
	IDNames map[string]string
	// ActorNames names the kinds of party that act (trustmark.Party kinds).
	ActorNames     map[string]string
	EventEffective string
	// NotFoundCCCDetail explains how a CCC number names its issuers.
	NotFoundCCCDetail string
	DiscShown         string
	// Reasons says why an identifier was rejected, by the domain's reason
	// keys (trustmark.Error.Reason): each entry is a format over the
	// error's Args, in their order (%[1]s is the input). Reason uses it.
	// English needs none: the domain's own messages are English.
	Reasons map[string]string
}

// Reason says why err rejected an input, in this language: the catalogue's
// entry for the error's reason key filled with its values, else the domain's
// own message (in English).
func (m *Messages) Reason(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) && e.Reason != "" {
		if f, ok := m.Reasons[e.Reason]; ok {
			return fmt.Sprintf(f, e.Args...)
		}
	}
	return trustmark.ErrorMessage(err)
}

// CertTypeName returns the name of a certificate type.
func (m *Messages) CertTypeName(t trustmark.CertType) string {
	if n := m.CertTypeNames[t]; n != "" {
		return n
	}
	return string(t)
}

var zh = &Messages{
	Lang: "zh", HTMLLang: "zh-Hans", SwitchLabel: "English", SwitchLang: "en",
	SiteName: "Trustmark 认证认可公共查询", SiteTagline: "免费查询认证证书、检验检测报告、认证机构与实验室", SkipToContent: "跳到正文",
	SearchLabel: "查询", SearchPlaceholder: "证书编号、有机码、统一社会信用代码、CMA编号、机构批准号、报告编号或单位名称",
	SearchButton: "查询", SearchHint: "可输入两个字以上的单位名称，如“海尔”；报告请写作“CMA编号/报告编号”。",
	NavHome: "首页", NavDisclosures: "暂停与撤销公示", NavReports: "报告查验", NavBulk: "批量核查", NavAPI: "数据接口",
	HomeIntro: "输入任意编号或名称，直接查到证书、报告、认证机构、实验室和获证组织的当前状态。", HomeExamples: "示例",
	HomeStats: "登记数据", StatOrgs: "组织", StatBodies: "认证机构", StatLabs: "检验检测机构", StatCertificates: "证书", StatValid: "有效证书",
	StatsAsOf:    "数据更新至",
	ResultsTitle: "查询结果", ResultsCount: "共找到 %d 条", ResultsNone: "没有找到与“%s”相符的记录。",
	ResultsNoneHint: "请检查用字，或只输入名称中有代表性的两三个字。",
	FilterKind:      "类别", FilterType: "证书类型", FilterStatus: "状态", FilterRegion: "省份", FilterCity: "城市",
	FilterAny: "全部", FilterApply: "筛选", PrevPage: "上一页", NextPage: "下一页", SearchUnavailable: "全文检索暂不可用，以下为按名称片段的查询结果。",
	KindOrg: "组织", KindBody: "认证机构", KindLab: "检验检测机构", KindCertificate: "证书",
	CertTitle: "证书", CertNumber: "证书编号", CertType: "证书类型", CertHolder: "获证组织", CertBody: "发证机构", CertScope: "认证范围",
	CertStandard: "认证依据", CertProduct: "产品", CertCCCCategory: "CCC产品类别", CertIssued: "颁证日期", CertExpires: "到期日期",
	CertValidity: "有效期", CertStatusSince: "状态起始", CertQR: "本页二维码", CertQRAlt: "指向本证书页面的二维码",
	CertBodyLastSubmit: "发证机构最近一次报送数据：%s",
	Timeline:           "证书记录", TimelineEmpty: "暂无记录。", EventAt: "时间", EventActor: "操作方", EventWhat: "事项", EventReason: "原因",
	LogVerified: "已在公开日志中核验", LogPending: "等待写入公开日志", LogProof: "下载证明", LogNone: "",
	StatusValid: "有效", StatusSuspended: "暂停", StatusRevoked: "已撤销", StatusWithdrawn: "已注销", StatusExpired: "已过期失效",
	StatusValidNote: "有效期至 %s", StatusSuspendedNote: "自 %s 起暂停", StatusRevokedNote: "于 %s 撤销",
	StatusWithdrawnNote: "于 %s 注销", StatusExpiredNote: "于 %s 到期失效",
	OrgTitle: "组织", OrgUSCC: "统一社会信用代码", OrgName: "名称", OrgNameEn: "英文名称", OrgRegion: "所在地区", OrgAddress: "地址",
	OrgCertificates: "获得的证书", OrgNoCertificates: "登记库中没有该组织的证书。", OrgReports: "委托的检验检测报告", OrgNoReports: "登记库中没有该组织委托的报告。",
	OrgMore:   "仅显示前 %d 条。",
	BodyTitle: "认证机构", BodyApprovalNo: "批准号", BodyScopes: "批准的认证领域", BodyCCC: "指定的CCC产品类别", BodyApprovedOn: "批准日期",
	BodyLastSubmission: "最近一次报送数据", BodyNeverSubmitted: "尚未报送数据", BodyCertificates: "颁发的证书", PartyStatus: "状态",
	LabTitle: "检验检测机构", LabCMANo: "CMA资质认定证书编号", LabValidUntil: "资质有效期至", LabVerifyReport: "查验本机构出具的报告",
	PersonTitle: "认证人员", PersonRegNo: "注册号", PersonName: "姓名", PersonBody: "所在认证机构", PersonQualifications: "注册专业", PersonGrade: "级别",
	PersonPrivacy: "本页只显示公开登记信息（姓名、注册号、机构、资格和状态），不公开身份证号、电话等个人信息。",
	ReportTitle:   "检验检测报告", ReportNumber: "报告编号", ReportLab: "出具机构", ReportProduct: "样品/产品", ReportConclusion: "结论",
	ReportIssued: "签发日期", ReportPass: "合格", ReportFail: "不合格", ReportScopeNote: "本页只说明报告本身载明的内容，不对报告以外的产品或批次作出判断。",
	IssuerBodyNotes: map[trustmark.PartyStatus]string{trustmark.PartySuspended: "注意：发证机构的认证机构批准资格自 %s 起暂停。",
		trustmark.PartyRevoked: "注意：发证机构的认证机构批准资格已于 %s 撤销。", "": "注意：发证机构的认证机构批准资格为“%s”（自 %s 起）。"},
	IssuerLabNotes: map[trustmark.PartyStatus]string{trustmark.PartySuspended: "注意：出具报告的检验检测机构资质认定自 %s 起暂停。",
		trustmark.PartyRevoked: "注意：出具报告的检验检测机构资质认定已于 %s 撤销。", "": "注意：出具报告的检验检测机构资质认定为“%s”（自 %s 起）。"},
	ReportFormTitle: "检验检测报告查验", ReportFormIntro: "输入报告编号和出具报告的检验检测机构（CMA编号或名称）。",
	ReportFormNumber: "报告编号", ReportFormLab: "检验检测机构", ReportFormLabHint: "12位CMA编号，或机构名称中的几个字", ReportFormSubmit: "查验",
	DiscTitle: "暂停与撤销公示", DiscIntro: "最近90天内被暂停或撤销的证书（%s 至 %s）。", DiscCSV: "下载CSV", DiscNone: "该条件下没有暂停或撤销的证书。",
	DiscStatusOn: "日期", DiscCount: "共 %d 张证书",
	NotFoundTitle: "没有找到", NotFoundMalformed: "“%s”不是有效的%s：", NotFoundNoIssuer: "“%s”格式正确，但不属于登记库中已知的任何%s。",
	NotFoundUnknown:     "“%s”格式正确，但登记库中没有这条记录。",
	NotFoundUnknownHint: "如果这是刚刚颁发的证书，发证机构可能还没有报送；请对照下面的报送时间判断。长期查不到的证书应视为可疑，可向发证机构或监管部门核实。",
	NotFoundIssuers:     "可能的发证机构", NotFoundLastSubmission: "最近一次报送：%s",
	NotFoundOrganicCode: "“%s”是有机码（有机产品认证标志编码）：前三位 %s 是认证机构代码，第4-5位 %s 是发放年份。登记库不收录每一枚标志的编码，请核对该机构颁发的有机产品证书。",
	NotFoundBack:        "返回首页重新查询", NotFoundPageTitle: "页面不存在", NotFoundPage: "没有这个页面。",
	ErrorTitle: "出错了", ErrorText: "服务器暂时无法完成请求，请稍后再试。", BadRequestTitle: "请求有误",
	FooterNote: "数据来自各认证机构和检验检测机构的报送。状态以本页显示为准，过期证书自到期日起显示为失效。", DataNote: "",
	CertStatusNames: map[trustmark.CertStatus]string{trustmark.StatusValid: "有效", trustmark.StatusSuspended: "暂停",
		trustmark.StatusRevoked: "撤销", trustmark.StatusWithdrawn: "注销", trustmark.StatusExpired: "过期失效"},
	PartyStatusNames: map[trustmark.PartyStatus]string{trustmark.PartyActive: "正常", trustmark.PartySuspended: "暂停",
		trustmark.PartyRevoked: "撤销", trustmark.PartyBanned: "终身禁入"},
	CertTypeNames: map[trustmark.CertType]string{
		trustmark.TypeCCC: "中国强制性产品认证（CCC）", trustmark.TypeQMS: "质量管理体系认证", trustmark.TypeEMS: "环境管理体系认证",
		trustmark.TypeOHSMS: "职业健康安全管理体系认证", trustmark.TypeFSMS: "食品安全管理体系认证", trustmark.TypeHACCP: "危害分析与关键控制点（HACCP）体系认证",
		trustmark.TypeISMS: "信息安全管理体系认证", trustmark.TypeService: "服务认证", trustmark.TypeProduct: "自愿性产品认证",
		trustmark.TypeOrganic: "有机产品认证", trustmark.TypeGreen: "绿色产品认证", trustmark.TypeGAP: "良好农业规范（GAP）认证"},
	ActionNames: map[string]string{trustmark.ActionCreated: "录入登记库", trustmark.ActionUpdated: "信息更新", trustmark.ActionIssued: "颁发",
		trustmark.ActionStatusChanged: "状态变更", trustmark.ActionExpired: "到期失效"},
	IDNames: map[string]string{"uscc": "统一社会信用代码", "approval_no": "认证机构批准号", "cma_no": "CMA资质认定证书编号",
		"ccc": "CCC证书编号", "organic_code": "有机码", "organic_cert": "有机产品认证证书编号", "report": "检验检测报告编号",
		"certificate": "证书编号", "person": "人员注册号", "body": "认证机构", "lab": "检验检测机构"},
	ActorNames: map[string]string{trustmark.PartyBody: "认证机构", trustmark.PartyLab: "检验检测机构", trustmark.PartyRegulator: "监管部门",
		trustmark.PartySystem: "系统", trustmark.PartyImport: "数据导入"},
	EventEffective:    "生效日期 %s",
	DiscShown:         "页面只列出最近的 %d 张，完整列表请下载CSV。",
	NotFoundCCCDetail: "CCC证书编号第7-10位 %s 是产品类别，只有被指定承担该类别的认证机构才能发证。",
	Reasons: map[string]string{
		"uscc.length":         "统一社会信用代码“%[1]s”共 %[2]d 位，应为 18 位。",
		"uscc.charset":        "统一社会信用代码“%[1]s”第 %[3]d 位是“%[2]c”，不在 GB 32100 规定的字符集中（数字和除 I、O、Z、S、V 以外的大写字母）。",
		"uscc.prefix":         "统一社会信用代码“%[1]s”以“%[2]s”开头，不是 GB 32100 规定的登记管理部门代码与机构类别代码组合。",
		"uscc.region":         "统一社会信用代码“%[1]s”第 %[3]d 位是“%[2]c”，第 3-8 位是行政区划码，应为数字。",
		"uscc.org_checksum":   "统一社会信用代码“%[1]s”中组织机构代码的校验码是 %[2]c，应为 %[3]c。",
		"uscc.checksum":       "统一社会信用代码“%[1]s”的校验码是 %[2]c，应为 %[3]c。",
		"approval_no.format":  "认证机构批准号“%[1]s”不符合 CNCA-R-年份-序号（外资机构 CNCA-RF-年份-序号）的格式。",
		"approval_no.year":    "认证机构批准号“%[1]s”的年份是 %[2]s，应在 1990 至 2099 之间。",
		"cma_no.format":       "CMA编号“%[1]s”不是 12 位数字。",
		"cma_no.authority":    "CMA编号 %[1]s 的发证机关代码（第 3-4 位）是 %[2]s，应为 00-31。",
		"cma_no.field":        "CMA编号 %[1]s 的专业领域代码（第 5-6 位）是 %[2]s，应为 00-21。",
		"cma_no.department":   "CMA编号 %[1]s 的行业主管部门代码（第 7-8 位）是 %[2]s，应为 00-34。",
		"cma_no.serial":       "CMA编号 %[1]s 的流水号（第 9-12 位）是 0000，流水号从 0001 开始。",
		"ccc_category.format": "CCC产品类别代码“%[1]s”不是 4 位数字。",
		"ccc_code.format":     "CCC机构代码“%[1]s”不是 01-99 的两位数字（即该机构CCC证书编号的第 5-6 位）。",
		"ccc.body_code":       "CCC证书编号 %[1]s 第 5-6 位的机构代码是 %[2]s，但认证机构 %[3]s 的CCC机构代码是 %[4]s。",
		"ccc.format":          "CCC证书编号“%[1]s”不是 16 位数字。",
		"ccc.year":            "CCC证书编号 %[1]s 以年份 %[2]s 开头，应为 2001 年或以后。",
		"ccc.category":        "CCC证书编号 %[1]s 第 7-10 位的产品类别是 %[2]s，但记录中的类别是 %[3]s。",
		"organic_cert.format": "有机产品认证证书编号“%[1]s”不符合 NNNOPYYNNNNN[-N] 的格式。",
		"cert.length":         "证书编号长 %[1]d 字节，最长 64 字节。",
		"cert.charset":        "证书编号“%[1]s”含有空格或控制字符。",
		"cert.empty":          "证书编号为空。",
		"cert_key.format":     "证书键“%[1]s”应写作“证书类型/证书编号”。",
		"organic_code.format": "有机码“%[1]s”不是 17 位数字。",
		"report_no.empty":     "报告编号为空。",
		"report_no.length":    "报告编号长 %[1]d 字节，最长 64 字节。",
		"report_no.charset":   "报告编号“%[1]s”含有空格或控制字符。",
		"report_no.slash":     "报告编号“%[1]s”含有斜杠（斜杠用来分隔CMA编号和报告编号）。",
		"text.empty":          "输入为空。",
		"text.length":         "输入长 %[1]d 字节，任何编号都不超过 %[2]d 字节。",
		"text.utf8":           "输入不是有效的 UTF-8 文本。",
		"text.not_identifier": "“%[1]s”不是证书编号、统一社会信用代码、有机码、认证机构批准号或检验检测报告编号（CMA编号/报告编号）。",
		"report.format":       "检验检测报告“%[1]s”应写作“CMA编号/报告编号”。",
		"search.too_broad":    "“%[1]s”出现在约 %[2]d 个名称中，范围太宽：请多输入一些名称，或选择类型、状态或地区。",
	},
}

var en = &Messages{
	Lang: "en", HTMLLang: "en", SwitchLabel: "中文", SwitchLang: "zh",
	SiteName: "Trustmark certification registry", SiteTagline: "Free look-up of certificates, test reports, certification bodies and laboratories", SkipToContent: "Skip to content",
	SearchLabel: "Search", SearchPlaceholder: "Certificate no., organic code, USCC, CMA no., approval no., report no. or name",
	SearchButton: "Search", SearchHint: "Names work from two characters, e.g. 海尔. Write a report as CMA_NO/REPORT_NO.",
	NavHome: "Home", NavDisclosures: "Suspensions and revocations", NavReports: "Verify a report", NavBulk: "Bulk verification", NavAPI: "API",
	HomeIntro:    "Type any number or name to see the current status of a certificate, test report, certification body, laboratory or certified organisation.",
	HomeExamples: "Examples", HomeStats: "In the registry", StatOrgs: "Organisations", StatBodies: "Certification bodies", StatLabs: "Laboratories",
	StatCertificates: "Certificates", StatValid: "Valid certificates", StatsAsOf: "Data as of",
	ResultsTitle: "Results", ResultsCount: "%d found", ResultsNone: "Nothing in the registry matches “%s”.",
	ResultsNoneHint: "Check the characters, or type two or three distinctive characters of the name.",
	FilterKind:      "Kind", FilterType: "Certificate type", FilterStatus: "Status", FilterRegion: "Province", FilterCity: "City",
	FilterAny: "Any", FilterApply: "Filter", PrevPage: "Previous", NextPage: "Next", SearchUnavailable: "Full-text search is unavailable; these results match name fragments.",
	KindOrg: "Organisation", KindBody: "Certification body", KindLab: "Laboratory", KindCertificate: "Certificate",
	CertTitle: "Certificate", CertNumber: "Certificate number", CertType: "Type", CertHolder: "Holder", CertBody: "Issued by", CertScope: "Scope",
	CertStandard: "Standard", CertProduct: "Product", CertCCCCategory: "CCC product category", CertIssued: "Issued", CertExpires: "Expires",
	CertValidity: "Validity", CertStatusSince: "Status since", CertQR: "QR code of this page", CertQRAlt: "QR code linking to this certificate page",
	CertBodyLastSubmit: "The issuing body last submitted data on %s",
	Timeline:           "Record", TimelineEmpty: "No events recorded.", EventAt: "When", EventActor: "By", EventWhat: "What", EventReason: "Reason",
	LogVerified: "Verified in the public log", LogPending: "Pending in the public log", LogProof: "Download proof", LogNone: "",
	StatusValid: "Valid", StatusSuspended: "Suspended", StatusRevoked: "Revoked", StatusWithdrawn: "Withdrawn", StatusExpired: "Expired",
	StatusValidNote: "valid until %s", StatusSuspendedNote: "suspended since %s", StatusRevokedNote: "revoked on %s",
	StatusWithdrawnNote: "withdrawn on %s", StatusExpiredNote: "expired on %s",
	OrgTitle: "Organisation", OrgUSCC: "Unified social credit code", OrgName: "Name", OrgNameEn: "English name", OrgRegion: "Region", OrgAddress: "Address",
	OrgCertificates: "Certificates held", OrgNoCertificates: "The registry holds no certificates of this organisation.", OrgReports: "Test reports commissioned",
	OrgNoReports: "The registry holds no test reports commissioned by this organisation.", OrgMore: "Only the first %d are shown.",
	BodyTitle: "Certification body", BodyApprovalNo: "Approval number", BodyScopes: "Approved certification fields", BodyCCC: "Designated CCC product categories",
	BodyApprovedOn: "Approved on", BodyLastSubmission: "Last submitted data", BodyNeverSubmitted: "Has not submitted data yet", BodyCertificates: "Certificates issued", PartyStatus: "Status",
	LabTitle: "Testing laboratory", LabCMANo: "CMA accreditation number", LabValidUntil: "Accreditation valid until", LabVerifyReport: "Verify a report from this laboratory",
	PersonTitle: "Registered auditor", PersonRegNo: "Registration number", PersonName: "Name", PersonBody: "Certification body", PersonQualifications: "Qualified for",
	PersonGrade: "Grade", PersonPrivacy: "This page shows only the public record (name, registration, body, qualifications and status), never ID numbers, phone numbers or other personal data.",
	ReportTitle: "Test report", ReportNumber: "Report number", ReportLab: "Laboratory", ReportProduct: "Sample / product", ReportConclusion: "Conclusion",
	ReportIssued: "Issued on", ReportPass: "Pass", ReportFail: "Fail", ReportScopeNote: "This page states only what the report itself says; it says nothing about products or batches beyond it.",
	IssuerBodyNotes: map[trustmark.PartyStatus]string{trustmark.PartySuspended: "Caution: the issuing body's approval has been suspended since %s.",
		trustmark.PartyRevoked: "Caution: the issuing body's approval was revoked on %s.", "": "Caution: the issuing body's approval is %s (since %s)."},
	IssuerLabNotes: map[trustmark.PartyStatus]string{trustmark.PartySuspended: "Caution: the laboratory's CMA accreditation has been suspended since %s.",
		trustmark.PartyRevoked: "Caution: the laboratory's CMA accreditation was revoked on %s.", "": "Caution: the laboratory's CMA accreditation is %s (since %s)."},
	ReportFormTitle: "Verify a test report", ReportFormIntro: "Enter the report number and the laboratory that issued it (CMA number or name).",
	ReportFormNumber: "Report number", ReportFormLab: "Laboratory", ReportFormLabHint: "12-digit CMA number, or a few characters of its name", ReportFormSubmit: "Verify",
	DiscTitle: "Suspensions and revocations", DiscIntro: "Certificates suspended or revoked in the last 90 days (%s to %s).", DiscCSV: "Download CSV",
	DiscNone: "No certificate was suspended or revoked under these filters.", DiscStatusOn: "Date", DiscCount: "%d certificates",
	NotFoundTitle: "Not found", NotFoundMalformed: "“%s” is not a valid %s: ", NotFoundNoIssuer: "“%s” is well-formed but belongs to no %s the registry knows.",
	NotFoundUnknown:     "“%s” is well-formed, but the registry has no such record.",
	NotFoundUnknownHint: "A certificate issued very recently may not have been reported yet: compare with the issuing bodies' last submissions below. A certificate that stays unknown should be treated as suspect; check with the issuing body or the regulator.",
	NotFoundIssuers:     "Possible issuing bodies", NotFoundLastSubmission: "last submitted data: %s",
	NotFoundOrganicCode: "“%s” is an organic label code: digits 1-3 (%s) are the certification body's code and digits 4-5 (%s) the year of issue. The registry does not hold individual label codes; check the body's organic certificates.",
	NotFoundBack:        "Back to the search", NotFoundPageTitle: "Page not found", NotFoundPage: "There is no such page.",
	ErrorTitle: "Something went wrong", ErrorText: "The server could not complete the request. Please try again later.", BadRequestTitle: "Bad request",
	FooterNote: "Data as submitted by certification bodies and laboratories. A certificate is shown as expired from its expiry date on.", DataNote: "",
	CertStatusNames: map[trustmark.CertStatus]string{trustmark.StatusValid: "valid", trustmark.StatusSuspended: "suspended",
		trustmark.StatusRevoked: "revoked", trustmark.StatusWithdrawn: "withdrawn", trustmark.StatusExpired: "expired"},
	PartyStatusNames: map[trustmark.PartyStatus]string{trustmark.PartyActive: "active", trustmark.PartySuspended: "suspended",
		trustmark.PartyRevoked: "revoked", trustmark.PartyBanned: "banned for life"},
	CertTypeNames: map[trustmark.CertType]string{
		trustmark.TypeCCC: "China Compulsory Certification (CCC)", trustmark.TypeQMS: "Quality management system", trustmark.TypeEMS: "Environmental management system",
		trustmark.TypeOHSMS: "Occupational health and safety management system", trustmark.TypeFSMS: "Food safety management system", trustmark.TypeHACCP: "HACCP system",
		trustmark.TypeISMS: "Information security management system", trustmark.TypeService: "Service certification", trustmark.TypeProduct: "Voluntary product certification",
		trustmark.TypeOrganic: "Organic products", trustmark.TypeGreen: "Green products", trustmark.TypeGAP: "Good agricultural practice (GAP)"},
	ActionNames: map[string]string{trustmark.ActionCreated: "entered in the registry", trustmark.ActionUpdated: "details updated", trustmark.ActionIssued: "issued",
		trustmark.ActionStatusChanged: "status changed", trustmark.ActionExpired: "expired"},
	IDNames: map[string]string{"uscc": "unified social credit code", "approval_no": "certification body approval number", "cma_no": "CMA accreditation number",
		"ccc": "CCC certificate number", "organic_code": "organic label code", "organic_cert": "organic certificate number", "report": "test report number",
		"certificate": "certificate number", "person": "auditor registration number", "body": "certification body", "lab": "laboratory"},
	ActorNames: map[string]string{trustmark.PartyBody: "certification body", trustmark.PartyLab: "laboratory", trustmark.PartyRegulator: "regulator",
		trustmark.PartySystem: "system", trustmark.PartyImport: "data import"},
	EventEffective:    "effective %s",
	DiscShown:         "The page lists the latest %d; download the CSV for the full list.",
	NotFoundCCCDetail: "Digits 7-10 (%s) of a CCC number are the product category; only bodies designated for that category issue such certificates.",
	// Reasons: none. The domain's messages are English already; Reason
	// falls back to them.
}

var catalogues = map[string]*Messages{"zh": zh, "en": en}

var langMatcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// pickLang chooses the page language: ?lang= when it names one we have
// (explicit, so links carry it on), else the best match of the browser's
// Accept-Language, else Chinese.
func pickLang(r *http.Request) (m *Messages, explicit bool) {
	if m, ok := catalogues[r.URL.Query().Get("lang")]; ok {
		return m, true
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		tags, _, err := language.ParseAcceptLanguage(h)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if i == 1 && conf != language.No {
				return en, false
			}
		}
	}
	return zh, false
}
