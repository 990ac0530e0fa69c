package demo

import "trustmark"

// famousBody is a certification body a Chinese reader knows by name. The
// names are real; approval numbers, scopes and every certificate in the demo
// are generated.
type famousBody struct {
	name, en, region string
	scopes           []trustmark.CertType
	ccc              []string // designated categories; "*" for all
	weight           float64  // share of certificates issued
}

var all = []trustmark.CertType{qms, ems, ohs, fsms, haccp, isms, svc, product, organic, green, gap, ccc}

var famousBodies = []famousBody{
	{"中国质量认证中心有限公司", "China Quality Certification Centre", "110106", all, []string{"*"}, 120},
	{"方圆标志认证集团有限公司", "China Quality Mark Certification Group", "110108", []trustmark.CertType{qms, ems, ohs, fsms, haccp, isms, svc, product, green, ccc},
		[]string{"0101", "0104", "0105", "0201", "0202", "0301", "0302", "0303", "0304", "0401", "0501", "0503", "0506"}, 40},
	{"华夏认证中心有限公司", "China Huaxia Certification Center", "110105", []trustmark.CertType{qms, ems, ohs, isms, svc}, nil, 25},
	{"北京中经科环质量认证有限公司", "Beijing Zhongjing Kehuan Quality Certification Co., Ltd.", "110108", []trustmark.CertType{qms, ems, ohs, fsms, haccp, organic, svc, green}, nil, 18},
	{"中国船级社质量认证有限公司", "China Classification Society Quality Certification Co., Ltd.", "110101", []trustmark.CertType{qms, ems, ohs, product}, nil, 14},
	{"中质协质量保证中心有限公司", "China Association for Quality Assurance Center", "110108", []trustmark.CertType{qms, ems, ohs, fsms, haccp}, nil, 16},
	{"威凯认证检测有限公司", "China Vkan Certification & Testing Co., Ltd.", "440112", []trustmark.CertType{qms, ems, product, ccc, svc},
		[]string{"0701", "0702", "0703", "0705", "0706", "0707", "0708", "0709", "0710", "0711", "0712", "0713", "0714"}, 12},
	{"中环联合(北京)认证中心有限公司", "China Environmental United Certification Center Co., Ltd.", "110105", []trustmark.CertType{ems, qms, ohs, green, product, svc}, nil, 14},
	{"上海质量体系审核中心", "Shanghai Audit Center of Quality System", "310104", []trustmark.CertType{qms, ems, ohs, isms, svc}, nil, 12},
	{"北京新世纪检验认证有限公司", "Beijing New Century Inspection & Certification Co., Ltd.", "110108", []trustmark.CertType{qms, ems, ohs, fsms, haccp, product}, nil, 12},
	{"广州赛宝认证中心服务有限公司", "CEPREI Certification Body", "440111", []trustmark.CertType{qms, ems, ohs, isms, product, ccc},
		[]string{"0901", "0701", "0702", "0708", "0709", "0201", "0202"}, 8},
	{"北京赛西认证有限责任公司", "CESI Certification Co., Ltd.", "110101", []trustmark.CertType{qms, ems, isms, svc, product, ccc}, []string{"0901", "0204", "0301"}, 6},
	{"中国信息安全认证中心", "China Information Security Certification Center", "110108", []trustmark.CertType{isms, svc, product}, nil, 6},
	{"杭州万泰认证有限公司", "Hangzhou Wantai Certification Co., Ltd.", "330106", []trustmark.CertType{qms, ems, ohs, fsms, haccp, organic, gap, product}, nil, 8},
	{"南京国环有机产品认证中心有限公司", "Nanjing Guohuan Organic Product Certification Center", "320102", []trustmark.CertType{organic, gap, qms, ems}, nil, 5},
	{"中国建材检验认证集团股份有限公司", "China Testing & Certification International Group Co., Ltd.", "110105", []trustmark.CertType{qms, ems, ohs, product, green}, nil, 9},
	{"兴原认证中心有限公司", "Xingyuan Certification Center Co., Ltd.", "110105", []trustmark.CertType{qms, ems, ohs, svc, isms}, nil, 8},
	{"中联认证中心(北京)有限公司", "China United Certification Center", "110105", []trustmark.CertType{qms, ems, ohs, fsms, haccp, svc}, nil, 7},
	{"北京世标认证中心有限公司", "Beijing World Standard Certification Center Co., Ltd.", "110105", []trustmark.CertType{qms, ems, ohs, fsms, haccp, svc}, nil, 8},
	{"深圳华测国际认证有限公司", "CTI International Certification Co., Ltd.", "440306", []trustmark.CertType{qms, ems, ohs, fsms, haccp, isms, svc, product, gap}, nil, 7},
}

// famousOrg is a holder a portal user would search for by name. The names
// are real; every record about them in the demo is generated, and their
// certificates are always valid so that the demo never shows a real company
// as suspended or revoked.
type famousOrg struct {
	name, en, region, industry string // industry: an industries key word
	employees                  int
}

var famousOrgs = []famousOrg{
	{"海尔智家股份有限公司", "Haier Smart Home Co., Ltd.", "370212", "电器", 100000},
	{"青岛海尔空调器有限总公司", "Qingdao Haier Air Conditioner General Corp., Ltd.", "370212", "电器", 6000},
	{"青岛海尔电冰箱有限公司", "Qingdao Haier Refrigerator Co., Ltd.", "370212", "电器", 5000},
	{"华为技术有限公司", "Huawei Technologies Co., Ltd.", "440307", "电子", 200000},
	{"华为终端有限公司", "Huawei Device Co., Ltd.", "441900", "电子", 40000},
	{"珠海格力电器股份有限公司", "Gree Electric Appliances, Inc. of Zhuhai", "440402", "电器", 70000},
	{"美的集团股份有限公司", "Midea Group Co., Ltd.", "440606", "电器", 160000},
	{"广东美的制冷设备有限公司", "GD Midea Air-Conditioning Equipment Co., Ltd.", "440606", "电器", 20000},
	{"海信视像科技股份有限公司", "Hisense Visual Technology Co., Ltd.", "370211", "电子", 15000},
	{"联想(北京)有限公司", "Lenovo (Beijing) Co., Ltd.", "110108", "电子", 20000},
	{"浙江正泰电器股份有限公司", "Zhejiang Chint Electrics Co., Ltd.", "330382", "电气", 30000},
	{"公牛集团股份有限公司", "Gongniu Group Co., Ltd.", "330282", "电气", 15000},
	{"远东电缆有限公司", "Far East Cable Co., Ltd.", "320582", "电线电缆", 8000},
	{"九阳股份有限公司", "Joyoung Co., Ltd.", "370112", "电器", 4000},
	{"内蒙古伊利实业集团股份有限公司", "Inner Mongolia Yili Industrial Group Co., Ltd.", "150105", "食品", 60000},
	{"贵州茅台酒股份有限公司", "Kweichow Moutai Co., Ltd.", "520382", "食品", 30000},
	{"三一重工股份有限公司", "Sany Heavy Industry Co., Ltd.", "430121", "机械", 25000},
	{"徐工集团工程机械股份有限公司", "XCMG Construction Machinery Co., Ltd.", "320312", "机械", 25000},
	{"江苏东成电动工具有限公司", "Jiangsu Dongcheng Power Tools Co., Ltd.", "320681", "电动工具", 6000},
	{"中国建筑第八工程局有限公司", "China Construction Eighth Engineering Division Corp., Ltd.", "310115", "建设", 40000},
}
