package sqlstore_test

import (
	"fmt"
	"slices"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
)

// TestLabReportsListsOneLabNewestFirst lists a laboratory's reports as its
// workbench does: only its own, newest first, searched by report number,
// client code or client name, and paged by cursor without gaps or repeats.
func TestLabReportsListsOneLabNewestFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(testing.TB, ...sqlstore.Option) *sqlstore.DB
	}{{"on SQLite", openSQLite}, {"on PostgreSQL", openPG}} {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.open(t)
			defer db.Close()
			const labA, labB = "240012340001", "240012340002"
			client := trustmark.MakeUSCC("9137020016356268")
			other := trustmark.MakeUSCC("9144030019220382")
			mustImport(t, db, trustmark.KindOrgs,
				&trustmark.Org{USCC: client, Name: "海尔智家股份有限公司", RegionCode: "370212"},
				&trustmark.Org{USCC: other, Name: "华为技术有限公司", RegionCode: "440307"})
			mustImport(t, db, trustmark.KindLabs,
				&trustmark.Lab{CMANo: labA, USCC: trustmark.MakeUSCC("1211000040000040"), Name: "甲检测中心", RegionCode: "110000", Status: trustmark.PartyActive},
				&trustmark.Lab{CMANo: labB, USCC: trustmark.MakeUSCC("1211000040000050"), Name: "乙检测中心", RegionCode: "110000", Status: trustmark.PartyActive})
			var reps []trustmark.Record
			// Five of labA's: BG-1 the oldest ... BG-5 the newest; BG-4 and
			// BG-5 on the same day (the number breaks the tie). One of labB.
			for i, day := range []string{"2026-01-05", "2026-01-06", "2026-02-01", "2026-03-01", "2026-03-01"} {
				d, _ := trustmark.ParseDate(day)
				c := client
				if i == 2 {
					c = other
				}
				reps = append(reps, &trustmark.Report{Number: fmt.Sprintf("BG-%d", i+1), LabCMANo: labA, ClientUSCC: c, Product: "电冰箱", Conclusion: trustmark.ConclusionPass, IssuedOn: d})
			}
			reps = append(reps, &trustmark.Report{Number: "BG-9", LabCMANo: labB, ClientUSCC: client, Product: "电冰箱", Conclusion: trustmark.ConclusionPass})
			mustImport(t, db, trustmark.KindReports, reps...)

			list := func(f trustmark.LabReportFilter) (numbers []string, next string) {
				t.Helper()
				page, err := db.LabReports(ctx, f)
				if err != nil {
					t.Fatalf("LabReports(%+v): %v", f, err)
				}
				for _, r := range page.Items {
					if r.LabCMANo != f.LabCMANo {
						t.Errorf("LabReports(%s) lists %s of %s", f.LabCMANo, r.Number, r.LabCMANo)
					}
					numbers = append(numbers, r.Number)
				}
				return numbers, page.NextCursor
			}
			for _, tt := range []struct {
				name string
				f    trustmark.LabReportFilter
				want []string
			}{
				{"every report of the lab, newest first", trustmark.LabReportFilter{LabCMANo: labA}, []string{"BG-5", "BG-4", "BG-3", "BG-2", "BG-1"}},
				{"only the other lab's own", trustmark.LabReportFilter{LabCMANo: labB}, []string{"BG-9"}},
				{"by number prefix, any case", trustmark.LabReportFilter{LabCMANo: labA, Q: "bg-3"}, []string{"BG-3"}},
				{"by client code", trustmark.LabReportFilter{LabCMANo: labA, Q: string(other)}, []string{"BG-3"}},
				{"by client name", trustmark.LabReportFilter{LabCMANo: labA, Q: "华为"}, []string{"BG-3"}},
				{"a search that matches nothing", trustmark.LabReportFilter{LabCMANo: labA, Q: "50%"}, nil},
			} {
				if got, _ := list(tt.f); !slices.Equal(got, tt.want) {
					t.Errorf("%s: LabReports(%+v) = %v, want %v", tt.name, tt.f, got, tt.want)
				}
			}

			var all []string
			f := trustmark.LabReportFilter{LabCMANo: labA, Limit: 2}
			for range 5 {
				got, next := list(f)
				all = append(all, got...)
				if next == "" {
					break
				}
				f.Cursor = next
			}
			if want := []string{"BG-5", "BG-4", "BG-3", "BG-2", "BG-1"}; !slices.Equal(all, want) {
				t.Errorf("LabReports by pages of 2 = %v, want %v", all, want)
			}
			if _, err := db.LabReports(ctx, trustmark.LabReportFilter{}); trustmark.ErrorCode(err) != trustmark.EInvalid {
				t.Errorf("LabReports without a lab = %v, want invalid", err)
			}
			if _, err := db.LabReports(ctx, trustmark.LabReportFilter{LabCMANo: labA, Cursor: "nonsense"}); trustmark.ErrorCode(err) != trustmark.EInvalid {
				t.Errorf("LabReports with a foreign cursor = %v, want invalid", err)
			}
		})
	}
}
