package locale

// RiskReportMessages are the strings of the regulators' form that records
// risk information (/work/risk/reports/new): a complaint, a failed product
// sampling, a failed proficiency test. The kinds of report are named by
// RiskMessages.Kinds.
type RiskReportMessages struct {
	Title, Intro, Public                                string
	Kind, Subject, SubjectID, SubjectIDHint, On, OnHint string
	Source, SourceHint, Details, DetailsHint, Button    string
	// Subjects name what a report may be filed against.
	Subjects map[string]string
	// Done says a report was recorded (%s: its id); Scores introduces the
	// links to the risk scores of the parties it bears on.
	Done, Scores string
}

var zhRiskReport = RiskReportMessages{
	Title:  "归集风险信息",
	Intro:  "记录登记库事件之外的风险信息：投诉、获证产品质量监督抽查不合格、检验检测机构能力验证不满意。每条记录写入公开的追溯日志，并在数秒内计入相关主体的风险评分。",
	Public: "风险信息是公开的：不得填写投诉人姓名、电话、身份证号码、电子邮箱等个人信息；投诉以本部门投诉处理系统（12315）的编号为准。",
	Kind:   "类型", Subject: "针对", SubjectID: "编号", SubjectIDHint: "证书编号、认证机构批准号（CNCA-R-…）或检验检测机构资质认定（CMA）编号",
	On: "发生日期", OnHint: "收到投诉、抽查结果通报或能力验证结果的日期，不晚于今天。",
	Source: "来源", SourceHint: "投诉编号、抽查通报文号，或能力验证计划及轮次，最多 200 字。",
	Details: "说明（选填，公开）", DetailsHint: "最多 1000 字。", Button: "记录",
	Subjects: map[string]string{"certificate": "证书（计入获证组织和认证机构）", "body": "认证机构", "lab": "检验检测机构"},
	Done:     "已记录（%s）。", Scores: "相关主体的风险评分：",
}

var enRiskReport = RiskReportMessages{
	Title:  "Record risk information",
	Intro:  "Record the risk information no registry event gives: a complaint, a certified product that failed quality sampling, a laboratory that failed a proficiency test. Each record goes into the public traceability log and counts in the risk scores of the parties concerned within seconds.",
	Public: "Risk information is public: write no complainant's name, phone, ID number or e-mail address; a complaint is named by its reference in your bureau's complaint system (12315).",
	Kind:   "Kind", Subject: "Filed against", SubjectID: "Number", SubjectIDHint: "certificate number, body's approval number (CNCA-R-…) or laboratory's CMA number",
	On: "Date it happened", OnHint: "the day the complaint, the sampling result or the proficiency test result came in; not after today.",
	Source: "Source", SourceHint: "the complaint's reference, the sampling notice's number, or the PT scheme and round; at most 200 characters.",
	Details: "Details (optional, public)", DetailsHint: "At most 1000 characters.", Button: "Record",
	Subjects: map[string]string{"certificate": "Certificate (counts for the organisation and the body)", "body": "Certification body", "lab": "Laboratory"},
	Done:     "Recorded (%s).", Scores: "Risk scores concerned:",
}
