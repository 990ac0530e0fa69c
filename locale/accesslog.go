package locale

// AccessLogMessages are the strings of the workbench's access log of
// personal data (/work/access-log), one value per language like Messages
// (of which they are the AccessLog field).
type AccessLogMessages struct {
	Title, Intro, Subject, SubjectHint, Show, Empty     string
	At, Viewer, Role, Whose, Fields, Region, Route, Why string
	Older, OnlyRegulators                               string
	// FieldNames say the personal fields recorded ("position", "photos").
	FieldNames map[string]string
}

var zhAccessLog = AccessLogMessages{
	Title: "个人信息查看记录", Intro: "每次登录人员查看个人信息（如审核打卡位置、现场照片）时，系统都会记录查看人、时间、对象、字段和途径。本页列出本辖区内的记录，记录只增不改。",
	Subject: "对象（人员注册号）", SubjectHint: "例如 2026-NQA-0001；留空则列出全部。", Show: "查询", Empty: "没有符合条件的记录。",
	At: "时间", Viewer: "查看人", Role: "身份", Whose: "对象", Fields: "字段", Region: "地区", Route: "途径", Why: "所查看的记录",
	Older: "更早的记录", OnlyRegulators: "只有监管部门可以查看本辖区的个人信息查看记录。",
	FieldNames: map[string]string{"position": "打卡位置", "photos": "现场照片", "name": "姓名", "id_number": "身份证号", "phone": "电话"},
}

var enAccessLog = AccessLogMessages{
	Title: "Access log of personal data", Intro: "Each time a signed-in person sees personal data (an audit check-in's position, its photos), the system records who, when, whose data, which fields and by which route. This page lists the records of your region; records are never changed.",
	Subject: "Subject (registration number)", SubjectHint: "For example 2026-NQA-0001; leave empty for all.", Show: "Show", Empty: "No records match.",
	At: "When", Viewer: "Viewer", Role: "As", Whose: "Subject", Fields: "Fields", Region: "Region", Route: "Route", Why: "Record viewed",
	Older: "Older records", OnlyRegulators: "Only regulators read the access log of personal data, for their region.",
	FieldNames: map[string]string{"position": "check-in position", "photos": "photos", "name": "name", "id_number": "ID number", "phone": "phone"},
}
