package demo

import "trustmark"

// cccCategory is a CCC product category. Codes and products are copied from
// data/reference/ccc_catalog_2023_partial.csv (items 1-32 of the 2023
// catalogue; item 33's code is cut off in the source and left out), plus
// 0901 微型计算机, the example of data/reference/cert_number_formats.json.
// Standards are the main safety standards the implementation rules cite.
type cccCategory struct {
	code     string
	product  string
	standard string
	models   []string // model prefixes seen on such products
}

var cccCategories = []cccCategory{
	{"0101", "电线组件", "GB/T 15934-2008", []string{"H05VV-F", "RVV"}},
	{"0104", "额定电压450/750V及以下橡皮绝缘电线电缆", "GB/T 5013.1-2008", []string{"YZ", "YZW", "YC"}},
	{"0105", "额定电压450/750V及以下聚氯乙烯绝缘电线电缆", "GB/T 5023.1-2008", []string{"BV", "BVR", "RVV", "BVVB"}},
	{"0201", "插头插座", "GB/T 2099.1-2021, GB/T 1002-2021", []string{"K86-", "PZ-", "S10-"}},
	{"0202", "家用和类似用途固定式电气装置的开关", "GB/T 16915.1-2014", []string{"K1-", "KG-"}},
	{"0204", "器具耦合器", "GB/T 17465.1-2009", []string{"ST-", "C13-"}},
	{"0205", "熔断体", "GB/T 13539.1-2015", []string{"RT18-", "RO15-"}},
	{"0206", "家用和类似用途固定式电气装置电器附件外壳", "GB/T 17466.1-2008", []string{"86H-", "DB-"}},
	{"0207", "熔断体", "GB/T 13539.1-2015", []string{"RT14-", "NT00-"}},
	{"0301", "低压成套开关设备", "GB/T 7251.12-2013", []string{"GGD", "GCK", "MNS", "XL-21"}},
	{"0302", "低压元器件", "GB/T 14048.2-2020", []string{"DZ47-", "NXB-", "CDB6-"}},
	{"0303", "低压元器件", "GB/T 14048.3-2017", []string{"HR17-", "QSA-"}},
	{"0304", "低压元器件", "GB/T 14048.4-2020", []string{"CJX2-", "NXC-"}},
	{"0305", "低压元器件", "GB/T 14048.5-2017", []string{"LA38-", "XB2-"}},
	{"0306", "低压元器件", "GB/T 14048.2-2020", []string{"DZ15LE-", "NXBLE-"}},
	{"0307", "低压元器件", "GB/T 14048.6-2016", []string{"QJ3-", "CJR-"}},
	{"0308", "低压元器件", "GB/T 16917.1-2014", []string{"DZ47LE-", "NBE7LE-"}},
	{"0309", "低压元器件", "GB/T 10963.1-2020", []string{"DZ47s-", "NB1-"}},
	{"0401", "小功率电动机", "GB/T 12350-2022", []string{"YS", "YY", "YSF"}},
	{"0501", "电钻", "GB/T 3883.1-2014, GB/T 3883.6-2012", []string{"J1Z-", "Z1J-"}},
	{"0503", "电动砂轮机", "GB/T 3883.1-2014", []string{"S1M-", "S3S-"}},
	{"0506", "电锤", "GB/T 3883.1-2014", []string{"Z1C-", "Z1A-"}},
	{"0603", "直流弧焊机", "GB/T 15579.1-2013", []string{"ZX7-", "ARC-"}},
	{"0604", "TIG弧焊机", "GB/T 15579.1-2013", []string{"WS-", "TIG-"}},
	{"0605", "MIG/MAG弧焊机", "GB/T 15579.1-2013", []string{"NB-", "MIG-"}},
	{"0607", "等离子弧切割机", "GB/T 15579.1-2013", []string{"LGK-", "CUT-"}},
	{"0701", "家用电冰箱和食品冷冻箱", "GB 4706.1-2005, GB 4706.13-2014", []string{"BCD-", "BD-", "BC-"}},
	{"0702", "电风扇", "GB 4706.1-2005, GB 4706.27-2008", []string{"FS-", "FT-", "FW-"}},
	{"0703", "空调器", "GB 4706.1-2005, GB 4706.32-2012", []string{"KFR-35GW/", "KFR-72LW/", "KFR-26GW/"}},
	{"0704", "电动机-压缩机", "GB 4706.1-2005, GB 4706.17-2010", []string{"QD", "ASE", "WHP"}},
	{"0705", "家用电动洗衣机", "GB 4706.1-2005, GB 4706.24-2008", []string{"XQG100-", "XQB80-", "XPB90-"}},
	{"0706", "电热水器", "GB 4706.1-2005, GB 4706.12-2006", []string{"DSZF-", "F60-", "JSQ"}},
	{"0707", "室内加热器", "GB 4706.1-2005, GB 4706.23-2007", []string{"NSB-", "DL-", "HN"}},
	{"0708", "真空吸尘器", "GB 4706.1-2005, GB 4706.7-2014", []string{"VC", "ZW-", "XCQ"}},
	{"0709", "皮肤和毛发护理器具", "GB 4706.1-2005, GB 4706.15-2008", []string{"FH", "RS", "EH-"}},
	{"0710", "电熨斗", "GB 4706.1-2005, GB 4706.2-2007", []string{"YD-", "GC"}},
	{"0711", "电磁灶", "GB 4706.1-2005, GB 4706.29-2008", []string{"C21-", "RT22", "DCL"}},
	{"0712", "电烤箱(便携式烤架、面包片烘烤器及类似烹调器具)", "GB 4706.1-2005, GB 4706.14-2008", []string{"KX-", "T3-", "PT25"}},
	{"0713", "电动食品加工器具(食品加工机(厨房机械))", "GB 4706.1-2005, GB 4706.30-2008", []string{"JYL-", "MJ-", "DJ13B-"}},
	{"0714", "微波炉", "GB 4706.1-2005, GB 4706.21-2008", []string{"M1-", "MM721", "P70D20"}},
	{"0901", "微型计算机", "GB 4943.1-2022, GB/T 9254.1-2021, GB 17625.1-2022", []string{"TC-", "DT-", "M7"}},
}

