package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// tradeChars are characters Chinese firms favour in their trade names (字号),
// with pinyin for English names.
var tradeChars = []struct{ han, pinyin string }{
	{"华", "hua"}, {"兴", "xing"}, {"达", "da"}, {"盛", "sheng"}, {"通", "tong"}, {"宏", "hong"}, {"鑫", "xin"},
	{"瑞", "rui"}, {"祥", "xiang"}, {"恒", "heng"}, {"泰", "tai"}, {"丰", "feng"}, {"德", "de"}, {"信", "xin"},
	{"远", "yuan"}, {"新", "xin"}, {"航", "hang"}, {"源", "yuan"}, {"金", "jin"}, {"永", "yong"}, {"顺", "shun"},
	{"安", "an"}, {"康", "kang"}, {"嘉", "jia"}, {"利", "li"}, {"佳", "jia"}, {"宇", "yu"}, {"博", "bo"},
	{"润", "run"}, {"创", "chuang"}, {"汇", "hui"}, {"中", "zhong"}, {"正", "zheng"}, {"诚", "cheng"}, {"明", "ming"},
	{"天", "tian"}, {"海", "hai"}, {"东", "dong"}, {"联", "lian"}, {"力", "li"}, {"鼎", "ding"}, {"立", "li"},
	{"凯", "kai"}, {"美", "mei"}, {"益", "yi"}, {"荣", "rong"}, {"晨", "chen"}, {"锦", "jin"}, {"龙", "long"},
	{"腾", "teng"}, {"宝", "bao"}, {"富", "fu"}, {"昌", "chang"}, {"隆", "long"}, {"光", "guang"}, {"辉", "hui"},
	{"捷", "jie"}, {"科", "ke"}, {"亿", "yi"}, {"万", "wan"}, {"乐", "le"}, {"和", "he"}, {"志", "zhi"},
	{"奥", "ao"}, {"威", "wei"}, {"欧", "ou"}, {"普", "pu"}, {"星", "xing"}, {"飞", "fei"}, {"弘", "hong"},
	{"拓", "tuo"}, {"卓", "zhuo"}, {"越", "yue"}, {"迈", "mai"}, {"峰", "feng"}, {"睿", "rui"}, {"朗", "lang"},
	{"骏", "jun"}, {"豪", "hao"}, {"贝", "bei"}, {"思", "si"}, {"维", "wei"}, {"特", "te"}, {"川", "chuan"},
	{"格", "ge"}, {"菱", "ling"}, {"蓝", "lan"}, {"绿", "lv"}, {"晶", "jing"}, {"高", "gao"}, {"精", "jing"},
}

// tradeName is a generated 字号 of two (sometimes three) characters.
type tradeName struct {
	han    string
	pinyin string // "Hongda"
}

func newTradeName(r *rand.Rand, b *strings.Builder) tradeName {
	n := 2
	if r.IntN(4) == 0 {
		n = 3
	}
	b.Reset()
	var py strings.Builder
	last := -1
	for i := 0; i < n; i++ {
		k := r.IntN(len(tradeChars))
		if k == last {
			k = (k + 1) % len(tradeChars)
		}
		last = k
		b.WriteString(tradeChars[k].han)
		p := tradeChars[k].pinyin
		if i == 0 {
			py.WriteString(strings.ToUpper(p[:1]))
			py.WriteString(p[1:])
		} else {
			py.WriteString(p)
		}
	}
	return tradeName{han: b.String(), pinyin: py.String()}
}

// Surnames by frequency (公安部 2020 list, top 100); weights fall off roughly
// as the real shares do.
var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
	"林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹", "彭", "曾", "肖", "田", "董", "潘",
	"袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔",
	"谭", "陆", "范", "汪", "廖", "石", "金", "韦", "贾", "夏", "付", "方", "邹", "熊", "白", "孟", "秦", "邱", "侯",
	"江", "尹", "薛", "闫", "段", "雷", "龙", "黎", "史", "陶", "贺", "毛", "郝", "顾", "龚", "邵", "万", "覃", "武",
	"钱", "戴", "严", "莫", "孔", "向", "常"}

var surnameCum []float64

func init() {
	sum := 0.0
	for i := range surnames {
		sum += 1 / (float64(i) + 4)
		surnameCum = append(surnameCum, sum)
	}
}

var givenSingle = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
	"霞", "平", "刚", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "琳",
	"颖", "倩", "婷", "雪", "慧", "峰", "亮", "晨", "阳", "欣", "佳", "毅", "立"}

var givenDouble = []string{"秀英", "桂英", "建华", "建国", "志强", "海燕", "晓东", "文静", "晓明", "丽娟", "国强", "春梅",
	"志刚", "海涛", "小红", "红梅", "卫东", "振华", "宏伟", "立新", "家豪", "子涵", "一鸣", "思远", "雨桐", "梓轩", "浩然",
	"欣怡", "俊杰", "文博", "天宇", "晓燕", "玉兰", "金凤", "永刚", "德明", "建军", "新民", "丽华", "素芬", "学军", "晓峰",
	"雅琴", "宏亮", "春雷", "庆华", "少华", "继红", "志勇", "明辉"}

func personName(r *rand.Rand) string {
	s := surnames[pickCum(r, surnameCum)]
	if r.IntN(100) < 38 {
		return s + givenSingle[r.IntN(len(givenSingle))]
	}
	if r.IntN(2) == 0 {
		return s + givenDouble[r.IntN(len(givenDouble))]
	}
	return s + givenSingle[r.IntN(len(givenSingle))] + givenSingle[r.IntN(len(givenSingle))]
}

// Legal forms of companies, by how often they occur.
var legalForms = []struct {
	han, en string
	w       int
}{
	{"有限公司", "Co., Ltd.", 70}, {"股份有限公司", "Co., Ltd.", 12}, {"有限责任公司", "Co., Ltd.", 10},
	{"集团有限公司", "Group Co., Ltd.", 4}, {"实业有限公司", "Industrial Co., Ltd.", 4},
}

func legalForm(r *rand.Rand) (han, en string) {
	x := r.IntN(100)
	for _, f := range legalForms {
		if x < f.w {
			return f.han, f.en
		}
		x -= f.w
	}
	return legalForms[0].han, legalForms[0].en
}

func writeInt(b *strings.Builder, n int) {
	var buf [20]byte
	b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
}

// appendPadded appends n in width digits, zero-padded.
func appendPadded(b []byte, n, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
