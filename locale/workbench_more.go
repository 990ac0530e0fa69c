package locale

// CalendarMessages are what the national administrator's calendar page
// (/work/calendar) says.
type CalendarMessages struct {
	Title, Intro, Year, Notice, State, Shipped, Loaded, Provisional, LoadedBy string
	LoadTitle, LoadHint, File, NoticeTitle, NoticeTitleHint, LoadButton       string
	Done                                                                      string // %s: the years loaded
}

var zhCalendar = CalendarMessages{
	Title: "法定工作日历", Intro: "期限按国务院办公厅每年发布的节假日安排通知计算。尚未载入通知的年份只按周末计算，期限标为“暂定”。",
	Year: "年份", Notice: "通知", State: "状态", Shipped: "随系统提供", Loaded: "已载入", Provisional: "暂定（未载入通知）", LoadedBy: "%[1]s 于 %[2]s 载入",
	LoadTitle: "载入某年的节假日安排通知", LoadHint: "文件格式与系统提供的数据相同：按年份组织的JSON，或每天一行的CSV（date,year,type,festival,weekday）。同一年份再次载入会替换原通知；每次载入都记入公开日志。",
	File: "通知文件（JSON或CSV）", NoticeTitle: "通知标题和文号", NoticeTitleHint: "CSV文件必填；JSON文件可不填。", LoadButton: "载入",
	Done: "已载入：%s年。这些年份的期限不再标为暂定。",
}

var enCalendar = CalendarMessages{
	Title: "Official calendar", Intro: "Deadlines are counted on the State Council's yearly notice of public holidays. A year whose notice is not loaded is counted by weekends alone, and its deadlines are marked provisional.",
	Year: "Year", Notice: "Notice", State: "State", Shipped: "shipped with Trustmark", Loaded: "loaded", Provisional: "provisional (no notice loaded)", LoadedBy: "loaded by %[1]s on %[2]s",
	LoadTitle: "Load a year's holiday notice", LoadHint: "In the form of the data Trustmark ships: the JSON keyed by year, or the CSV of one row a day (date,year,type,festival,weekday). Loading a year again replaces its notice; every load is recorded in the public log.",
	File: "Notice file (JSON or CSV)", NoticeTitle: "The notice's title and number", NoticeTitleHint: "Required for a CSV file; optional for JSON.", LoadButton: "Load",
	Done: "Loaded: %s. Deadlines in these years are no longer provisional.",
}

// AuditorMessages are what a certification body's auditors page
// (/work/auditors) says.
type AuditorMessages struct {
	Title, Intro, Of, RegistrationNo, Name, Qualifications, Grade, Status, Since, Excluded, None, More string
	RegisterTitle, RegisterHint, RegisterButton, End, EndConfirm, NoRight                              string
	Registered, Ended                                                                                  string // %s: the registration number
}

var zhAuditors = AuditorMessages{
	Title: "审核员", Intro: "在本机构注册的审核员。登记和注销都记入公开日志（姓名只以哈希形式记录）。", Of: "%s的审核员",
	RegistrationNo: "注册号", Name: "姓名", Qualifications: "资格（认证类型）", Grade: "级别", Status: "状态", Since: "状态日期", Excluded: "信用限制", None: "本机构尚无注册的审核员。", More: "下一页",
	RegisterTitle: "登记审核员", RegisterHint: "被终身禁入或在严重违法失信名单上的人员不能登记，页面会写明所依据的决定。", RegisterButton: "登记",
	End: "注销登记", EndConfirm: "注销后该人员不再以本机构名义从事审核。", NoRight: "您的角色不能管理任何认证机构的审核员。",
	Registered: "已登记审核员 %s。", Ended: "已注销审核员 %s 的登记。",
}

var enAuditors = AuditorMessages{
	Title: "Auditors", Intro: "The persons registered with the body. Every registration and every end of one is recorded in the public log (the name by hash only).", Of: "Auditors of %s",
	RegistrationNo: "Registration number", Name: "Name", Qualifications: "Qualifications (certificate types)", Grade: "Grade", Status: "Status", Since: "Since", Excluded: "Credit standing", None: "No person is registered with the body.", More: "Next page",
	RegisterTitle: "Register an auditor", RegisterHint: "A person banned for life, or listed for serious violations, is refused, with the decision named.", RegisterButton: "Register",
	End: "End registration", EndConfirm: "The person no longer audits in the body's name.", NoRight: "None of your roles manages the auditors of a certification body.",
	Registered: "Registered auditor %s.", Ended: "Ended the registration of auditor %s.",
}
