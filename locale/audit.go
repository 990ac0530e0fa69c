package locale

import "trustmark/audit"

// AuditMessages are the strings of the workbench's audit pages: an
// auditor's check-in from the phone, and the lists, audits and anomalies
// regulators and bodies read. One value per language like Messages (of
// which they are the Audit field).
type AuditMessages struct {
	ListTitle, Mine, MineHint, RegionList, BodyList, None, Today, Upcoming, Past string
	Site, Opening, Closing, Team, Holder, Certificate, Kind, Body, Region        string
	Anomalies, AnomalyCount, NoAnomaly, Open                                     string
	FilterFrom, FilterTo, FilterBody, FilterAnomalous, FilterApply, Shown        string

	// The audit's page and the check-in form. The Locate strings are read
	// by the page's script, from data attributes.
	AuditTitle, Plan, CheckIns, NoCheckIns, CheckedInBy, Position, PositionNone string
	CheckInTitle, CheckInKind, KindOpen, KindClose, PositionLegend, Lat, Lng    string
	Accuracy, AccuracyM, Locate, Locating, Located, LocateDenied                string
	LocateUnavailable, LocateTimeout, LocateUnsupported, PositionHint, NoScript string
	Photos, PhotosHint, TeamHint, TeamConfirm, Submit, Sending, SendFailed      string
	Resizing, NotOnTeam, TeamUnconfirmed, PhotosMissing                         string
	Recorded, RecordedAt, DeviceTime, Replayed, ResultClean, ResultAnomalies    string
	PositionMissing, BackToAudit, BackToList, PhotoAlt, PhotosOf, NoPhotoRight  string
	AnomalyTitle, Rule, RuleCode, Severity, Evidence, RaisedAt, Explanation     string
	NoExplanation, ExplanationLate, Deadline, DeadlineLeft, DeadlineOverdue     string
	DeadlineToday, DeadlineProvisional, Matter, MatterState, OpenMatter, Hours  string
	// MoreSites follows the principal site's address of a plan of several
	// sites in lists; FromSite says from which site a distance is.
	Minutes, Metres, Kilometres, Checkin, MoreSites, FromSite string
	Kinds                                                     map[audit.Kind]string
	Roles                                                     map[audit.Role]string
	CheckKinds                                                map[audit.CheckKind]string
	Rules                                                     map[audit.Rule]string
	Severities                                                map[audit.Severity]string
	// EvidenceNames labels the keys of an anomaly's evidence.
	EvidenceNames map[string]string
}

