package locale

import (
	"trustmark/access"
	"trustmark/account"
)

// AccountMessages are the strings of the sign-in pages and the workbench's
// home, one value per language like Messages (of which they are the
// Accounts field). The refusals of signing in are said by Messages.Reason
// with every other reason key.
type AccountMessages struct {
	NavWork string

	SignInTitle, SignInIntro, Email, Password, SignInButton, SignInHelp string
	SignedOut, NoAccounts                                               string
	// SignInOr and SignInWith offer a bureau's single sign-on (its name).
	SignInOr, SignInWith string

	CodeTitle, CodeIntro, Code, CodeHint, CodeButton, CodeRestart         string
	EnrolTitle, EnrolIntro, EnrolScan, EnrolQRAlt, EnrolSecret, EnrolType string

	LinkTitle, LinkIntro, LinkFor, NewPassword, ConfirmPassword, PasswordHint string
	WantTOTP, LinkRequired, LinkEnrolled, LinkButton, LinkInvalid             string

	SignOut, WorkTitle, SignedInAs, YourRoles, RoleAdmin, NoRoles, MayDo string
	// MayItem says one action a role may take (action, scope).
	MayItem                                                     string
	National, RegionScope, PublicPage                           string
	InboxTitle, InboxEmpty, InboxPending, InboxDue, InboxLeft   string
	InboxOverdue, InboxDueToday, InboxProvisional, InboxSubject string

	// Kinds names each kind of role; Actions says each action of the
	// authorization matrix; Scopes each scope of a rule.
	Kinds   map[account.Kind]string
	Actions map[access.Action]string
	Scopes  map[access.Scope]string
}

var zhAccounts = AccountMessages{
	NavWork: "工作台",

	SignInTitle: "登录工作台", SignInIntro: "监管部门、认证机构、检验检测机构、认证人员和获证组织的工作人员在此登录。",
	Email: "电子邮箱", Password: "密码", SignInButton: "登录",
	SignInHelp: "首次登录请使用管理员发给您的一次性登录链接设置密码。忘记密码请联系本单位管理员重置。",
	SignedOut:  "您已退出登录。", NoAccounts: "本服务器未启用账户功能。",
	SignInOr: "或", SignInWith: "通过%s登录",

	CodeTitle: "输入动态验证码", CodeIntro: "请打开手机上的身份验证器应用，输入 Trustmark 显示的 6 位数字。",
	Code: "验证码", CodeHint: "6 位数字，每 30 秒更新一次；每个验证码只能使用一次。", CodeButton: "验证", CodeRestart: "重新登录",
	EnrolTitle: "设置身份验证器", EnrolIntro: "您的账户需要第二重验证（监管部门工作人员必须开启）。请用手机上的身份验证器应用（如 Microsoft Authenticator、Google 身份验证器、FreeOTP）完成设置。",
	EnrolScan: "1. 用应用扫描二维码：", EnrolQRAlt: "身份验证器设置二维码", EnrolSecret: "无法扫描时，在应用中手动输入此密钥：",
	EnrolType: "2. 输入应用显示的 6 位验证码，完成设置并登录：",

	LinkTitle: "设置密码", LinkIntro: "这是一次性登录链接，只能使用一次。请为账户设置密码。", LinkFor: "账户",
	NewPassword: "新密码", ConfirmPassword: "再次输入新密码",
	PasswordHint: "至少 12 个字符，可使用中文、字母、数字和符号；不要使用常见密码或邮箱名。",
	WantTOTP:     "同时设置手机身份验证器（推荐）", LinkRequired: "设置密码后，还需要设置手机身份验证器（监管部门工作人员必须开启）。",
	LinkEnrolled: "设置密码后，请输入身份验证器显示的验证码完成登录。", LinkButton: "设置密码并登录",
	LinkInvalid: "无法使用此链接",

	SignOut: "退出登录", WorkTitle: "工作台", SignedInAs: "当前登录：%s（%s）", YourRoles: "您的角色与权限范围",
	RoleAdmin: "管理员", NoRoles: "您的账户目前没有任何角色，请联系本单位管理员。", MayDo: "可以办理：", MayItem: "%s（%s）",
	National: "全国", RegionScope: "%s及其下辖地区", PublicPage: "公开信息页",
	InboxTitle: "待办事项", InboxEmpty: "目前没有待您处理的事项。",
	InboxPending: "办件功能即将上线：届时这里将按截止日期列出待您或本单位处理的事项，逾期事项排在最前。",
	InboxDue:     "截止日期", InboxLeft: "剩余 %d 个工作日", InboxOverdue: "已逾期 %d 个工作日", InboxDueToday: "今天截止",
	InboxProvisional: "（暂按周末推算，当年节假日安排未公布）", InboxSubject: "事项",

	Kinds: map[account.Kind]string{account.Regulator: "监管部门", account.Body: "认证机构", account.Lab: "检验检测机构",
		account.Auditor: "认证人员", account.Org: "获证组织"},
	Actions: map[access.Action]string{
		access.CertificateIssue: "颁发证书", access.CertificateTransition: "暂停、恢复、撤销或注销证书",
		access.ImportUpload: "上传导入文件", access.ReportIssue: "登记检验检测报告", access.PersonManage: "管理本机构认证人员",
		access.StaffInvite: "邀请工作人员", access.PasswordReset: "重置工作人员密码或验证器", access.TokenManage: "管理接口令牌",
		access.MatterView: "查看办件", access.MatterOpen: "发起办件", access.MatterAnswer: "答复办件、申请延期或中止",
		access.MatterDecide: "受理、移送或办结办件", access.AuditPlan: "报送审核计划", access.AuditCheckin: "审核现场签到",
		access.CreditList: "列入或移出严重违法失信名单", access.CreditRecord: "在主体诚信档案中记录条目（处罚、检查发现、承诺及其履行、表彰、撤销、终身禁入或更正）", access.CreditRepairApply: "申请信用修复", access.CreditRepairDecide: "审核信用修复申请",
		access.RiskWeightsEdit: "调整风险权重与分级阈值", access.RiskReport: "归集风险信息（投诉、产品抽查不合格、能力验证不满意）", access.RiskView: "查看本辖区风险评分、预警和风险信息", access.CalendarImport: "导入年度节假日安排", access.CampaignCreate: "制定“双随机”抽查计划",
		access.CampaignDraw: "公示并执行随机抽取", access.InspectionRecord: "录入检查结果", access.PersonalView: "查看个人信息",
		access.StatisticsViewRegion: "查看本地区统计"},
	Scopes: map[access.Scope]string{access.OwnUnit: "本单位", access.Region: "本辖区", access.RegionStaff: "本辖区各级监管部门工作人员",
		access.National: "仅限国家级", access.OwnPersons: "本机构人员", access.OnTeam: "所在审核组"},
}

