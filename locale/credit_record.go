package locale

// CreditRecordMessages are the strings of the regulators' archive page
// (/work/credit/archive): look a subject up, read its archive with entry
// ids (a correction names one), and record an entry.
type CreditRecordMessages struct {
	Title, Intro, Lookup, LookupSubmit, SubjectKind, SubjectID, Region string
	EntryID, Kind, Summary, Decision, Source, SourceHint, LegalBasis   string
	On, ValidFrom, ValidUntil, ValidUntilHint                          string
	Kept, KeptUnknown, KeptYes, KeptNo                                 string
	Correction, Supersedes, Withdrawn, Submit, FormTitle, Done         string
	Corrects, WithdrawnMark, Link                                      string
}

var zhCreditRecord = CreditRecordMessages{
	Title: "诚信档案记录", Intro: "查询本辖区主体（认证机构、检验检测机构、人员、获证组织）的诚信档案，并记录行政处罚、检查发现、告知承诺及其履行、表彰、撤销批准或终身禁入。每一条记录都是公开日志中的事件；人员条目的事由摘要在日志中只以散列值体现。列入严重违法失信名单须走列入程序。",
	Lookup: "查询主体", LookupSubmit: "查询", SubjectKind: "主体类型", SubjectID: "标识（批准号、资质认定编号、统一社会信用代码或人员登记编号）", Region: "所在地区",
	EntryID: "条目编号", Kind: "类型", Summary: "事由摘要", Decision: "决定书文号", Source: "来源", SourceHint: "不填时为“decision:决定书文号”。",
	LegalBasis: "法律依据", On: "行为或决定日期（不填为今日）", ValidFrom: "生效起始日（不填为决定日期）", ValidUntil: "生效终止日",
	ValidUntilHint: "终身禁入不填终止日期；不填表示长期有效。",
	Kept:           "承诺是否履行", KeptUnknown: "尚不明确", KeptYes: "已履行", KeptNo: "未履行",
	Correction: "更正", Supersedes: "更正的条目编号", Withdrawn: "撤回该条目", Submit: "记录", FormTitle: "记录档案条目", Done: "已记录。",
	Corrects: "更正", WithdrawnMark: "撤回", Link: "查询和记录诚信档案",
}

var enCreditRecord = CreditRecordMessages{
	Title: "Integrity archive", Intro: "Look up the integrity archive of a subject of your region (certification body, laboratory, person, certified organisation) and record an administrative penalty, a finding, a commitment and whether it was kept, a commendation, a revoked approval or a lifetime ban. Every entry is an event in the public log; a person's entry is committed to there by hash only. Listing on the serious-violation list goes through the listing procedure.",
	Lookup: "Look up a subject", LookupSubmit: "Look up", SubjectKind: "Kind of subject", SubjectID: "Identifier (approval number, CMA number, USCC or registration number)", Region: "Region",
	EntryID: "Entry", Kind: "Kind", Summary: "Summary", Decision: "Decision number", Source: "Source", SourceHint: "Defaults to “decision:” and the decision number.",
	LegalBasis: "Legal basis", On: "Day of the act or decision (default today)", ValidFrom: "In effect from (default the day of the act)", ValidUntil: "In effect until",
	ValidUntilHint: "A lifetime ban has no end date; leave empty for no end.",
	Kept:           "Commitment kept", KeptUnknown: "not yet known", KeptYes: "kept", KeptNo: "broken",
	Correction: "Correction", Supersedes: "Corrects entry", Withdrawn: "Withdraw that entry", Submit: "Record", FormTitle: "Record an entry", Done: "Recorded.",
	Corrects: "corrects", WithdrawnMark: "withdrawn", Link: "Look up and record integrity archives",
}
