package locale

import "trustmark/audit"

// AuditPlanMessages are what the workbench's audit plan form
// (/work/audits/new, and as the change form /work/audits/{id}/plan: the
// Change fields) says. One value per language like Messages (of which
// they are the AuditPlan field).
type AuditPlanMessages struct {
	Title, Intro, NewLink, For, What, Certificate, CertificateHint, Holder, HolderHint string
	Type, TypeNone, Kind, Complexity, ComplexityNone, Personnel, PersonnelHint         string
	Site, SiteHint, Address, Lat, Lng, Datum, DatumHint                                string
	SitePrincipal, SiteN, SitesHint, AddSite                                           string
	Meetings, MeetingsHint, OpeningAt, ClosingAt, ClosingEndsAt                        string
	Team, TeamHint, Member, RegistrationNo, Role, AuditorDays, AuditorDaysHint, Submit string
	ChangeTitle, ChangeIntro, ChangeSubmit, ChangeLink                                 string
	// Resent answers the form sent again with another plan under the
	// request id it already reported one with.
	Resent string
	// The plan file page (/work/audits/import): FileDone says the lines
	// reported and refused, FileDoneAgain how many of those reported
	// had been before (their request_id), FileAlready marks such a line,
	// FileMore and FileMoreAudits those not listed, FileStopped the line
	// after which the store failed.
	FileTitle, FileLink, FileIntro, File, FileHint, FileSubmit, FileDone, FileAgain string
	FileDoneAgain, FileAlready                                                      string
	FileReported, FileRefused, FileLine, FileAudit, FileWholeLine, FileAllGood      string
	FileMore, FileMoreAudits, FileStopped                                           string
	// ExampleTitle heads a body's latest plan written as a line of a file;
	// ExampleIntro says what it is, NoExample that there is none yet.
	ExampleTitle, ExampleIntro, NoExample string
	Datums                                map[audit.Datum]string
	Complexities                          map[audit.Complexity]string
}

