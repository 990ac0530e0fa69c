package credit

import "trustmark"

// PublicListing is a listing as the public list shows it
// (GET /api/v1/credit/serious-violations, the page /credit, open data).
//
// What is shown of a person: the registration number (already public in
// the register of certification personnel), the grounds, legal basis and
// period, and never a name, ID number, photo or contact. Listing a person
// is published because the law makes the listing public; the register
// number lets a body check it without the list repeating personal data.
// For a unit (body, laboratory, organisation) its name is shown, as on the
// National Enterprise Credit Information Publicity System. Grounds are
// written by the regulator for publication and must not name persons.
type PublicListing struct {
	SubjectKind SubjectKind    `json:"subject_kind"`
	SubjectID   string         `json:"subject_id"`
	Name        string         `json:"name"`
	Grounds     string         `json:"grounds"`
	LegalBasis  string         `json:"legal_basis"`
	ListedOn    trustmark.Date `json:"listed_on"`
	Until       trustmark.Date `json:"until"`
}

// Public returns the public view of l on day d, and false when l is not on
// the list that day (proposed, dropped, removed, or its period over).
func Public(l Listing, d trustmark.Date) (PublicListing, bool) {
	if !l.OnList(d) {
		return PublicListing{}, false
	}
	p := PublicListing{SubjectKind: l.Subject.Kind, SubjectID: l.Subject.ID, Name: l.Name,
		Grounds: l.Grounds, LegalBasis: l.LegalBasis, ListedOn: l.ListedOn, Until: l.Until}
	if l.Subject.Kind == Person {
		p.Name = ""
	}
	return p, true
}