// industry is a line of business: what its companies are called, which
// certificates they hold, what they make.
type industry struct {
	words    []string // industry part of a company name: 电器, 家用电器
	en       string
	weight   float64
	types    []typeWeight
	ccc      []string // CCC categories its products fall under
	products []string // what it makes or does, for scopes
	kind     string   // product family for labs' reports and green/product certs
}

type typeWeight struct {
	t trustmark.CertType
	w float64
}

func tw(pairs ...any) []typeWeight {
	out := make([]typeWeight, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, typeWeight{pairs[i].(trustmark.CertType), float64(pairs[i+1].(int))})
	}
	return out
}

const (
	qms, ems, ohs, fsms, haccp, gap, isms = trustmark.TypeQMS, trustmark.TypeEMS, trustmark.TypeOHSMS, trustmark.TypeFSMS, trustmark.TypeHACCP, trustmark.TypeGAP, trustmark.TypeISMS
	svc, organic, green, ccc, product     = trustmark.TypeService, trustmark.TypeOrganic, trustmark.TypeGreen, trustmark.TypeCCC, trustmark.TypeProduct
)

var industries = []industry{
	{words: []string{"电器", "家用电器", "电器科技", "智能家电"}, en: "Electric Appliance", weight: 5, kind: "appliance",
		types:    tw(qms, 30, ems, 14, ohs, 12, ccc, 40, product, 4, svc, 1, green, 1),
		ccc:      []string{"0701", "0702", "0703", "0704", "0705", "0706", "0707", "0708", "0709", "0710", "0711", "0712", "0713", "0714"},
		products: []string{"家用电冰箱", "空调器", "电风扇", "洗衣机", "电热水器", "微波炉", "电磁灶", "吸尘器", "电吹风", "料理机"}},
	{words: []string{"电线电缆", "电缆", "线缆"}, en: "Wire & Cable", weight: 2, kind: "electrical",
		types: tw(qms, 30, ems, 12, ohs, 12, ccc, 40, product, 4),
		ccc:   []string{"0101", "0104", "0105"}, products: []string{"电线电缆", "电力电缆", "控制电缆", "橡套电缆"}},
	{words: []string{"电气", "电器设备", "开关", "电气设备"}, en: "Electrical", weight: 3, kind: "electrical",
		types:    tw(qms, 30, ems, 12, ohs, 12, ccc, 35, product, 6),
		ccc:      []string{"0201", "0202", "0204", "0205", "0206", "0207", "0301", "0302", "0303", "0304", "0305", "0306", "0307", "0308", "0309"},
		products: []string{"低压成套开关设备", "断路器", "插头插座", "墙壁开关", "配电箱", "接触器"}},
	{words: []string{"电机", "微电机", "电动机"}, en: "Motor", weight: 1, kind: "machinery",
		types: tw(qms, 35, ems, 15, ohs, 12, ccc, 30, product, 4), ccc: []string{"0401"},
		products: []string{"小功率电动机", "微型电机", "三相异步电动机"}},
	{words: []string{"电动工具", "工具"}, en: "Power Tools", weight: 1, kind: "machinery",
		types: tw(qms, 35, ems, 15, ohs, 12, ccc, 30, product, 4), ccc: []string{"0501", "0503", "0506"},
		products: []string{"电钻", "电锤", "角磨机", "电动砂轮机"}},
	{words: []string{"焊接设备", "焊割设备", "电焊机"}, en: "Welding Equipment", weight: 0.6, kind: "machinery",
		types: tw(qms, 35, ems, 15, ohs, 12, ccc, 30, product, 4), ccc: []string{"0603", "0604", "0605", "0607"},
		products: []string{"逆变弧焊机", "气体保护焊机", "等离子切割机"}},
	{words: []string{"电子", "电脑", "计算机", "智能科技"}, en: "Electronics", weight: 3, kind: "electronics",
		types: tw(qms, 35, ems, 15, ohs, 10, ccc, 15, product, 7, isms, 4, green, 1), ccc: []string{"0901"},
		products: []string{"台式微型计算机", "电源适配器", "印制电路板", "电子元器件", "LED显示屏", "工控主板"}},
	{words: []string{"机械", "机械制造", "精密机械", "重工", "机床"}, en: "Machinery", weight: 9, kind: "machinery",
		types:    tw(qms, 50, ems, 20, ohs, 18, product, 4, svc, 1),
		products: []string{"数控机床", "通用机械零部件", "减速机", "液压元件", "输送设备", "阀门", "泵", "风机", "包装机械"}},
	{words: []string{"汽车零部件", "汽车配件", "汽配"}, en: "Auto Parts", weight: 3, kind: "machinery",
		types:    tw(qms, 55, ems, 20, ohs, 15, product, 6),
		products: []string{"汽车制动器", "汽车座椅", "汽车线束", "汽车灯具", "减震器", "汽车轮毂"}},
	{words: []string{"食品", "食品科技", "食业", "乳业", "粮油", "饮品", "调味品"}, en: "Food", weight: 6, kind: "food",
		types:    tw(qms, 25, fsms, 28, haccp, 22, ems, 6, ohs, 5, organic, 2, svc, 1),
		products: []string{"糕点", "速冻米面制品", "食用植物油", "酱油", "饮料", "乳制品", "肉制品", "大米", "小麦粉", "茶叶", "白酒", "调味料"}},
	{words: []string{"纺织", "服饰", "针织", "家纺", "制衣"}, en: "Textile", weight: 4, kind: "textile",
		types:    tw(qms, 50, ems, 20, ohs, 15, green, 2, product, 3),
		products: []string{"针织服装", "梭织面料", "床上用品", "纱线", "工作服", "无纺布"}},
	{words: []string{"科技", "信息技术", "软件", "网络科技", "数据科技"}, en: "Technology", weight: 8, kind: "software",
		types:    tw(qms, 40, isms, 20, svc, 5, ems, 9, ohs, 9),
		products: []string{"计算机软件开发", "信息系统集成服务", "运维服务", "数据处理服务", "智能化系统集成", "网络安全服务"}},
	{words: []string{"建材", "新型建材", "陶瓷", "建筑材料", "门窗", "管业"}, en: "Building Materials", weight: 5, kind: "building",
		types:    tw(qms, 40, ems, 18, ohs, 16, green, 4, product, 8),
		products: []string{"预拌混凝土", "陶瓷砖", "铝合金门窗", "防水卷材", "塑料管材", "保温材料", "涂料", "人造板"}},
	{words: []string{"建设", "建筑工程", "建工", "市政工程", "装饰工程", "安装工程"}, en: "Construction", weight: 10, kind: "construction",
		types:    tw(qms, 42, ems, 29, ohs, 29),
		products: []string{"房屋建筑工程施工", "市政公用工程施工", "建筑装修装饰工程施工", "机电安装工程施工", "园林绿化工程施工", "钢结构工程施工"}},
	{words: []string{"化工", "新材料", "涂料", "塑胶", "化学"}, en: "Chemical", weight: 4, kind: "chemical",
		types:    tw(qms, 45, ems, 25, ohs, 22, product, 3, green, 1),
		products: []string{"水性涂料", "胶粘剂", "塑料制品", "工业清洗剂", "有机颜料", "改性塑料"}},
	{words: []string{"农业", "生态农业", "茶业", "果业", "农业科技", "种植"}, en: "Agriculture", weight: 3, kind: "agri",
		types:    tw(organic, 12, gap, 7, qms, 20, fsms, 10, haccp, 5),
		products: []string{"茶叶", "大米", "蔬菜", "苹果", "猕猴桃", "柑橘", "枸杞", "小米", "食用菌", "葡萄"}},
	{words: []string{"物业服务", "物流", "酒店管理", "商贸", "供应链管理", "环境服务", "保安服务"}, en: "Services", weight: 9, kind: "service",
		types:    tw(qms, 42, svc, 10, ems, 14, ohs, 14),
		products: []string{"物业管理服务", "道路货物运输服务", "酒店住宿服务", "商品销售", "仓储服务", "保洁服务", "安保服务", "餐饮服务"}},
	{words: []string{"医疗器械", "生物科技", "医疗科技"}, en: "Medical Devices", weight: 2, kind: "medical",
		types:    tw(qms, 60, ems, 20, ohs, 15, product, 3),
		products: []string{"医用口罩", "一次性使用无菌注射器", "医用敷料", "体外诊断试剂", "医用防护服"}},
	{words: []string{"家具", "家居", "木业"}, en: "Furniture", weight: 2, kind: "furniture",
		types:    tw(qms, 40, ems, 20, ohs, 15, green, 5, product, 6),
		products: []string{"办公家具", "实木家具", "板式家具", "软体家具", "橱柜"}},
	{words: []string{"包装", "印务", "纸业", "包装材料"}, en: "Packaging", weight: 2, kind: "packaging",
		types:    tw(qms, 40, ems, 18, ohs, 12, fsms, 10, green, 4, product, 4),
		products: []string{"瓦楞纸箱", "快递包装袋", "食品包装用塑料复合膜", "纸制品", "印刷品"}},
}