var zhAuditPlan = AuditPlanMessages{
	Title: "报送审核计划", NewLink: "报送审核计划",
	Intro: "每次审核开始前报送计划。提交后由系统核对审核组人员的注册、资格和信用，审核组长，以及 IAF MD 5 规定的最低审核人日；不符合的字段会标出原因。首次会议开始后才报送的计划仍会登记，但记为异常。",
	For:   "报送机构", What: "审核对象",
	Certificate: "证书编号", CertificateHint: "监督、再认证、特殊和远程审核填写证书编号；初次认证审核（含第一、二阶段）尚无证书，请留空并填写下面两项。",
	Holder: "受审核组织统一社会信用代码", HolderHint: "仅初次认证审核填写。",
	Type: "认证类型", TypeNone: "（按证书）", Kind: "审核类型", Complexity: "复杂程度（环境、职业健康安全管理体系）", ComplexityNone: "（不适用）",
	Personnel: "有效人数", PersonnelHint: "留空则按受审核组织登记的员工人数计算。",
	Site: "审核现场", SiteHint: "坐标请注明坐标系：手机定位为 WGS-84，国内地图（高德、腾讯等）为 GCJ-02，两者相差可达数百米。",
	Address: "地址", Lat: "纬度", Lng: "经度", Datum: "坐标系", DatumHint: "距离一律换算到 WGS-84 后计算。",
	SitePrincipal: "主要现场", SiteN: "现场 %d",
	SitesHint: "多场所审核（如总部和工厂）可按“添加审核现场”再填一组；签到按距离最近的现场核对。清空的一组不计。",
	AddSite:   "添加审核现场",
	Meetings:  "会议时间", MeetingsHint: "北京时间。末次会议结束时间可不填。",
	OpeningAt: "首次会议开始", ClosingAt: "末次会议开始", ClosingEndsAt: "末次会议结束",
	Team: "审核组", TeamHint: "填写注册号和角色；空行不计。审核组应有且仅有一名组长。", Member: "成员 %d",
	RegistrationNo: "注册号", Role: "角色",
	AuditorDays: "计划审核人日", AuditorDaysHint: "以半天为单位，例如 3.5。", Submit: "报送",
	ChangeTitle: "变更审核计划", ChangeLink: "变更审核计划", ChangeSubmit: "报送变更",
	Resent:    "这份表单已经报送过另一份计划，这次没有报送。如要把表中的计划另作一次审核报送，请再点一次“报送”。",
	FileTitle: "从文件报送审核计划", FileLink: "从文件报送审核计划",
	FileIntro: "一次报送多份计划（例如本机构系统中一个季度的监督审核）：文件每行一个JSON对象，即接口 POST /api/v1/audits 的请求体，不写报送机构。每行单独核对和登记，与逐份报送相同；不符合的行列出行号、字段和原因，不影响其他行。",
	File:      "计划文件（JSON Lines，UTF-8）", FileHint: "空行不计。每行不超过1 MiB；整个文件受表单大小上限限制。", FileSubmit: "报送文件中的计划",
	FileDone:      "共 %[1]d 行：报送 %[2]d 份计划，%[3]d 行未通过。",
	FileAgain:     "已报送的计划均已登记。各行带有请求标识（request_id）的文件可以放心再次上传：已报送的行只显示原来的审核，标为“此前已报送”，不会重复报送；没有请求标识的行再次上传会再报送一份计划。修改未通过的行后重新上传这些行；若每行都带有请求标识，也可以重新上传整个文件。",
	FileDoneAgain: "其中 %d 份计划此前已报送（请求标识相同），这次没有重复报送。",
	FileAlready:   "此前已报送",
	FileReported:  "已报送的计划", FileRefused: "未通过的行", FileLine: "行号", FileAudit: "审核", FileWholeLine: "（整行）", FileAllGood: "所有行均已报送。",
	FileMore: "另有 %d 行未通过，未在此列出：请先修改上面列出的行。", FileMoreAudits: "另有 %d 份已报送的计划未在此列出，见审核列表。",
	FileStopped:  "系统在第 %d 行之后停止处理：之前的行如上所列，之后的行未读取、未报送。请稍后只上传之后的行。",
	ExampleTitle: "文件中的一行",
	ExampleIntro: "下面是本机构最近报送的一份计划写成文件中的一行。可以以它为样板编写文件：改写证书、时间、地点和审核组后，每份计划一行。请为每行加上各不相同的请求标识（\"request_id\"），这样文件可以放心再次上传。",
	NoExample:    "本机构尚未报送计划。文件中的每一行与 POST /api/v1/audits 的请求体相同；可以先用“报送审核计划”表单报送一份，这里就会显示它写成一行的样子。",
	ChangeIntro:  "表中是现行计划，改动需要变更的内容后报送。首次会议开始前的改动记为计划修改，开始后的记为计划变更；原计划一并保留，不会被覆盖。证书、受审核组织、认证类型和审核类型不能变更，另有审核请报送新计划。",
	Datums:       map[audit.Datum]string{audit.WGS84: "WGS-84（手机定位）", audit.GCJ02: "GCJ-02（国内地图）"},
	Complexities: map[audit.Complexity]string{audit.High: "高", audit.Medium: "中", audit.Low: "低", audit.Limited: "有限"},
}

