package locale

// CreditMessages are the strings of the public serious-violation list
// (/credit) and its download.
type CreditMessages struct {
	Nav, Title, Intro, Empty, AsOf string
	// Kinds name the kinds of listed subject: body, lab, person, org.
	KindBody, KindLab, KindPerson, KindOrg string
	// One entry: its subject, the grounds, the legal basis, the period
	// (listed on, last day), and what a person's entry shows instead of a
	// name.
	Subject, Grounds, LegalBasis, Period, PeriodFormat, PersonNote string
	More, Download, Source                                         string
	// Columns are the CSV's columns: kind, id, name, grounds, legal
	// basis, listed on, last day.
	Columns []string
	// Work is what the workbench's credit page (/work/credit) says.
	Work CreditWorkMessages
	// Record is what the regulators' archive page (/work/credit/archive) says.
	Record CreditRecordMessages
}

// CreditWorkMessages are the strings of /work/credit: a party's archive and
// listings with its objection and repair forms, and a regulator's listings
// with the decision forms.
type CreditWorkMessages struct {
	Title, Intro, RegulatorIntro, Archive, ArchiveEmpty, Listings, ListingsEmpty string
	// An archive entry.
	Kind, Summary, Decision, Source, LegalBasis, Valid, Recorded, NoEnd string
	EntryKinds                                                          map[string]string
	// A listing and its steps.
	Listing, State, Proposed, Notified, ObjectionDue, Listed, Until, Removed, Objection, Repairs string
	States                                                                                       map[string]string
	// The party's forms.
	ObjectTitle, ObjectHint, Statement, ObjectSubmit                      string
	RepairTitle, RepairHint, RepairFrom, Evidence, EvidenceFile, FileHint string
	RepairSubmit, RepairPending, Applied, Granted, Refused                string
	// The regulator's forms.
	DecideTitle, DecideList, DecideDrop, DecisionNo, Reason, DecideSubmit string
	RepairDecideTitle, Grant, Refuse, RepairDecideSubmit                  string
	Done                                                                  string
}

var zhCredit = CreditMessages{
	Nav:          "严重违法失信名单",
	Title:        "严重违法失信名单",
	Intro:        "市场监督管理部门依法列入严重违法失信名单的认证机构、检验检测机构、认证人员和获证组织。列入期满或经信用修复的主体移出名单。",
	Empty:        "目前名单中没有主体。",
	AsOf:         "截至%s",
	KindBody:     "认证机构",
	KindLab:      "检验检测机构",
	KindPerson:   "认证人员",
	KindOrg:      "获证组织",
	Subject:      "主体",
	Grounds:      "列入事由",
	LegalBasis:   "法律依据",
	Period:       "列入期限",
	PeriodFormat: "%s 至 %s",
	PersonNote:   "人员只公示注册号。",
	More:         "下一页",
	Download:     "下载名单（CSV）",
	Source:       "依据《市场监督管理严重违法失信名单管理办法》公示；名单的每一步记录在可验证的公开日志中。",
	Columns:      []string{"主体类型", "标识", "名称", "列入事由", "法律依据", "列入日期", "列入截止日期"},
	Record:       zhCreditRecord,
	Work: CreditWorkMessages{
		Title: "信用档案与失信名单", Intro: "本单位的诚信档案和严重违法失信名单案件。可在异议期内提出异议，列入满一年后可申请信用修复。",
		RegulatorIntro: "本辖区的严重违法失信名单案件：对异议和信用修复申请作出决定。",
		Archive:        "诚信档案", ArchiveEmpty: "档案中没有记录。", Listings: "严重违法失信名单案件", ListingsEmpty: "没有案件。",
		Kind: "类型", Summary: "内容", Decision: "决定文号", Source: "来源", LegalBasis: "法律依据", Valid: "有效期", Recorded: "记录时间", NoEnd: "长期",
		EntryKinds: map[string]string{"penalty": "行政处罚", "finding": "检查发现", "commitment": "告知承诺", "commendation": "表彰",
			"revocation": "撤销批准", "listing": "列入严重违法失信名单", "ban": "终身禁入"},
		Listing: "案件", State: "状态", Proposed: "拟列入日期", Notified: "告知日期", ObjectionDue: "异议截止日期", Listed: "列入日期",
		Until: "列入截止日期", Removed: "移出日期", Objection: "异议", Repairs: "信用修复申请",
		States:      map[string]string{"proposed": "拟列入", "notified": "已告知", "objected": "已提出异议", "listed": "已列入", "dropped": "不予列入", "removed": "已移出"},
		ObjectTitle: "提出异议", ObjectHint: "请在异议截止日期前说明理由。", Statement: "陈述", ObjectSubmit: "提交异议",
		RepairTitle: "申请信用修复", RepairHint: "说明已履行的义务和整改情况，并附证明材料（文件不超过5 MB）。", RepairFrom: "可申请日期",
		Evidence: "证明材料（每行一项）", EvidenceFile: "附件", FileHint: "PDF或图片，不超过5 MB。",
		RepairSubmit: "提交申请", RepairPending: "申请待决定", Applied: "申请日期", Granted: "准予修复", Refused: "不予修复",
		DecideTitle: "作出列入决定", DecideList: "列入名单", DecideDrop: "不予列入", DecisionNo: "决定文号", Reason: "理由", DecideSubmit: "作出决定",
		RepairDecideTitle: "对信用修复申请作出决定", Grant: "准予修复并移出名单", Refuse: "不予修复", RepairDecideSubmit: "作出决定",
		Done: "已记录。",
	},
}

