package locale

// StatisticsMessages are the strings of the plan's indicator page
// (/statistics) and its downloads. The indicators' own names and
// definitions are data (statistics.Plan), in both languages. Formats take
// their values in the order the comment of each group gives.
type StatisticsMessages struct {
	Nav, Title, Intro, Source, Nation, RegionNote string
	// AsOf takes the time of the count, with its zone; Cached explains it.
	AsOf, Cached string

	// One headline figure: its value now, the plan's 2020 baseline and 2025
	// target (PlanFigure wraps the plan's own figure in its unit), the
	// registry's count at the end of 2020, progress and how it is counted;
	// a flow's period (from, to).
	Headline, ValueNow, Baseline, Target, Registry2020, Progress string
	PlanFigure, ProgressNote, Period                             string

	// The rows the registry does not count.
	NotCountedTitle, NotCountedIntro, NotInRegistry string

	// The trend: a title, the chart's title for a stock and for a flow
	// (indicator name), its description (first month, last month, lowest,
	// highest, latest), the table's caption and columns; Partial marks the
	// month still running (its day).
	TrendTitle, ChartStock, ChartFlow, ChartDesc, ShowTable string
	Month, Day, Count, Partial                              string

	// Downloads: their heading, the two tables and the two formats.
	Downloads, IndicatorsTable, TrendTable, CSV, XLSX string
	// IndicatorColumns are the columns of the indicator table's downloads,
	// in order: key, name, plan unit, 2020 baseline, 2025 target, value,
	// registry at the end of 2020, progress (%), period from, period to, in
	// the registry, definition, region, counted at. TrendColumns begin the
	// trend table (month, day); an indicator's name heads each of its
	// other columns.
	IndicatorColumns, TrendColumns []string
	Yes, No                        string
	// SheetIndicators and SheetTrend name the XLSX sheets (at most 31
	// characters, no []:*?/\).
	SheetIndicators, SheetTrend string
	// Magnitudes shorten the values on a chart's axis, largest first.
	Magnitudes []Magnitude
}

// Magnitude is a power of ten a language names: 万 is 10,000.
type Magnitude struct {
	Size   float64
	Suffix string
}

var zhStatistics = StatisticsMessages{
	Nav: "发展指标", Title: "“十四五”主要发展指标",
	Intro:      "《认证认可检验检测发展“十四五”规划》专栏1列出了2020年的基数和2025年的目标。下面的现值由登记库中的记录实时统计；登记库不记录的指标只列出规划数字，不作估算。",
	Source:     "规划数字来源：市场监管总局《认证认可检验检测发展“十四五”规划》专栏1“十四五”主要发展指标。",
	Nation:     "全国",
	RegionNote: "规划的基数和目标是全国数字，这里只列出本地区登记库的统计数和2020年底的登记数。",
	AsOf:       "统计时间：%s（北京时间）。", Cached: "统计结果每隔几分钟更新一次。",

	Headline: "登记库统计的指标", ValueNow: "现值", Baseline: "2020年基数", Target: "2025年目标", Registry2020: "登记库2020年底",
	Progress: "完成进度（从基数到目标）", PlanFigure: "（规划：%s）",
	ProgressNote: "完成进度 =（现值 − 2020年基数）÷（2025年目标 − 2020年基数）；低于基数时为负数。登记库只收录已报送的记录，数字可能低于全国实际。",
	Period:       "统计期：%s 至 %s",

	NotCountedTitle: "登记库不能统计的指标", NotCountedIntro: "以下指标的数据不在登记库中，这里只列出规划数字。", NotInRegistry: "不在登记库中",

	TrendTitle: "按月趋势", ChartStock: "%s，各月末", ChartFlow: "%s，按出具月份",
	ChartDesc: "%s 至 %s：最低 %s，最高 %s，最近 %s。", ShowTable: "查看表格",
	Month: "月份", Day: "统计日", Count: "数量", Partial: "截至%s",

	Downloads: "下载", IndicatorsTable: "指标表", TrendTable: "月度趋势表", CSV: "CSV", XLSX: "Excel（XLSX）",
	IndicatorColumns: []string{"指标代码", "指标名称", "规划单位", "2020年基数", "2025年目标", "现值", "登记库2020年底", "完成进度（%）",
		"统计期起", "统计期止", "登记库统计", "统计口径", "地区", "统计时间"},
	TrendColumns: []string{"月份", "统计日"},
	Yes:          "是", No: "否",
	SheetIndicators: "指标", SheetTrend: "月度趋势",
	Magnitudes: []Magnitude{{1e8, "亿"}, {1e4, "万"}},
}

var enStatistics = StatisticsMessages{
	Nav: "Plan indicators", Title: "14th Five-Year Plan indicators",
	Intro:      "Table 1 of the 14th Five-Year Plan for certification, accreditation, inspection and testing sets the 2020 baseline and the 2025 target of each indicator. The values below are counted live from the registry's records; indicators the registry does not hold show the plan's figures only, never an estimate.",
	Source:     "Plan figures: SAMR, 14th Five-Year Plan for Certification, Accreditation, Inspection and Testing, Table 1 (main development indicators).",
	Nation:     "Nationwide",
	RegionNote: "The plan's baselines and targets are national figures; for a region the page shows the registry's counts and its count at the end of 2020.",
	AsOf:       "Counted at %s China time (UTC+8).", Cached: "The counts are refreshed every few minutes.",

	Headline: "Indicators counted from the registry", ValueNow: "Now", Baseline: "2020 baseline", Target: "2025 target", Registry2020: "Registry at the end of 2020",
	Progress: "Progress from baseline to target", PlanFigure: " (plan: %s)",
	ProgressNote: "Progress = (now − 2020 baseline) ÷ (2025 target − 2020 baseline); negative below the baseline. The registry holds only the records reported to it, so its counts may fall short of the national totals.",
	Period:       "Period: %s to %s",

	NotCountedTitle: "Indicators the registry cannot count", NotCountedIntro: "The registry holds no data for these indicators; only the plan's figures are listed.", NotInRegistry: "not in the registry",

	TrendTitle: "Trend by month", ChartStock: "%s at each month's end", ChartFlow: "%s, by month of issue",
	ChartDesc: "%s to %s: lowest %s, highest %s, latest %s.", ShowTable: "Show the table",
	Month: "Month", Day: "Day counted", Count: "Count", Partial: "to %s",

	Downloads: "Downloads", IndicatorsTable: "Indicator table", TrendTable: "Monthly trend table", CSV: "CSV", XLSX: "Excel (XLSX)",
	IndicatorColumns: []string{"key", "indicator", "plan unit", "baseline 2020", "target 2025", "value", "registry end of 2020", "progress (%)",
		"period from", "period to", "in registry", "definition", "region", "counted at"},
	TrendColumns: []string{"month", "day counted"},
	Yes:          "yes", No: "no",
	SheetIndicators: "Indicators", SheetTrend: "Monthly trend",
	Magnitudes: []Magnitude{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}},
}
