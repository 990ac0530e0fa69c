package main

// provinces holds the official English name of each province-level
// division, with its short Chinese name (for names that start with it).
// 陕西 is Shaanxi, apart from 山西 Shanxi; 西藏 is Xizang, the form the
// State Council's English publications use.
var provinces = map[string]struct{ short, en string }{
	"11": {"北京", "Beijing"}, "12": {"天津", "Tianjin"}, "13": {"河北", "Hebei"}, "14": {"山西", "Shanxi"},
	"15": {"内蒙古", "Inner Mongolia"}, "21": {"辽宁", "Liaoning"}, "22": {"吉林", "Jilin"}, "23": {"黑龙江", "Heilongjiang"},
	"31": {"上海", "Shanghai"}, "32": {"江苏", "Jiangsu"}, "33": {"浙江", "Zhejiang"}, "34": {"安徽", "Anhui"},
	"35": {"福建", "Fujian"}, "36": {"江西", "Jiangxi"}, "37": {"山东", "Shandong"}, "41": {"河南", "Henan"},
	"42": {"湖北", "Hubei"}, "43": {"湖南", "Hunan"}, "44": {"广东", "Guangdong"}, "45": {"广西", "Guangxi"},
	"46": {"海南", "Hainan"}, "50": {"重庆", "Chongqing"}, "51": {"四川", "Sichuan"}, "52": {"贵州", "Guizhou"},
	"53": {"云南", "Yunnan"}, "54": {"西藏", "Xizang"}, "61": {"陕西", "Shaanxi"}, "62": {"甘肃", "Gansu"},
	"63": {"青海", "Qinghai"}, "64": {"宁夏", "Ningxia"}, "65": {"新疆", "Xinjiang"},
}

// placeholders names the rows of cities.csv that group a province's
// county-level divisions rather than name a city.
var placeholders = map[string]string{
	"市辖区":         "Municipal districts",
	"县":           "Counties",
	"省直辖县级行政区划":   "County-level divisions under the province",
	"自治区直辖县级行政区划": "County-level divisions under the autonomous region",
}

// zones are the kinds of development and administrative zones of
// areas.csv, longest first so that the most specific kind wins.
var zones = []struct{ zh, en string }{
	{"经济技术开发区", "Economic and Technological Development Zone"},
	{"高新技术产业开发区", "High-tech Industrial Development Zone"},
	{"高技术产业开发区", "High-tech Industrial Development Zone"},
	{"高新技术产业园区", "High-tech Industrial Park"},
	{"城乡一体化示范区", "Urban-Rural Integration Demonstration Zone"},
	{"高新技术开发区", "High-tech Development Zone"},
	{"现代产业园区", "Modern Industrial Park"},
	{"经济开发区", "Economic Development Zone"},
	{"工业园区", "Industrial Park"},
	{"开发区", "Development Zone"},
	{"示范区", "Demonstration Zone"},
	{"管理区", "Administrative Zone"},
	{"新区", "New Area"},
	{"新城", "New Town"},
}

// modifiers are the wing and position words of banner names.
var modifiers = []struct{ zh, en string }{
	{"左翼", "Left Wing"}, {"右翼", "Right Wing"}, {"联合", "United"},
	{"左", "Left"}, {"右", "Right"}, {"前", "Front"}, {"中", "Middle"}, {"后", "Rear"},
}

// peoples are the ethnic groups named by autonomous prefectures, counties
// and banners, by their official English names; each is matched with 族
// after it, and without it when bareForm says so (博尔塔拉蒙古自治州).
var peoples = map[string]string{
	"藏": "Tibetan", "回": "Hui", "蒙古": "Mongol", "维吾尔": "Uygur", "苗": "Miao", "彝": "Yi", "壮": "Zhuang",
	"布依": "Bouyei", "朝鲜": "Korean", "满": "Manchu", "侗": "Dong", "瑶": "Yao", "白": "Bai", "土家": "Tujia",
	"哈尼": "Hani", "哈萨克": "Kazak", "傣": "Dai", "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She",
	"拉祜": "Lahu", "水": "Sui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo", "柯尔克孜": "Kirgiz",
	"土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao", "羌": "Qiang", "布朗": "Blang", "撒拉": "Salar",
	"毛南": "Maonan", "仡佬": "Gelao", "锡伯": "Xibe", "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu",
	"鄂温克": "Ewenki", "保安": "Bonan", "裕固": "Yugur", "独龙": "Derung", "鄂伦春": "Oroqen",
	"各": "Various Nationalities",
}

var bareForm = map[string]bool{"蒙古": true, "哈萨克": true, "柯尔克孜": true, "塔吉克": true, "锡伯": true, "鄂伦春": true}

// placeReading is the place-name reading of polyphonic characters whose
// first reading in go-pinyin is another (长 zhang, 都 dou, 重 zhong). Each
// character of -review was checked against the names it occurs in; the
// names that read it otherwise are in stemSpelling.
var placeReading = map[rune]string{
	'长': "chang", '都': "du", '重': "chong", '厦': "xia", '蚌': "beng", '佛': "fo", '勒': "le",
	'什': "shi", '棱': "ling", '圩': "xu", '坻': "di", '曾': "zeng", '泊': "bo",
}