var enCredit = CreditMessages{
	Nav:          "Serious-violation list",
	Title:        "Serious-violation list",
	Intro:        "Certification bodies, laboratories, certification personnel and certified organisations that market regulators have put on the list of serious violations of law and trust. A subject leaves the list when its period ends or credit repair is granted.",
	Empty:        "No subject is on the list today.",
	AsOf:         "As of %s",
	KindBody:     "Certification body",
	KindLab:      "Laboratory",
	KindPerson:   "Certification person",
	KindOrg:      "Certified organisation",
	Subject:      "Subject",
	Grounds:      "Grounds",
	LegalBasis:   "Legal basis",
	Period:       "Period",
	PeriodFormat: "%s to %s",
	PersonNote:   "Persons are shown by registration number only.",
	More:         "Next page",
	Download:     "Download the list (CSV)",
	Source:       "Published under the SAMR Measures on the List of Serious Violations of Law and Trust; every step of a listing is recorded in the verifiable public log.",
	Columns:      []string{"subject_kind", "subject_id", "name", "grounds", "legal_basis", "listed_on", "until"},
	Record:       enCreditRecord,
	Work: CreditWorkMessages{
		Title: "Credit archive and listings", Intro: "Your unit's integrity archive and its cases on the serious-violation list. You may object within the objection period, and apply for credit repair from one year after listing.",
		RegulatorIntro: "The serious-violation cases of your region: decide objections and applications for credit repair.",
		Archive:        "Integrity archive", ArchiveEmpty: "The archive holds no entry.", Listings: "Serious-violation cases", ListingsEmpty: "No case.",
		Kind: "Kind", Summary: "Summary", Decision: "Decision", Source: "Source", LegalBasis: "Legal basis", Valid: "In effect", Recorded: "Recorded", NoEnd: "no end",
		EntryKinds: map[string]string{"penalty": "Administrative penalty", "finding": "Finding", "commitment": "Commitment", "commendation": "Commendation",
			"revocation": "Approval revoked", "listing": "Serious-violation listing", "ban": "Lifetime ban"},
		Listing: "Case", State: "State", Proposed: "Proposed on", Notified: "Notified on", ObjectionDue: "Objections until", Listed: "Listed on",
		Until: "Listed until", Removed: "Removed on", Objection: "Objection", Repairs: "Applications for credit repair",
		States:      map[string]string{"proposed": "proposed", "notified": "notified", "objected": "objected", "listed": "listed", "dropped": "not listed", "removed": "removed"},
		ObjectTitle: "Object", ObjectHint: "Give your reasons by the last day of the objection period.", Statement: "Statement", ObjectSubmit: "Send the objection",
		RepairTitle: "Apply for credit repair", RepairHint: "Say what obligations you have met and what you have put right, with evidence (files up to 5 MB).", RepairFrom: "May apply from",
		Evidence: "Evidence (one item a line)", EvidenceFile: "Attachment", FileHint: "PDF or image, up to 5 MB.",
		RepairSubmit: "Send the application", RepairPending: "Waiting for a decision", Applied: "Applied on", Granted: "granted", Refused: "refused",
		DecideTitle: "Decide the listing", DecideList: "List", DecideDrop: "Do not list", DecisionNo: "Decision number", Reason: "Reason", DecideSubmit: "Decide",
		RepairDecideTitle: "Decide the application for repair", Grant: "Grant and remove from the list", Refuse: "Refuse", RepairDecideSubmit: "Decide",
		Done: "Recorded.",
	},
}
