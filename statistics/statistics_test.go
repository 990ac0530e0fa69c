package statistics

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func d(s string) trustmark.Date {
	if s == "" {
		return trustmark.Date{}
	}
	v, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		value, baseline, target float64
		want                    float64
		ok                      bool
	}{
		{"at the baseline it is nothing", 270, 270, 320, 0, true},
		{"at the target it is all", 320, 270, 320, 1, true},
		{"half way is a half", 295, 270, 320, 0.5, true},
		{"below the baseline it is negative", 220, 270, 320, -1, true},
		{"past the target it is more than all", 370, 270, 320, 2, true},
		{"a falling target counts the fall", 80, 100, 60, 0.5, true},
		{"a target equal to the baseline has no share", 5, 10, 10, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Progress(tc.value, tc.baseline, tc.target)
			if ok != tc.ok || math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Progress(%v, %v, %v) = %v, %v, want %v, %v", tc.value, tc.baseline, tc.target, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestMonths(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		want     []string // month:first:end
	}{
		{"a month ending on its last day is whole", "2026-01-15", "2026-02-28",
			[]string{"2026-01:2026-01-01:2026-01-31", "2026-02:2026-02-01:2026-02-28"}},
		{"the as-of month ends on the as-of day", "2026-01-01", "2026-03-15",
			[]string{"2026-01:2026-01-01:2026-01-31", "2026-02:2026-02-01:2026-02-28", "2026-03:2026-03-01:2026-03-15"}},
		{"an as-of day on the 1st gives a one-day month", "2026-02-01", "2026-03-01",
			[]string{"2026-02:2026-02-01:2026-02-28", "2026-03:2026-03-01:2026-03-01"}},
		{"a leap February ends on the 29th", "2024-02-10", "2024-03-31",
			[]string{"2024-02:2024-02-01:2024-02-29", "2024-03:2024-03-01:2024-03-31"}},
		{"months run over the new year", "2025-12-31", "2026-01-01",
			[]string{"2025-12:2025-12-01:2025-12-31", "2026-01:2026-01-01:2026-01-01"}},
		{"from and as-of in one month give one bucket", "2026-03-20", "2026-03-15",
			[]string{"2026-03:2026-03-01:2026-03-15"}},
		{"an as-of day before the first month gives none", "2026-04-01", "2026-03-31", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range Months(d(tc.from), d(tc.to)) {
				got = append(got, b.Month+":"+b.First.String()+":"+b.End.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Months(%s, %s) (-want +got):\n%s", tc.from, tc.to, diff)
			}
		})
	}
	t.Run("only the as-of month of a mid-month day is partial", func(t *testing.T) {
		bs := Months(d("2026-02-01"), d("2026-03-15"))
		if bs[0].Partial() || !bs[1].Partial() {
			t.Errorf("Partial = %v, %v, want false, true", bs[0].Partial(), bs[1].Partial())
		}
		if last := Months(d("2026-02-01"), d("2026-02-28")); last[0].Partial() {
			t.Errorf("February read on the 28th is Partial, want whole")
		}
	})
	t.Run("the trend starts in January of the baseline year", func(t *testing.T) {
		bs := Trend(d("2026-03-15"))
		if got, want := len(bs), 6*12+3; got != want {
			t.Errorf("len(Trend) = %d, want %d", got, want)
		}
		if bs[0].Month != "2020-01" || bs[11].End != d("2020-12-31") {
			t.Errorf("Trend starts %s, bucket 11 ends %s, want 2020-01 and 2020-12-31", bs[0].Month, bs[11].End)
		}
	})
}