var enAccounts = AccountMessages{
	NavWork: "Workbench",

	SignInTitle: "Sign in to the workbench", SignInIntro: "For staff of regulators, certification bodies, laboratories and certified organisations, and for registered auditors.",
	Email: "E-mail address", Password: "Password", SignInButton: "Sign in",
	SignInHelp: "The first time, use the one-time sign-in link your administrator sent you to choose a password. If you forgot your password, ask your administrator to reset it.",
	SignedOut:  "You have signed out.", NoAccounts: "This server has no accounts.",
	SignInOr: "or", SignInWith: "sign in with %s",

	CodeTitle: "Enter your verification code", CodeIntro: "Open the authenticator app on your phone and enter the 6 digits it shows for Trustmark.",
	Code: "Code", CodeHint: "6 digits, new every 30 seconds; each code works once.", CodeButton: "Verify", CodeRestart: "Start again",
	EnrolTitle: "Set up an authenticator app", EnrolIntro: "Your account needs a second factor (regulators' staff must have one). Set it up with an authenticator app on your phone (Microsoft Authenticator, Google Authenticator, FreeOTP…).",
	EnrolScan: "1. Scan this QR code with the app:", EnrolQRAlt: "QR code to set up the authenticator app", EnrolSecret: "If you cannot scan it, type this key into the app:",
	EnrolType: "2. Enter the 6-digit code the app shows to finish and sign in:",

	LinkTitle: "Choose a password", LinkIntro: "This is a one-time sign-in link: it works once. Choose the password of your account.", LinkFor: "Account",
	NewPassword: "New password", ConfirmPassword: "New password again",
	PasswordHint: "At least 12 characters; Chinese, letters, digits and symbols all count. Avoid common passwords and your e-mail name.",
	WantTOTP:     "Also set up an authenticator app on my phone (recommended)", LinkRequired: "After the password you will set up an authenticator app (regulators' staff must have one).",
	LinkEnrolled: "After the password, enter the code of your authenticator app to sign in.", LinkButton: "Set password and sign in",
	LinkInvalid: "This link cannot be used",

	SignOut: "Sign out", WorkTitle: "Workbench", SignedInAs: "Signed in as %s (%s)", YourRoles: "Your roles and what they cover",
	RoleAdmin: "administrator", NoRoles: "Your account has no role at the moment; ask your administrator.", MayDo: "May:", MayItem: "%s (%s)",
	National: "the whole country", RegionScope: "%s and the regions below it", PublicPage: "public page",
	InboxTitle: "Inbox", InboxEmpty: "Nothing is waiting for you.",
	InboxPending: "Matters are coming soon: this is where the matters waiting for you or your unit will be listed by deadline, overdue ones first.",
	InboxDue:     "Due", InboxLeft: "%d working days left", InboxOverdue: "overdue by %d working days", InboxDueToday: "due today",
	InboxProvisional: "(provisional: counted on weekends only, as the year's holidays are not yet announced)", InboxSubject: "Matter",

	Kinds: map[account.Kind]string{account.Regulator: "Regulator", account.Body: "Certification body", account.Lab: "Laboratory",
		account.Auditor: "Auditor", account.Org: "Certified organisation"},
	Actions: matrixWords(),
	Scopes: map[access.Scope]string{access.OwnUnit: "own unit", access.Region: "its region", access.RegionStaff: "its region's staff",
		access.National: "national only", access.OwnPersons: "its persons", access.OnTeam: "on the audit team"},
}

// matrixWords says each action as the authorization matrix describes it,
// so that the workbench and docs/AUTHORIZATION.md use the same English.
func matrixWords() map[access.Action]string {
	m := make(map[access.Action]string, len(access.Actions))
	for _, a := range access.Actions {
		m[a.Action] = a.What
	}
	return m
}
