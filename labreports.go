package trustmark

// LabReportFilter selects one laboratory's own test reports as its staff
// list them on the workbench: newest first (by date of issue, then number,
// both descending), optionally narrowed by Q.
type LabReportFilter struct {
	LabCMANo string // required: the laboratory whose reports are listed
	// Q matches a report number by prefix (as stored: upper case), a
	// client's unified social credit code by prefix, or a fragment of the
	// client's name. Empty matches every report of the laboratory.
	Q      string
	Limit  int // default 50, at most 1000
	Cursor string
}
