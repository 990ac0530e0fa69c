package audit

import "time"

// Rules are the thresholds of plan decisions and anomaly rules, as data:
// the real system's figures where a source gives them (Sources names the
// rule of data/reference/supervision_rules.json or the reference file each
// rests on), Trustmark's settings elsewhere. They are immutable once made
// and safe for concurrent use.
type Rules struct {
	Table           *Table // IAF MD 5 initial audit time
	MaxReductionPct int    // IAF MD 5: at most 30% below the table
	HoursPerDay     int    // IAF MD 5: an auditor-day is 8 hours

	OpenLate   time.Duration // opening check-in at most this long after the opening meeting starts
	CloseLate  time.Duration // closing check-in at most this long after the closing meeting ends
	ClosingLen time.Duration // the closing meeting's length when the plan gives no end

	FarM float64 // a check-in more than this far from the site
	// MaxAccuracyM caps the accuracy a check-in is credited with: a phone
	// claiming a 50 km circle cannot make any position plausible.
	MaxAccuracyM float64

	TravelMinKM     float64 // impossible travel is judged over more than this distance
	TravelKMH       float64 // flag above this speed
	TravelSevereKMH float64 // severe above this speed

	OnsiteShare float64 // on-site time at least this share of the planned time

	LentOutWindow time.Duration // two bodies' audits this close in time are "the same period"
	ClockSkew     time.Duration // device time this far from server time
	ClockSkewHigh time.Duration // severe beyond this
	PhotoHamming  int           // perceptual hashes this close are the same photo
	DeviceWindow  time.Duration // two persons on one device within this time

	SurveillanceMonths int // a surveillance audit within this many months of issue or the last audit

	HalfDaySplit int // hour of the day, China time, from which a plan is in the afternoon

	MatterKind string // the kind of matter each anomaly opens (matter_kinds.json)

	// Sources names the ground of each threshold, by field name.
	Sources map[string]string
}

// DefaultRules returns the rules Trustmark ships with, over the official
// IAF MD 5 table.
func DefaultRules() *Rules {
	return &Rules{
		Table: OfficialTable(), MaxReductionPct: 30, HoursPerDay: 8,
		OpenLate: 2 * time.Hour, CloseLate: 2 * time.Hour, ClosingLen: time.Hour,
		FarM: 5000, MaxAccuracyM: 1000,
		TravelMinKM: 50, TravelKMH: 300, TravelSevereKMH: 900,
		OnsiteShare:   0.8,
		LentOutWindow: 30 * 24 * time.Hour,
		ClockSkew:     10 * time.Minute, ClockSkewHigh: 24 * time.Hour,
		PhotoHamming:       6,
		DeviceWindow:       30 * 24 * time.Hour,
		SurveillanceMonths: 12,
		HalfDaySplit:       13,
		MatterKind:         "anomaly_explanation",
		Sources: map[string]string{
			"Table":              "iaf_md5_audit_time_tables.csv (IAF MD 5:2019, CNAS-CC105:2020)",
			"MaxReductionPct":    "iaf_md5_rules.json max_reduction_from_table",
			"HoursPerDay":        "iaf_md5_rules.json auditor_day_hours",
			"OpenLate":           "supervision_rules.json cnca-checkin-opening-window",
			"CloseLate":          "supervision_rules.json cnca-checkin-closing-window",
			"ClosingLen":         "policy: a plan that gives only the closing meeting's start",
			"FarM":               "supervision_rules.json cnca-checkin-anomaly-rules (暂定偏差超过5公里)",
			"MaxAccuracyM":       "policy: a cell-tower fix is about 1 km",
			"TravelMinKM":        "policy (issue 13)",
			"TravelKMH":          "policy (issue 13): faster than a high-speed train's average",
			"TravelSevereKMH":    "policy (issue 13): faster than an airliner",
			"OnsiteShare":        "iaf_md5_rules.json onsite_min_share",
			"LentOutWindow":      "policy",
			"ClockSkew":          "policy",
			"PhotoHamming":       "check: policy, not law; 64-bit DCT perceptual hashes (goimagehash PerceptionHash) of one photo resized or re-compressed differ in a few bits, of different photos in about 32 (photo_test.go)",
			"DeviceWindow":       "policy",
			"SurveillanceMonths": "deadline_rules.json CNCA-QMS-01:2025 5.4.1.4",
			"HalfDaySplit":       "supervision_rules.json cnca-checkin-upgrade-2022-01 (before 13:00 morning)",
			"MatterKind":         "matter_kinds.json anomaly_explanation (cnca-checkin-explanation-deadline)",
		},
	}
}