// certInfo is the per-type knowledge: the standard a certificate is issued
// against, the letter bodies put in numbers, how scopes read.
type certInfo struct {
	letter   string // type mark inside body-style numbers
	standard string
}

var certInfos = map[trustmark.CertType]certInfo{
	qms:     {"Q", "GB/T 19001-2016/ISO 9001:2015"},
	ems:     {"E", "GB/T 24001-2016/ISO 14001:2015"},
	ohs:     {"S", "GB/T 45001-2020/ISO 45001:2018"},
	fsms:    {"F", "GB/T 22000-2006/ISO 22000:2005"},
	haccp:   {"H", "GB/T 27341-2009, GB 14881-2013"},
	isms:    {"I", "GB/T 22080-2016/ISO/IEC 27001:2013"},
	svc:     {"SV", "GB/T 27922-2011"},
	gap:     {"GAP", "GB/T 20014-2013"},
	green:   {"GP", ""},
	product: {"P", ""},
	organic: {"OP", "GB/T 19630-2019"},
}

// greenStandards are the GB/T 35601-35613 绿色产品评价 series by product family.
var greenStandards = map[string][2]string{
	"building":    {"陶瓷砖(板)", "GB/T 35610-2017"},
	"textile":     {"纺织产品", "GB/T 35611-2017"},
	"furniture":   {"家具", "GB/T 35607-2017"},
	"packaging":   {"纸和纸制品", "GB/T 35613-2017"},
	"chemical":    {"涂料", "GB/T 35602-2017"},
	"electronics": {"电子电器产品", "GB/T 39761-2021"},
	"appliance":   {"电子电器产品", "GB/T 39761-2021"},
}

