package locale

// BulkMessages is what bulk verification (联网核查) says: the /verify page,
// the columns of its CSV and XLSX downloads, and the reason of each result,
// which POST /api/v1/verify answers too. Formats take their values in the
// order the comment of each group gives; a language may reorder them with
// %[n] verbs.
type BulkMessages struct {
	// The /verify page.
	Title, Intro, ItemsLabel, ItemsHint, FileLabel, FileHint string
	FormatLabel, FormatHTML, Submit, Results, ResultsCount   string
	ColItem, ColStatus, ColReason, APITitle, APIText         string
	NotFound, FormUnreadable, NothingToVerify                string

	// Columns of the downloads, in order: item, found, kind, status,
	// reason, type, name, expires_on, url.
	Columns []string
	// Yes and No say whether an item was found.
	Yes, No string
	// Kinds names what an item was recognised as (bulk.Kind).
	Kinds map[string]string
	// Registered is an organisation's status word; Pass and Fail a
	// report's.
	Registered, Pass, Fail string

	// A found certificate: its status (the expiry date; the day the status
	// began and the expiry date; the day), then what it is (type, holder,
	// issuer), then the issuer's sanction (status word, since) and the
	// count of certificates of other types with the same number.
	CertValid, CertSuspended, CertRevoked, CertWithdrawn, CertExpired string
	CertOf, CertIssuerSanctioned, CertOtherTypes                      string

	// An organisation: one count of certificates (count, status word),
	// joined by ListSep; none (name); the holdings (name, total, counts).
	OrgCount, ListSep, OrgNone, OrgHolds string
	// A laboratory (name, then the date or the status word and its day).
	LabExpired, LabValidUntil, LabActive, LabStatus string
	// A report (product, laboratory, issue date, conclusion) and its
	// laboratory's sanction (status word).
	Report, ReportLabSanctioned string
	// A certification body (name, then its approved types joined by
	// TypeSep, or its status word and its day).
	BodyActive, BodyStatus, TypeSep string

	// Items that matched nothing: a name (appended to the reason why it is
	// not an identifier), a malformed item (the rule it breaks), and a
	// well-formed one of each kind.
	SearchNames, Malformed, UnknownUSCC, UnknownCMANo  string
	NoLab, NoReport, UnknownApprovalNo, LastSubmission string
	// An organic label code: not held, then what its prefix says (prefix
	// and bodies; prefix and serial; prefix).
	OrganicCode, OrganicPrefix, OrganicForeign, OrganicNoPrefix string
	// A CCC number (category, body code; category, bodies), an organic
	// certificate number (body code; body code, bodies), any other number.
	CCCUnknown, CCCNoBody, CCCBodies                         string
	OrganicCertUnknown, OrganicCertNoBody, OrganicCertBodies string
	CertUnknown                                              string
	// One body of such a list: name and approval number, then its status
	// word, or the type it is not approved for, then when it last submitted
	// data; more bodies than are named; the separator of the list.
	BodyItem, BodyItemStatus, BodyNotApproved, BodySubmitted string
	BodyNeverSubmitted, BodyItemEnd, BodyMore, BodySep       string
}