var zhAudit = AuditMessages{
	ListTitle: "现场审核", Mine: "我的审核", MineHint: "今天的审核排在最前。点击审核进入现场签到。",
	RegionList: "%s辖区内的审核", BodyList: "本机构的审核", None: "没有符合条件的审核。",
	Today: "今天", Upcoming: "即将进行", Past: "已结束",
	MoreSites: "（另有 %d 处现场）", FromSite: "%s（距%s）",
	Site: "审核现场", Opening: "首次会议", Closing: "末次会议", Team: "审核组", Holder: "受审核组织", Certificate: "证书",
	Kind: "审核类型", Body: "认证机构", Region: "地区", Anomalies: "异常", AnomalyCount: "%d 项异常", NoAnomaly: "无异常", Open: "查看",
	FilterFrom: "首次会议自", FilterTo: "至", FilterBody: "认证机构批准号", FilterAnomalous: "只看有异常的审核", FilterApply: "筛选",
	Shown: "显示 %d 次审核（最多 %d 次）",

	AuditTitle: "审核 %s", Plan: "审核计划", CheckIns: "签到记录", NoCheckIns: "尚未签到。", CheckedInBy: "签到人员",
	Position: "位置", PositionNone: "无",
	CheckInTitle: "现场签到", CheckInKind: "签到类型", KindOpen: "首次会议签到（会议开始时）", KindClose: "末次会议签到（会议结束时）",
	PositionLegend: "签到位置", Lat: "纬度", Lng: "经度", Accuracy: "定位精度", AccuracyM: "定位精度（米）",
	Locate: "获取当前位置", Locating: "正在获取位置……", Located: "已获取位置，精度约 %s 米。",
	LocateDenied:      "您拒绝了位置权限，无法获取位置。签到需要位置：请在浏览器设置中允许本网站使用位置信息，然后点击“获取当前位置”重试。",
	LocateUnavailable: "暂时无法确定位置。请到室外或窗边，打开手机的定位服务后重试。",
	LocateTimeout:     "获取位置超时。请重试。", LocateUnsupported: "此浏览器不能提供位置。请换用手机自带的浏览器，或手动填写经纬度。",
	PositionHint: "位置由手机定位获得（WGS-84 坐标）。不能使用脚本时可以留空，但签到将因缺少位置而不被接受。",
	NoScript:     "此浏览器未运行脚本：无法自动获取位置，照片也不会在上传前压缩（每张最大 2 MB）。",
	Photos:       "现场照片（1 至 3 张）", PhotosHint: "用后置摄像头拍摄审核组全体成员在审核现场的合影。照片不对外公开，只有本机构和辖区监管部门可以查看。",
	TeamHint: "请核对审核组成员：", TeamConfirm: "照片中是以上审核组全体成员", Submit: "签到", Sending: "正在发送签到……",
	SendFailed: "网络不稳定，签到没有发出。请再次点击“签到”：同一次签到重试不会重复记录。",
	Resizing:   "正在压缩照片……", NotOnTeam: "您不在本次审核的审核组中，不能签到。",
	TeamUnconfirmed: "请确认照片中是审核组全体成员。", PhotosMissing: "请拍摄 1 至 3 张照片。",
	Recorded: "签到已记录", RecordedAt: "记录时间（以服务器时间为准）", DeviceTime: "手机时间",
	Replayed:    "这次签到此前已经记录，没有重复签到。",
	ResultClean: "未发现异常。", ResultAnomalies: "发现以下异常。认证机构须在审核结束后 5 个工作日内作出说明：",
	PositionMissing: "签到缺少位置，未被记录。请允许浏览器获取位置（或手动填写经纬度）后重新签到。",
	BackToAudit:     "返回审核", BackToList: "返回审核列表", PhotoAlt: "签到照片 %d", PhotosOf: "照片",
	NoPhotoRight: "照片仅向本机构和辖区监管部门显示。",
	AnomalyTitle: "异常：%s", Rule: "规则", RuleCode: "规则代码", Severity: "严重程度", Evidence: "依据", RaisedAt: "发现时间",
	Explanation: "认证机构的说明", NoExplanation: "认证机构尚未说明。", ExplanationLate: "（逾期说明）",
	Deadline: "说明期限", DeadlineLeft: "%s（剩余 %d 个工作日）", DeadlineOverdue: "%s（已逾期 %d 个工作日）",
	DeadlineToday: "%s（今天截止）", DeadlineProvisional: "（暂按周末推算，当年节假日安排未公布）",
	Matter: "办件", MatterState: "办件状态", OpenMatter: "办理此事项", Hours: "%d 小时 %d 分", Minutes: "%d 分钟",
	Metres: "%s 米", Kilometres: "%s 公里", Checkin: "签到",
	Kinds: map[audit.Kind]string{audit.Initial: "初次认证审核", audit.Stage1: "第一阶段审核", audit.Stage2: "第二阶段审核",
		audit.Surveillance: "监督审核", audit.Recertification: "再认证审核", audit.Special: "特殊审核", audit.Remote: "远程审核"},
	Roles:      map[audit.Role]string{audit.Leader: "组长", audit.Auditor: "审核员", audit.Expert: "技术专家", audit.Observer: "观察员", audit.Trainee: "实习审核员"},
	CheckKinds: map[audit.CheckKind]string{audit.Open: "首次会议签到", audit.Close: "末次会议签到"},
	Rules: map[audit.Rule]string{
		audit.LateReport:          "审核计划在首次会议开始后才报送",
		audit.EarlyOpen:           "首次会议签到早于首次会议当天（提前签到只限当天）",
		audit.LateOpen:            "首次会议签到晚于计划开始时间 2 小时以上",
		audit.EarlyClose:          "末次会议签到早于计划的末次会议开始时间",
		audit.LateClose:           "末次会议签到晚于计划的末次会议结束时间 2 小时以上",
		audit.MissingCheckin:      "审核结束后仍缺少签到",
		audit.FarFromSite:         "签到位置距审核现场超过 5 公里（已计入定位精度）",
		audit.Overlap:             "同一人员签到的两次审核时间重叠",
		audit.ImpossibleTravel:    "相邻两次签到之间的移动速度不合常理",
		audit.ShortOnsite:         "现场时间（首次会议签到至末次会议签到）不足计划时间的 80% 或 IAF MD 5 最低要求",
		audit.LentOut:             "同一人员同期参加两家认证机构的审核组（疑似挂靠）",
		audit.ClockSkew:           "手机时间与服务器时间相差 10 分钟以上",
		audit.PhotoReuse:          "签到照片与另一次审核的照片相同或高度相似",
		audit.DeviceShared:        "同一部手机被两名人员用于签到",
		audit.SurveillanceOverdue: "监督审核逾期，证书应予暂停",
	},
	Severities: map[audit.Severity]string{audit.Minor: "轻微", audit.Major: "一般", audit.Severe: "严重"},
	EvidenceNames: map[string]string{
		"checkin": "签到编号", "at": "签到时间（服务器）", "reported_at": "报送时间", "opening_at": "计划首次会议开始",
		"closing_at": "计划末次会议开始", "closing_ends_at": "计划末次会议结束", "late_by": "超出时限", "early_by": "提前",
		"distance_m": "与最近现场的距离", "accuracy_m": "定位精度", "credited_m": "计入的精度", "limit_m": "限值",
		"site": "最近现场的序号（0 为主要现场）", "site_address": "最近现场的地址",
		"device_time": "手机时间", "skew": "时间差", "missing": "缺少的签到", "last_day": "审核最后一天",
		"onsite_hours": "现场时间（小时）", "required_hours": "要求时间（小时）", "basis": "依据", "auditor_days": "计划审核人日",
		"auditors": "审核员人数", "person": "人员注册号", "other_audit": "另一次审核", "other_start": "另一次审核开始",
		"other_end": "另一次审核结束", "other_body": "另一家认证机构", "other_checkin": "另一次签到", "distance_km": "距离（公里）",
		"hours": "间隔（小时）", "speed_kmh": "速度（公里/小时）", "match": "比对方式", "hamming": "差异位数",
		"other_person": "另一名人员", "issued_on": "发证日期", "due_on": "应完成日期", "required": "要求", "last_audit_on": "上次审核日期",
	},
}

