package locale

// WorkMessages are the strings of the workbench's matter pages and staff
// administration, one value per language like Messages (of which they are
// the Work field).
type WorkMessages struct {
	// A matter's page.
	Open, MatterKind, MatterSubject, MatterParty, MatterRegion, MatterState string
	MatterDue, MatterLeft, MatterOpened, LegalSource, RunsFrom              string
	ExtensionAllowed, NoExtension, SourceUnverified, History, Step          string
	StepBy, StepReason, StepDays, StepDue, StepLate, Attachment, NoActions  string
	// Forms of the steps.
	AnswerTitle, AnswerText, AnswerFile, AnswerHint, AnswerButton  string
	ExtendTitle, ExtendDays, ExtendHint, ExtendButton              string
	PauseTitle, PauseReasonLabel, PauseButton, ResumeButton        string
	DecideTitle, Reason, AcceptButton, EscalateButton, CloseButton string
	Done, BackToInbox                                              string
	// States and Actions say the states of a matter and its steps.
	States  map[string]string
	Actions map[string]string
	// Pauses says the reasons for which a kind's clock may stop.
	Pauses map[string]string

	// Staff administration.
	StaffTitle, StaffIntro, StaffNone, StaffEmail, StaffName, StaffRoles  string
	InviteTitle, InviteUnit, InviteRegion, InviteAdmin, InviteButton      string
	InviteDone, LinkOnce, RemoveRole, ResetPassword, ResetTOTP, ResetDone string
	RemoveDone, NoStaffRight, StaffOf                                     string
	// StaffFind finds a member of a bureau below by e-mail address.
	StaffFind, StaffFindButton string

	// Certificate forms.
	CertIssueTitle, CertIssueIntro, CertFor, CertIssueButton, CertIssued string
	TransitionTitle, TransitionTo, TransitionReason, TransitionDate      string
	TransitionButton, TransitionHint, Optional                           string
	// CertFields names each field of the issue form.
	CertFields map[string]string

	// The upload-and-fix page. ImportChecked and ImportDone take the
	// counts of rows (read, good or imported, unchanged, refused).
	ImportTitle, ImportIntro, ImportFile, ImportKind, ImportCheck, ImportButton string
	ImportChecked, ImportDone, ImportRow, ImportField, ImportReason             string
	ImportDownload, ImportMore, ImportAllGood, ImportCheckNote                  string
	ImportKinds                                                                 map[string]string
}