func TestCertificateSpan(t *testing.T) {
	for _, tc := range []struct {
		name             string
		issued, expires  string
		status           trustmark.CertStatus
		since            string
		first, last      string
		ok               bool
		validOn, notOnTo []string
	}{
		{name: "a valid certificate is valid through its expiry day", issued: "2025-01-10", expires: "2028-01-09", status: trustmark.StatusValid, since: "2025-01-10",
			first: "2025-01-10", last: "2028-01-09", ok: true, validOn: []string{"2025-01-10", "2028-01-09"}, notOnTo: []string{"2025-01-09", "2028-01-10"}},
		{name: "a revoked certificate stops the day before its revocation", issued: "2025-01-10", expires: "2028-01-09", status: trustmark.StatusRevoked, since: "2026-03-10",
			first: "2025-01-10", last: "2026-03-09", ok: true, validOn: []string{"2026-03-09"}, notOnTo: []string{"2026-03-10"}},
		{name: "a suspension counts from its day", issued: "2025-01-10", expires: "2028-01-09", status: trustmark.StatusSuspended, since: "2026-03-05",
			first: "2025-01-10", last: "2026-03-04", ok: true},
		{name: "a withdrawal after expiry changes nothing", issued: "2020-01-10", expires: "2023-01-09", status: trustmark.StatusWithdrawn, since: "2024-05-01",
			first: "2020-01-10", last: "2023-01-09", ok: true},
		{name: "an expired certificate with its day of expiry ends at expiry", issued: "2020-01-10", expires: "2023-01-09", status: trustmark.StatusExpired, since: "2023-01-10",
			first: "2020-01-10", last: "2023-01-09", ok: true},
		{name: "an expired certificate without a day ends at expiry", issued: "2020-01-10", expires: "2023-01-09", status: trustmark.StatusExpired,
			first: "2020-01-10", last: "2023-01-09", ok: true},
		{name: "a revocation of unknown day counts on no day", issued: "2020-01-10", expires: "2023-01-09", status: trustmark.StatusRevoked},
		{name: "a revocation on the issue day counts on no day", issued: "2025-01-10", expires: "2028-01-09", status: trustmark.StatusRevoked, since: "2025-01-10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := CertificateSpan(d(tc.issued), d(tc.expires), tc.status, d(tc.since))
			if ok != tc.ok {
				t.Fatalf("CertificateSpan ok = %v, want %v (span %v)", ok, tc.ok, s)
			}
			if !ok {
				return
			}
			if s.First.String() != tc.first || s.Last.String() != tc.last {
				t.Errorf("CertificateSpan = %s..%s, want %s..%s", s.First, s.Last, tc.first, tc.last)
			}
			for _, day := range tc.validOn {
				if !s.Holds(d(day)) {
					t.Errorf("span %s..%s does not hold %s, want it to", s.First, s.Last, day)
				}
			}
			for _, day := range tc.notOnTo {
				if s.Holds(d(day)) {
					t.Errorf("span %s..%s holds %s, want not", s.First, s.Last, day)
				}
			}
		})
	}
}

func TestPartySpan(t *testing.T) {
	for _, tc := range []struct {
		name               string
		start, until       string
		status             trustmark.PartyStatus
		since, first, last string
		ok                 bool
	}{
		{"an active body counts from its approval for ever", "2002-06-01", "", trustmark.PartyActive, "2002-06-01", "2002-06-01", "", true},
		{"a laboratory counts through its CMA validity", "", "2028-12-31", trustmark.PartyActive, "", "", "2028-12-31", true},
		{"a suspension ends the count the day before", "2002-06-01", "", trustmark.PartySuspended, "2026-01-05", "2002-06-01", "2026-01-04", true},
		{"a revocation after the validity changes nothing", "", "2025-12-31", trustmark.PartyRevoked, "2026-02-01", "", "2025-12-31", true},
		{"a suspension of unknown day counts on no day", "2002-06-01", "", trustmark.PartySuspended, "", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := PartySpan(d(tc.start), d(tc.until), tc.status, d(tc.since))
			if ok != tc.ok || ok && (s.First.String() != tc.first || s.Last.String() != tc.last) {
				t.Errorf("PartySpan = %s..%s, %v, want %s..%s, %v", s.First, s.Last, ok, tc.first, tc.last, tc.ok)
			}
		})
	}
}

