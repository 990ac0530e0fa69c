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
}
