package trustmark

import "time"

// Conclusion is a test report's overall conclusion.
type Conclusion string

// Report conclusions.
const (
	ConclusionPass Conclusion = "pass"
	ConclusionFail Conclusion = "fail"
)

// Report is a test report issued by a laboratory. Number is unique per
// laboratory.
type Report struct {
	Number               string     `json:"number"`
	LabCMANo             string     `json:"lab_cma_no"`
	ClientUSCC           USCC       `json:"client_uscc,omitempty"`
	Product              string     `json:"product"`
	Conclusion           Conclusion `json:"conclusion"`
	IssuedOn             Date       `json:"issued_on"`
	SignerRegistrationNo string     `json:"signer_registration_no,omitempty"`

	LabName    string    `json:"-"`
	ClientName string    `json:"-"`
	UpdatedAt  time.Time `json:"-"`
	// LabStatus and LabStatusSince are the laboratory's standing, read with
	// the report (see Report.Standing). Empty when read without it.
	LabStatus      PartyStatus `json:"-"`
	LabStatusSince Date        `json:"-"`
}

// Key is the report's natural key, "CMA_NO/NUMBER".
func (r *Report) Key() string { return r.LabCMANo + "/" + r.Number }
