package locale

// CampaignMessages are the strings of a published inspection campaign's
// page (/campaigns/{id}).
type CampaignMessages struct {
	Title, Intro string
	// The definition: region, subject kind, method, team size, deadline,
	// status, rates, checklist.
	Region, SubjectKind, Method, TeamSize, Deadline, Status, Rates, Checklist string
	// The draw: commitment hash and text, random source, strata, subjects
	// with their teams, recusals, attempts.
	Commitment, CommitmentText, Random, NoRandom, Strata, StratumFormat string
	Picks, Subject, Class, Team, NoDraw, Recusals, RecusalFormat        string
	Attempts, AttemptFormat                                             string
	// A team smaller than the team size: NoTeam stands in the team's cell
	// when nobody could be drawn, ShortReasons name the draw's reason by
	// code, and ShortfallFormat says it with the counts behind it (the
	// reason's name, the region, its active inspectors, those eligible,
	// and those excluded as of the subject's unit, for a declared conflict
	// and for a recent inspection).
	NoTeam, ShortfallFormat string
	ShortReasons            map[string]string
	// How to verify the draw.
	VerifyTitle, VerifyIntro, VerifyKey string
	// The commitment as a document to download, when it is too large to
	// show (DownloadFormat: its size in bytes).
	Download, DownloadFormat string
	// Published results: the table's columns, the publications, and what
	// is said before any is published.
	Results, Outcome, Items, ItemsFormat, Concluded, Published, Due, Certificates string
	NoResults, PublicationFormat, LateFormat                                      string
	// Names of outcomes and certificate statuses, by code.
	Outcomes, CertStatuses map[string]string
	// Names of statuses, methods and kinds of subject, by code.
	Statuses, Methods, Kinds map[string]string
	// The published results as open data (CSV): the link's text, the
	// columns, and the words for yes and no.
	OpenData    string
	OpenDataCSV []string
	Yes, No     string
	// The list of campaigns (/campaigns): its title and introduction, the
	// link to it beside the other public lists, the status filter's "any",
	// what is said when none is listed, and the link to the next page.
	ListTitle, ListIntro, ListNav, AnyStatus, NoCampaigns, NextPage string
}

var zhCampaign = CampaignMessages{
	Title:             "双随机抽查任务",
	Intro:             "检查对象和检查人员均随机抽取：抽取前冻结并公开全部输入，随机数来自抽取后才产生的公开来源，抽取结果任何人都可以重算核对。",
	Region:            "地区",
	SubjectKind:       "检查对象类型",
	Method:            "检查方式",
	TeamSize:          "每组检查人员",
	Deadline:          "完成期限",
	Status:            "状态",
	Rates:             "各类别抽查比例",
	Checklist:         "检查事项",
	Commitment:        "承诺值（SHA-256）",
	CommitmentText:    "冻结的全部输入",
	Random:            "公开随机数",
	NoRandom:          "尚未登记公开随机数。",
	Strata:            "分层抽取",
	StratumFormat:     "%s类：%d个中抽取%d个（比例%s）",
	Picks:             "抽取的检查对象和检查组",
	Subject:           "检查对象",
	Class:             "类别",
	Team:              "检查组",
	NoDraw:            "尚未抽取。",
	Recusals:          "回避记录",
	RecusalFormat:     "%[2]s 对 %[1]s 回避（%[3]s），由 %[4]s 替补",
	Attempts:          "抽取请求",
	AttemptFormat:     "第%d次：%s，%s",
	NoTeam:            "未组成检查组，不能登记检查结果",
	ShortfallFormat:   "检查组人数不足：%[1]s。地区%[2]s在册检查人员%[3]d名，可抽取%[4]d名（本单位%[5]d名、申报利益冲突%[6]d名、回避期内检查过该对象%[7]d名不能抽取）。",
	VerifyTitle:       "如何核验",
	VerifyIntro:       "以下命令从公开日志读取承诺值和抽取结果，核对包含证明，用公开随机数重新计算抽取；只信任日志的公钥，结果一致时退出码为0。",
	VerifyKey:         "日志公钥",
	Download:          "下载冻结的全部输入",
	DownloadFormat:    "（%s字节，SHA-256 见上）",
	Results:           "检查结果公示",
	Outcome:           "检查结果",
	Items:             "检查事项",
	ItemsFormat:       "%d项中%d项合格",
	Concluded:         "检查完成",
	Published:         "公示日期",
	Due:               "公示期限",
	Certificates:      "证书处理",
	NoResults:         "尚无公示的检查结果。",
	PublicationFormat: "第%d次公示：%s，%d个检查对象，结果SHA-256 %s",
	LateFormat:        "，其中%d个超过公示期限",
	Outcomes:          map[string]string{"no_problem": "未发现问题", "rectification": "发现问题，责令整改", "referred": "移送立案查处"},
	CertStatuses:      map[string]string{"suspended": "暂停", "revoked": "撤销"},
	Statuses:          map[string]string{"committed": "已公开承诺，待随机数", "seeded": "已登记随机数，待抽取", "drawn": "已抽取", "published": "结果已全部公示"},
	Methods:           map[string]string{"onsite": "现场检查", "file": "书面检查", "certified_org": "到获证组织检查", "product_sampling": "获证产品抽样"},
	Kinds:             map[string]string{"body": "认证机构", "lab": "检验检测机构", "org": "获证组织", "certificate": "认证证书"},
	ShortReasons:      map[string]string{"no_inspectors": "该地区没有在册检查人员", "few_inspectors": "该地区在册检查人员少于每组人数", "excluded": "该地区可以抽取的检查人员少于每组人数"},
	OpenData:          "下载检查结果开放数据（CSV）",
	OpenDataCSV:       []string{"抽查任务", "检查对象类型", "检查对象", "类别", "地区代码", "地区", "检查方式", "检查结果", "责令整改", "证书处理", "检查完成日期", "公示日期"},
	Yes:               "是",
	ListTitle:         "双随机抽查任务",
	ListIntro:         "监管部门公开承诺的每一项抽查任务：抽查范围和比例在抽取之前公开，随机数来自公开的随机信标，任何人都可以按公开记录重算抽取结果。最新的在前。",
	ListNav:           "双随机抽查",
	AnyStatus:         "全部",
	NoCampaigns:       "没有符合条件的抽查任务。",
	NextPage:          "下一页",
	No:                "否",
}

