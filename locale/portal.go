package locale

// PortalMessages is what the portal's record pages say beyond the common
// strings: the certificate timeline, the downloads of bulk verification,
// the lists of a body's certificates and the disclosures.
type PortalMessages struct {
	// The timeline: when a row entered the registry (date and time), and
	// the one link to the proof bundle of every event.
	EventRecorded, ProofAll string

	// Bulk verification downloads: the summary line (rows, then the
	// counts, each a count and its word, joined by SummarySep); the word
	// of a blank row in the summary and its reason in the file; the name
	// of an input column without a header (its position).
	Summary, SummaryCount, SummarySep, Blank, BlankRow, InputColumn string

	// The columns of the disclosures CSV: number, type, status,
	// status_since, reason, holder_uscc, holder_name, body_approval_no,
	// body_name, expires_on, region_code, region_name.
	DiscColumns []string

	// A label with its count (label, count).
	Counted string

	// The laboratory page's accredited scope: its label, and what it says
	// while the registry holds no scope of the laboratory.
	LabScope, LabScopeNone string

	// The laboratories list (/labs): title, introduction, the scope and
	// name filters with the scope's hint, the count line (count), what it
	// says with no match, the label of the matching scope items and of
	// the rest (count); the separators of a scope field and its items.
	LabsTitle, LabsIntro, LabsScope, LabsScopeHint, LabsName, LabsCount, LabsNone string
	LabsMatched, LabsMore, ScopeFieldSep, ScopeItemSep, LabsNav                   string

	// The certificate page under its timeline: the checkpoint its events
	// were verified against (origin, tree size, root hash), and how anyone
	// can check them independently (the command follows).
	LogCheckpoint, LogCheckHow string

	// The report page's client: the organisation the report was made for.
	ReportClient string

	// LabsExamples are scope words the laboratories list offers as links
	// (words of the registry's data, so the same in both languages).
	LabsExamples []string

	// NotFoundHints is what the not-found page of a registry entry that is
	// neither a certificate nor a report says (where such entries come from,
	// and whom to ask), by identifier kind: uscc, approval_no, cma_no, person.
	NotFoundHints map[string]string
}

var zhPortal = PortalMessages{
	EventRecorded: "登记于 %s", ProofAll: "下载全部记录的证明",
	Summary: "共 %s 行：%s", SummaryCount: "%[2]s %[1]s", SummarySep: "，", Blank: "空行",
	BlankRow: "空行，未核查", InputColumn: "第%d列",
	Counted:  "%s（%s）",
	LabScope: "资质认定能力范围", LabScopeNone: "登记库尚未收录该机构的能力范围（资质认定证书附表）；请以证书附表为准，或向该机构索取。",
	LabsTitle: "检验检测机构", LabsIntro: "按资质认定能力范围查找检验检测机构：输入领域、产品或参数，列出能力范围中有相应项目的机构。",
	LabsScope: "能力范围包含", LabsScopeHint: "领域、产品或参数，例如：", LabsName: "机构名称或资质认定编号",
	LabsCount: "本页列出 %s 家机构", LabsNone: "没有符合条件的检验检测机构。", LabsMatched: "符合的能力范围项目", LabsMore: "另有 %s 项",
	ScopeFieldSep: "：", ScopeItemSep: "、", LabsNav: "检验检测机构",
	LogCheckpoint: "核验依据：公开日志 %s 的检查点，共 %s 条记录，根哈希 %s。",
	ReportClient:  "委托单位",
	LogCheckHow:   "任何人均可不依赖本站独立核验：安装 trustmark 命令后运行下面的命令，--key 即该日志的验证公钥，签名、收录证明与证书记录都会逐一核对。",
	DiscColumns: []string{"证书编号", "证书类型", "状态", "状态起始日期", "原因", "获证组织统一社会信用代码", "获证组织名称",
		"发证机构批准号", "发证机构名称", "有效期至", "地区代码", "地区"},
	LabsExamples: labsExamples,
	NotFoundHints: map[string]string{
		"uscc":        "登记库只收录持有证书或委托过检验检测的组织；该组织可能从未获得认证，或其证书尚未报送。统一社会信用代码本身可在国家企业信用信息公示系统核实。",
		"approval_no": "登记库收录国家认监委批准的全部认证机构；查不到的批准号应视为可疑，可向国家认监委或监管部门核实。",
		"cma_no":      "刚取得资质认定的检验检测机构可能还没有录入登记库；长期查不到的资质认定证书编号应视为可疑，可向监管部门核实。",
		"person":      "登记库收录在认证机构执业的注册认证人员；查不到的注册号应视为可疑，可向其所在的认证机构或监管部门核实。",
	},
}

var enPortal = PortalMessages{
	EventRecorded: "recorded %s", ProofAll: "Download the proof of every event",
	Summary: "%s rows: %s", SummaryCount: "%s %s", SummarySep: ", ", Blank: "blank",
	BlankRow: "blank row, not checked", InputColumn: "column %d",
	Counted:  "%s (%s)",
	LabScope: "Accredited scope", LabScopeNone: "The registry does not yet hold this laboratory's scope (the schedule of its CMA certificate); see the schedule, or ask the laboratory for it.",
	LabsTitle: "Laboratories", LabsIntro: "Find testing laboratories by their accredited (CMA) scope: enter a field, product or parameter (in Chinese, as the scope states it) to list the laboratories whose scope has a matching item.",
	LabsScope: "Scope includes", LabsScopeHint: "a field, product or parameter, for example: ", LabsName: "Name or CMA number",
	LabsCount: "Laboratories on this page: %s", LabsNone: "No laboratory matches.", LabsMatched: "Matching scope items", LabsMore: "%s more",
	ScopeFieldSep: ": ", ScopeItemSep: ", ", LabsNav: "Laboratories",
	LogCheckpoint: "Verified against the checkpoint of the public log %s: %s entries, root hash %s.",
	ReportClient:  "Client",
	LogCheckHow:   "Anyone can check this without trusting this site: with the trustmark command installed, run the command below; --key is the log's public verifier key, and the signature, the inclusion proofs and the certificate's records are each checked.",
	DiscColumns: []string{"number", "type", "status", "status_since", "reason", "holder_uscc", "holder_name",
		"body_approval_no", "body_name", "expires_on", "region_code", "region_name"},
	LabsExamples: labsExamples,
	NotFoundHints: map[string]string{
		"uscc":        "The registry holds only organisations that hold a certificate or commissioned a test report; this one may never have been certified, or its certificates not yet reported. The code itself can be checked in the National Enterprise Credit Information Publicity System.",
		"approval_no": "The registry holds every certification body the CNCA has approved; an approval number it does not hold should be treated as suspect; check with the CNCA or the regulator.",
		"cma_no":      "A laboratory accredited very recently may not be in the registry yet; a CMA number that stays unknown should be treated as suspect; check with the regulator.",
		"person":      "The registry holds the registered auditors practising at certification bodies; a registration number it does not hold should be treated as suspect; check with the certification body or the regulator.",
	},
}

// labsExamples are scope items laboratories of the registry (and of the
// demo data set) are accredited for.
var labsExamples = []string{"电线电缆", "电磁兼容"}