func TestCounter(t *testing.T) {
	buckets := Months(d("2025-11-01"), d("2026-02-10")) // Nov, Dec, Jan, Feb (to the 10th)
	c := NewCounter(buckets)
	const chongqing, sichuan, chengdu = "500103", "510104", "510100"
	// Valid on 2025-11-30 through the month end of January: the expiry day
	// is the bucket's End, and it still counts.
	c.Add(ValidCertificates, chongqing, Span{First: d("2025-11-30"), Last: d("2026-01-31")})
	// Issued after November's end, expiring on December's: December only.
	c.Add(ValidCertificates, sichuan, Span{First: d("2025-12-01"), Last: d("2025-12-31")})
	// Open at both ends: every bucket.
	c.Add(ValidCertificates, chengdu, Span{})
	// Valid on no bucket's End.
	c.Add(ValidCertificates, sichuan, Span{First: d("2026-01-02"), Last: d("2026-01-30")})
	// One organisation, two overlapping certificates and one later: counted once a bucket.
	c.AddUnion(CertifiedOrgs, chongqing, []Span{{d("2025-11-01"), d("2025-12-31")}, {d("2025-12-01"), d("2026-01-31")}, {d("2026-02-01"), d("2026-02-10")}})
	c.AddUnion(CertifiedOrgs, sichuan, nil)
	c.AddFlow(ReportsPerYear, chongqing, "2026-01", 3)
	c.AddFlow(ReportsPerYear, sichuan, "2026-02", 2)
	c.AddFlow(ReportsPerYear, sichuan, "2019-12", 100) // before the buckets
	c.AddFlow(ReportsPerYear, sichuan, "2026-03", 100) // after them
	tally := c.Tally(time.Date(2026, 2, 10, 1, 0, 0, 0, time.UTC))

	for _, tc := range []struct {
		name  string
		k     Key
		scope string
		want  []int64
	}{
		{"the nation counts every region", ValidCertificates, trustmark.NationalRegion, []int64{2, 3, 2, 1}},
		{"Chongqing does not count Sichuan", ValidCertificates, "500000", []int64{1, 1, 1, 0}},
		{"Sichuan counts its cities and counties", ValidCertificates, "510000", []int64{1, 2, 1, 1}},
		{"a city counts its counties", ValidCertificates, "510100", []int64{1, 2, 1, 1}},
		{"a county counts itself alone", ValidCertificates, "510104", []int64{0, 1, 0, 0}},
		{"an organisation counts once a month", CertifiedOrgs, trustmark.NationalRegion, []int64{1, 1, 1, 1}},
		{"flows count in their month only", ReportsPerYear, trustmark.NationalRegion, []int64{0, 0, 3, 2}},
		{"an indicator nothing added to is zero", Labs, trustmark.NationalRegion, []int64{0, 0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tally.Series(tc.k, tc.scope)); diff != "" {
				t.Errorf("Series(%s, %s) (-want +got):\n%s", tc.k, tc.scope, diff)
			}
		})
	}
	if got, want := tally.AsOf(), d("2026-02-10"); got != want {
		t.Errorf("AsOf = %s, want %s", got, want)
	}
}

func TestNewView(t *testing.T) {
	asOf := d("2026-03-15")
	c := NewCounter(Trend(asOf))
	c.Add(ValidCertificates, "110108", Span{First: d("2019-05-01"), Last: d("2026-12-31")})
	c.Add(ValidCertificates, "110108", Span{First: d("2021-05-01"), Last: d("2026-12-31")})
	c.Add(ValidCertificates, "310115", Span{First: d("2019-05-01"), Last: d("2026-03-14")})
	for _, m := range []string{"2020-01", "2020-12", "2025-02", "2025-03", "2026-02", "2026-03"} {
		c.AddFlow(ReportsPerYear, "110108", m, 10)
	}
	tally := c.Tally(asOf.Time())
	v := NewView(Plan(), tally, trustmark.NationalRegion)
	fig := map[Key]Figure{}
	for _, f := range v.Figures {
		fig[f.Key] = f
	}
	t.Run("a stock's value is its count on the as-of day", func(t *testing.T) {
		if got := fig[ValidCertificates].Value; got != 2 {
			t.Errorf("valid certificates = %d, want 2", got)
		}
		if got := fig[ValidCertificates].Value2020; got != 2 {
			t.Errorf("valid certificates at the end of 2020 = %d, want 2", got)
		}
	})
	t.Run("a flow's value sums the twelve complete months before the as-of month", func(t *testing.T) {
		f := fig[ReportsPerYear]
		if f.Value != 20 || f.Period.First != d("2025-03-01") || f.Period.Last != d("2026-02-28") {
			t.Errorf("reports = %d over %s..%s, want 20 over 2025-03-01..2026-02-28", f.Value, f.Period.First, f.Period.Last)
		}
		if f.Value2020 != 20 {
			t.Errorf("reports in 2020 = %d, want 20", f.Value2020)
		}
	})
	t.Run("the nation's figures have progress against the plan", func(t *testing.T) {
		f := fig[ValidCertificates]
		want, _ := Progress(2, 2_700_000, 3_200_000)
		if !f.HasProgress || f.Progress != want {
			t.Errorf("progress = %v, %v, want %v, true", f.Progress, f.HasProgress, want)
		}
	})
	t.Run("a region's figures have none", func(t *testing.T) {
		rv := NewView(Plan(), tally, "110000")
		for _, f := range rv.Figures {
			if f.HasProgress {
				t.Errorf("%s in Beijing has progress %v, want none", f.Key, f.Progress)
			}
		}
		if got := rv.Counted()[0].Value; got != 2 {
			t.Errorf("Beijing's valid certificates = %d, want 2", got)
		}
	})
	t.Run("rows the registry cannot count have no value", func(t *testing.T) {
		for _, f := range v.NotCounted() {
			if f.Value != 0 || f.Series != nil || f.HasProgress {
				t.Errorf("%s: value %d, series %v, progress %v; want none", f.Key, f.Value, f.Series, f.HasProgress)
			}
		}
	})
}