var zhWork = WorkMessages{
	Open: "打开", MatterKind: "事项类型", MatterSubject: "事由", MatterParty: "办理方", MatterRegion: "所属地区", MatterState: "状态",
	MatterDue: "办理期限", MatterLeft: "剩余时间", MatterOpened: "发起时间", LegalSource: "法律依据", RunsFrom: "起算",
	ExtensionAllowed: "可延长%d个工作日（已延长%d个工作日）", NoExtension: "法律未规定延长",
	SourceUnverified: "（条文待核实）", History: "办理记录", Step: "步骤",
	StepBy: "办理人", StepReason: "理由", StepDays: "工作日", StepDue: "期限", StepLate: "逾期答复", Attachment: "附件",
	NoActions:   "您目前不能对此事项办理任何步骤。",
	AnswerTitle: "答复或说明", AnswerText: "说明", AnswerFile: "附件（PDF 或图片）",
	AnswerHint: "说明和附件只向可查看本事项的人员显示，公开日志只记录答复这一步骤。", AnswerButton: "提交答复",
	ExtendTitle: "延长期限", ExtendDays: "延长工作日数", ExtendHint: "法律允许的延长期内：最多还可延长%d个工作日。", ExtendButton: "延长",
	PauseTitle: "中止计时", PauseReasonLabel: "中止原因", PauseButton: "中止", ResumeButton: "恢复计时",
	DecideTitle: "受理或办结", Reason: "理由", AcceptButton: "接受答复", EscalateButton: "移送（作为风险信号）", CloseButton: "办结",
	Done: "已办理。", BackToInbox: "返回待办事项",
	States: map[string]string{"opened": "待办理", "paused": "中止计时", "answered": "已答复，待审核", "accepted": "已接受",
		"escalated": "已移送", "closed": "已办结"},
	Actions: map[string]string{"opened": "发起", "answered": "答复", "accepted": "接受答复", "escalated": "移送", "closed": "办结",
		"extended": "延长期限", "paused": "中止计时", "resumed": "恢复计时"},
	Pauses: map[string]string{"testing": "检验", "inspection": "检测", "quarantine": "检疫", "appraisal": "鉴定", "identification": "认定",
		"third_party_consultation": "征求第三方意见", "organ_consultation": "征求其他机关意见", "hearing": "听证", "tendering": "招标",
		"auction": "拍卖", "expert_review": "专家评审"},

	StaffTitle: "工作人员管理", StaffIntro: "邀请本单位（监管部门可含下辖各级）的工作人员，撤销其角色，或为其重置密码和身份验证器。",
	StaffNone: "尚无工作人员。", StaffEmail: "电子邮箱", StaffName: "姓名", StaffRoles: "角色",
	InviteTitle: "邀请工作人员", InviteUnit: "单位", InviteRegion: "地区代码（本辖区内）", InviteAdmin: "设为管理员", InviteButton: "邀请",
	InviteDone: "已创建账户。请将下面的一次性登录链接交给本人：它只显示这一次，只能使用一次。",
	LinkOnce:   "一次性链接", RemoveRole: "撤销此角色", ResetPassword: "重置密码", ResetTOTP: "同时重置身份验证器（手机丢失时）",
	ResetDone:  "已重置：原密码即刻失效，该人员的所有会话已结束。请将下面的一次性链接交给本人设置新密码。",
	RemoveDone: "已撤销该角色。", NoStaffRight: "您不是任何单位的管理员。", StaffOf: "%s的工作人员",
	StaffFind: "查找下辖监管部门的工作人员（电子邮箱）", StaffFindButton: "查找",

	CertIssueTitle: "颁发证书", CertIssueIntro: "以本机构名义登记新颁发的证书；提交前由系统按获证组织、认证范围和机构资质核对，不符合的字段会标出原因。",
	CertFor: "颁证机构", CertIssueButton: "颁发", CertIssued: "证书已颁发并公开。",
	TransitionTitle: "变更证书状态", TransitionTo: "变更为", TransitionReason: "理由", TransitionDate: "生效日期（不填为今天）",
	TransitionButton: "提交", TransitionHint: "暂停、撤销、注销须说明理由；恢复只适用于暂停的证书。", Optional: "（选填）",
	CertFields: map[string]string{"number": "证书编号", "type": "证书类型", "holder_uscc": "获证组织统一社会信用代码",
		"scope": "认证范围", "standard": "认证依据", "product": "产品", "ccc_category": "强制性认证产品类别", "issued_on": "颁证日期（不填为今天）", "expires_on": "有效期至"},

	ImportTitle: "上传与修正", ImportIntro: "上传本单位的 XLSX 或 CSV 文件（证书或检验检测报告，首行为列名）。可先“检查”：逐行核对，不写入任何数据；“导入”则写入所有合格的行，并列出未通过的行及原因。",
	ImportFile: "文件（XLSX 或 CSV）", ImportKind: "数据类型", ImportCheck: "只检查", ImportButton: "导入合格的行",
	ImportChecked: "已检查 %d 行：%d 行合格，%d 行未通过。尚未写入任何数据。", ImportDone: "已读取 %d 行：导入 %d 行，未变化 %d 行，未通过 %d 行。",
	ImportRow: "行", ImportField: "字段", ImportReason: "原因",
	ImportDownload: "下载未通过的行（XLSX，含原因列），修改后重新上传", ImportMore: "另有 %d 行未在此列出，见下载文件。",
	ImportAllGood: "所有行均已通过。", ImportCheckNote: "检查只核对文件本身；获证组织是否已登记、机构资质等登记簿核对在导入时进行。",
	ImportKinds: map[string]string{"certificates": "证书", "reports": "检验检测报告"},
}

