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
}

var zhPortal = PortalMessages{
	EventRecorded: "登记于 %s", ProofAll: "下载全部记录的证明",
	Summary: "共 %s 行：%s", SummaryCount: "%[2]s %[1]s", SummarySep: "，", Blank: "空行",
	BlankRow: "空行，未核查", InputColumn: "第%d列",
	Counted:  "%s（%s）",
	LabScope: "资质认定能力范围", LabScopeNone: "登记库尚未收录该机构的能力范围（资质认定证书附表）；请以证书附表为准，或向该机构索取。",
	DiscColumns: []string{"证书编号", "证书类型", "状态", "状态起始日期", "原因", "获证组织统一社会信用代码", "获证组织名称",
		"发证机构批准号", "发证机构名称", "有效期至", "地区代码", "地区"},
}

var enPortal = PortalMessages{
	EventRecorded: "recorded %s", ProofAll: "Download the proof of every event",
	Summary: "%s rows: %s", SummaryCount: "%s %s", SummarySep: ", ", Blank: "blank",
	BlankRow: "blank row, not checked", InputColumn: "column %d",
	Counted:  "%s (%s)",
	LabScope: "Accredited scope", LabScopeNone: "The registry does not yet hold this laboratory's scope (the schedule of its CMA certificate); see the schedule, or ask the laboratory for it.",
	DiscColumns: []string{"number", "type", "status", "status_since", "reason", "holder_uscc", "holder_name",
		"body_approval_no", "body_name", "expires_on", "region_code", "region_name"},
}
