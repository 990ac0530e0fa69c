package locale

// RegionMessages are the strings of a regulator's registry pages
// (/work/region): the bodies, laboratories and certificates of its region
// and everything below it, with filters, and its statistics.
type RegionMessages struct {
	Title, Intro, Bodies, Labs, Certificates, Statistics      string
	Filter, Type, Status, Body, AnyType, AnyStatus, Show      string
	Number, Holder, Name, Region, Expires, Action, Transition string
	// View links a certificate's public page where the reader may not
	// change its status (Transition).
	View        string
	Empty, More string
}

var zhRegion = RegionMessages{
	Title: "辖区登记", Intro: "本辖区（含下级行政区划）的认证机构、检验检测机构和证书。",
	Bodies: "认证机构", Labs: "检验检测机构", Certificates: "证书", Statistics: "本辖区统计",
	Filter: "筛选", Type: "证书类型", Status: "状态", Body: "认证机构批准号", AnyType: "全部类型", AnyStatus: "全部状态", Show: "显示",
	Number: "编号", Holder: "获证组织", Name: "名称", Region: "所在地", Expires: "有效期至", Action: "操作", Transition: "变更状态", View: "查看证书",
	Empty: "没有符合条件的记录。", More: "下一页",
}

var enRegion = RegionMessages{
	Title: "Region registry", Intro: "The certification bodies, laboratories and certificates of your region and every region below it.",
	Bodies: "Certification bodies", Labs: "Laboratories", Certificates: "Certificates", Statistics: "Statistics of the region",
	Filter: "Filter", Type: "Certificate type", Status: "Status", Body: "Body approval number", AnyType: "Any type", AnyStatus: "Any status", Show: "Show",
	Number: "Number", Holder: "Holder", Name: "Name", Region: "Region", Expires: "Expires", Action: "Action", Transition: "Change status", View: "View certificate",
	Empty: "No records match.", More: "Next page",
}