// productCerts are voluntary product certifications by product family: the
// product, the certification and the standard it is judged against.
var productCerts = map[string][][3]string{
	"appliance":   {{"房间空气调节器", "节能认证", "GB 21455-2019"}, {"家用电冰箱", "节能认证", "GB 12021.2-2015"}, {"储水式电热水器", "节能认证", "GB 21519-2008"}},
	"electrical":  {{"电力电缆", "电线电缆产品认证", "GB/T 12706.1-2020"}, {"光伏连接器", "光伏产品认证", "GB/T 33765-2017"}},
	"machinery":   {{"通风机", "节能认证", "GB 19761-2020"}, {"清水离心泵", "节能认证", "GB 19762-2007"}, {"容积式空气压缩机", "节能认证", "GB 19153-2019"}, {"汽车座椅", "产品安全认证", "GB 15083-2019"}},
	"electronics": {{"电源适配器", "节能认证", "GB 20943-2013"}, {"LED显示屏", "电磁兼容认证", "GB/T 9254.1-2021"}},
	"building":    {{"坐便器", "节水认证", "GB 25502-2017"}, {"防水卷材", "建材产品认证", "GB 18242-2008"}, {"建筑外窗", "节能认证", "GB/T 8484-2020"}},
	"chemical":    {{"水性涂料", "环保产品认证", "GB 18582-2020"}, {"胶粘剂", "环保产品认证", "GB 33372-2020"}},
	"medical":     {{"医用防护口罩", "医用防护产品认证", "GB 19083-2010"}, {"医用防护服", "医用防护产品认证", "GB 19082-2009"}},
	"furniture":   {{"木家具", "环保产品认证", "GB 18584-2001"}, {"办公椅", "产品安全认证", "GB/T 10357.3-2013"}},
	"packaging":   {{"食品包装用塑料复合膜", "食品接触材料认证", "GB 4806.7-2016"}, {"快递包装袋", "快递包装产品认证", "GB/T 16606.1-2018"}},
	"textile":     {{"针织服装", "生态纺织品认证", "GB/T 18885-2020"}, {"婴幼儿服装", "产品安全认证", "GB 31701-2015"}},
}