var enCampaign = CampaignMessages{
	Title:             "Random inspection campaign",
	Intro:             "Subjects and inspectors are both drawn at random: every input is frozen and published before the draw, the random value comes from a public source that exists only afterwards, and anyone can recompute the draw.",
	Region:            "Region",
	SubjectKind:       "Subjects",
	Method:            "Method",
	TeamSize:          "Inspectors per team",
	Deadline:          "Deadline",
	Status:            "Status",
	Rates:             "Sampling rate per class",
	Checklist:         "Inspection items",
	Commitment:        "Commitment (SHA-256)",
	CommitmentText:    "All frozen inputs",
	Random:            "Public random value",
	NoRandom:          "The public random value is not recorded yet.",
	Strata:            "Strata",
	StratumFormat:     "class %s: %[3]d of %[2]d drawn (rate %[4]s)",
	Picks:             "Drawn subjects and their teams",
	Subject:           "Subject",
	Class:             "Class",
	Team:              "Team",
	NoDraw:            "Not drawn yet.",
	Recusals:          "Recusals",
	RecusalFormat:     "%[2]s stepped down from %[1]s (%[3]s); replaced by %[4]s",
	Attempts:          "Draw requests",
	AttemptFormat:     "#%d: %s, %s",
	NoTeam:            "No team: no result can be recorded",
	ShortfallFormat:   "Team short: %[1]s. Region %[2]s has %[3]d active inspectors, %[4]d of them eligible (%[5]d of the subject's own unit, %[6]d with a declared conflict and %[7]d who inspected it within the repeat period may not be drawn).",
	VerifyTitle:       "How to verify",
	VerifyIntro:       "This command reads the commitment and the draw from the public log, checks their inclusion proofs and recomputes the draw from the public random value; it trusts only the log's key and exits 0 when the draw matches.",
	VerifyKey:         "Log key",
	Download:          "Download all frozen inputs",
	DownloadFormat:    " (%s bytes; SHA-256 above)",
	Results:           "Published results",
	Outcome:           "Outcome",
	Items:             "Items",
	ItemsFormat:       "%[2]d of %[1]d passed",
	Concluded:         "Concluded",
	Published:         "Published",
	Due:               "Due",
	Certificates:      "Certificates",
	NoResults:         "No results are published yet.",
	PublicationFormat: "Publication %d: %s, %d subjects, results SHA-256 %s",
	LateFormat:        ", %d of them after their deadline",
	Outcomes:          map[string]string{"no_problem": "no problem found", "rectification": "problems found, rectification ordered", "referred": "referred for penalty"},
	CertStatuses:      map[string]string{"suspended": "suspended", "revoked": "revoked"},
	Statuses:          map[string]string{"committed": "committed, waiting for the random value", "seeded": "random value recorded, waiting for the draw", "drawn": "drawn", "published": "all results published"},
	Methods:           map[string]string{"onsite": "on-site inspection", "file": "file inspection", "certified_org": "inspection at the certified organisation", "product_sampling": "sampling of certified products"},
	Kinds:             map[string]string{"body": "certification bodies", "lab": "laboratories", "org": "certified organisations", "certificate": "certificates"},
	ShortReasons:      map[string]string{"no_inspectors": "the region has no active inspector", "few_inspectors": "the region has fewer active inspectors than a team needs", "excluded": "too few of the region's inspectors may inspect this subject"},
	OpenData:          "Download the results as open data (CSV)",
	OpenDataCSV:       []string{"campaign", "subject kind", "subject", "class", "region code", "region", "method", "outcome", "rectification ordered", "certificates", "concluded on", "published on"},
	Yes:               "yes",
	ListTitle:         "Random inspection campaigns",
	ListIntro:         "Every inspection campaign a regulator committed to in public: what is drawn and at what rates is published before the draw, the random value comes from a public beacon, and anyone can recompute the draw from the public log. Newest first.",
	ListNav:           "Random inspections",
	AnyStatus:         "any",
	NoCampaigns:       "No campaign matches.",
	NextPage:          "Next page",
	No:                "no",
}