func TestPlan(t *testing.T) {
	want := map[Key][2]float64{
		ValidCertificates:      {2_700_000, 3_200_000},
		CertifiedOrgs:          {800_000, 1_000_000},
		ApprovedBodies:         {724, 1500},
		Labs:                   {48_919, 55_000},
		ReportsPerYear:         {567_000_000, 790_000_000},
		CertificationPersonnel: {118_000, 200_000},
	}
	p := Plan()
	if len(p) != 20 {
		t.Errorf("the plan has %d rows, want the 20 of 专栏1", len(p))
	}
	for _, in := range p {
		w, counted := want[in.Key]
		if in.InRegistry != counted {
			t.Errorf("%s: InRegistry = %v, want %v", in.Key, in.InRegistry, counted)
		}
		if counted && (math.Abs(in.Baseline()-w[0]) > 0.5 || math.Abs(in.Target()-w[1]) > 0.5) {
			t.Errorf("%s: %v → %v, want %v → %v", in.Key, in.Baseline(), in.Target(), w[0], w[1])
		}
	}
}

const header = "key,group,name_zh,name_en,unit_zh,unit_en,scale,baseline_2020,target_2025,nature,registry,counts_zh,counts_en\n"

// countedRows are the rows every plan table must hold.
func countedRows() string {
	var b strings.Builder
	for _, k := range Counted {
		b.WriteString(string(k) + ",service,名,name,家,x,1,1,2,预期性,counted,计数,counts\n")
	}
	return b.String()
}

func TestParsePlan(t *testing.T) {
	good := header + countedRows() + "revenue,environment,营业总收入,Revenue,亿元,x,100000000,3881,5000,预期性,not_in_registry,不记录,not recorded\n"
	if p, err := ParsePlan(strings.NewReader(good)); err != nil || len(p) != len(Counted)+1 {
		t.Fatalf("ParsePlan(good) = %d rows, %v; want %d rows", len(p), err, len(Counted)+1)
	}
	for _, tc := range []struct {
		name, text, field string
	}{
		{"a wrong header is refused", strings.Replace(header, "scale", "factor", 1) + countedRows(), ""},
		{"a repeated key is refused", header + countedRows() + "labs,service,名,name,家,x,1,1,2,预期性,not_in_registry,不记录,no\n", "key"},
		{"a counted row the registry cannot count is refused", header + countedRows() + "revenue,service,名,name,家,x,1,1,2,预期性,counted,计数,counts\n", "registry"},
		{"a missing counted row is refused", header + strings.SplitN(countedRows(), "\n", 2)[1], "registry"},
		{"a counted row marked not in the registry is refused", header + strings.Replace(countedRows(), ",counted,", ",not_in_registry,", 1), "registry"},
		{"an unknown group is refused", header + strings.Replace(countedRows(), ",service,", ",other,", 1), "group"},
		{"a zero scale is refused", header + strings.Replace(countedRows(), ",x,1,", ",x,0,", 1), "scale"},
		{"a negative figure is refused", header + strings.Replace(countedRows(), ",1,2,", ",-1,2,", 1), "baseline_2020"},
		{"a figure that is not a number is refused", header + strings.Replace(countedRows(), ",1,2,", ",1,NaN,", 1), "target_2025"},
		{"an empty name is refused", header + strings.Replace(countedRows(), ",名,", ",,", 1), "name_zh"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePlan(strings.NewReader(tc.text))
			if trustmark.ErrorCode(err) != trustmark.EInvalid || tc.field != "" && trustmark.ErrorField(err) != tc.field {
				t.Errorf("ParsePlan error = %v (code %q, field %q), want invalid %q", err, trustmark.ErrorCode(err), trustmark.ErrorField(err), tc.field)
			}
		})
	}
}

func FuzzParsePlan(f *testing.F) {
	f.Add(header + countedRows())
	f.Add(header + "x,y\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePlan(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, in := range p {
			if in.Scale <= 0 || in.PlanBaseline < 0 || in.PlanTarget < 0 || in.InRegistry && !isCounted(in.Key) {
				t.Errorf("ParsePlan accepted %+v", in)
			}
		}
	})
}

func isCounted(k Key) bool {
	for _, c := range Counted {
		if c == k {
			return true
		}
	}
	return false
}
