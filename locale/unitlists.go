package locale

// UnitListMessages are the strings of a unit's own lists on the workbench:
// a laboratory's reports and accreditation (/work/reports) and a body's
// certificates (/work/certificates), one value per language like Messages
// (of which they are the UnitLists field).
type UnitListMessages struct {
	ReportsTitle, ReportsIntro, Accreditation, PublicPage, ReportsSearchHint string
	CertsTitle, CertsIntro, CertsSearchHint                                  string
	Search, Show, Reports, Certificates, NoReports, NoCerts, Action          string
	Transition                                                               string
}

var zhUnitLists = UnitListMessages{
	ReportsTitle: "本机构报告与资质", ReportsIntro: "本检验检测机构的资质认定情况，以及已报送的检验检测报告（按出具日期从新到旧）。",
	Accreditation: "资质认定", PublicPage: "查看公开页面", ReportsSearchHint: "报告编号，或委托单位名称、统一社会信用代码。",
	CertsTitle: "本机构证书", CertsIntro: "本认证机构颁发的证书。暂停、恢复、撤销、注销请点击“变更状态”。",
	CertsSearchHint: "证书编号，或获证组织名称。",
	Search:          "查找", Show: "显示", Reports: "检验检测报告", Certificates: "证书", NoReports: "没有符合条件的报告。", NoCerts: "没有符合条件的证书。",
	Action: "操作", Transition: "变更状态",
}

var enUnitLists = UnitListMessages{
	ReportsTitle: "Our reports and accreditation", ReportsIntro: "Your laboratory's accreditation (CMA) and the test reports it has submitted, newest first.",
	Accreditation: "Accreditation (CMA)", PublicPage: "See the public page", ReportsSearchHint: "A report number, or the client's name or unified social credit code.",
	CertsTitle: "Our certificates", CertsIntro: "The certificates your body has issued. To suspend, restore, revoke or withdraw one, choose \u201cChange status\u201d.",
	CertsSearchHint: "A certificate number, or the holder's name.",
	Search:          "Search", Show: "Show", Reports: "Test reports", Certificates: "Certificates", NoReports: "No reports match.", NoCerts: "No certificates match.",
	Action: "Action", Transition: "Change status",
}
