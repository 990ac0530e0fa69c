package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"trustmark"
	"trustmark/locale"
	"trustmark/statistics"
)

// StatisticsScope is whose indicators a statistics page shows and where it
// lives: the public page is the nation's at /statistics; the workbench
// shows a regulator its own region at a path of its own.
type StatisticsScope struct {
	Region string // trustmark.NationalRegion, or a 6-digit GB/T 2260 code
	Base   string // the page's path; its downloads are Base + "/" + a file of statisticsFiles
}

// statisticsFiles are the downloads of a statistics page.
var statisticsFiles = []string{"indicators.csv", "indicators.xlsx", "trend.csv", "trend.xlsx"}

// StatisticsPage is the plan's indicators with the registry's counts for a
// region: headline figures, the rows the registry cannot count, a chart and
// table per counted indicator, and the downloads.
type StatisticsPage struct {
	Page
	RegionName string
	National   bool
	AsOf       string // the time of the count, with its zone
	Figures    []StatFigure
	NotCounted []StatFigure
	Charts     []Chart
	Downloads  []Option // Value is the link, Label its text
}

// StatFigure is one indicator as the page shows it: numbers formatted in the
// page language, empty where there is nothing to show.
type StatFigure struct {
	Key, Name, Counts, Period string
	Value, Value2020          string
	// Baseline and Target are the plan's figures in the registry's units,
	// PlanBaseline and PlanTarget as the plan writes them (in its unit;
	// wrapped in PlanFigure for a counted row).
	Baseline, Target, PlanBaseline, PlanTarget string
	Progress                                   string // "-12.5%"; "" when none
	Bar                                        int    // the progress bar's width, 0-100
	Below                                      bool   // progress is below the baseline
}

func (h *Handler) statisticsPage(w http.ResponseWriter, r *http.Request) {
	h.ServeStatistics(w, r, StatisticsScope{Region: trustmark.NationalRegion, Base: "/statistics"}, "")
}

func (h *Handler) statisticsFile(w http.ResponseWriter, r *http.Request) {
	h.ServeStatistics(w, r, StatisticsScope{Region: trustmark.NationalRegion, Base: "/statistics"}, r.PathValue("file"))
}

