package locale

// RiskMessages are the strings of the regulators' risk pages (/work/risk):
// the subjects of a region ranked by risk, each score's explanation, its
// history and the warnings with their matters.
type RiskMessages struct {
	Title, Intro, Filter, Region, Kind, Class, AnyKind, AnyClass, Show string
	Subject, Score, AsOf, Empty, More, Details                         string
	// The explanation of a score: each signal with its weight, age, decay
	// and contribution; Version names the rule-set version in force.
	Explanation, Signal, Source, Date, Weight, Age, HalfLife, NoDecay, Decay, Contribution, NoSignals, Version, Total string
	History, Warnings, WarningsEmpty, Matter, Due, State, Rule, Evidence                                              string
	// Kinds name the kinds of signal, Classes what each class means, Rules
	// the warnings' rules; Summaries say a warning of each rule with its
	// figures (risk.Warning.Args, in their order).
	Kinds, Classes, Rules, Summaries map[string]string
}

var zhRisk = RiskMessages{
	Title: "风险分级", Intro: "本辖区主体的风险评分与分级（A 低风险 … D 高风险）。每个评分都列出所依据的信号、权重、随时间的衰减和贡献；分级随事件流在数秒内更新。",
	Filter: "筛选", Region: "地区", Kind: "主体类型", Class: "风险等级", AnyKind: "全部类型", AnyClass: "全部等级", Show: "显示",
	Subject: "主体", Score: "评分", AsOf: "评分日期", Empty: "没有符合条件的已评分主体。", More: "下一页", Details: "评分说明",
	Explanation: "评分构成", Signal: "信号", Source: "来源", Date: "日期", Weight: "权重", Age: "距今天数", HalfLife: "半衰期（天）",
	NoDecay: "不衰减", Decay: "衰减系数", Contribution: "贡献", NoSignals: "没有信号：A 级。", Version: "规则版本 %d", Total: "合计",
	History: "评分历史", Warnings: "风险预警", WarningsEmpty: "没有预警。", Matter: "办件", Due: "办理期限", State: "状态", Rule: "预警规则", Evidence: "依据",
	Kinds: map[string]string{
		"anomaly": "审核异常（未说明）", "anomaly_escalated": "审核异常（已升级）", "suspension_share": "证书暂停撤销比例（与全国相比）",
		"complaint": "投诉", "sampling_failed": "产品抽查不合格", "proficiency_failed": "能力验证不满意", "inspection_finding": "检查发现问题",
		"penalty": "行政处罚", "listing": "列入严重违法失信名单", "new_body": "新设机构", "commitment_approval": "告知承诺审批", "high_risk_field": "高风险领域证书",
	},
	Summaries: map[string]string{
		"class_up":        "%[1]s的风险等级由%[2]s（%[3]s分）升至%[4]s（%[5]s分）。",
		"anomaly_cluster": "%[2]s在%[3]s至%[4]s期间有%[1]s起审核异常，其他地区平均%[5]s起。",
		"suspension_jump": "%[1]s暂停或撤销了其%[3]s证书的%[2]s%%，%[4]s家同类机构的中位数为%[5]s%%。",
	},
	Classes: map[string]string{"A": "A 低风险", "B": "B 一般风险", "C": "C 较高风险", "D": "D 高风险"},
	Rules:   map[string]string{"class_up": "风险等级上升", "anomaly_cluster": "地区审核异常聚集", "suspension_jump": "机构暂停撤销激增"},
}

var enRisk = RiskMessages{
	Title: "Risk classes", Intro: "Risk scores and classes (A low risk … D high risk) of the subjects in your region. Each score lists the signals it rests on, their weight, their decay over time and their contribution; classes follow the event stream within seconds.",
	Filter: "Filter", Region: "Region", Kind: "Kind of subject", Class: "Risk class", AnyKind: "All kinds", AnyClass: "All classes", Show: "Show",
	Subject: "Subject", Score: "Score", AsOf: "Scored on", Empty: "No scored subject matches.", More: "Next page", Details: "Explanation",
	Explanation: "What makes the score", Signal: "Signal", Source: "Source", Date: "Date", Weight: "Weight", Age: "Age (days)", HalfLife: "Half-life (days)",
	NoDecay: "no decay", Decay: "Decay", Contribution: "Contribution", NoSignals: "No signal: class A.", Version: "Rule set version %d", Total: "Total",
	History: "History of the score", Warnings: "Risk warnings", WarningsEmpty: "No warning.", Matter: "Matter", Due: "Due", State: "State", Rule: "Rule", Evidence: "Evidence",
	Kinds: map[string]string{
		"anomaly": "Audit anomaly (unexplained)", "anomaly_escalated": "Audit anomaly (escalated)", "suspension_share": "Share of certificates suspended or revoked (against the national share)",
		"complaint": "Complaint", "sampling_failed": "Failed product sampling", "proficiency_failed": "Failed proficiency test", "inspection_finding": "Inspection finding",
		"penalty": "Administrative penalty", "listing": "On the serious-violation list", "new_body": "New body", "commitment_approval": "Approved by commitment", "high_risk_field": "Certificates in a high-risk field",
	},
	Summaries: map[string]string{
		"class_up":        "%[1]s rose from class %[2]s (%[3]s) to %[4]s (%[5]s).",
		"anomaly_cluster": "%[1]s audit anomalies in %[2]s from %[3]s to %[4]s, against %[5]s on average in the other regions.",
		"suspension_jump": "%[1]s suspended or revoked %[2]s%% of its %[3]s certificates; the median of its %[4]s peers is %[5]s%%.",
	},
	Classes: map[string]string{"A": "A low risk", "B": "B moderate risk", "C": "C elevated risk", "D": "D high risk"},
	Rules:   map[string]string{"class_up": "Risk class rose", "anomaly_cluster": "Cluster of audit anomalies in a region", "suspension_jump": "Jump in a body's suspensions"},
}
