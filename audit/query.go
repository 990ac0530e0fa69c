package audit

import "trustmark"

// Query selects audits for the workbench's lists. Every field left zero
// selects everything: Region the audits in the regions a regulator's
// region covers (trustmark.Regions.Covers; "" or the nation: all); Body
// those of one body; Person those whose team the person is on; From and To
// those whose opening meeting falls on those days in China (both
// included); Anomalous those with at least one anomaly. Limit bounds the
// answer (0: a default). Audits come latest opening first.
type Query struct {
	Region    string
	Body      string
	Person    string
	From, To  trustmark.Date
	Anomalous bool
	Limit     int
}