var zhBulk = BulkMessages{
	Title: "批量核查", Intro: "一次核查多个证书编号、统一社会信用代码、有机码或检验检测报告（资质认定编号/报告编号）。无需验证码，免费。",
	ItemsLabel: "粘贴要核查的编号", ItemsHint: "每行一个，或用逗号分隔；报告写作“资质认定编号/报告编号”。",
	FileLabel: "或上传表格文件", FileHint: "CSV（UTF-8或GBK）或Excel（XLSX）；使用标题为“编号”“证书编号”或“统一社会信用代码”的列，否则使用第一列。",
	FormatLabel: "结果格式", FormatHTML: "在本页显示", Submit: "核查", Results: "核查结果", ResultsCount: "核查结果（%d项）",
	ColItem: "查询项", ColStatus: "状态", ColReason: "说明",
	APITitle: "程序接口", APIText: "平台和系统可以通过JSON接口每次核查最多1000项：",
	NotFound: "未找到", FormUnreadable: "无法读取提交的表单。", NothingToVerify: "没有要核查的内容：请粘贴编号或选择文件。",
	Columns: []string{"查询项", "是否找到", "类别", "状态", "说明", "证书类型", "名称", "有效期至", "链接"},
	Yes:     "是", No: "否",
	Kinds: map[string]string{"certificate": "证书", "org": "组织", "organic_code": "有机码", "report": "检验检测报告",
		"body": "认证机构", "lab": "检验检测机构", "unknown": "无法识别"},
	Registered: "已登记", Pass: "合格", Fail: "不合格",

	CertValid: "有效，有效期至%s", CertSuspended: "暂停，自%s起（有效期至%s）", CertRevoked: "已于%s撤销",
	CertWithdrawn: "已于%s注销", CertExpired: "已于%s过期失效",
	CertOf: "；%s证书，持有者%s，发证机构%s", CertIssuerSanctioned: "；发证机构的批准资格自%[2]s起%[1]s",
	CertOtherTypes: "；另有%d张其他类型证书使用同一编号",

	OrgCount: "%[2]s%[1]d张", ListSep: "，", OrgNone: "已登记的组织%s；未持有证书", OrgHolds: "组织%s持有证书%d张：%s",
	LabExpired: "检验检测机构%s：资质认定已于%s到期", LabValidUntil: "检验检测机构%s：资质认定有效，有效期至%s",
	LabActive: "检验检测机构%s：资质认定有效", LabStatus: "检验检测机构%s：资质认定%s（自%s起）",
	Report: "检验检测报告：%s，%s出具，日期%s，结论：%s", ReportLabSanctioned: "；该机构资质认定现为%s状态",
	BodyActive: "认证机构%s，批准范围%s", BodyStatus: "认证机构%s：批准资格%s（自%s起）", TypeSep: "、",

	SearchNames: "（名称请在首页搜索）", Malformed: "格式错误：%s",
	UnknownUSCC:        "统一社会信用代码格式正确，但登记库中没有该组织（可能未持有任何证书）",
	UnknownCMANo:       "资质认定证书编号格式正确，但登记库中没有该检验检测机构或证书",
	NoLab:              "登记库中没有资质认定编号为%s的检验检测机构，无法核实该报告",
	NoReport:           "检验检测机构%s（资质认定编号%s，%s）在登记库中没有编号为%s的报告",
	UnknownApprovalNo:  "批准号格式正确，但登记库中没有该认证机构",
	LastSubmission:     "；该机构最近一次报送数据于%s",
	OrganicCode:        "Trustmark不保存有机码，请在中国食品农产品认证信息系统（food.cnca.cn）查询",
	OrganicPrefix:      "；前缀%s对应认证机构%s",
	OrganicForeign:     "；前缀%s表示外资认证机构，登记库中没有序号为%s的外资认证机构",
	OrganicNoPrefix:    "；前缀%s与登记库中任何认证机构都不对应（真实有机码以发证机构批准号的后三位开头）",
	CCCUnknown:         "CCC证书编号格式正确，但登记库中没有该证书",
	CCCNoBody:          "；登记库中没有以机构代码%[2]s（第5-6位）承担其产品类别%[1]s（第7-10位）的认证机构",
	CCCBodies:          "；承担产品类别%s的认证机构：%s",
	OrganicCertUnknown: "有机产品认证证书编号格式正确，但登记库中没有该证书",
	OrganicCertNoBody:  "；其机构代码%s与登记库中任何认证机构都不对应",
	OrganicCertBodies:  "；其机构代码%s对应%s",
	CertUnknown:        "登记库中没有该编号的证书（此类证书编号由认证机构自行编制，请向发证机构核实，或按持证组织名称查询）",
	BodyItem:           "%s（%s", BodyItemStatus: "，%s", BodyNotApproved: "，未获批%s", BodySubmitted: "，最近一次报送数据于%s",
	BodyNeverSubmitted: "，尚未报送过数据", BodyItemEnd: "）", BodyMore: "等%d家", BodySep: "；",
}

