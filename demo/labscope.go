package demo

import "strings"

// labScopeBasis is, per laboratory kind (by its report number prefix), what
// its CMA schedule tests for each product and the standards it names: the
// scope a laboratory of the kind is plausibly accredited for.
var labScopeBasis = map[string]struct{ params, standards string }{
	"ZJ": {"安全性能、标志标识、理化指标", "GB 4706.1-2005、GB/T 5023.1-2008、GB/T 2099.1-2021、GB 31701-2015、GB 6675.1-2014、GB 16410-2020、GB/T 8569-2009、GB/T 1499.2-2018、GB 2716-2018、GB 17761-2018"},
	"SP": {"污染物限量、微生物、食品添加剂、农药残留、营养成分", "GB 2762-2022、GB 2763-2021、GB 29921-2021、GB 2760-2014、GB 5009 系列"},
	"HJ": {"常规污染物、重金属、噪声", "HJ 91.1-2019、HJ 194-2017、HJ/T 166-2004、GB 12348-2008、GB 3838-2002、HJ 75-2017"},
	"JC": {"力学性能、物理性能、耐久性", "GB/T 50081-2019、GB/T 228.1-2021、GB 175-2023、JGJ/T 70-2009、GB 18242-2008、GB/T 5101-2017、GB/T 7106-2019"},
	"JL": {"示值误差、重复性、检定/校准", "JJG 52-2013、JJG 596-2012、JJG 539-2016、JJG 443-2023、JJG 517-2016"},
	"JK": {"卫生指标、微生物、毒理学、职业病危害因素", "GB 5749-2022、GB 37488-2019、GB 27948-2020、GBZ/T 189 系列"},
	"FJ": {"纤维含量、色牢度、甲醛含量、pH值、可分解致癌芳香胺染料", "GB 18401-2010、GB 31701-2015、FZ/T 73018-2021、GB 1103 系列"},
	"NC": {"农药残留、兽药残留、重金属、营养成分", "GB 2763-2021、GB 31650-2019、GB 2762-2022、GB 13078-2017、GB/T 15063-2020"},
	"SZ": {"感官性状和一般化学指标、毒理指标、微生物指标", "GB 5749-2022、GB/T 5750 系列、GB 3838-2002、GB/T 14848-2017、GB 8978-1996"},
	"YX": {"过滤效率、无菌、生物相容性、电气安全", "YY 0469-2011、GB 15810-2019、GB 19082-2023、GB 9706.1-2020、GB/T 21417.1-2008"},
	"WT": {"安全性能、电磁兼容、能效、有害物质、理化指标", "GB 4943.1-2022、GB 7000.1-2015、GB 6675.1-2014、GB 31241-2022、GB 4806.1-2016、GB/T 17625.1-2022"},
	"JT": {"常规污染物、重金属、挥发性有机物、噪声", "HJ 194-2017、HJ 91.1-2019、HJ/T 166-2004、GB 12348-2008、GB/T 18883-2022、GBZ/T 300 系列"},
	"JY": {"污染物限量、微生物、食品添加剂、理化指标", "GB 7099-2015、GB 7101-2022、GB 2726-2016、GB 2762-2022、GB 2760-2014"},
	"JD": {"安全技术检验、排气污染物", "GB 7258-2017、GB 21861-2014、GB 18285-2018、GB 3847-2018"},
	"GC": {"力学性能、承载力、焊缝质量、物理性能", "GB/T 50081-2019、GB/T 228.1-2021、JGJ 106-2014、GB/T 11345-2023、GB 18242-2008"},
	"DQ": {"安全性能、电磁兼容、能效", "GB 4706.1-2005、GB 4943.1-2022、GB 2099.1-2021、GB 3883.1-2014、GB 4343.1-2018、GB 12021.2-2015"},
}

// labScope is the scope of a laboratory of kind k as its CMA schedule would
// state it, one line per product (the products its reports are for) with
// the parameters it tests ("电线电缆 / 安全性能、标志标识、理化指标"), then the
// standards ("依据标准：…"): the form trustmark.ParseLabScope reads as
// items. It draws nothing from the random source, so adding it changed no
// other record of the demo.
func labScope(k labKind) string {
	basis, ok := labScopeBasis[k.prefix]
	var b strings.Builder
	for i, p := range k.products {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
		if ok {
			b.WriteString(" / ")
			b.WriteString(basis.params)
		}
	}
	if ok {
		b.WriteString("\n依据标准：")
		b.WriteString(basis.standards)
	}
	return b.String()
}