var enWork = WorkMessages{
	Open: "Open", MatterKind: "Kind", MatterSubject: "Subject", MatterParty: "Must act", MatterRegion: "Region", MatterState: "State",
	MatterDue: "Due", MatterLeft: "Time left", MatterOpened: "Opened", LegalSource: "Legal source", RunsFrom: "Runs from",
	ExtensionAllowed: "may be extended by %d working days (%d granted)", NoExtension: "the law allows no extension",
	SourceUnverified: "(text to be checked)", History: "History", Step: "Step",
	StepBy: "By", StepReason: "Reason", StepDays: "working days", StepDue: "due", StepLate: "answered late", Attachment: "Attachment",
	NoActions:   "There is no step you may take on this matter now.",
	AnswerTitle: "Answer or explain", AnswerText: "Explanation", AnswerFile: "Attachment (PDF or image)",
	AnswerHint: "The explanation and the file are shown only to those who may see this matter; the public log records only that it was answered.", AnswerButton: "Send the answer",
	ExtendTitle: "Extend the period", ExtendDays: "Working days", ExtendHint: "Within the extension the law allows: at most %d more working days.", ExtendButton: "Extend",
	PauseTitle: "Stop the clock", PauseReasonLabel: "Why", PauseButton: "Pause", ResumeButton: "Restart the clock",
	DecideTitle: "Decide", Reason: "Reason", AcceptButton: "Accept the answer", EscalateButton: "Escalate (risk signal)", CloseButton: "Close",
	Done: "Done.", BackToInbox: "Back to the inbox",
	States: map[string]string{"opened": "waiting for its party", "paused": "clock stopped", "answered": "answered, waiting for a decision", "accepted": "accepted",
		"escalated": "escalated", "closed": "closed"},
	Actions: map[string]string{"opened": "opened", "answered": "answered", "accepted": "answer accepted", "escalated": "escalated", "closed": "closed",
		"extended": "extended", "paused": "clock stopped", "resumed": "clock restarted"},
	Pauses: map[string]string{"testing": "testing", "inspection": "inspection", "quarantine": "quarantine", "appraisal": "appraisal", "identification": "identification",
		"third_party_consultation": "consulting a third party", "organ_consultation": "consulting another authority", "hearing": "hearing", "tendering": "tendering",
		"auction": "auction", "expert_review": "expert review"},

	StaffTitle: "Staff", StaffIntro: "Invite staff of your unit (for a regulator, of the bureaus below it too), remove their roles, or reset their password and authenticator.",
	StaffNone: "No staff yet.", StaffEmail: "E-mail address", StaffName: "Name", StaffRoles: "Roles",
	InviteTitle: "Invite a member of staff", InviteUnit: "Unit", InviteRegion: "Region code (within yours)", InviteAdmin: "Make administrator", InviteButton: "Invite",
	InviteDone: "The account is created. Give the person this one-time sign-in link: it is shown only now and works once.",
	LinkOnce:   "One-time link", RemoveRole: "Remove this role", ResetPassword: "Reset password", ResetTOTP: "Also reset the authenticator (lost phone)",
	ResetDone:  "Reset: the old password no longer works and every session of the person has ended. Give the person this one-time link to choose a new password.",
	RemoveDone: "The role is removed.", NoStaffRight: "You are not an administrator of any unit.", StaffOf: "Staff of %s",
	StaffFind: "Find a member of a bureau below (e-mail address)", StaffFindButton: "Find",

	CertIssueTitle: "Issue a certificate", CertIssueIntro: "Register a certificate your body has issued; it is checked against the holder, the scope and your body's approval, and any field that does not fit is marked with the reason.",
	CertFor: "Issuing body", CertIssueButton: "Issue", CertIssued: "The certificate is issued and public.",
	TransitionTitle: "Change the status of", TransitionTo: "Change to", TransitionReason: "Reason", TransitionDate: "Effective on (empty: today)",
	TransitionButton: "Submit", TransitionHint: "Suspending, revoking and withdrawing need a reason; only a suspended certificate can be restored.", Optional: "(optional)",
	CertFields: map[string]string{"number": "Certificate number", "type": "Type", "holder_uscc": "Holder's unified social credit code",
		"scope": "Scope", "standard": "Standard", "product": "Product", "ccc_category": "CCC product category", "issued_on": "Issued on (empty: today)", "expires_on": "Expires on"},

	ImportTitle: "Upload and fix", ImportIntro: "Upload your unit's XLSX or CSV file (certificates or test reports, column names in the first row). \"Check\" reads every row and writes nothing; \"Import\" writes every good row and lists the refused ones with their reasons.",
	ImportFile: "File (XLSX or CSV)", ImportKind: "Records", ImportCheck: "Check only", ImportButton: "Import the good rows",
	ImportChecked: "%d rows checked: %d good, %d refused. Nothing has been written.", ImportDone: "%d rows read: %d imported, %d unchanged, %d refused.",
	ImportRow: "Row", ImportField: "Field", ImportReason: "Reason",
	ImportDownload: "Download the refused rows (XLSX with a reason column) to fix and upload again", ImportMore: "%d more rows are not listed here; see the download.",
	ImportAllGood: "Every row is good.", ImportCheckNote: "Checking reads the file itself; the registry's checks (the holder is registered, the body's approval) are made on import.",
	ImportKinds: map[string]string{"certificates": "Certificates", "reports": "Test reports"},
}