var enAudit = AuditMessages{
	ListTitle: "On-site audits", Mine: "My audits", MineHint: "Today's audits come first. Open an audit to check in.",
	RegionList: "Audits in %s", BodyList: "Our body's audits", None: "No audit matches.",
	Today: "Today", Upcoming: "Coming", Past: "Ended",
	MoreSites: " (and %d more)", FromSite: "%s (from %s)",
	Site: "Site", Opening: "Opening meeting", Closing: "Closing meeting", Team: "Team", Holder: "Audited organisation", Certificate: "Certificate",
	Kind: "Kind of audit", Body: "Certification body", Region: "Region", Anomalies: "Anomalies", AnomalyCount: "anomalies: %d", NoAnomaly: "none", Open: "Open",
	FilterFrom: "Opening from", FilterTo: "to", FilterBody: "Body's approval number", FilterAnomalous: "Only audits with anomalies", FilterApply: "Filter",
	Shown: "%d audits shown (at most %d)",

	AuditTitle: "Audit %s", Plan: "Audit plan", CheckIns: "Check-ins", NoCheckIns: "No check-in yet.", CheckedInBy: "Checked in by",
	Position: "Position", PositionNone: "none",
	CheckInTitle: "Check in on site", CheckInKind: "Check-in", KindOpen: "Opening meeting (when it starts)", KindClose: "Closing meeting (when it ends)",
	PositionLegend: "Position", Lat: "Latitude", Lng: "Longitude", Accuracy: "Accuracy", AccuracyM: "Accuracy (metres)",
	Locate: "Get my position", Locating: "Getting your position…", Located: "Position found, accurate to about %s m.",
	LocateDenied:      "You refused access to your position. A check-in needs it: allow this site to use your location in the browser's settings, then tap “Get my position” again.",
	LocateUnavailable: "Your position cannot be found right now. Go outside or near a window, turn on location services and try again.",
	LocateTimeout:     "Finding your position took too long. Try again.", LocateUnsupported: "This browser cannot give your position. Use the phone's own browser, or type the latitude and longitude.",
	PositionHint: "The position comes from the phone (WGS-84). Without scripts you may leave it empty, but the check-in will then be refused for want of a position.",
	NoScript:     "Scripts are off in this browser: your position cannot be taken automatically and photos are not made smaller before upload (2 MB each at most).",
	Photos:       "Photos on site (1 to 3)", PhotosHint: "Take a photo of the whole team on site with the back camera. Photos are never public: only the body and the regulators of the region see them.",
	TeamHint: "Check the team:", TeamConfirm: "The photos show the whole team above", Submit: "Check in", Sending: "Sending your check-in…",
	SendFailed: "The connection failed and the check-in was not sent. Tap “Check in” again: a retry never checks in twice.",
	Resizing:   "Making the photos smaller…", NotOnTeam: "You are not on this audit's team and cannot check in.",
	TeamUnconfirmed: "Confirm that the photos show the whole team.", PhotosMissing: "Take 1 to 3 photos.",
	Recorded: "Check-in recorded", RecordedAt: "Recorded at (server time, which counts)", DeviceTime: "Phone's time",
	Replayed:    "This check-in was already recorded; nothing was checked in twice.",
	ResultClean: "No anomaly found.", ResultAnomalies: "These anomalies were found. The body must explain them within 5 working days after the audit:",
	PositionMissing: "The check-in has no position and was not recorded. Let the browser take your position (or type the latitude and longitude) and check in again.",
	BackToAudit:     "Back to the audit", BackToList: "Back to the audits", PhotoAlt: "Check-in photo %d", PhotosOf: "Photos",
	NoPhotoRight: "Photos are shown only to the body and the regulators of the region.",
	AnomalyTitle: "Anomaly: %s", Rule: "Rule", RuleCode: "Rule code", Severity: "Severity", Evidence: "Evidence", RaisedAt: "Found at",
	Explanation: "The body's explanation", NoExplanation: "The body has not explained yet.", ExplanationLate: "(explained late)",
	Deadline: "Explain by", DeadlineLeft: "%s (%d working days left)", DeadlineOverdue: "%s (overdue by %d working days)",
	DeadlineToday: "%s (due today)", DeadlineProvisional: "(provisional: counted on weekends only, as the year's holidays are not yet announced)",
	Matter: "Matter", MatterState: "State of the matter", OpenMatter: "Act on this matter", Hours: "%d h %d min", Minutes: "%d min",
	Metres: "%s m", Kilometres: "%s km", Checkin: "Check-in",
	Kinds: map[audit.Kind]string{audit.Initial: "initial audit", audit.Stage1: "stage 1 audit", audit.Stage2: "stage 2 audit",
		audit.Surveillance: "surveillance audit", audit.Recertification: "recertification audit", audit.Special: "special audit", audit.Remote: "remote audit"},
	Roles:      map[audit.Role]string{audit.Leader: "leader", audit.Auditor: "auditor", audit.Expert: "technical expert", audit.Observer: "observer", audit.Trainee: "trainee"},
	CheckKinds: map[audit.CheckKind]string{audit.Open: "opening check-in", audit.Close: "closing check-in"},
	Rules: map[audit.Rule]string{
		audit.LateReport:          "The plan was reported after the opening meeting had started",
		audit.EarlyOpen:           "The opening check-in was before the day of the opening meeting (early is allowed on that day only)",
		audit.LateOpen:            "The opening check-in was more than 2 hours after the planned start",
		audit.EarlyClose:          "The closing check-in was before the planned start of the closing meeting",
		audit.LateClose:           "The closing check-in was more than 2 hours after the planned end of the closing meeting",
		audit.MissingCheckin:      "A check-in is still missing after the audit ended",
		audit.FarFromSite:         "The check-in was more than 5 km from the site (its accuracy counted)",
		audit.Overlap:             "The same person checked in to two audits whose times overlap",
		audit.ImpossibleTravel:    "Two consecutive check-ins would need an implausible speed of travel",
		audit.ShortOnsite:         "Time on site (opening to closing check-in) short of 80% of the planned time or of the IAF MD 5 minimum",
		audit.LentOut:             "The same person was on teams of two bodies in the same period (lent out)",
		audit.ClockSkew:           "The phone's clock was more than 10 minutes from the server's",
		audit.PhotoReuse:          "A check-in photo is the same as, or very like, one of another audit",
		audit.DeviceShared:        "One phone was used by two persons to check in",
		audit.SurveillanceOverdue: "The surveillance audit is overdue: the certificate must be suspended",
	},
	Severities: map[audit.Severity]string{audit.Minor: "minor", audit.Major: "major", audit.Severe: "severe"},
	EvidenceNames: map[string]string{
		"checkin": "Check-in", "at": "Checked in at (server)", "reported_at": "Reported at", "opening_at": "Planned opening",
		"closing_at": "Planned closing meeting", "closing_ends_at": "Planned end of closing meeting", "late_by": "Late by", "early_by": "Early by",
		"distance_m": "Distance from the nearest site", "accuracy_m": "Accuracy", "credited_m": "Accuracy counted", "limit_m": "Limit",
		"site": "Nearest site (index; 0 is the principal site)", "site_address": "Address of the nearest site",
		"device_time": "Phone's time", "skew": "Difference", "missing": "Missing check-ins", "last_day": "Last day of the audit",
		"onsite_hours": "Hours on site", "required_hours": "Hours required", "basis": "Basis", "auditor_days": "Planned auditor-days",
		"auditors": "Auditors", "person": "Registration number", "other_audit": "Other audit", "other_start": "Other audit starts",
		"other_end": "Other audit ends", "other_body": "Other body", "other_checkin": "Other check-in", "distance_km": "Distance (km)",
		"hours": "Interval (hours)", "speed_kmh": "Speed (km/h)", "match": "Match", "hamming": "Bits differing",
		"other_person": "Other person", "issued_on": "Issued on", "due_on": "Due on", "required": "Required", "last_audit_on": "Last audit on",
	},
}
