package locale

import "trustmark"

// The Chinese glossary: one word for each status and one name for the
// registry, used by every page, download and answer (a test rejects the
// synonyms 已暂停, 已撤销, 登记簿, 登记数据 … on the rendered pages).
const (
	zhValid     = "有效"
	zhSuspended = "暂停"
	zhRevoked   = "撤销"
	zhWithdrawn = "注销"
	zhExpired   = "过期失效"
	zhActive    = "正常"
	zhRegistry  = "登记库"
)

// zh is the Chinese catalogue, the pages' default.
var zh = &Messages{
	Lang: "zh", HTMLLang: "zh-Hans", SwitchLabel: "English", SwitchLang: "en",
	SiteName: "Trustmark 认证认可公共查询", SiteTagline: "免费查询认证证书、检验检测报告、认证机构与实验室", SkipToContent: "跳到正文",
	SearchLabel: "查询", SearchPlaceholder: "证书编号、有机码、统一社会信用代码、CMA编号、机构批准号、报告编号或单位名称",
	SearchButton: "查询", SearchHint: "可输入两个字以上的单位名称，如“海尔”；报告请写作“CMA编号/报告编号”。",
	NavHome: "首页", NavDisclosures: "暂停与撤销公示", NavReports: "报告查验", NavBulk: "批量核查", NavAPI: "数据接口",
	HomeIntro: "输入任意编号或名称，直接查到证书、报告、认证机构、实验室和获证组织的当前状态。", HomeExamples: "示例",
	HomeStats: zhRegistry + "概况", StatOrgs: "组织", StatBodies: "认证机构", StatLabs: "检验检测机构", StatCertificates: "证书", StatValid: "有效证书",
	StatsAsOf: "数据更新至", ChinaTime: "%s（北京时间）", CheckedAt: "查询时间：%s",
	ResultsTitle: "查询结果", ResultsCount: "共找到 %s 条", ResultsNone: "没有找到与“%s”相符的记录。",
	ResultsNoneHint: "请检查用字，或只输入名称中有代表性的两三个字。",
	FilterKind:      "类别", FilterType: "证书类型", FilterStatus: "状态", FilterRegion: "省份", FilterCity: "城市",
	FilterAny: "全部", FilterApply: "筛选", PrevPage: "上一页", NextPage: "下一页", SearchUnavailable: "全文检索暂不可用，以下为按名称片段的查询结果。",
	KindOrg: "组织", KindBody: "认证机构", KindLab: "检验检测机构", KindCertificate: "证书",
	CertTitle: "证书", CertNumber: "证书编号", CertType: "证书类型", CertHolder: "获证组织", CertBody: "发证机构", CertScope: "认证范围",
	CertStandard: "认证依据", CertProduct: "产品", CertCCCCategory: "CCC产品类别", CertIssued: "颁证日期", CertExpires: "到期日期",
	CertValidity: "有效期", CertFormerValidity: "原有效期", ListSep: "、", Colon: "：", CertStatusSince: "状态起始", CertQR: "本页二维码", CertQRAlt: "指向本证书页面的二维码",
	CertBodyLastSubmit: "发证机构最近一次报送数据：%s",
	Timeline:           "证书记录", TimelineEmpty: "暂无记录。", EventAt: "时间", EventActor: "操作方", EventWhat: "事项", EventReason: "原因",
	LogVerified: "已在公开日志中核验", LogPending: "等待写入公开日志", LogProof: "下载证明", LogNone: "",
	StatusValid: zhValid, StatusSuspended: zhSuspended, StatusRevoked: zhRevoked, StatusWithdrawn: zhWithdrawn, StatusExpired: zhExpired,
	StatusValidNote: "有效期至 %s", StatusSuspendedNote: "自 %s 起暂停", StatusRevokedNote: "于 %s 撤销",
	StatusWithdrawnNote: "于 %s 注销", StatusExpiredNote: "于 %s 到期失效",
	OrgTitle: "组织", OrgUSCC: "统一社会信用代码", OrgName: "名称", OrgNameEn: "英文名称", OrgRegion: "所在地区", OrgAddress: "地址",
	OrgCertificates: "获得的证书", OrgNoCertificates: zhRegistry + "中没有该组织的证书。", OrgReports: "委托的检验检测报告", OrgNoReports: zhRegistry + "中没有该组织委托的报告。",
	OrgMore:   "仅显示前 %s 条。",
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
	DiscStatusOn: "日期", DiscCount: "共 %s 张证书",
	NotFoundTitle: "没有找到", NotFoundMalformed: "“%s”不是有效的%s：", NotFoundNoIssuer: "“%s”格式正确，但不属于登记库中已知的任何%s。",
	NotFoundUnknown:     "“%s”格式正确，但登记库中没有这条记录。",
	NotFoundUnknownHint: "如果这是刚刚颁发的证书，发证机构可能还没有报送；请对照下面的报送时间判断。长期查不到的证书应视为可疑，可向发证机构或监管部门核实。",
	NotFoundIssuers:     "可能的发证机构", NotFoundReportLab: "出具报告的检验检测机构",
	NotFoundReportHint:     "刚刚出具的报告可能还没有报送；请对照下面该检验检测机构最近一次报送的时间判断。长期查不到的报告应视为可疑，可向该检验检测机构或监管部门核实。",
	SearchTooShort:         "请至少输入两个字。",
	NotFoundLastSubmission: "最近一次报送：%s",
	NotFoundOrganicCode:    "“%s”是有机码（有机产品认证标志编码）：前三位 %s 是认证机构代码，第4-5位 %s 是发放年份。登记库不收录每一枚标志的编码，请核对该机构颁发的有机产品证书。",
	NotFoundBack:           "返回首页重新查询", NotFoundPageTitle: "页面不存在", NotFoundPage: "没有这个页面。",
	ErrorTitle: "出错了", ErrorText: "服务器暂时无法完成请求，请稍后再试。", BadRequestTitle: "请求有误",
	RateLimitedTitle: "请求过于频繁", BusyTitle: "服务繁忙",
	FooterNote: "数据来自各认证机构和检验检测机构的报送。状态以本页显示为准，过期证书自到期日起显示为失效。", DataNote: "",
	CertStatusNames: map[trustmark.CertStatus]string{trustmark.StatusValid: zhValid, trustmark.StatusSuspended: zhSuspended,
		trustmark.StatusRevoked: zhRevoked, trustmark.StatusWithdrawn: zhWithdrawn, trustmark.StatusExpired: zhExpired},
	PartyStatusNames: map[trustmark.PartyStatus]string{trustmark.PartyActive: zhActive, trustmark.PartySuspended: zhSuspended,
		trustmark.PartyRevoked: zhRevoked, trustmark.PartyBanned: "终身禁入"},
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
	DiscShown:         "页面只列出最近的 %s 张，完整列表请下载CSV。",
	NotFoundCCCDetail: "CCC证书编号第7-10位 %s 是产品类别，只有被指定承担该类别的认证机构才能发证。",
	Reasons:           zhReasons,
	ErrorCodes: map[string]string{
		trustmark.EInvalid: "请求有误，请检查输入。", trustmark.ENotFound: "没有找到所请求的内容。",
		trustmark.EConflict: "请求与" + zhRegistry + "中的现有数据冲突。", trustmark.EUnauthorized: "需要有效的身份凭证。",
		trustmark.EForbidden: "无权执行此操作。", trustmark.ETooLarge: "提交的内容超过上限。",
		trustmark.ERateLimited: "请求过于频繁，请稍后再试。", trustmark.EUnavailable: "服务暂时不可用，请稍后再试。",
		trustmark.EInternal: "服务器内部错误，已记录。",
	},
	Bulk:       zhBulk,
	Accounts:   zhAccounts,
	Work:       zhWork,
	Statistics: zhStatistics,
	Portal:     zhPortal,
	Credit:     zhCredit,
	Risk:       zhRisk,
	RiskReport: zhRiskReport,
	Region:     zhRegion,
	Campaign:   zhCampaign,
	Audit:      zhAudit,
	AccessLog:  zhAccessLog,
	Calendar:   zhCalendar,
	Auditors:   zhAuditors,
}