var enAuditPlan = AuditPlanMessages{
	Title: "Report an audit plan", NewLink: "Report an audit plan",
	Intro: "Report each audit before it starts. The plan is checked for the team's registration, qualifications and credit standing, its leader, and the IAF MD 5 minimum auditor-days; any field that does not fit is marked with the reason. A plan reported after its opening meeting is still recorded, as an anomaly.",
	For:   "Reported by", What: "What is audited",
	Certificate: "Certificate number", CertificateHint: "For a surveillance, recertification, special or remote audit. An initial audit (stage 1 or 2) has no certificate yet: leave it empty and give the two fields below.",
	Holder: "Holder's unified social credit code", HolderHint: "For an initial audit only.",
	Type: "Certification type", TypeNone: "(from the certificate)", Kind: "Kind of audit", Complexity: "Complexity (EMS, OH&SMS)", ComplexityNone: "(not applicable)",
	Personnel: "Effective personnel", PersonnelHint: "Empty: the holder's registered number of employees.",
	Site: "Site", SiteHint: "Name the datum of the coordinates: phones give WGS-84, Chinese maps (Amap, Tencent and others) GCJ-02, which differ by hundreds of metres.",
	Address: "Address", Lat: "Latitude", Lng: "Longitude", Datum: "Datum", DatumHint: "Every distance is computed in WGS-84.",
	SitePrincipal: "Principal site", SiteN: "Site %d",
	SitesHint: "An audit of several sites (a head office and its factories): press “Add a site” for another group. A check-in is measured from the nearest site. A cleared group is left out.",
	AddSite:   "Add a site",
	Meetings:  "Meetings", MeetingsHint: "China time. The end of the closing meeting may be left empty.",
	OpeningAt: "Opening meeting starts", ClosingAt: "Closing meeting starts", ClosingEndsAt: "Closing meeting ends",
	Team: "Team", TeamHint: "Registration number and role; empty rows are left out. A team has exactly one leader.", Member: "Member %d",
	RegistrationNo: "Registration number", Role: "Role",
	AuditorDays: "Planned auditor-days", AuditorDaysHint: "In half days, for example 3.5.", Submit: "Report",
	ChangeTitle: "Change the audit plan", ChangeLink: "Change the plan", ChangeSubmit: "Report the change",
	Resent:    "This form already reported a different plan, so nothing was reported now. To report the plan below as another audit, press Report again.",
	FileTitle: "Report audit plans from a file", FileLink: "Report plans from a file",
	FileIntro: "Report many plans at once (a season's surveillance audits from your own system): a file of one JSON object a line, each the body of POST /api/v1/audits, without the body. Each line is checked and recorded on its own, as a plan reported alone; a line that does not fit is listed with its line number, field and reason, and stops no other line.",
	File:      "Plan file (JSON Lines, UTF-8)", FileHint: "Blank lines are skipped. A line may be up to 1 MiB; the whole file is bounded by the form's size limit.", FileSubmit: "Report the file's plans",
	FileDone:      "%[1]d lines: %[2]d plans reported, %[3]d lines refused.",
	FileAgain:     "The plans reported are recorded. A file whose lines carry a request_id can safely be uploaded again: a line already reported answers its audit again, marked “already reported”, and is not reported twice; a line without a request_id uploaded again is reported again as another plan. Fix the refused lines and upload them again (or the whole file, when every line carries a request_id).",
	FileDoneAgain: "%d of them had been reported before (the same request_id) and were not reported again.",
	FileAlready:   "already reported",
	FileReported:  "Plans reported", FileRefused: "Lines refused", FileLine: "Line", FileAudit: "Audit", FileWholeLine: "(the line)", FileAllGood: "Every line was reported.",
	FileMore: "%d more lines were refused and are not listed here: fix the lines listed first.", FileMoreAudits: "%d more plans were reported and are not listed here; see the audit list.",
	ExampleTitle: "A line of a file",
	ExampleIntro: "Below is your latest plan written as a line of a file. Use it as a model: change the certificate, times, site and team, one plan a line. Give each line a request_id of its own, so that the file can safely be uploaded again.",
	NoExample:    "You have reported no plan yet. Each line of a file is the body of POST /api/v1/audits; report one with the plan form first, and it is shown here written as a line.",
	FileStopped:  "Stopped after line %d: the lines up to it are as listed, those after it were neither read nor reported. Upload only the lines after it again later.",
	ChangeIntro:  "The form holds the plan as it stands: change what has changed and report it. Before the opening meeting it is recorded as an amendment, after it as a change; the previous plan is kept, never overwritten. The certificate, holder, certification type and kind of audit cannot change: another audit is a new plan.",
	Datums:       map[audit.Datum]string{audit.WGS84: "WGS-84 (phone)", audit.GCJ02: "GCJ-02 (Chinese maps)"},
	Complexities: map[audit.Complexity]string{audit.High: "high", audit.Medium: "medium", audit.Low: "low", audit.Limited: "limited"},
}