var serviceScopes = map[string][]string{
	"service":   {"物业服务(五星级)", "商品售后服务(五星级)", "道路货物运输服务", "酒店服务认证", "养老服务认证"},
	"software":  {"信息技术服务认证(运维)", "商品售后服务(五星级)", "数据安全服务"},
	"appliance": {"商品售后服务(五星级)", "家电安装维修服务"},
	"machinery": {"商品售后服务(四星级)", "设备维修服务"},
	"food":      {"餐饮服务认证"},
	"":          {"商品售后服务(五星级)"},
}

// labKind is a kind of testing laboratory: how it is named, its CMA field and
// department codes, whether it is a public institution, what it tests.
type labKind struct {
	name     string // after the place: 市产品质量监督检验研究院
	company  bool   // a company (91...) rather than a public institution (12...)
	field    int    // CMA professional field 00-21
	dept     int    // CMA department 00-34
	weight   float64
	prefix   string // report number prefix
	products []string
}

var labKinds = []labKind{
	{"产品质量监督检验研究院", false, 20, 11, 6, "ZJ", []string{"家用电冰箱", "电线电缆", "插头插座", "童装", "儿童玩具", "燃气灶具", "化肥", "钢筋", "食用植物油", "电动自行车"}},
	{"食品检验所", false, 0, 14, 5, "SP", []string{"大米", "小麦粉", "食用植物油", "酱油", "速冻水饺", "饼干", "灭菌乳", "白酒", "茶叶", "婴幼儿配方乳粉", "鸡蛋", "猪肉"}},
	{"环境监测中心站", false, 12, 5, 4, "HJ", []string{"废水", "环境空气", "土壤", "厂界噪声", "地表水", "固定污染源废气"}},
	{"建设工程质量检测中心", false, 1, 6, 6, "JC", []string{"混凝土抗压强度试块", "钢筋(HRB400E)", "水泥(P·O 42.5)", "砂浆试块", "防水卷材", "烧结砖", "建筑外窗", "保温材料"}},
	{"计量检定测试院", false, 20, 11, 2, "JL", []string{"压力表", "电能表", "衡器", "加油机", "出租汽车计价器"}},
	{"疾病预防控制中心", false, 3, 10, 3, "JK", []string{"生活饮用水", "公共场所空气", "消毒产品", "职业病危害因素"}},
	{"纤维检验所", false, 11, 11, 1, "FJ", []string{"校服", "羊毛衫", "床上用品", "棉花", "针织T恤"}},
	{"农产品质量安全检测中心", false, 4, 9, 3, "NC", []string{"蔬菜", "水果", "茶叶", "畜禽肉", "饲料", "化肥"}},
	{"水质监测中心", false, 13, 8, 1, "SZ", []string{"生活饮用水", "地表水", "地下水", "污水"}},
	{"医疗器械检验所", false, 15, 14, 1, "YX", []string{"医用口罩", "一次性使用无菌注射器", "医用防护服", "医用电子体温计"}},
	{"检测技术有限公司", true, 20, 34, 30, "WT", []string{"电源适配器", "LED灯具", "儿童玩具", "针织服装", "塑料制品", "锂离子电池", "家用电器", "电线电缆", "食品接触材料"}},
	{"检测科技有限公司", true, 12, 34, 20, "JT", []string{"环境空气", "废水", "土壤", "厂界噪声", "室内空气", "职业病危害因素"}},
	{"检验检测有限公司", true, 0, 34, 10, "JY", []string{"糕点", "饮料", "肉制品", "蔬菜", "茶叶", "调味料"}},
	{"机动车检测有限公司", true, 5, 2, 8, "JD", []string{"小型汽车安全技术检验", "货车安全技术检验", "机动车排气污染物检测"}},
	{"工程检测有限公司", true, 1, 6, 10, "GC", []string{"混凝土抗压强度试块", "钢筋(HRB400E)", "地基基础", "钢结构焊缝", "防水卷材"}},
	{"电子电器检测有限公司", true, 9, 1, 4, "DQ", []string{"家用电冰箱", "空调器", "电源适配器", "笔记本电脑", "插头插座", "电动工具", "电磁兼容"}},
}