var enBulk = BulkMessages{
	Title: "Bulk verification", Intro: "Check many certificate numbers, unified social credit codes, organic codes or test reports (CMA number/report number) at once. Free, no captcha.",
	ItemsLabel: "Paste the numbers to check", ItemsHint: "One per line, or separated by commas; a report as CMA number/report number.",
	FileLabel: "Or upload a table", FileHint: "CSV (UTF-8 or GBK) or Excel (XLSX); the column headed number, uscc, 编号 or 证书编号 is used, else the first column.",
	FormatLabel: "Result format", FormatHTML: "Show on this page", Submit: "Verify", Results: "Results", ResultsCount: "Results (%d)",
	ColItem: "Item", ColStatus: "Status", ColReason: "Details",
	APITitle: "API", APIText: "Platforms and systems can check up to 1,000 items per call with the JSON API:",
	NotFound: "not found", FormUnreadable: "The form could not be read.", NothingToVerify: "Nothing to verify: paste numbers or choose a file.",
	Columns: []string{"item", "found", "kind", "status", "reason", "type", "name", "expires_on", "url"},
	Yes:     "true", No: "false",
	Kinds: map[string]string{"certificate": "certificate", "org": "org", "organic_code": "organic_code", "report": "report",
		"body": "body", "lab": "lab", "unknown": "unknown"},
	Registered: "registered", Pass: "pass", Fail: "fail",

	CertValid: "valid until %s", CertSuspended: "suspended since %s (expires %s)", CertRevoked: "revoked on %s",
	CertWithdrawn: "withdrawn on %s", CertExpired: "expired on %s",
	CertOf: "; %s certificate of %s issued by %s", CertIssuerSanctioned: "; the issuing body's approval is %s since %s",
	CertOtherTypes: "; %d other certificate(s) of other types share this number",

	OrgCount: "%d %s", ListSep: ", ", OrgNone: "registered organisation %s; it holds no certificate", OrgHolds: "organisation %s holds %d certificate(s): %s",
	LabExpired: "laboratory %s: CMA accreditation expired on %s", LabValidUntil: "laboratory %s: CMA accreditation active, valid until %s",
	LabActive: "laboratory %s: CMA accreditation active", LabStatus: "laboratory %s: CMA accreditation %s since %s",
	Report: "test report on %s by %s, issued %s, conclusion: %s", ReportLabSanctioned: "; the laboratory's CMA accreditation is now %s",
	BodyActive: "certification body %s, approved for %s", BodyStatus: "certification body %s: approval %s since %s", TypeSep: ", ",

	SearchNames: " (search names on the home page)", Malformed: "malformed: %s",
	UnknownUSCC:        "well-formed unified social credit code, but no organisation with it is in the registry (it may hold no certificate)",
	UnknownCMANo:       "well-formed CMA number, but no laboratory or certificate with it is in the registry",
	NoLab:              "no laboratory with CMA number %s is in the registry, so the report cannot be verified",
	NoReport:           "laboratory %s (CMA %s, %s) has no report %s in the registry",
	UnknownApprovalNo:  "well-formed approval number, but no certification body with it is in the registry",
	LastSubmission:     "; it last submitted data on %s",
	OrganicCode:        "organic label codes (有机码) are not held by Trustmark; check the code at food.cnca.cn",
	OrganicPrefix:      "; its prefix %s is the code of %s",
	OrganicForeign:     "; prefix %s marks a foreign-invested certification body, and none with serial %s is in the registry",
	OrganicNoPrefix:    "; its prefix %s matches no certification body in the registry (a genuine code starts with the last three digits of its body's approval number)",
	CCCUnknown:         "well-formed CCC certificate number, but not in the registry",
	CCCNoBody:          "; no certification body in the registry is designated for its product category %s (positions 7-10) under its body code %s (positions 5-6)",
	CCCBodies:          "; bodies designated for its product category %s: %s",
	OrganicCertUnknown: "well-formed organic certificate number, but not in the registry",
	OrganicCertNoBody:  "; its body code %s matches no certification body in the registry",
	OrganicCertBodies:  "; its body code %s is %s",
	CertUnknown:        "no certificate with this number is in the registry (numbers of this type are set by the issuing body: ask it, or search the holder's name)",
	BodyItem:           "%s (%s", BodyItemStatus: ", %s", BodyNotApproved: ", not approved for %s", BodySubmitted: ", last submitted data on %s",
	BodyNeverSubmitted: ", has never submitted data", BodyItemEnd: ")", BodyMore: "and %d more", BodySep: "; ",
}