// checked lists the polyphonic characters of the source files whose first
// reading in go-pinyin was checked to be the one of every name using them
// (南 nan, 乐 le but for 乐亭 and 乐清). -review lists the others.
const checked = "南平宁大台溪石化和青白乐广沙港达明阿塔红万古太家邑池会信合吴夏怀甸余察屯市扎景潭甘谷霍宿屏方陆哈庄斯" +
	"格桃温鹿前区墨容寨彭杭桐沂祁肥芦英内呼咸塞封思房扶施无昆朝柏汾沈波游潼澄胜路野于任卡叶园土奇姚干强揭" +
	"枝横氏汤治洞洮浩淳渠灌王登皇皋盖睢至舒色若蒲蓝蔡越陶鼎乃乾从休六共冷勤包印喀喜婺寺寻射尚尾居嵊巨年感" +
	"承措提敦旬昂月杜果查栖栗梧次汕汪汶沾洋涪湛湟潘牟积绿芒蕉觉许赫车那部齐丁且个亨介令伯儋儿册净刀助匀厂" +
	"句召可吾呈噶团圈圣圳垦埔堆堡墅增央夹妃宛将尉屈峒底度庵彦彬得拖招拱掇斗昔暨朐末札杂柞柴棣歙殷比汀洼涂" +
	"涉渑滋滑漯潢澳濂濞灯炎烟焉焦熟猗百盟眙研碌碱祝禅离稷穴立箐精繁耆聊胶脱腊芮苑茫草荥莆莎莘莞莫菏虹蠡行" +
	"解调豫贾足迦迭邓邢邺郴鄱陀附陟隰零霸革鲅"

// stemSpelling spells place names the character readings get wrong: a
// polyphonic character read otherwise in this one name (六安 Lu'an, 长子
// Zhangzi), and the conventional forms of a few names that are not Hanyu
// Pinyin (哈尔滨 Harbin, 呼和浩特 Hohhot, 乌鲁木齐 Urumqi, 拉萨 Lhasa).
//
// The conventional forms are those Xinhua and the local governments use in
// English for the prefecture-level names that come from Mongolian, Uygur and
// Tibetan (鄂尔多斯 Ordos, not E'erduosi); they apply wherever the name
// recurs (喀什市 Kashgar, 和田县 Hotan County).
var stemSpelling = map[string]string{
	// Polyphones.
	"六安": "Lu'an", "六合": "Luhe", "长子": "Zhangzi", "东阿": "Dong'e", "乐亭": "Laoting", "乐清": "Yueqing",
	"洪洞": "Hongtong", "牟平": "Muping", "召陵": "Shaoling", "大埔": "Dabu", "吴堡": "Wubu", "尉犁": "Yuli",
	"番禺": "Panyu", "繁峙": "Fanshi", "荥经": "Yingjing", "闵行": "Minhang", "伽师": "Jiashi", "单": "Shan",
	"枞阳": "Zongyang", "泌阳": "Biyang", "浚": "Xun", "涡阳": "Guoyang", "犍为": "Qianwei", "珲春": "Hunchun",
	"称多": "Chenduo", "筠连": "Junlian", "茄子河": "Qiezihe", "蔚": "Yu", "覃塘": "Qintang", "铅山": "Yanshan",
	"黄陂": "Huangpi",
	// Conventional forms.
	"哈尔滨": "Harbin", "呼和浩特": "Hohhot", "乌鲁木齐": "Urumqi", "拉萨": "Lhasa",
	"鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab",
	"锡林郭勒": "Xilingol", "阿拉善": "Alxa", "兴安": "Hinggan",
	"喀什": "Kashgar", "克拉玛依": "Karamay", "吐鲁番": "Turpan", "阿勒泰": "Altay", "伊犁": "Ili",
	"巴音郭楞": "Bayingolin", "博尔塔拉": "Bortala", "克孜勒苏": "Kizilsu", "和田": "Hotan", "阿克苏": "Aksu",
	"日喀则": "Xigaze", "昌都": "Qamdo", "林芝": "Nyingchi", "那曲": "Nagqu", "阿里": "Ngari",
	"齐齐哈尔": "Qiqihar", "甘孜": "Garze", "果洛": "Golog", "格尔木": "Golmud",
}

// codeNames are whole English names for the few divisions no rule fits.
var codeNames = map[string]string{
	"130172": "Shijiazhuang Circular Chemical Industry Park",
	"140171": "Shanxi Transformation and Comprehensive Reform Demonstration Zone",
	"140971": "Wutaishan Scenic Area",
	"150271": "Baotou Rare Earth High-tech Industrial Development Zone",
	"152571": "Wulagai Administrative Zone",
	"220174": "Changchun Automotive Economic and Technological Development Zone",
	"220273": "Jilin China-Singapore Food Zone",
	"341171": "China-Singapore Suchu High-tech Industrial Development Zone",
	"370572": "Dongying Port Economic Development Zone",
	"371071": "Weihai Torch High-tech Industrial Development Zone",
	"410173": "Zhengzhou Airport Economy Zone",
	"411471": "Yudong Logistics Industry Cluster",
	"429021": "Shennongjia Forestry District",
	"460321": "Xisha Islands",
	"460322": "Nansha Islands",
	"460323": "Islands, Reefs and Waters of the Zhongsha Islands",
	"540171": "Golmud Xizang-Qinghai Industrial Park",
	"540173": "Xizang Culture and Tourism Creative Park",
	"632857": "Dachaidan Administrative Committee",
}