// ServeStatistics serves the indicator page of scope (file "") or one of
// its downloads (indicators.csv, indicators.xlsx, trend.csv, trend.xlsx;
// any other file is not found). Tables are in the page language: CSV in
// UTF-8 with a byte-order mark, so that Excel shows Chinese, and XLSX.
func (h *Handler) ServeStatistics(w http.ResponseWriter, r *http.Request, scope StatisticsScope, file string) {
	if file != "" && !slices.Contains(statisticsFiles, file) {
		h.notFoundPage(w, r)
		return
	}
	if h.cfg.Statistics == nil {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal has no statistics source"))
		return
	}
	tally, err := h.cfg.Statistics.Tally(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := statistics.NewView(statistics.Plan(), tally, scope.Region)
	p := h.newPage(r, "")
	if file != "" {
		h.statisticsDownload(w, v, p.T, file)
		return
	}
	h.render(w, r, http.StatusOK, "statistics", newStatisticsPage(p, v, scope))
}

func newStatisticsPage(p Page, v statistics.View, scope StatisticsScope) *StatisticsPage {
	t := &p.T.Statistics
	sp := &StatisticsPage{Page: p, National: v.National(), RegionName: regionName(v.Region, p.T)}
	sp.Title = t.Title
	if !sp.National {
		sp.Title += " · " + sp.RegionName
	}
	sp.AsOf = fmt.Sprintf(t.AsOf, v.Computed.In(chinaTime).Format("2006-01-02 15:04"))
	for _, f := range v.Figures {
		if f.InRegistry {
			sp.Figures = append(sp.Figures, statFigure(f, v, p.T))
			sp.Charts = append(sp.Charts, newChart(f, v.Buckets, p.T))
		} else {
			sp.NotCounted = append(sp.NotCounted, statFigure(f, v, p.T))
		}
	}
	for _, d := range []struct{ file, label string }{
		{"indicators.csv", t.IndicatorsTable + " · " + t.CSV}, {"indicators.xlsx", t.IndicatorsTable + " · " + t.XLSX},
		{"trend.csv", t.TrendTable + " · " + t.CSV}, {"trend.xlsx", t.TrendTable + " · " + t.XLSX},
	} {
		sp.Downloads = append(sp.Downloads, Option{Value: p.Link(scope.Base + "/" + d.file), Label: d.label})
	}
	return sp
}

// regionName names a region in the page language; the nation is "全国".
func regionName(code string, m *locale.Messages) string {
	if code == trustmark.NationalRegion {
		return m.Statistics.Nation
	}
	return trustmark.DefaultRegions().FullNameIn(code, m.Lang)
}

func statFigure(f statistics.Figure, v statistics.View, m *locale.Messages) StatFigure {
	t := &m.Statistics
	s := StatFigure{Key: string(f.Key), Name: f.NameIn(m.Lang), Counts: f.CountsIn(m.Lang)}
	plan := func(x float64) string { return planFigure(x, f.Indicator, m) }
	if f.InRegistry {
		s.Value, s.Value2020 = formatCount(f.Value, m), formatCount(f.Value2020, m)
		if !f.Period.First.IsZero() {
			s.Period = fmt.Sprintf(t.Period, f.Period.First, f.Period.Last)
		}
	}
	if v.National() {
		s.Baseline, s.Target = formatCount(int64(math.Round(f.Baseline())), m), formatCount(int64(math.Round(f.Target())), m)
		s.PlanBaseline, s.PlanTarget = plan(f.PlanBaseline), plan(f.PlanTarget)
		if f.InRegistry {
			s.PlanBaseline, s.PlanTarget = fmt.Sprintf(t.PlanFigure, s.PlanBaseline), fmt.Sprintf(t.PlanFigure, s.PlanTarget)
		}
	}
	if f.HasProgress {
		s.Progress = formatPercent(f.Progress, m)
		s.Bar = int(math.Round(100 * min(1, max(0, f.Progress))))
		s.Below = f.Progress < 0
	}
	return s
}

// planFigure says a figure as the plan does, in its unit: "270万张" in
// Chinese, "270 × 10,000 certificates" in English.
func planFigure(x float64, in statistics.Indicator, m *locale.Messages) string {
	n := strconv.FormatFloat(x, 'f', -1, 64)
	switch {
	case m.Lang != "en":
		return n + in.Unit
	case in.UnitEN == "%":
		return n + "%"
	case in.Scale > 1:
		return n + " × " + in.UnitEN
	}
	return n + " " + in.UnitEN
}

// formatCount writes a count with thousands separators.
func formatCount(n int64, m *locale.Messages) string {
	return printer(m).Sprint(number.Decimal(n))
}

func formatPercent(share float64, m *locale.Messages) string {
	return printer(m).Sprintf("%.1f%%", 100*share)
}

// printer formats numbers in the page's language.
func printer(m *locale.Messages) *message.Printer {
	if m.Lang == "en" {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(language.SimplifiedChinese)
}

// statisticsDownload writes one of the page's tables.
func (h *Handler) statisticsDownload(w http.ResponseWriter, v statistics.View, m *locale.Messages, file string) {
	t := &m.Statistics
	rows, sheet, name := indicatorRows(v, m), t.SheetIndicators, "indicators"
	if file == "trend.csv" || file == "trend.xlsx" {
		rows, sheet, name = trendRows(v, m), t.SheetTrend, "trend"
	}
	base := fmt.Sprintf("trustmark-%s-%s-%s", name, v.Region, v.AsOf)
	var buf bytes.Buffer
	var err error
	if file[len(file)-4:] == ".csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.csv"`)
		err = writeTableCSV(&buf, rows)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+base+`.xlsx"`)
		err = writeTableXLSX(&buf, sheet, rows)
	}
	if err != nil {
		h.cfg.Logger.Error("write statistics table", "file", file, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Write(buf.Bytes())
}

// indicatorRows is the indicator table: a header of m's columns, then a row
// per row of the plan. Counts are int64, figures float64, blanks nil.
func indicatorRows(v statistics.View, m *locale.Messages) [][]any {
	t := &m.Statistics
	rows := [][]any{anyRow(t.IndicatorColumns)}
	counted := v.Computed.In(chinaTime).Format("2006-01-02T15:04:05-07:00")
	for _, f := range v.Figures {
		unit, in := f.Unit, t.No
		if m.Lang == "en" {
			unit = f.UnitEN
		}
		var baseline, target, value, value2020, progress, from, to any
		if v.National() {
			baseline, target = f.Baseline(), f.Target()
		}
		if f.InRegistry {
			in, value, value2020 = t.Yes, f.Value, f.Value2020
		}
		if f.HasProgress {
			progress = math.Round(10000*f.Progress) / 100
		}
		if !f.Period.First.IsZero() {
			from, to = f.Period.First.String(), f.Period.Last.String()
		}
		rows = append(rows, []any{string(f.Key), f.NameIn(m.Lang), unit, baseline, target, value, value2020, progress,
			from, to, in, f.CountsIn(m.Lang), regionName(v.Region, m), counted})
	}
	return rows
}

// trendRows is the trend table: a row per month with the day it was read
// on and each counted indicator.
func trendRows(v statistics.View, m *locale.Messages) [][]any {
	head := anyRow(m.Statistics.TrendColumns)
	counted := v.Counted()
	for _, f := range counted {
		head = append(head, f.NameIn(m.Lang))
	}
	rows := [][]any{head}
	for i, b := range v.Buckets {
		row := []any{b.Month, b.End.String()}
		for _, f := range counted {
			row = append(row, f.Series[i])
		}
		rows = append(rows, row)
	}
	return rows
}

func anyRow(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// writeTableCSV writes rows as UTF-8 CSV with a byte-order mark.
func writeTableCSV(w io.Writer, rows [][]any) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for _, row := range rows {
		rec := make([]string, len(row))
		for i, c := range row {
			switch c := c.(type) {
			case nil:
			case string:
				rec[i] = defuse(c)
			case float64:
				rec[i] = strconv.FormatFloat(c, 'f', -1, 64)
			default:
				rec[i] = fmt.Sprint(c)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTableXLSX writes rows as a workbook of one sheet, numbers as
// numbers and text as text.
func writeTableXLSX(w io.Writer, sheet string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
